// Wrong answer to `semaphore`: `try_acquire` gives a release a few
// milliseconds to come before it says no. (Built on the reference
// semaphore.)
// Caught by: answer at once

pub use locks::solutions::*;

use locks::solutions as reference;
use std::thread;
use std::time::{Duration, Instant};

pub struct BoundedSemaphore(reference::BoundedSemaphore);

impl BoundedSemaphore {
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore(reference::BoundedSemaphore::new(permits))
    }

    pub fn acquire(&self) {
        self.0.acquire();
    }

    pub fn try_acquire(&self) -> bool {
        let give_up = Instant::now() + Duration::from_millis(5);
        while Instant::now() < give_up {
            if self.0.try_acquire() {
                return true;
            }
            thread::sleep(Duration::from_millis(1));
        }
        false
    }

    pub fn release(&self) -> Result<(), TooManyReleases> {
        self.0.release()
    }
}
