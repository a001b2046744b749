//! The shared core of the workshop: everything a lesson needs so that the
//! lesson itself reads like teaching material.
//!
//! - **Narration** — a [`Lesson`] is a list of [`Section`]s; each prints a
//!   heading, an explanation, the Python idiom beside the Rust one, then runs
//!   its demonstration through an [`Out`]. [`cli::main`] is every lesson's
//!   `main`.
//! - **Time** — a [`Scale`] that `--quick` turns down, and a [`Stopwatch`]
//!   that reads wall time and process CPU time, like the notebook's `%time`,
//!   and knows how finely the CPU clock ticks ([`cpu_resolution`]).
//! - **Timeline** — spans per thread, drawn as a chart ([`Timeline`]).
//! - **Tables** — measured figures in aligned columns ([`Table`]), with
//!   [`units`] to format them.
//! - **Benchmarks** — [`bench::side_by_side`] measures variants in
//!   interleaved rounds, so their ratios mean something on a noisy machine.
//! - **Workloads** — the notebook's recursive [`fib`].
//! - **Tests** — [`testing::deadline`] turns a deadlock into a failure
//!   within seconds; [`testing::transcript`] feeds snapshot tests.
//!
//! Measured values are redacted where they are printed (see [`Out`]), so
//! snapshots are stable without filters that could hide what a lesson shows.

pub mod bench;
pub mod cli;
mod lesson;
mod out;
pub mod panics;
pub mod process;
pub mod python;
mod table;
pub mod testing;
pub mod text;
mod time;
mod timeline;
pub mod units;
pub mod workloads;

pub use lesson::{Child, Ctx, Flag, Lesson, Outcome, Section, Settings};
pub use out::{Out, thread_label};
pub use table::Table;
pub use time::{
    COARSE_CLOCK_VAR, CpuTimes, MANY_TICKS, Measurement, Scale, Stopwatch, cpu_resolution, measure,
    precise_cpu_time, process_cpu_times,
};
pub use timeline::{Span, SpanGuard, Timeline};
pub use workloads::fib;
