//! Section `old-gil`: the GIL before Python 3.2, and the battle it fought on
//! two cores.

use std::time::Duration;

use workshop::bench::CpuShare;
use workshop::text::reflow;
use workshop::workloads::fib_calls;
use workshop::{
    CpuPerWall, Ctx, Measurement, Out, Outcome, Section, Table, Timeline, measure, units,
};

use crate::gil::{CPYTHON_CHECK_INTERVAL, Design, Gil, HOLDS, Stats, WAITS, py_fib, run_threads};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "old-gil",
    title: "The old GIL's battle on two cores",
    explain: "
        Before Python 3.2 the GIL had no switch interval. Every 100 ticks
        (a tick is about one bytecode) the eval loop released the lock,
        signalled one waiting thread, and took the lock straight back. On
        one core that mostly worked: the system often ran the woken thread
        at once, while the GIL was free. On two cores, David Beazley showed (\"Understanding the
        Python GIL\", PyCon 2010) that the waiter wakes up on the other core
        only to find the GIL taken again, over and over: his CPU-bound
        countdown took 7.8 s twice in a row and 15.4 s on two threads.
        Python 3.2's GIL, the one simulated so far, was written to end that
        battle.

        Below, the notebook's two fibonacci threads run under both designs,
        in turns, in one run. The old GIL gives the others a chance every
        300 calls of the simulated fibonacci, about as long as 100 bytecodes
        take CPython by the notebook's own figure: its fibonacci(34) ran
        18.5 million calls of about eleven bytecodes each in 2.38 s, some
        11 ns a bytecode (CPython 3.1 on a 2010 machine was slower, if
        anything).
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
    /// No battle, and this process has one core: there is no other core for
    /// the waiter to wake up on.
    OneCore,
    /// No battle, and the machine was too busy to give two threads two
    /// cores.
    Busy,
    /// No battle although two cores were free.
    NoBattle,
}

/// How much slower than in a row the old GIL's threads must be, and how
/// much worse than the new GIL's, to call it a battle.
pub const BATTLE_RATIO: f64 = 1.2;

/// Reads the two ratios (threads against in a row) and what the machine
/// gave two busy threads.
pub fn verdict(old_ratio: f64, new_ratio: f64, share: &CpuShare) -> Verdict {
    if old_ratio >= BATTLE_RATIO && old_ratio >= new_ratio * BATTLE_RATIO {
        Verdict::Battle
    } else if !share.parallel() {
        Verdict::OneCore
    } else if share.busy() {
        Verdict::Busy
    } else {
        Verdict::NoBattle
    }
}

/// The sentences for a verdict, with the figures they rest on.
pub fn explain(verdict: Verdict, old: &DesignRun, new: &DesignRun) -> String {
    let (old_ratio, new_ratio) = (old.ratio(), new.ratio());
    let beazley = BEAZLEY_TWO_THREADS / BEAZLEY_IN_A_ROW;
    let failed = units::count(old.stats.failed_acquisitions);
    match verdict {
        Verdict::Battle => format!(
            "The battle shows: under the old GIL two threads took {old_ratio:.2}× \
             as long as the same work in a row (Beazley: {beazley:.2}×), under \
             the new one {new_ratio:.2}×. The waiter was woken {failed} times \
             to find the GIL taken again{}.",
            burned(old.threads.cpu_per_wall_reading())
        ),
        Verdict::OneCore => format!(
            "No battle ({old_ratio:.2}× under the old GIL, {new_ratio:.2}× under \
             the new): this process has one core, so the waiter can only run \
             when the holder is paused, often just after its signal, with the \
             GIL free. The battle needs two cores."
        ),
        Verdict::Busy => format!(
            "No battle this time ({old_ratio:.2}× under the old GIL, \
             {new_ratio:.2}× under the new): the machine is busy, so the two \
             threads mostly took turns on one core, where the waiter, woken by \
             the signal, often runs while the GIL is free. Run it again on an \
             idle machine."
        ),
        Verdict::NoBattle => format!(
            "No battle here: two threads took {old_ratio:.2}× as long as in a \
             row under the old GIL, {new_ratio:.2}× under the new, though the \
             old one's waiter failed {failed} times. A failure probably costs \
             this simulation less than it cost CPython: here the lock is all \
             the two threads share, where CPython's waking thread also pulled \
             the interpreter's own data over to its core."
        ),
    }
}

/// Above this CPU/wall, two threads under a GIL used more than the one core
/// a GIL allows for the work: the rest went on waking up for nothing.
pub const BURNED: f64 = 1.1;

/// The end of the battle's sentence: what the CPU time says, if anything
/// (only if even the least a coarse CPU clock's reading allows is more).
fn burned(cpu_per_wall: Option<CpuPerWall>) -> String {
    match cpu_per_wall {
        Some(r) if r.least > BURNED => format!(
            ", and the threads used {r} s of CPU per second: more than the \
             one core the GIL lets work, spent waking up to lose"
        ),
        _ => String::new(),
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
    let share = CpuShare::measure(2);
    let calls = 2 * fib_calls(n);
    // The time between checks, from the CPU time of the lone thread's run
    // (a busy machine stretches its wall time, not its CPU time), or from
    // its wall time where the CPU clock is too coarse for it.
    let one_thread = old.in_a_row.cpu_precise().unwrap_or(old.in_a_row.wall);
    let checks = u32::try_from(calls / u64::from(CHECK_INTERVAL)).unwrap_or(u32::MAX);
    let between_checks = one_thread / checks.max(1);
    out.line(reflow(&format!(
        "Two calls of fib({n}), {} calls in all; each figure is the middle of \
         {ROUNDS} runs. The old GIL checks every {CHECK_INTERVAL} calls: every \
         {} here (CPython's {CPYTHON_CHECK_INTERVAL} ticks: about 1 µs).",
        units::count(calls),
        out.time(between_checks)
    )));
    out.blank();
    out.table(&figures(&old, &new, out));
    out.line("  CPU: the two threads' CPU time; ratio: 2 threads / in a row");
    out.line("  failed: a waiter woken by a release found the GIL taken again");
    out.blank();
    for (run, name) in [(&old, "The old GIL"), (&new, "The new GIL")] {
        out.line(format!("{name}, two threads:"));
        out.timeline(&run.timeline);
        out.blank();
    }
    share.report(out);
    out.verdict(explain(
        verdict(old.ratio(), new.ratio(), &share),
        &old,
        &new,
    ));
    Ok(())
}

/// The side-by-side table, with Beazley's published figures last.
fn figures(old: &DesignRun, new: &DesignRun, out: &Out) -> Table {
    let mut table = Table::new([
        "GIL",
        "in a row",
        "2 threads",
        "CPU",
        "ratio",
        "hand-overs",
        "failed",
    ]);
    for (name, run) in [("old (3.1)", old), ("new (3.2+)", new)] {
        table.push([
            name.to_owned(),
            out.time(run.in_a_row.wall),
            out.time(run.threads.wall),
            out.cpu_time(&run.threads),
            out.ratio(run.ratio()),
            out.count(run.stats.switches),
            out.count(run.stats.failed_acquisitions),
        ]);
    }
    table.push([
        "Beazley, old GIL".to_owned(),
        format!("{BEAZLEY_IN_A_ROW} s"),
        format!("{BEAZLEY_TWO_THREADS} s"),
        "-".into(),
        units::ratio(BEAZLEY_TWO_THREADS / BEAZLEY_IN_A_ROW),
        "-".into(),
        "-".into(),
    ]);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(cores: usize, usable: f64) -> CpuShare {
        CpuShare {
            threads: 2,
            cores,
            usable: Some(usable),
        }
    }

    #[test]
    fn a_clear_slowdown_is_a_battle_on_any_machine() {
        assert_eq!(verdict(1.7, 1.0, &share(2, 1.9)), Verdict::Battle);
        assert_eq!(verdict(1.7, 1.0, &share(2, 1.1)), Verdict::Battle);
        assert_eq!(verdict(1.25, 1.02, &share(1, 1.0)), Verdict::Battle);
    }

    #[test]
    fn no_slowdown_is_blamed_on_the_machine_only_when_it_deserves_it() {
        assert_eq!(verdict(1.05, 1.0, &share(2, 1.2)), Verdict::Busy);
        assert_eq!(verdict(1.05, 1.0, &share(2, 1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.05, 1.0, &share(1, 1.0)), Verdict::OneCore);
        let unknown = CpuShare {
            usable: None,
            ..share(2, 0.0)
        };
        assert_eq!(verdict(1.05, 1.0, &unknown), Verdict::NoBattle);
    }

    #[test]
    fn cpu_beyond_one_core_is_called_waking_up_to_lose() {
        let exact = |r| Some(CpuPerWall::exact(r));
        assert!(burned(exact(1.35)).contains("spent waking up to lose"));
        assert!(burned(exact(1.11)).contains("1.11 s of CPU"));
        assert_eq!(burned(exact(1.09)), "");
        assert_eq!(burned(None), "");
        // A coarse reading that may be one core's worth proves nothing.
        let coarse = CpuPerWall {
            ratio: 1.4,
            least: 0.9,
            most: 1.9,
        };
        assert_eq!(burned(Some(coarse)), "");
    }

    #[test]
    fn a_slowdown_the_new_gil_shares_is_not_the_battle() {
        // Both designs slowed down alike: the machine, not the old GIL.
        assert_eq!(verdict(1.3, 1.25, &share(2, 1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.3, 1.25, &share(2, 1.0)), Verdict::Busy);
        // Just under and just over the threshold.
        assert_eq!(verdict(1.19, 0.9, &share(2, 1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.21, 1.0, &share(2, 1.9)), Verdict::Battle);
        assert_eq!(verdict(1.3, 1.09, &share(2, 1.9)), Verdict::NoBattle);
        assert_eq!(verdict(1.3, 1.08, &share(2, 1.9)), Verdict::Battle);
    }
}
