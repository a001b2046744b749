//! Section `marks`: the notebook's `_` and `*` marks, under a GIL and
//! without one.

use std::time::{Duration, Instant};

use parking_lot::Mutex;
use workshop::python::Script;
use workshop::workloads::Marks;
use workshop::{Ctx, Outcome, Section, Table, Timeline, units};

use crate::gil::{CheckPoint, Gil, run_threads, run_threads_without_gil};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "marks",
    title: "Are threads sequential? The notebook's marks",
    explain: "
        Two threads gained nothing, so the notebook asked: maybe threads are
        sequential? Its test gives each thread a fibonacci that writes a mark
        at every call, `_` for one thread and `*` for the other, and runs
        `super_expensive(15)`: if the threads took turns, the marks mix.

        Below, the same marks three ways: on two Rust threads without a GIL,
        on two simulated Python threads sharing our GIL (a check point at
        every call, switch interval 5 ms), and, with --compare-python, in
        real CPython. Each runs three times; the table gives how often the
        screen passed from one mark to the other, the longest unbroken run,
        and the longest time one run took.
    ",
    python: r#"
        def fibonacci(n, message):
            sys.stdout.write(message)
            if n < 2:
                return n
            return fibonacci(n - 1, message) + fibonacci(n - 2, message)

        thread_one = threading.Thread(target=fibonacci, args=(15, "_"))
        thread_two = threading.Thread(target=fibonacci, args=(15, "*"))
    "#,
    rust: r#"
        pub fn py_fib_marking(py: &impl CheckPoint, n: u32,
                              mark: char, screen: &Screen) -> u64 {
            py.check();
            screen.lock().push(mark);
            if n < 2 {
                return u64::from(n);
            }
            py_fib_marking(py, n - 1, mark, screen)
                + py_fib_marking(py, n - 2, mark, screen)
        }
    "#,
    run,
};

/// The notebook's argument: `super_expensive(15)`.
pub const N: u32 = 15;

/// How many times each way runs.
pub const ROUNDS: usize = 3;

/// The shared screen the marks go to.
pub type Screen = Mutex<String>;

/// The notebook's marking fibonacci as simulated Python: a check point and
/// a mark at every call.
pub fn py_fib_marking(py: &impl CheckPoint, n: u32, mark: char, screen: &Screen) -> u64 {
    py.check();
    screen.lock().push(mark);
    if n < 2 {
        return u64::from(n);
    }
    py_fib_marking(py, n - 1, mark, screen) + py_fib_marking(py, n - 2, mark, screen)
}

/// One run's marks, and how long the run took.
#[derive(Clone, Debug)]
pub struct Run {
    /// What the screen showed.
    pub marks: Marks,
    /// From starting the threads to joining them.
    pub wall: Duration,
}

const NAMES: [&str; 2] = ["thread-one", "thread-two"];
const MARKS: [char; 2] = ['_', '*'];

/// Two simulated Python threads marking one screen under a GIL with this
/// switch interval.
pub fn under_the_gil(n: u32, interval: Duration) -> Run {
    let gil = Gil::new(interval, Timeline::new());
    let screen = Screen::default();
    let start = Instant::now();
    run_threads(&gil, &NAMES, |py, i| {
        py_fib_marking(py, n, MARKS[i], &screen)
    });
    finish(&screen, start)
}

/// The same two threads as plain Rust threads, without a GIL.
pub fn without_a_gil(n: u32) -> Run {
    let screen = Screen::default();
    let start = Instant::now();
    run_threads_without_gil(&NAMES, |rust, i| py_fib_marking(rust, n, MARKS[i], &screen));
    finish(&screen, start)
}

fn finish(screen: &Screen, start: Instant) -> Run {
    let wall = start.elapsed();
    Run {
        marks: Marks::read(&screen.lock()),
        wall,
    }
}

/// The CPython script: the notebook's cell, run [`ROUNDS`] times.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "marks.py")
}

/// Reads what `marks.py` printed: a line `alone S`, then per round a line
/// of marks and a line `seconds S`.
pub fn read_python(text: &str) -> Result<(Duration, Vec<Run>), String> {
    let seconds = |line: Option<&str>, key: &str| {
        line.and_then(|l| l.strip_prefix(key))
            .and_then(|s| s.trim().parse::<f64>().ok())
            .map(Duration::from_secs_f64)
            .ok_or_else(|| format!("marks.py printed no `{}` where expected", key.trim()))
    };
    let mut lines = text.lines();
    let alone = seconds(lines.next(), "alone ")?;
    let mut runs = Vec::new();
    while let Some(screen) = lines.next() {
        runs.push(Run {
            marks: Marks::read(screen),
            wall: seconds(lines.next(), "seconds ")?,
        });
    }
    Ok((alone, runs))
}

/// How long one thread's marking fibonacci takes alone, under a GIL with
/// this interval (or none).
pub fn alone(n: u32, interval: Option<Duration>) -> Duration {
    let screen = Screen::default();
    let start = Instant::now();
    match interval {
        Some(interval) => {
            let gil = Gil::new(interval, Timeline::new());
            run_threads(&gil, &["main"], |py, _| py_fib_marking(py, n, '_', &screen));
        }
        None => {
            run_threads_without_gil(&["main"], |rust, _| py_fib_marking(rust, n, '_', &screen));
        }
    }
    start.elapsed()
}

/// A screen counts as mixed when the marks passed from one thread to the
/// other more than this (one switch is one thread, then the other).
const SEQUENTIAL: usize = 2;

/// What one way's runs say about taking turns: `alone` is how long one
/// thread's fibonacci takes by itself, `interval` the GIL's switch
/// interval (`None` without a GIL).
pub fn verdict(who: &str, runs: &[Run], alone: Duration, interval: Option<Duration>) -> String {
    let mixed = runs
        .iter()
        .filter(|r| r.marks.switches > SEQUENTIAL)
        .count();
    let alone = units::duration(alone);
    let (n, of) = (mixed, runs.len());
    match interval {
        Some(interval) => {
            let patience = units::duration(interval);
            let said = match n {
                0 => format!(
                    "{who}: one thread's marks, then the other's, in every run: it \
                     looks sequential, as the notebook suspected."
                ),
                n if n == of => format!(
                    "{who}: the marks mixed in every run: the GIL changed hands \
                     while they ran."
                ),
                n => format!(
                    "{who}: the marks mixed in {n} of {of} runs, where the GIL \
                     changed hands; in the others they look sequential."
                ),
            };
            format!(
                "{said} One fib({N}) alone took {alone}; a thread waiting for \
                 the GIL lets {patience} pass before it asks for a turn."
            )
        }
        None => match n {
            0 => format!(
                "{who}: one thread's marks, then the other's, in every run: the \
                 first thread finished its fib({N}) ({alone} alone) before the \
                 second got going."
            ),
            n if n == of => format!(
                "{who}: the marks mixed in every run: the two threads marked \
                 the screen at the same time."
            ),
            n => format!(
                "{who}: the marks mixed in {n} of {of} runs; in the others one \
                 thread finished its fib({N}) ({alone} alone) before the other \
                 got going."
            ),
        },
    }
}

fn row(table: &mut Table, ctx: &Ctx, who: &str, runs: &[Run]) {
    let out = &ctx.out;
    let list = |f: &dyn Fn(&Run) -> usize| {
        let all: Vec<String> = runs.iter().map(|r| units::count(f(r) as u64)).collect();
        out.measured(all.join(", "), "[counts]")
    };
    let longest = runs.iter().map(|r| r.wall).max().unwrap_or_default();
    table.push([
        who.to_owned(),
        list(&|r| r.marks.switches),
        list(&|r| r.marks.longest_run),
        out.time(longest),
    ]);
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let interval = crate::switch_interval(ctx.settings());
    let free: Vec<Run> = (0..ROUNDS).map(|_| without_a_gil(N)).collect();
    let gil: Vec<Run> = (0..ROUNDS).map(|_| under_the_gil(N, interval)).collect();
    let calls = units::count(workshop::workloads::fib_calls(N));
    out.line(format!(
        "fib({N}) on two threads, {calls} marks each, {ROUNDS} runs of each way:"
    ));
    let header = ["two threads", "switches", "longest run", "slowest run"];
    let mut table = Table::new(header);
    row(&mut table, ctx, "Rust, no GIL", &free);
    row(&mut table, ctx, "simulated GIL", &gil);
    out.table(&table);
    let free_alone = alone(N, None);
    let gil_alone = alone(N, Some(interval));
    out.verdict(verdict("Without a GIL", &free, free_alone, None));
    out.verdict(verdict(
        "Under the simulated GIL",
        &gil,
        gil_alone,
        Some(interval),
    ));
    out.blank();
    workshop::python::compare(ctx, &script(), |python, script| {
        let args = [N.to_string(), ROUNDS.to_string()];
        let report = python.run(&script.path, &args, Duration::from_secs(60))?;
        let (cpython_alone, cpython) = read_python(report.text())?;
        let mut table = Table::new(header);
        row(&mut table, ctx, &python.describe(), &cpython);
        row(&mut table, ctx, "simulated GIL", &gil);
        row(&mut table, ctx, "Rust, no GIL", &free);
        out.table(&table);
        let gil_interval = python.gil_enabled.then_some(crate::gil::DEFAULT_INTERVAL);
        out.verdict(verdict("CPython", &cpython, cpython_alone, gil_interval));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn run_of(screen: &str) -> Run {
        Run {
            marks: Marks::read(screen),
            wall: MS,
        }
    }

    #[test]
    fn under_a_gil_the_verdict_counts_the_mixed_runs() {
        let gil = Some(MS * 5);
        let sequential = [run_of("___***"), run_of("**__")];
        let said = verdict("CPython", &sequential, MS, gil);
        assert!(said.contains("looks sequential, as the notebook"), "{said}");
        assert!(
            said.contains("alone took 1.00 ms; a thread waiting"),
            "{said}"
        );
        // The loaded run where CPython's marks switched 4, 1,223 and 5 times.
        let mixed = [run_of("_*_*_*"), run_of("__**__**"), run_of("_*_*")];
        let said = verdict("CPython", &mixed, MS, gil);
        assert!(
            said.contains("mixed in every run: the GIL changed hands"),
            "{said}"
        );
        let some = [run_of("_*_*_*"), run_of("___***")];
        assert!(verdict("CPython", &some, MS, gil).contains("mixed in 1 of 2 runs"));
        // Two switches (one thread interrupted once) still read as sequential.
        let twice = [run_of("__**__"), run_of("_*_*")];
        assert!(verdict("CPython", &twice, MS, gil).contains("mixed in 1 of 2 runs"));
    }

    #[test]
    fn without_a_gil_mixed_means_at_the_same_time() {
        let mixed = [run_of("_*_*_*"), run_of("__**__**")];
        let said = verdict("Rust", &mixed, MS, None);
        assert!(said.contains("at the same time"), "{said}");
        let some = [run_of("_*_*_*"), run_of("___***")];
        assert!(verdict("Rust", &some, MS, None).contains("mixed in 1 of 2 runs"));
        let none = [run_of("___***")];
        assert!(verdict("Rust", &none, MS, None).contains("before the second got going"));
    }

    #[test]
    fn the_python_report_is_read_round_by_round() {
        let text = "alone 0.0009\n__**\nseconds 0.0012\n*_*_\nseconds 0.002\n";
        let (alone, runs) = read_python(text).unwrap();
        assert_eq!(alone, Duration::from_micros(900));
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1].marks.switches, 3);
        assert_eq!(runs[0].wall, Duration::from_micros(1200));
        assert!(read_python("alone 0.1\n__**\n").is_err());
        assert!(read_python("__**\nseconds 0.1\n").is_err());
    }
}
