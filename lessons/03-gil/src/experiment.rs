//! Section `experiment`: the notebook's experiment, under the simulated GIL and
//! without it.

use std::time::Duration;

use std::hint::black_box;

use workshop::bench::{best_of_each, per_op, side_by_side, usable_cores};
use workshop::{Ctx, Measurement, Out, Outcome, Section, Table, Timeline};

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
        so the sizes differ (the notebook's figures are in the last column);
        what to compare are the ratios, and CPU time against wall time.

        Under the GIL, two threads take as long as doing the work twice in a
        row, and the CPU time equals the wall time: only one core ever works.
        Then the same two threads run as plain Rust threads, without a GIL:
        the wall time falls toward half, and the CPU time is twice the wall
        time, two cores at work.
    ",
    python: r#"
        %time fibonacci(34)          # 2.38 s
        %time super_expensive(34)    # twice in a row: 4.89 s

        one = threading.Thread(target=fibonacci, args=(34,))
        two = threading.Thread(target=fibonacci, args=(34,))
        one.start(); two.start()
        one.join(); two.join()       # 4.91 s
    "#,
    rust: r#"
        run_threads(gil, &["main"], |py, _| py_fib(py, n));
        run_threads(gil, &["main"], |py, _| (py_fib(py, n), py_fib(py, n)));

        run_threads(gil, &["thread-1", "thread-2"], |py, _| py_fib(py, n));
        run_threads_without_gil(&["thread-1", "thread-2"], |rust, _| py_fib(rust, n));
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

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let n = crate::fib_size(ctx.quick());
    let interval = crate::switch_interval(ctx.settings());
    let e = run_experiment(n, interval);
    out.line(format!(
        "Each run repeated {RUNS} times; the table keeps the fastest of each."
    ));
    let mut table = Table::new([
        format!("fib({n})"),
        "wall".into(),
        "CPU".into(),
        "CPU/wall".into(),
        "notebook, fib(34)".into(),
    ]);
    for (what, m, notebook) in [
        ("once, GIL", &e.once, "2.38 s"),
        ("twice in a row, GIL", &e.twice, "4.89 s"),
        ("two threads, GIL", &e.threads_gil, "4.91 s"),
        ("two threads, no GIL", &e.threads_free, "-"),
    ] {
        table.push([
            what.to_owned(),
            out.time(m.wall),
            out.cpu_time(m),
            out.cpu_per_wall(m),
            notebook.to_owned(),
        ]);
    }
    out.table(&table);
    out.line(format!(
        "Under the GIL, two threads took {} the time of two calls in a row (the notebook: 1.00×), and the GIL changed hands {} times.",
        out.ratio(e.gil_ratio()),
        out.count(e.switches)
    ));
    out.line(format!(
        "Without it, the same two threads were {} faster: the physical limit here is {} cores.",
        out.ratio(e.free_speedup()),
        out.measured(available_cores(), "[cores]")
    ));
    report_usable_cores(out);
    // The words follow the figure, so they are redacted with it.
    let verdict = if e.check_point_cost <= 1.15 {
        "a check point at every call is cheap"
    } else {
        "more than the usual 15% or less, so something else on this machine took its share"
    };
    out.line(format!(
        "A lone thread ran {} as long under the GIL as without one: {}.",
        out.ratio(e.check_point_cost),
        out.measured(verdict, "[verdict]")
    ));
    out.blank();
    python::compare_if_asked(ctx, &e)
}

/// Says how much CPU two busy threads get right now, so that a busy
/// laptop explains a disappointing speedup instead of hiding it.
pub fn report_usable_cores(out: &Out) {
    if let Some(cores) = usable_cores(2, Duration::from_millis(100)) {
        out.line(format!(
            "(Right now, two busy threads get {} cores' worth of CPU here; other programs take the rest.)",
            out.measured(format!("{cores:.2}"), "[cores]")
        ));
    }
}

/// The cores this process may use.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
