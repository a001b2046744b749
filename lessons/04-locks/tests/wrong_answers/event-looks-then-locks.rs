// Wrong answer to `event`: `wait` looks at the value under one lock, lets
// go, and locks again to sleep: a `set` that lands in that gap notifies
// nobody, and the waiter sleeps for good. No ordinary test can aim at a
// gap of a few nanoseconds; loom tries every order.
// Caught by: loom
// Caught by: deadlock

pub use locks::solutions::*;

use std::time::{Duration, Instant};

use locks::sync::{Condvar, Mutex, lock, wait};

pub struct ValueEvent<T> {
    value: Mutex<Option<T>>,
    ready: Condvar,
}

impl<T: Clone> ValueEvent<T> {
    pub fn new() -> Self {
        ValueEvent {
            value: Mutex::new(None),
            ready: Condvar::new(),
        }
    }

    pub fn set(&self, value: T) -> bool {
        let mut slot = lock(&self.value);
        if slot.is_some() {
            return false;
        }
        *slot = Some(value);
        self.ready.notify_all();
        true
    }

    pub fn get(&self) -> Option<T> {
        lock(&self.value).clone()
    }

    pub fn wait(&self) -> T {
        loop {
            if let Some(value) = self.get() {
                return value;
            }
            // The gap: the lock is free here, and a `set` may come and go.
            let slot = lock(&self.value);
            drop(wait(&self.ready, slot));
        }
    }

    pub fn wait_timeout(&self, timeout: Duration) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut slot = lock(&self.value);
        loop {
            if let Some(value) = &*slot {
                return Some(value.clone());
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            slot = match self.ready.wait_timeout(slot, deadline - now) {
                Ok((slot, _)) => slot,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

impl<T: Clone> Default for ValueEvent<T> {
    fn default() -> Self {
        Self::new()
    }
}
