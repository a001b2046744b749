//! # GIL exercises: edit this file
//!
//! Replace each `todo!()` with your code, then check your work:
//!
//! ```text
//! cargo xtask check gil
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

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::thread;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::gil::{CheckPoint, PyThread};

/// # Exercise 1: `amdahl_speedup` (core)
///
/// Amdahl's law: a program whose fraction `parallel` (between 0 and 1) can
/// run in parallel, on `workers` workers, speeds up by
/// `1 / ((1 - parallel) + parallel / workers)`.
///
/// `amdahl_speedup(0.5, 2)` is `1.333…`; `amdahl_speedup(0.0, 64)` is `1.0`.
pub fn amdahl_speedup(parallel: f64, workers: u32) -> f64 {
    todo!("the formula above")
}

/// # Exercise 2: `sleep_without_gil` (core)
///
/// Sleep for `nap` the way CPython does a blocking call: release the GIL
/// first, so that other threads can run, and take it back afterwards, so
/// that this thread can go on running Python code. Use `py.drop_gil()` and
/// `py.take_gil()` (not `allow_threads`, which is what you are building).
pub fn sleep_without_gil(py: &PyThread, nap: Duration) {
    todo!("drop the GIL, sleep, take it back")
}

/// # Exercise 3: `count_primes` (core)
///
/// Count the primes below `limit` by trial division. This is simulated
/// Python: it runs under a GIL, and the GIL can only change hands at a
/// check point. A loop that never reaches one starves every other thread
/// until it ends. Call `py.check()` once for every number you test.
///
/// `count_primes(&py, 10)` is 4 (2, 3, 5 and 7).
pub fn count_primes(py: &impl CheckPoint, limit: u64) -> u64 {
    todo!("trial division, with a check point per candidate")
}

/// # Exercise 4: `tiny_gil` (stretch)
///
/// Stretch: the simulated GIL's own machinery, cut down: a `Condvar` wait
/// with a timeout, in a loop, beside an atomic flag (the `watch` section
/// shows the real one in `src/gil.rs`).
///
/// A GIL cut down to its core. `release` is written; write `take`, with
/// CPython's rule:
///
/// - While the GIL is locked, wait on `released` for at most `interval`.
/// - If the wait timed out, the GIL is still locked, and it has not changed
///   hands since you started that wait (compare `switches`), set
///   `drop_request`: the holder checks it and lets go.
/// - Once it is free: lock it, count a switch if the holder changed, record
///   yourself as the holder, and clear `drop_request` (it has been served).
pub struct TinyGil {
    state: Mutex<TinyState>,
    released: Condvar,
    drop_request: AtomicBool,
    interval: Duration,
}

/// What `TinyGil`'s mutex guards.
struct TinyState {
    locked: bool,
    holder: Option<usize>,
    switches: u64,
}

impl TinyGil {
    /// A free GIL with this switch interval.
    pub fn new(interval: Duration) -> Self {
        let state = TinyState {
            locked: false,
            holder: None,
            switches: 0,
        };
        TinyGil {
            state: Mutex::new(state),
            released: Condvar::new(),
            drop_request: AtomicBool::new(false),
            interval,
        }
    }

    /// Thread `me` takes the GIL, waiting as described above.
    pub fn take(&self, me: usize) {
        todo!("wait with a timeout in a loop; request a drop when nobody switched")
    }

    /// Releases the GIL and wakes one waiter.
    pub fn release(&self) {
        self.state.lock().locked = false;
        self.released.notify_one();
    }

    /// Whether a waiter has asked the holder to let go.
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Relaxed)
    }

    /// How many times the GIL changed hands.
    pub fn switches(&self) -> u64 {
        self.state.lock().switches
    }
}
