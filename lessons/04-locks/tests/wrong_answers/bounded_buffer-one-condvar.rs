// Wrong answer to `bounded_buffer`: one condition variable for both kinds
// of waiter, with `notify_one`: a taker's notify can wake another taker
// (nothing to take) instead of the putter waiting for room, and both then
// sleep for good. With `notify_all` one condition variable would be
// correct, only slower.
// Caught by: deadlock

pub use locks::solutions::*;

use std::collections::VecDeque;

use locks::sync::{Condvar, Mutex, lock, wait};

pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    changed: Condvar,
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        BoundedBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            changed: Condvar::new(),
        }
    }

    pub fn put(&self, item: T) {
        let mut items = lock(&self.items);
        while items.len() >= self.capacity {
            items = wait(&self.changed, items);
        }
        items.push_back(item);
        self.changed.notify_one();
    }

    pub fn take(&self) -> T {
        let mut items = lock(&self.items);
        loop {
            if let Some(item) = items.pop_front() {
                self.changed.notify_one();
                return item;
            }
            items = wait(&self.changed, items);
        }
    }

    pub fn len(&self) -> usize {
        lock(&self.items).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
