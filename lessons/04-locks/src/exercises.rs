//! # Locks exercises: edit this file
//!
//! Replace each `todo!()` with your code, then check your work:
//!
//! ```text
//! cargo xtask check locks
//! ```
//!
//! The check runs the tests in `tests/exercises.rs` against this file, tells
//! you how many exercises pass, and shows a hint for the first one that does
//! not. A test whose threads wait forever fails within seconds with
//! "deadlock likely" instead of hanging. Stuck for good? `src/solutions.rs`
//! has a reference solution.
//!
//! The `(core)` exercises use only what this lesson's sections showed: do
//! them in class, in order. The `(stretch)` ones go further and say what
//! they need: homework, or for when you are ahead.
//!
//! Each type's fields are given: the tests don't look at them, but they are
//! what the reference solution uses. `Mutex` and `Condvar` come from
//! [`crate::sync`]: they are the standard library's (loom's when the lesson
//! is model-checked, which is why they are imported from there). `lock(&m)`
//! is `m.lock().unwrap()` and `wait(&condvar, guard)` is
//! `condvar.wait(guard).unwrap()`, both ignoring poisoning. The lesson's
//! own [`Semaphore`](crate::semaphore::Semaphore),
//! [`Event`](crate::event::Event) and
//! [`Mailbox`](crate::condition::Mailbox) are worked examples to learn from.

// The stubs ignore their arguments and fields until you write them; these
// allows keep the build quiet meanwhile.
#![allow(unused_imports, unused_variables, dead_code)]

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, lock, wait};

/// A bank account: an id, unique among accounts, and a balance behind a
/// lock.
pub struct Account {
    /// The account's number; no two accounts share one.
    pub id: u32,
    /// The balance.
    pub balance: Mutex<u64>,
}

impl Account {
    /// An account with an opening balance.
    pub fn new(id: u32, balance: u64) -> Self {
        Account {
            id,
            balance: Mutex::new(balance),
        }
    }

    /// The balance right now.
    pub fn balance(&self) -> u64 {
        *lock(&self.balance)
    }
}

/// # Exercise 1: `transfer` (core)
///
/// Move `amount` from one account to the other, if `from` has that much;
/// return whether the money moved. Both balances must change under both
/// locks, so that nobody ever sees the money in neither account or in both.
///
/// The obvious version locks `from`, then `to`. Run it on two threads, one
/// paying Alice → Bob and the other Bob → Alice, and each ends up holding
/// one lock and waiting for the other: the deadlock of the `deadlock` section. Take the
/// two locks in the same order on every thread, whatever the direction of
/// the transfer: by account id, lowest first. A transfer from an account
/// to itself changes nothing (and must not lock the same mutex twice).
pub fn transfer(from: &Account, to: &Account, amount: u64) -> bool {
    todo!("lock the account with the lower id first")
}

/// # Exercise 2: `semaphore` (core)
///
/// Python's `threading.BoundedSemaphore(k)`: a semaphore with `k` permits
/// that refuses to be released more often than it was acquired. (A plain
/// semaphore would quietly grow a permit each time: a bug that lets k+1
/// threads in later.)
///
/// - `acquire` takes a permit, waiting as long as none is free;
/// - `try_acquire` takes one if one is free right now and says whether it did;
/// - `release` gives one back and wakes a waiter, or returns
///   `Err(TooManyReleases)` and changes nothing if all `k` are already free.
///
/// With `BoundedSemaphore::new(2)`: two `acquire`s return at once, a third
/// waits until somebody calls `release`. Never more than 2 holders at once,
/// however many threads try.
pub struct BoundedSemaphore {
    /// How many permits are free right now.
    free: Mutex<usize>,
    /// How many permits there are in all.
    permits: usize,
    /// Notified when a permit comes back.
    returned: Condvar,
}

/// A release refused: every permit was already free.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyReleases {
    /// How many permits the semaphore has.
    pub permits: usize,
}

impl BoundedSemaphore {
    /// A semaphore with `permits` permits, all free.
    pub fn new(permits: usize) -> Self {
        todo!("Mutex::new(permits), Condvar::new()")
    }

    /// Takes a permit, waiting as long as none is free.
    pub fn acquire(&self) {
        todo!("lock, wait while none is free, take one")
    }

    /// Takes a permit if one is free right now; returns whether it did.
    pub fn try_acquire(&self) -> bool {
        todo!()
    }

    /// Gives a permit back and wakes one waiter; refuses if every permit is
    /// already free.
    pub fn release(&self) -> Result<(), TooManyReleases> {
        todo!()
    }
}

/// # Exercise 3: `event` (core)
///
/// An event that carries a value: Python's `result = None` plus
/// `done = threading.Event()`, in one object. One thread `set`s the value;
/// any number of threads `wait` for it and each gets a clone.
///
/// - `set` stores the value and wakes every waiter, and returns `true`;
///   only the first `set` counts: a later one changes nothing and returns
///   `false`;
/// - `get` returns the value if it is set, without waiting;
/// - `wait` waits until it is set and returns it: at once if it already is,
///   so a `set` that came before the `wait` is never lost;
/// - `wait_timeout` waits at most `timeout` and returns `None` if the value
///   still is not there.
///
/// Five threads waiting, one `set(42)`: all five get 42.
pub struct ValueEvent<T> {
    /// The value, once set.
    value: Mutex<Option<T>>,
    /// Notified when the value is set.
    ready: Condvar,
}

impl<T: Clone> ValueEvent<T> {
    /// An event with no value yet.
    pub fn new() -> Self {
        todo!()
    }

    /// Sets the value and wakes every waiter; `false` if it was already set.
    pub fn set(&self, value: T) -> bool {
        todo!("store it only if there is none yet, then notify every waiter")
    }

    /// The value if it is set, without waiting.
    pub fn get(&self) -> Option<T> {
        todo!()
    }

    /// Waits until the value is set and returns a clone of it.
    pub fn wait(&self) -> T {
        todo!("look before you sleep: the value may already be there")
    }

    /// Waits at most `timeout` for the value.
    pub fn wait_timeout(&self, timeout: Duration) -> Option<T> {
        todo!("Condvar::wait_timeout, in a loop, with a deadline")
    }
}

impl<T: Clone> Default for ValueEvent<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// # Exercise 4: `bounded_buffer` (stretch)
///
/// Stretch: two condition variables on one mutex; read the `condition`
/// section's `Mailbox` first.
///
/// The producer/consumer buffer of `threading.Condition`'s documentation:
/// a queue of at most `capacity` items. `put` waits while the buffer is
/// full, `take` waits while it is empty; items come out in the order they
/// went in.
///
/// Use two condition variables, `not_empty` and `not_full`, so that a
/// `put` wakes a taker and a `take` wakes a putter, never the wrong kind.
/// With 4 producers, 4 consumers and a capacity of 2, every item must come
/// out exactly once and the buffer must never hold more than 2. (A
/// capacity of 0 is treated as 1.)
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
        todo!()
    }

    /// Adds an item at the back, waiting while the buffer is full.
    pub fn put(&self, item: T) {
        todo!("while full: wait on not_full; push; notify not_empty")
    }

    /// Removes the item at the front, waiting while the buffer is empty.
    pub fn take(&self) -> T {
        todo!("while empty: wait on not_empty; pop; notify not_full")
    }

    /// How many items it holds right now.
    pub fn len(&self) -> usize {
        todo!()
    }

    /// Whether it holds no item right now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The state of a [`ReusableBarrier`]: how many threads have arrived in
/// the current round, and which round it is.
pub struct Round {
    /// Threads waiting in this round.
    pub arrived: usize,
    /// Counts the rounds completed.
    pub generation: u64,
}

/// # Exercise 5: `barrier` (stretch)
///
/// Stretch: a barrier that can be used round after round, and the trap
/// described below: the hardest of the lesson.
///
/// Build `std::sync::Barrier` yourself: `wait` blocks until `parties`
/// threads have called it, then all of them return, and exactly one of
/// them (say, the last to arrive) returns `true`: the leader. Then the
/// barrier is ready for the next round, and the next, as often as the
/// threads like.
///
/// The trap is in "ready for the next round": a fast thread released from
/// round 1 may call `wait` for round 2 before the slow ones have even woken
/// up from round 1. Wait for the round's `generation` to change, not for a
/// count. A barrier for 0 parties behaves like one for 1.
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
        todo!()
    }

    /// Waits until `parties` threads have called `wait` in this round;
    /// returns `true` in exactly one of them.
    pub fn wait(&self) -> bool {
        todo!("the last to arrive starts a new generation and notifies all")
    }
}
