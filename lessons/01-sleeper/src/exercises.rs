//! # Sleeper exercises: edit this file
//!
//! Replace each `todo!()` with your code, then check your work:
//!
//! ```text
//! cargo xtask check sleeper
//! ```
//!
//! The check runs the tests in `tests/exercises.rs` against this file, tells
//! you how many exercises pass, and shows a hint for the first one that does
//! not. Stuck for good? `src/solutions.rs` has a reference solution.

// The stubs ignore their arguments until you write them; these allows keep
// the build quiet meanwhile.
#![allow(unused_imports, unused_variables)]

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// # Exercise 1: `wake_order`
///
/// Start one thread per nap, all at once. Name them `sleeper-0`,
/// `sleeper-1`, … in the order of `naps`. Each sleeps for its nap and then
/// records its own name, read with `thread::current().name()`. Return the
/// names in the order the threads woke up.
///
/// `wake_order(&[300 ms, 0 ms, 150 ms])` returns
/// `["sleeper-1", "sleeper-2", "sleeper-0"]`, after about 300 ms.
pub fn wake_order(naps: &[Duration]) -> Vec<String> {
    todo!("start a named thread per nap; collect names as they wake")
}

/// # Exercise 2: `nap_together`
///
/// Run every nap on its own thread at the same time. Each thread measures
/// how long it actually slept and returns that duration; collect the
/// durations through the threads' `JoinHandle`s, in the order of `naps`.
///
/// The whole call should take about as long as the longest nap, not the
/// sum of them.
pub fn nap_together(naps: &[Duration]) -> Vec<Duration> {
    todo!("spawn every thread first, then join them all")
}

/// # Exercise 3: `sum_in_threads`
///
/// Add up `numbers` using `threads` threads (at least 1): split the slice
/// into that many nearly equal parts, sum each part on its own scoped
/// thread, borrowing the slice rather than copying it, and add up the
/// parts. Every number must be counted exactly once, whatever the length.
pub fn sum_in_threads(numbers: &[u64], threads: usize) -> u64 {
    todo!("thread::scope, one chunk per thread")
}

/// # Exercise 4: `join_all`
///
/// Join every handle, in order, even when some of the threads panicked.
/// Return the values of the threads that finished, and the messages of the
/// panics (the text given to `panic!`), each in handle order. Never panic
/// yourself.
pub fn join_all<T>(handles: Vec<JoinHandle<T>>) -> (Vec<T>, Vec<String>) {
    todo!("match on each join's Result; turn panic payloads into text")
}
