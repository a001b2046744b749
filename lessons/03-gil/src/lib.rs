//! # Lesson 03 · gil: why two threads didn't make fibonacci faster
//!
//! The workshop's central experiment: `fibonacci(34)` took 2.39 s of wall
//! time, twice in a row 4.89 s, and on two threads 4.91 s. Rust has no GIL, so this lesson
//! builds one ([`gil`], modelled on CPython's `ceval_gil.c`), runs the same
//! experiment under it, and then takes it away. One module per section:
//!
//! 1. [`kinds`] — concurrency vs parallelism; CPU-bound vs I/O-bound
//! 2. [`experiment`] — the notebook's fibonacci, with and without the GIL
//! 3. [`marks`] — the notebook's `_` and `*` marks: are threads sequential?
//! 4. [`watch`] — the GIL passing between two threads, on a timeline
//! 5. [`io_bound`] — threads that wait release the GIL
//! 6. [`interval`] — the switch interval knob
//! 7. [`old_gil`] — the GIL before Python 3.2, and its battle on two cores
//! 8. [`convoy`] — an I/O thread stuck behind a CPU-bound one
//! 9. [`amdahl`] — Amdahl's law, predicted and measured
//! 10. [`no_hybrids`] — why an interpreter needs a lock at all
//! 11. [`way_out`] — processes, and Python without a GIL
//!
//! The exercises are in [`exercises`] (the file you edit) and their
//! reference solutions in [`solutions`].

pub mod amdahl;
pub mod convoy;
pub mod exercises;
pub mod experiment;
pub mod gil;
pub mod interval;
pub mod io_bound;
pub mod kinds;
pub mod marks;
pub mod no_hybrids;
pub mod old_gil;
pub mod python;
pub mod solutions;
pub mod watch;
pub mod way_out;

use std::time::Duration;

use workshop::flag::Millis;
use workshop::{Child, Flag, Lesson, Settings};

/// The lesson, as `cargo run -p gil`, `cargo xtask all` and the snapshot
/// tests run it.
pub static LESSON: Lesson = Lesson {
    name: env!("CARGO_PKG_NAME"),
    manifest_dir: env!("CARGO_MANIFEST_DIR"),
    title: "A simulated GIL, and why threads didn't help",
    intro: "
        In the workshop's notebook, `fibonacci(34)` took 2.39 s. Running it
        twice took 4.89 s, and running the two calls on two threads took
        4.91 s: no faster at all (wall times; the CPU times are in the
        experiment's table). The culprit is CPython's global interpreter
        lock, the GIL: only the thread holding it may run Python code.

        Rust has no GIL, so this lesson builds one, modelled on CPython's own
        (`Python/ceval_gil.c`), runs the notebook's experiment under it, and
        watches it work: how it passes between threads, why threads that wait
        don't mind it, what its switch interval costs, and where it hurts.
        Then it takes the GIL away. Every figure is measured in this run.
    ",
    sections: &[
        kinds::SECTION,
        experiment::SECTION,
        marks::SECTION,
        watch::SECTION,
        io_bound::SECTION,
        interval::SECTION,
        old_gil::SECTION,
        convoy::SECTION,
        amdahl::SECTION,
        no_hybrids::SECTION,
        way_out::SECTION,
    ],
    recap: "
        - Under the GIL one thread at a time runs Python code: CPU-bound
          threads take turns, and two fibonaccis take as long as in a row.
        - I/O-bound threads let go of the GIL while they wait, so they overlap.
        - Amdahl: the serial part caps the speedup, however many workers.
    ",
    flags: &[&SWITCH_INTERVAL],
    children: &[Child {
        name: way_out::CHILD_MODE,
        run: way_out::child,
    }],
};

/// `--switch-interval MS`: the simulated GIL's switch interval; by default
/// CPython's.
pub const SWITCH_INTERVAL: Flag<Millis> = Flag {
    name: "switch-interval",
    value: "MS",
    help: "The GIL's switch interval (sys.setswitchinterval) in milliseconds, 0.01 to 100",
    default: Millis(gil::DEFAULT_INTERVAL),
    parse: |ms| Millis::between(ms, 0.01, 100.0),
    invalid: &["0", "101", "fast"],
};

/// The switch interval from `--switch-interval`, or CPython's default.
pub fn switch_interval(settings: &Settings) -> Duration {
    settings.get(&SWITCH_INTERVAL).0
}

/// The fibonacci argument the CPU-bound sections use: large enough that the
/// GIL changes hands dozens of times, smaller with `--quick`.
pub fn fib_size(quick: bool) -> u32 {
    if quick { 32 } else { 37 }
}
