//! # Pools exercises: edit this file
//!
//! Replace each `todo!()` with your code, then check your work:
//!
//! ```text
//! cargo xtask check pools
//! ```
//!
//! The check runs the tests in `tests/exercises.rs` against this file, tells
//! you how many exercises pass, and shows a hint for the first one that does
//! not. Stuck for good? `src/solutions.rs` has a reference solution.
//!
//! The `(core)` exercises use only what this lesson's sections showed: do
//! them in class, in order. The `(stretch)` ones go further and say what
//! they need: homework, or for when you are ahead.

// The stubs ignore their arguments until you write them; these allows keep
// the build quiet meanwhile.
#![allow(unused_imports, unused_variables, dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender, unbounded};
use workshop::fib;

/// A job for the pool.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// # Exercise 1: `fib_in_parallel` (core)
///
/// The notebook's fibonacci, with `rayon::join` computing `fib(n - 1)` and
/// `fib(n - 2)` in parallel, but only while `n` is above `cutoff`: at or
/// below it, compute sequentially (`workshop::fib`). Joining tiny tasks
/// costs more than it saves.
pub fn fib_in_parallel(n: u32, cutoff: u32) -> u64 {
    todo!("rayon::join above the cutoff, plain fib below it")
}

/// # Exercise 2: `ordered_map` (core)
///
/// Apply `f` to every item using `workers` threads at once (at least 1),
/// and return the results in the order of the items, even when a later
/// item finishes first. Each item is processed exactly once.
///
/// `ordered_map(vec![1, 2, 3], 2, |x| x * 10)` is `[10, 20, 30]`.
pub fn ordered_map<T: Send, R: Send>(
    items: Vec<T>,
    workers: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    todo!("scoped threads; remember each item's position")
}

/// # Exercise 3: `worker_pool` (stretch)
///
/// Stretch: the pool's own internals: boxed closures
/// (`Box<dyn FnOnce() + Send>`), `catch_unwind`, and a `Drop` that joins.
///
/// A pool of `workers` threads that run jobs from a shared queue:
///
/// - `new` starts the workers; each takes jobs from the queue until it is
///   closed.
/// - `execute` queues a job and returns at once.
/// - Dropping the pool runs every job already queued, then joins every
///   worker: nothing is lost and nothing keeps running.
/// - A job that panics must not take its worker down: the next jobs still
///   run.
///
/// Add the fields you need to the struct.
pub struct WorkerPool {}

impl WorkerPool {
    /// Starts `workers` threads (at least one).
    pub fn new(workers: usize) -> Self {
        todo!("a channel for the jobs, and the worker threads")
    }

    /// Queues `job`; some worker will run it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        todo!("send the job, boxed, down the channel")
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        todo!("close the channel, then join every worker")
    }
}
