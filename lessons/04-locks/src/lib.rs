//! # Lesson 04 · locks: every Python primitive, mapped to Rust or built
//!
//! Python's `threading` module gives `Lock`, `RLock`, `Semaphore`, `Event`,
//! `Condition` and `Barrier`. Rust's standard library has a mutex, a
//! condition variable and a barrier; parking_lot adds a reentrant mutex and
//! timed locking; the semaphore and the event are built here, from a
//! `Mutex` and a `Condvar`, and model-checked with loom. One module per
//! section, in teaching order:
//!
//! 1. [`lock`] — `threading.Lock` ↔ `Mutex`; the blog's ten threads
//! 2. [`poisoning`] — a panic while holding a `std::sync::Mutex`
//! 3. [`costs`] — std against parking_lot, measured
//! 4. [`rlock`] — `threading.RLock` ↔ `parking_lot::ReentrantMutex`
//! 5. [`semaphore`] — a semaphore built from `Mutex` + `Condvar`
//! 6. [`event`] — an event built from `Mutex<bool>` + `Condvar`
//! 7. [`condition`] — `threading.Condition` ↔ `Condvar`, a mailbox
//! 8. [`barrier`] — `threading.Barrier` ↔ `std::sync::Barrier`
//! 9. [`deadlock`] — two locks, two orders; detected, then fixed
//!
//! [`sync`] switches the home-made primitives to loom's types when model
//! checking. The exercises are in [`exercises`] (the file you edit) and
//! their reference solutions in [`solutions`].

pub mod barrier;
pub mod condition;
pub mod costs;
pub mod deadlock;
pub mod event;
pub mod exercises;
pub mod lock;
pub mod poisoning;
pub mod rlock;
pub mod semaphore;
pub mod solutions;
pub mod sync;

use workshop::Lesson;

/// The lesson, as `cargo run -p locks`, `cargo xtask all` and the snapshot
/// tests run it.
pub static LESSON: Lesson = Lesson {
    name: env!("CARGO_PKG_NAME"),
    manifest_dir: env!("CARGO_MANIFEST_DIR"),
    title: "Locks and the other primitives",
    intro: "
        The workshop lists what a Python programmer reaches for when threads
        share data: `Lock`, `RLock`, `Semaphore`, `Event`, `Condition` and
        `Barrier`. This lesson maps each to Rust. The standard library has
        the mutex, the condition variable and the barrier; the parking_lot
        crate adds a reentrant mutex and locks that give up after a timeout;
        the semaphore and the event Rust has not, so the lesson builds them
        from a mutex and a condition variable, which is how they work
        anyway. Along the way: lost updates without a lock, what a panic does
        to a lock, what a lock costs, and a deadlock caught in the act.
    ",
    sections: &[
        lock::SECTION,
        poisoning::SECTION,
        costs::SECTION,
        rlock::SECTION,
        semaphore::SECTION,
        event::SECTION,
        condition::SECTION,
        barrier::SECTION,
        deadlock::SECTION,
    ],
    recap: "
        - A `Mutex` holds its data; the guard unlocks when it is dropped.
        - A panic while holding a lock poisons it: the data may be half done.
        - Semaphore, Event, Condition and Barrier are a lock and a `Condvar`.
        - Wait in a `while` loop, and take locks in one global order.
    ",
    flags: &[],
    children: &[],
};
