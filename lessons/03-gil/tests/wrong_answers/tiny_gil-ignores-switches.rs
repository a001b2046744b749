// Wrong answer to `tiny_gil`: asks for a drop after every interval that
// timed out, even when the GIL changed hands during it.
// Caught by: changed hands

pub use gil::solutions::{amdahl_speedup, count_primes, sleep_without_gil};

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

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
            if timed_out && state.locked && switches_before < u64::MAX {
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
