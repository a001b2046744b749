//! The locks that the home-made primitives (the [`Semaphore`], the [`Event`]
//! and the exercises) are built on: the standard library's `Mutex` and
//! `Condvar`, or loom's when the crate is model-checked.
//!
//! `cargo xtask verify` builds the lesson with `RUSTFLAGS="--cfg loom"` and
//! runs `tests/loom.rs`: loom's types have the same API, but every `lock`,
//! `wait` and `notify` becomes a point where loom may switch threads, and it
//! tries every interleaving of a small case (up to a bound on preemptions)
//! instead of one lucky run.
//!
//! [`Semaphore`]: crate::semaphore::Semaphore
//! [`Event`]: crate::event::Event

#[cfg(loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use std::sync::PoisonError;

/// Locks `mutex`, even if a thread panicked while holding it.
///
/// The primitives built here keep their state consistent at every step (a
/// count, a flag), so a panic elsewhere leaves nothing half-written: the
/// poison (the `poisoning` section) carries no information for them.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `condvar`, giving up `guard` meanwhile and taking it back
/// before returning; like [`lock`], it ignores poisoning.
pub fn wait<'a, T>(condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    condvar.wait(guard).unwrap_or_else(PoisonError::into_inner)
}
