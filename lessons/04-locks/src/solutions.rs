//! Reference solutions to the exercises in [`crate::exercises`]: same
//! types, fields and signatures, so any body here can be copied over a
//! `todo!()` there. `cargo test` runs the exercise tests against these;
//! `cargo xtask verify` proves the tests fail on the stubs and pass here,
//! and model-checks [`ReusableBarrier`] with loom (`tests/loom.rs`).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, lock, wait};

pub use crate::exercises::{Account, Round, TooManyReleases};

/// # Exercise 1: `transfer`
///
/// One global order, by id: whichever way the money goes, the lower id is
/// locked first, so no thread can hold the higher one while waiting for the
/// lower. A transfer to the same account returns before locking anything.
pub fn transfer(from: &Account, to: &Account, amount: u64) -> bool {
    if from.id == to.id {
        return false;
    }
    let (first, second) = if from.id < to.id {
        (from, to)
    } else {
        (to, from)
    };
    let mut first_balance = lock(&first.balance);
    let mut second_balance = lock(&second.balance);
    let (from_balance, to_balance) = if from.id < to.id {
        (&mut *first_balance, &mut *second_balance)
    } else {
        (&mut *second_balance, &mut *first_balance)
    };
    if *from_balance < amount {
        return false;
    }
    *from_balance -= amount;
    *to_balance += amount;
    true
}

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
        while *free == 0 {
            free = wait(&self.returned, free);
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

/// # Exercise 3: `event`
///
/// The value is both the flag and the payload: `Some` means set. `wait`
/// checks it under the lock before sleeping, so a `set` that came first is
/// seen, and a `set` cannot slip in between the check and the sleep
/// (it needs the lock, which `wait` gives up only as it falls asleep).
pub struct ValueEvent<T> {
    /// The value, once set.
    value: Mutex<Option<T>>,
    /// Notified when the value is set.
    ready: Condvar,
}

impl<T: Clone> ValueEvent<T> {
    /// An event with no value yet.
    pub fn new() -> Self {
        ValueEvent {
            value: Mutex::new(None),
            ready: Condvar::new(),
        }
    }

    /// Sets the value and wakes every waiter; `false` if it was already set.
    pub fn set(&self, value: T) -> bool {
        let mut slot = lock(&self.value);
        if slot.is_some() {
            return false;
        }
        *slot = Some(value);
        // Every waiter wants the value: wake them all.
        self.ready.notify_all();
        true
    }

    /// The value if it is set, without waiting.
    pub fn get(&self) -> Option<T> {
        lock(&self.value).clone()
    }

    /// Waits until the value is set and returns a clone of it.
    pub fn wait(&self) -> T {
        let mut slot = lock(&self.value);
        loop {
            if let Some(value) = &*slot {
                return value.clone();
            }
            slot = wait(&self.ready, slot);
        }
    }

    /// Waits at most `timeout` for the value.
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

/// # Exercise 4: `bounded_buffer`
///
/// Two conditions, two condition variables: takers sleep on `not_empty`,
/// putters on `not_full`, so `notify_one` always wakes a thread that can
/// use the change. Both waits are `while` loops: a woken taker may find
/// that another taker, which never slept, got the item first.
pub struct BoundedBuffer<T> {
    /// The items, oldest first.
    items: Mutex<VecDeque<T>>,
    /// The most items it holds.
    capacity: usize,
    /// Notified when an item was put in.
    not_empty: Condvar,
    /// Notified when an item was taken out.
    not_full: Condvar,
}

impl<T> BoundedBuffer<T> {
    /// An empty buffer for at most `capacity` items (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        BoundedBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Adds an item at the back, waiting while the buffer is full.
    pub fn put(&self, item: T) {
        let mut items = lock(&self.items);
        while items.len() >= self.capacity {
            items = wait(&self.not_full, items);
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    /// Removes the item at the front, waiting while the buffer is empty.
    pub fn take(&self) -> T {
        let mut items = lock(&self.items);
        loop {
            if let Some(item) = items.pop_front() {
                self.not_full.notify_one();
                return item;
            }
            items = wait(&self.not_empty, items);
        }
    }

    /// How many items it holds right now.
    pub fn len(&self) -> usize {
        lock(&self.items).len()
    }

    /// Whether it holds no item right now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// # Exercise 5: `barrier`
///
/// The last thread to arrive starts a new generation and wakes everyone;
/// the others wait for the generation to change. Waiting for the count
/// instead would break on the second round: the count is reset (or grows
/// again) before every sleeper has woken to look at it.
pub struct ReusableBarrier {
    /// Who has arrived, in which round.
    state: Mutex<Round>,
    /// How many threads each round waits for.
    parties: usize,
    /// Notified when a round is complete.
    all_here: Condvar,
}

impl ReusableBarrier {
    /// A barrier for `parties` threads.
    pub fn new(parties: usize) -> Self {
        ReusableBarrier {
            state: Mutex::new(Round {
                arrived: 0,
                generation: 0,
            }),
            parties: parties.max(1),
            all_here: Condvar::new(),
        }
    }

    /// Waits until `parties` threads have called `wait` in this round;
    /// returns `true` in exactly one of them.
    pub fn wait(&self) -> bool {
        let mut round = lock(&self.state);
        let generation = round.generation;
        round.arrived += 1;
        if round.arrived == self.parties {
            round.arrived = 0;
            round.generation += 1;
            self.all_here.notify_all();
            return true;
        }
        while round.generation == generation {
            round = wait(&self.all_here, round);
        }
        false
    }
}
