//! Reference solutions to the exercises in [`crate::exercises`]: same
//! signatures, so any body here can be copied over a `todo!()` there.
//! `cargo test` runs the exercise tests against these; `cargo xtask verify`
//! proves the tests fail on the stubs and pass here.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::thread;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::gil::{CheckPoint, PyThread};

/// # Exercise 1: `amdahl_speedup`
pub fn amdahl_speedup(parallel: f64, workers: u32) -> f64 {
    1.0 / ((1.0 - parallel) + parallel / f64::from(workers))
}

/// # Exercise 2: `sleep_without_gil`
pub fn sleep_without_gil(py: &PyThread, nap: Duration) {
    py.drop_gil();
    thread::sleep(nap);
    py.take_gil();
}

/// # Exercise 3: `count_primes`
///
/// One check point per candidate: the inner loop is short (at most √n
/// divisions), so the GIL never waits long for the next one.
pub fn count_primes(py: &impl CheckPoint, limit: u64) -> u64 {
    let mut primes = 0;
    for candidate in 2..limit {
        py.check();
        if (2..)
            .take_while(|d| d * d <= candidate)
            .all(|d| candidate % d != 0)
        {
            primes += 1;
        }
    }
    primes
}

/// # Exercise 4: `tiny_gil`
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

    /// Thread `me` takes the GIL. `while`, not `if`: a wake-up only means
    /// the GIL was free for a moment, and another waiter may have won it.
    pub fn take(&self, me: usize) {
        let mut state = self.state.lock();
        while state.locked {
            let switches_before = state.switches;
            let timed_out = self
                .released
                .wait_for(&mut state, self.interval)
                .timed_out();
            if timed_out && state.locked && state.switches == switches_before {
                self.drop_request.store(true, Relaxed);
            }
        }
        state.locked = true;
        if state.holder != Some(me) {
            state.holder = Some(me);
            state.switches += 1;
        }
        self.drop_request.store(false, Relaxed);
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
