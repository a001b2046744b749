//! Section `old-gil`: the GIL before Python 3.2, and the battle it fought on
//! two cores.

use std::time::Duration;

use workshop::bench::usable_cores;
use workshop::text::reflow;
use workshop::workloads::fib_calls;
use workshop::{Ctx, Measurement, Out, Outcome, Section, Table, Timeline, measure, units};

use crate::gil::{CPYTHON_CHECK_INTERVAL, Design, Gil, HOLDS, Stats, WAITS, py_fib, run_threads};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "old-gil",
    title: "The old GIL's battle on two cores",
    explain: "
        Before Python 3.2 the GIL had no switch interval. Every 100 ticks
        (a tick is about one bytecode) the eval loop released the lock,
        signalled one waiting thread, and took the lock straight back. On
        one core that was enough: the woken thread ran while the holder
        paused. On two cores, David Beazley showed (\"Understanding the
        Python GIL\", PyCon 2010) that the waiter wakes up on the other core
        only to find the GIL taken again, over and over: his CPU-bound
        countdown took 7.8 s twice in a row and 15.4 s on two threads.
        Python 3.2's GIL, the one simulated so far, was written to end that
        battle.

        Below, the notebook's two fibonacci threads run under both designs,
        in turns, in one run. The old GIL gives the others a chance every
        300 calls of the simulated fibonacci, about as long as 100 bytecodes
        took CPython (the notebook's fibonacci(34) ran 18.5 million calls of
        about eleven bytecodes each in 2.38 s: some 11 ns a bytecode).
    ",
    python: r#"
        sys.setcheckinterval(100)    # Python 3.1: 100 ticks
        # Python/ceval.c, every 100 ticks:
        #     PyThread_release_lock(interpreter_lock)   # signals a waiter
        #     /* Other threads may run now */
        #     PyThread_acquire_lock(interpreter_lock, 1)
        one = threading.Thread(target=fibonacci, args=(34,))
        two = threading.Thread(target=fibonacci, args=(34,))
    "#,
    rust: r#"
        let left = ticker.load(Relaxed) - 1;
        ticker.store(left, Relaxed);
        if left < 0 {
            self.release_and_retake();
        }
        state.locked = false;
        gil.released.notify_one();
        if !state.locked && state.switch_number == switches {
            state.locked = true; // won it back, as the holder nearly always does
    "#,
    run,
};

/// The old GIL's check interval here, in check points (calls of the
/// simulated fibonacci): 300 calls take about as long as CPython's 100
/// ticks did (see the section's text; the lesson prints the time it takes
/// here).
pub const CHECK_INTERVAL: u32 = 300;

/// Beazley's published figures (PyCon 2010, the old GIL on a multicore
/// machine): his countdown twice in a row, and on two threads, in seconds.
pub const BEAZLEY_IN_A_ROW: f64 = 7.8;
/// See [`BEAZLEY_IN_A_ROW`].
pub const BEAZLEY_TWO_THREADS: f64 = 15.4;

/// How many times each of the four runs is repeated; the lesson reports
/// the middle one.
pub const ROUNDS: usize = 3;

/// The fibonacci each thread computes: a second or so of battle in a full
/// run.
pub fn fib_size(quick: bool) -> u32 {
    if quick { 31 } else { 35 }
}

/// Two calls of `fib(n)` under one GIL: in a row, and on two threads.
pub struct DesignRun {
    /// Which GIL.
    pub design: Design,
    /// The two calls one after the other on one thread.
    pub in_a_row: Measurement,
    /// The two calls on two threads.
    pub threads: Measurement,
    /// The threaded run's counters: hand-overs, failed acquisitions.
    pub stats: Stats,
    /// Who held the GIL when, in the threaded run.
    pub timeline: Timeline,
}

impl DesignRun {
    /// Two threads against the same work in a row: 1 means no gain, and
    /// above 1 the threads made it slower.
    pub fn ratio(&self) -> f64 {
        self.threads.wall.as_secs_f64() / self.in_a_row.wall.as_secs_f64()
    }
}

/// The old and the new GIL, each running `fib(n)` twice in a row and on two
/// threads, in interleaved rounds. Each figure is the middle of `rounds`
/// runs, with the threaded run's counters and timeline: the fastest would
/// be a run in which the two threads happened to share one core, which is
/// the one case where the old GIL did not fight.
pub fn battle(n: u32, check_interval: u32, interval: Duration, rounds: usize) -> [DesignRun; 2] {
    let designs = [
        Design::Ticks(check_interval),
        Design::SwitchInterval(interval),
    ];
    let mut runs: [Vec<(Measurement, Measurement, Stats, Timeline)>; 2] = Default::default();
    for _ in 0..rounds.max(1) {
        for (design, runs) in designs.iter().zip(&mut runs) {
            let in_a_row = twice_in_a_row(*design, n);
            let (threads, stats, timeline) = two_threads(*design, n);
            runs.push((in_a_row, threads, stats, timeline));
        }
    }
    let [old, new] = runs;
    [middle_run(designs[0], old), middle_run(designs[1], new)]
}

/// `fib(n)` twice on one thread under a fresh GIL.
fn twice_in_a_row(design: Design, n: u32) -> Measurement {
    let gil = Gil::with_design(design, Timeline::new());
    measure(|| run_threads(&gil, &["main"], |py, _| (py_fib(py, n), py_fib(py, n)))).1
}

/// `fib(n)` on each of two threads sharing a fresh GIL.
fn two_threads(design: Design, n: u32) -> (Measurement, Stats, Timeline) {
    let timeline = Timeline::with_labels(&[HOLDS, WAITS]);
    let gil = Gil::with_design(design, timeline.clone());
    let (_, measured) =
        measure(|| run_threads(&gil, &["thread-1", "thread-2"], |py, _| py_fib(py, n)));
    (measured, gil.stats(), timeline)
}

/// The median of each kind of run: the sequential runs and the threaded
/// runs are sorted apart, and the threaded one keeps its own counters.
fn middle_run(
    design: Design,
    mut runs: Vec<(Measurement, Measurement, Stats, Timeline)>,
) -> DesignRun {
    let mut in_a_row: Vec<Measurement> = runs.iter().map(|r| r.0).collect();
    in_a_row.sort_by_key(|m| m.wall);
    runs.sort_by_key(|r| r.1.wall);
    let (_, threads, stats, timeline) = runs.swap_remove(runs.len() / 2);
    DesignRun {
        design,
        in_a_row: in_a_row[in_a_row.len() / 2],
        threads,
        stats,
        timeline,
    }
}

/// What the figures say about the battle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// The old GIL's threads were clearly slower than its run in a row, and
    /// than the new GIL's threads.
    Battle,
    /// No battle, and the machine could not give two threads two cores.
    Busy,
    /// No battle although two cores were free.
    NoBattle,
}

/// How much slower than in a row the old GIL's threads must be, and how
/// much worse than the new GIL's, to call it a battle.
pub const BATTLE_RATIO: f64 = 1.2;
/// Fewer cores' worth of CPU than this for two busy threads: the machine was
/// too busy to run both at once.
pub const BUSY_CORES: f64 = 1.5;

/// Reads the two ratios (threads against in a row) and how many cores two
/// busy threads could get.
pub fn verdict(old_ratio: f64, new_ratio: f64, cores: Option<f64>) -> Verdict {
    if old_ratio >= BATTLE_RATIO && old_ratio >= new_ratio * BATTLE_RATIO {
        Verdict::Battle
    } else if cores.is_some_and(|c| c < BUSY_CORES) {
        Verdict::Busy
    } else {
        Verdict::NoBattle
    }
}

/// The sentences for a verdict, with the figures they rest on.
pub fn explain(
    verdict: Verdict,
    old: &DesignRun,
    new: &DesignRun,
    out: &Out,
    cores: Option<f64>,
) -> String {
    let beazley = BEAZLEY_TWO_THREADS / BEAZLEY_IN_A_ROW;
    let failed = out.count(old.stats.failed_acquisitions);
    let cores = cores.map_or("n/a".to_owned(), |c| {
        out.measured(format!("{c:.2}"), "[cores]")
    });
    match verdict {
        Verdict::Battle => format!(
            "The battle shows: under the old GIL two threads took {} as long as \
             the same work in a row (Beazley: {}), under the new one {}. The \
             waiter was woken {failed} times to find the GIL taken again.",
            out.ratio(old.ratio()),
            units::ratio(beazley),
            out.ratio(new.ratio()),
        ),
        Verdict::Busy => format!(
            "No battle this time ({} under the old GIL, {} under the new): two \
             busy threads got only {cores} cores' worth of CPU, so they mostly \
             took turns on one core, where the waiter, woken by the signal, \
             often runs while the GIL is free. Run it again on an idle machine.",
            out.ratio(old.ratio()),
            out.ratio(new.ratio()),
        ),
        Verdict::NoBattle => format!(
            "No battle here, on {cores} cores: two threads took {} as long as \
             in a row under the old GIL, {} under the new, though the old \
             one's waiter failed {failed} times. A failure probably costs this \
             simulation less than it cost CPython: here the lock is all the \
             two threads share, where CPython's waking thread also pulled \
             the interpreter's own data over to its core.",
            out.ratio(old.ratio()),
            out.ratio(new.ratio()),
        ),
    }
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let n = fib_size(ctx.quick());
    let interval = crate::switch_interval(ctx.settings());
    let _measuring = out.progress(format!(
        "measuring: two fib({n}) under the old GIL and the new"
    ));
    let [old, new] = battle(n, CHECK_INTERVAL, interval, ROUNDS);
    let cores = usable_cores(2, Duration::from_millis(100));
    let calls = 2 * fib_calls(n);
    let between_checks = old.in_a_row.wall / (calls / u64::from(CHECK_INTERVAL)).max(1) as u32;
    out.line(reflow(&format!(
        "Two calls of fib({n}), {} calls in all; each figure is the middle of \
         {ROUNDS} runs. The old GIL checks every {CHECK_INTERVAL} calls: every \
         {} here (CPython's {CPYTHON_CHECK_INTERVAL} ticks: about 1 µs).",
        units::count(calls),
        out.time(between_checks)
    )));
    out.blank();
    out.table(&figures(&old, &new, out));
    out.line("  failed: a waiter woken by a release found the GIL taken again");
    out.blank();
    for (run, name) in [(&old, "The old GIL"), (&new, "The new GIL")] {
        out.line(format!("{name}, two threads:"));
        out.timeline(&run.timeline);
        out.blank();
    }
    // Which sentences apply depends on the figures, so they are redacted
    // with them.
    let verdict = verdict(old.ratio(), new.ratio(), cores);
    let sentences = explain(verdict, &old, &new, out, cores);
    out.line(reflow(&out.measured(sentences, "[verdict]")));
    Ok(())
}

/// The side-by-side table, with Beazley's published figures last.
fn figures(old: &DesignRun, new: &DesignRun, out: &Out) -> Table {
    let mut table = Table::new([
        "GIL",
        "in a row",
        "2 threads",
        "ratio",
        "CPU/wall",
        "hand-overs",
        "failed",
    ]);
    for (name, run) in [("old (3.1)", old), ("new (3.2+)", new)] {
        let cpu_per_wall = run.threads.cpu_per_wall();
        table.push([
            name.to_owned(),
            out.time(run.in_a_row.wall),
            out.time(run.threads.wall),
            out.ratio(run.ratio()),
            cpu_per_wall.map_or("n/a".to_owned(), |r| {
                out.measured(format!("{r:.2}"), "[ratio]")
            }),
            out.count(run.stats.switches),
            out.count(run.stats.failed_acquisitions),
        ]);
    }
    table.push([
        "Beazley, old GIL".to_owned(),
        units::seconds(BEAZLEY_IN_A_ROW),
        units::seconds(BEAZLEY_TWO_THREADS),
        units::ratio(BEAZLEY_TWO_THREADS / BEAZLEY_IN_A_ROW),
        "-".into(),
        "-".into(),
        "-".into(),
    ]);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_slowdown_is_a_battle_on_any_machine() {
        assert_eq!(verdict(1.7, 1.0, Some(1.9)), Verdict::Battle);
        assert_eq!(verdict(1.7, 1.0, Some(1.1)), Verdict::Battle);
        assert_eq!(verdict(1.25, 1.02, None), Verdict::Battle);
    }

    #[test]
    fn no_slowdown_is_blamed_on_a_busy_machine_only_when_it_was_busy() {
        assert_eq!(verdict(1.05, 1.0, Some(1.2)), Verdict::Busy);
        assert_eq!(verdict(1.05, 1.0, Some(1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.05, 1.0, None), Verdict::NoBattle);
    }

    #[test]
    fn a_slowdown_the_new_gil_shares_is_not_the_battle() {
        // Both designs slowed down alike: the machine, not the old GIL.
        assert_eq!(verdict(1.3, 1.25, Some(1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.3, 1.25, Some(1.0)), Verdict::Busy);
        // Just under the threshold on either side.
        assert_eq!(verdict(1.19, 0.9, Some(1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.21, 1.0, Some(1.9)), Verdict::Battle);
    }
}
