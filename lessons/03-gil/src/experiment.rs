//! Section `experiment`: the notebook's experiment, under the simulated GIL and
//! without it.

use std::time::Duration;

use std::hint::black_box;

use workshop::bench::{CpuShare, best_of_each, per_op, side_by_side};
use workshop::{CpuPerWall, Ctx, Measurement, Outcome, Section, Table, Timeline};

use crate::gil::{Gil, NoGil, py_fib, run_threads, run_threads_without_gil};
use crate::python;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "experiment",
    title: "The workshop's experiment: fibonacci on two threads",
    explain: "
        The notebook timed `fibonacci(34)` once, twice in a row, and as two
        calls on two threads. Here is the same experiment in our simulated
        interpreter: a fibonacci that checks the GIL at every call, as
        CPython's eval loop does. Compiled Rust is much faster than CPython,
        so the sizes differ (the notebook's wall and CPU times are in the
        last two columns); what to compare are the ratios, and CPU time
        against wall time.

        In the notebook, two threads took as long as the two calls in a row
        (4.91 s against 4.89 s of wall time), and their CPU time (4.86 s) was
        no more than the wall time: one core's worth of work. Then the same
        two threads run here as plain Rust threads, without a GIL: with two
        free cores, the wall time should fall toward half and the CPU time
        rise toward twice the wall time.
    ",
    python: r#"
        %time fibonacci(34)          # CPU 2.38 s, wall 2.39 s
        %time super_expensive(34)    # in a row: CPU 4.83 s, wall 4.89 s

        one = threading.Thread(target=fibonacci, args=(34,))
        two = threading.Thread(target=fibonacci, args=(34,))
        one.start(); two.start()
        one.join(); two.join()       # CPU 4.86 s, wall 4.91 s
    "#,
    rust: r#"
        run_threads(gil, &["main"], |py, _| py_fib(py, n));
        run_threads(gil, &["main"], |py, _| (py_fib(py, n), py_fib(py, n)));

        run_threads(gil, &["thread-1", "thread-2"], |py, _| py_fib(py, n));
        run_threads_without_gil(&["thread-1", "thread-2"],
            |rust, _| py_fib(rust, n));
    "#,
    run,
};

/// The four runs, each measured with wall and CPU time.
pub struct Experiment {
    /// `fib(n)` once, under the GIL.
    pub once: Measurement,
    /// Twice in a row, under the GIL.
    pub twice: Measurement,
    /// Two threads sharing one GIL.
    pub threads_gil: Measurement,
    /// Two plain Rust threads, no GIL.
    pub threads_free: Measurement,
    /// How many times the GIL changed hands between the two threads, per
    /// run.
    pub switches: u64,
    /// One thread under an uncontended GIL against no GIL at all, measured
    /// side by side: what the check points cost.
    pub check_point_cost: f64,
}

impl Experiment {
    /// Two threads under the GIL against the same work in a row.
    pub fn gil_ratio(&self) -> f64 {
        self.threads_gil.wall.as_secs_f64() / self.twice.wall.as_secs_f64()
    }

    /// How much faster two threads without a GIL did the work of two calls.
    pub fn free_speedup(&self) -> f64 {
        self.twice.wall.as_secs_f64() / self.threads_free.wall.as_secs_f64()
    }
}

/// How many times each run is repeated; the lesson keeps the fastest.
pub const RUNS: usize = 3;

/// The notebook's `%time fibonacci(n)`, under the GIL.
fn once(gil: &Gil, n: u32) {
    run_threads(gil, &["main"], |py, _| py_fib(py, n));
}

/// `super_expensive(n)`: the same call twice in a row.
fn twice_in_a_row(gil: &Gil, n: u32) {
    run_threads(gil, &["main"], |py, _| (py_fib(py, n), py_fib(py, n)));
}

/// The two calls on two threads sharing the GIL.
fn two_threads(gil: &Gil, n: u32) {
    run_threads(gil, &["thread-1", "thread-2"], |py, _| py_fib(py, n));
}

/// The two calls on two plain Rust threads: no GIL anywhere.
fn two_threads_without_gil(n: u32) {
    run_threads_without_gil(&["thread-1", "thread-2"], |rust, _| py_fib(rust, n));
}

/// Runs the experiment with `fib(n)` and the given switch interval: the
/// four configurations take turns for [`RUNS`] rounds, and each keeps its
/// fastest run, so a burst of noise costs one run of each, not all of one.
pub fn run_experiment(n: u32, interval: Duration) -> Experiment {
    let gil = Gil::new(interval, Timeline::new());
    let threaded = Gil::new(interval, Timeline::new());
    let [once, twice, threads_gil, threads_free] = best_of_each(
        RUNS,
        &mut [
            &mut || once(&gil, n),
            &mut || twice_in_a_row(&gil, n),
            &mut || two_threads(&threaded, n),
            &mut || two_threads_without_gil(n),
        ],
    )[..] else {
        unreachable!("best_of_each measures every variant")
    };
    Experiment {
        once,
        twice,
        threads_gil,
        threads_free,
        switches: threaded.stats().switches / RUNS as u64,
        check_point_cost: check_point_cost(n.saturating_sub(3)),
    }
}

/// A lone thread under the GIL against the same code with no GIL, in
/// interleaved rounds: the cost of a check point at every call.
pub fn check_point_cost(n: u32) -> f64 {
    let gil = Gil::new(crate::gil::DEFAULT_INTERVAL, Timeline::new());
    let timings = side_by_side(
        5,
        &mut [
            ("GIL", &mut || {
                run_threads(&gil, &["main"], |py, _| {
                    per_op(1, || {
                        black_box(py_fib(py, n));
                    })
                })[0]
            }),
            ("no GIL", &mut || {
                per_op(1, || {
                    black_box(py_fib(&NoGil, n));
                })
            }),
        ],
    );
    timings[0].ratio_to(&timings[1])
}

/// The notebook's `%time` figures for `fibonacci(34)`: what, wall, CPU.
pub const NOTEBOOK: [(&str, &str, &str); 3] = [
    ("once", "2.39 s", "2.38 s"),
    ("twice in a row", "4.89 s", "4.83 s"),
    ("two threads", "4.91 s", "4.86 s"),
];

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let n = crate::fib_size(ctx.quick());
    let interval = crate::switch_interval(ctx.settings());
    let _measuring = out.progress(format!(
        "measuring: fib({n}) once, twice, and on two threads"
    ));
    let e = run_experiment(n, interval);
    let share = CpuShare::measure(2);
    out.line(format!(
        "Each run repeated {RUNS} times; the table keeps the fastest of each."
    ));
    let mut table = Table::new([
        format!("fib({n})"),
        "wall".into(),
        "CPU".into(),
        "CPU/wall".into(),
        "notebook wall".into(),
        "notebook CPU".into(),
    ]);
    let runs = [
        ("once, GIL", &e.once),
        ("twice in a row, GIL", &e.twice),
        ("two threads, GIL", &e.threads_gil),
        ("two threads, no GIL", &e.threads_free),
    ];
    for (i, (what, m)) in runs.into_iter().enumerate() {
        let (wall, notebook_cpu) = NOTEBOOK.get(i).map_or(("-", "-"), |r| (r.1, r.2));
        table.push([
            what.to_owned(),
            out.time(m.wall),
            out.cpu_time(m),
            out.cpu_per_wall(m),
            wall.to_owned(),
            notebook_cpu.to_owned(),
        ]);
    }
    out.table(&table);
    out.line("(The notebook ran fib(34) in its CPython; sizes differ, ratios compare.)");
    out.line(format!(
        "Under the GIL, two threads took {} the time of two calls in a row",
        out.ratio(e.gil_ratio())
    ));
    out.line(format!(
        "(the notebook: 1.00×), and the GIL changed hands {} times.",
        out.count(e.switches)
    ));
    out.verdict(gil_verdict(
        e.gil_ratio(),
        e.threads_gil.cpu_per_wall_reading(),
        &share,
    ));
    out.line(format!(
        "Without the GIL, the same two threads were {} as fast.",
        out.ratio(e.free_speedup())
    ));
    share.report(out);
    out.verdict(free_verdict(e.free_speedup(), &share));
    out.line(format!(
        "A lone thread ran {} as long under the GIL as without one.",
        out.ratio(e.check_point_cost)
    ));
    out.verdict(check_point_verdict(e.check_point_cost));
    out.blank();
    python::compare_if_asked(ctx, &e, &share)
}

/// Within this of 1.00×, two threads under the GIL took as long as the
/// work in a row (the notebook's 4.91 s against 4.89 s is 1.004×).
const SAME_TIME: f64 = 0.10;

/// What two threads under the GIL did, against the same calls in a row
/// (`ratio`), with their CPU time per wall second (more than one core's
/// worth only if even the least the CPU clock allows is more).
pub fn gil_verdict(ratio: f64, cpu_per_wall: Option<CpuPerWall>, share: &CpuShare) -> String {
    let pace = if ratio < 1.0 - SAME_TIME {
        if share.busy() {
            "They came out faster than the calls in a row, which one GIL cannot \
             allow: the machine is busy, and it gave the run in a row less CPU."
        } else {
            "They came out faster than the calls in a row, which one GIL cannot \
             allow: the run in a row must have been slowed by something else."
        }
    } else if ratio <= 1.0 + SAME_TIME {
        "No faster than one thread doing both calls, as in the notebook."
    } else if share.busy() {
        "Slower than one thread doing both calls, and the machine is busy: \
         part of that is time spent waiting for a core."
    } else {
        "Slower than one thread doing both calls: at every hand-over one \
         thread goes to sleep and the other has to be woken up, which cost \
         more here than in the notebook's CPython (1.00×)."
    };
    let cores = match cpu_per_wall {
        Some(r) if r.least <= 1.2 => format!(
            " Their CPU time per wall second was {r}: one core's worth, \
             like the notebook's 4.86 s of CPU in 4.91 s."
        ),
        Some(r) => format!(
            " Yet their CPU time per wall second was {r}, more than one \
             core's worth: a thread waiting for the GIL should not burn CPU."
        ),
        None => String::new(),
    };
    format!("{pace}{cores}")
}

/// Two free cores give two threads at most 2×; this much counts as close.
const NEAR_TWO: f64 = 1.7;
/// Below this, two threads did not really run faster than one.
const NO_GAIN: f64 = 1.15;

/// What the speedup of two plain Rust threads says, given the CPU the
/// machine was giving.
pub fn free_verdict(speedup: f64, share: &CpuShare) -> String {
    if !share.parallel() {
        return "This machine lets the lesson use one core, so two threads \
                cannot run at the same time: no speedup was possible."
            .to_owned();
    }
    if share.busy() {
        return format!(
            "Other programs were using the machine, so this {speedup:.2}× says \
             more about them than about threads; run it again when it is quiet."
        );
    }
    let verdict = if speedup >= NEAR_TWO {
        "Close to the 2× that two cores allow: both cores were computing."
    } else if speedup >= NO_GAIN {
        "Faster, but short of the 2× that two cores allow: the threads \
         shared the cores with other work for part of the run."
    } else {
        "Hardly faster, though two busy threads got two cores just now: \
         the cores were taken while the threads ran."
    };
    verdict.to_owned()
}

/// Above this, the check points cost more than a relaxed load per call
/// should: something else on the machine took its share of one run.
const CHEAP_CHECKS: f64 = 1.15;

/// What the cost of a check point at every call says.
pub fn check_point_verdict(cost: f64) -> String {
    if cost < 1.01 {
        "A check point at every call costs next to nothing.".to_owned()
    } else if cost <= CHEAP_CHECKS {
        format!(
            "A check point at every call is cheap: {:.0}% here.",
            (cost - 1.0) * 100.0
        )
    } else {
        format!(
            "That is {:.0}% more, more than one relaxed load per call should \
             cost: something else on the machine slowed one of the runs.",
            (cost - 1.0) * 100.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_gil_verdict_follows_the_ratio() {
        let idle = share(1.95);
        let exact = |r| Some(CpuPerWall::exact(r));
        assert!(gil_verdict(1.004, exact(0.99), &idle).starts_with("No faster"));
        assert!(gil_verdict(1.09, None, &idle).starts_with("No faster"));
        assert!(gil_verdict(1.15, None, &idle).contains("woken up"));
        assert!(gil_verdict(1.15, None, &share(1.2)).contains("waiting for a core"));
        assert!(gil_verdict(0.85, None, &idle).contains("something else"));
        assert!(gil_verdict(0.85, None, &share(1.0)).contains("machine is busy"));
        assert!(gil_verdict(1.0, exact(1.0), &idle).contains("one core's worth"));
        assert!(gil_verdict(1.0, exact(1.3), &idle).contains("more than one core"));
        // A coarse reading that might be one core's worth is not blamed.
        let coarse = CpuPerWall {
            ratio: 1.4,
            least: 0.9,
            most: 1.9,
        };
        let said = gil_verdict(1.0, Some(coarse), &idle);
        assert!(said.contains("was 0.9–1.9: one core's worth"), "{said}");
    }

    #[test]
    fn the_free_verdict_follows_the_speedup_and_the_machine() {
        assert!(free_verdict(1.76, &share(1.98)).starts_with("Close to the 2×"));
        assert!(free_verdict(1.69, &share(1.98)).starts_with("Faster, but short"));
        assert!(free_verdict(1.16, &share(1.98)).starts_with("Faster, but short"));
        assert!(free_verdict(1.14, &share(1.98)).starts_with("Hardly faster"));
        // The --quick run that got 1.24× while two threads got 0.69 cores.
        assert!(free_verdict(1.24, &share(0.69)).starts_with("Other programs"));
        let one_core = CpuShare {
            cores: 1,
            ..share(1.0)
        };
        assert!(free_verdict(1.0, &one_core).contains("one core"));
    }

    #[test]
    fn the_check_point_verdict_has_a_busy_branch() {
        assert!(check_point_verdict(1.004).contains("next to nothing"));
        assert!(check_point_verdict(1.15).contains("cheap: 15% here"));
        assert!(check_point_verdict(1.17).contains("something else"));
    }
}
