// Wrong answer to `semaphore`: `acquire` waits for a free permit by
// spinning with the lock held, so no release can ever get in: it never
// ends, and keeps a core busy.
// Caught by: still running

pub use locks::solutions::{
    Account, BoundedBuffer, ReusableBarrier, Round, ValueEvent, transfer,
};
pub use locks::exercises::TooManyReleases;

use locks::sync::{Condvar, Mutex, lock};

/// # Exercise 2: `semaphore`
///
/// The section's semaphore with a limit: `release` checks that a permit is
/// out before giving it back. Every wait is a `while` loop, because a woken
/// thread may find the permit already taken by a thread that never slept.
pub struct BoundedSemaphore {
    /// How many permits are free right now.
    free: Mutex<usize>,
    /// How many permits there are in all.
    permits: usize,
    /// Notified when a permit comes back.
    returned: Condvar,
}

impl BoundedSemaphore {
    /// A semaphore with `permits` permits, all free.
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore {
            free: Mutex::new(permits),
            permits,
            returned: Condvar::new(),
        }
    }

    /// Takes a permit, waiting as long as none is free.
    pub fn acquire(&self) {
        let mut free = lock(&self.free);
        // Waits by spinning with the lock held: nobody can release.
        while *free == 0 {
            std::hint::spin_loop();
        }
        *free -= 1;
    }

    /// Takes a permit if one is free right now; returns whether it did.
    pub fn try_acquire(&self) -> bool {
        let mut free = lock(&self.free);
        if *free == 0 {
            return false;
        }
        *free -= 1;
        true
    }

    /// Gives a permit back and wakes one waiter; refuses if every permit is
    /// already free.
    pub fn release(&self) -> Result<(), TooManyReleases> {
        let mut free = lock(&self.free);
        if *free == self.permits {
            return Err(TooManyReleases {
                permits: self.permits,
            });
        }
        *free += 1;
        // One permit came back: one waiter can use it.
        self.returned.notify_one();
        Ok(())
    }
}

