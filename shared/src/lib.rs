//! The shared core of the workshop: everything a lesson needs so that the
//! lesson itself reads like teaching material.
//!
//! - **Lessons** — a [`Lesson`] is a list of [`Section`]s, with its own
//!   typed [`flag`]s; [`runner`] prints each section (heading, explanation,
//!   the Python idiom beside the Rust one, then its demonstration) through
//!   an [`Out`]. [`cli::main`] is every lesson's `main`; [`exit`] names the
//!   exit codes.
//! - **Time** — a [`Scale`] that `--quick` turns down, and a [`Stopwatch`]
//!   that reads wall time and process CPU time, like the notebook's `%time`,
//!   and knows how finely the CPU clock ticks ([`cpu_resolution`]).
//! - **Timeline** — spans per thread, drawn as a chart ([`Timeline`]) in
//!   the terminal, and as an SVG picture ([`svg`]) with `--pictures DIR`.
//! - **Tables** — measured figures in aligned columns ([`Table`]), with
//!   [`units`] to format them and [`style`] to colour a terminal.
//! - **Benchmarks** — [`bench::side_by_side`] measures variants in
//!   interleaved rounds, so their ratios mean something on a noisy machine.
//! - **Threads and processes** — [`join`] turns a thread's panic into a
//!   [`ThreadPanicked`] error; [`threads`] lists this process's threads by
//!   name; [`process`] runs children with a time limit; [`python`] finds
//!   CPython.
//! - **Workloads** — the notebook's recursive [`fib`].
//! - **A slow service** — [`server::SlowService`], a server on loopback that
//!   answers after a set latency: real sockets for I/O-bound threads.
//! - **Tests** — [`testing::deadline`] turns a deadlock into a failure
//!   within seconds; [`snapshot_tests!`] makes one snapshot test per
//!   section; [`shown`] checks that the Rust a lesson shows is code it runs.
//!
//! Measured values are redacted where they are printed (see [`Out`]), so
//! snapshots are stable without filters that could hide what a lesson shows.

pub mod bench;
pub mod cli;
mod common;
pub mod exit;
pub mod flag;
mod lesson;
mod out;
pub mod panics;
pub mod process;
pub mod python;
pub mod runner;
pub mod server;
mod settings;
pub mod shown;
mod speakers;
pub mod style;
pub mod suggest;
pub mod svg;
mod table;
pub mod terminal;
pub mod testing;
pub mod text;
pub mod threads;
mod time;
mod timeline;
pub mod units;
pub mod workloads;

pub use flag::{Flag, Switch};
pub use lesson::{Child, Ctx, Lesson, Outcome, Section, split_lesson_folder};
pub use out::{Out, Progress, Values};
pub use panics::{ThreadPanicked, join, join_all};
pub use settings::Settings;
pub use speakers::thread_label;
pub use table::Table;
pub use time::{
    COARSE_CLOCK_VAR, CpuPerWall, CpuTimes, MANY_TICKS, Measurement, Scale, Stopwatch,
    cpu_resolution, measure, precise_cpu_time, process_cpu_times,
};
pub use timeline::{Span, SpanGuard, Timeline};
pub use workloads::fib;
