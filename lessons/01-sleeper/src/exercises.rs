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
//!
//! The `(core)` exercises use only what this lesson's sections showed: do
//! them in class, in order. The `(stretch)` ones go further and say what
//! they need: homework, or for when you are ahead.

// The stubs ignore their arguments until you write them; these allows keep
// the build quiet meanwhile.
#![allow(unused_imports, unused_variables)]

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// # Exercise 1: `nap_together` (core)
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

/// # Exercise 2: `count_matches` (core)
///
/// Count the numbers from 0 to `total - 1` for which `test` returns
/// `true`, with `threads` threads (at least 1) that share the work and one
/// counter. Split the numbers between the threads any way you like (thread
/// `t` could take `t`, `t + threads`, `t + 2 * threads`, …) so that each
/// number is tested exactly once. Each thread adds 1 to a shared
/// `Arc<Mutex<u64>>` for every match; return the total once every thread
/// has been joined.
///
/// `test` is a plain function (`fn(u64) -> bool`): call it as `test(n)`,
/// and copy it into every thread as you would a number.
///
/// `count_matches(10, 3, is_even)` is 5 (0, 2, 4, 6 and 8), whichever
/// thread found which.
pub fn count_matches(total: u64, threads: u64, test: fn(u64) -> bool) -> u64 {
    todo!("one Arc<Mutex<u64>>, a clone for every thread; start them all, then join")
}

/// # Exercise 3: `wake_order` (core)
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

/// # Exercise 4: `sum_in_threads` (stretch)
///
/// Stretch: needs slices cut into parts (`chunks`, and `div_ceil` to
/// round a division up), from the standard library's documentation.
///
/// Add up `numbers` using `threads` threads (at least 1): split the slice
/// into that many nearly equal parts, sum each part on its own scoped
/// thread, all at the same time, borrowing the slice rather than copying
/// it, and add up the parts. Every number must be counted exactly once, whatever the length.
pub fn sum_in_threads(numbers: &[u64], threads: usize) -> u64 {
    todo!("thread::scope, one chunk per thread")
}

/// # Exercise 5: `join_all` (stretch)
///
/// Stretch: needs a generic function (`<T>`, the refcounting lesson's
/// `counting` section) and a look inside a panic's payload with
/// `downcast_ref` (the primer's `dyn`).
///
/// Join every handle, in order, even when some of the threads panicked.
/// Return the values of the threads that finished, and the messages of the
/// panics (the text given to `panic!`), each in handle order. Never panic
/// yourself.
pub fn join_all<T>(handles: Vec<JoinHandle<T>>) -> (Vec<T>, Vec<String>) {
    todo!("match on each join's Result; turn panic payloads into text")
}
