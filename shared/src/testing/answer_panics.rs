//! Panics in an exercise's answer, told at once to every test that waits
//! under a deadline.
//!
//! A test that waits (under [`super::within`]) for the threads of an
//! exercise would sit out the whole deadline when one of those threads
//! panics, at a `todo!()` in a stub say, while the others wait for it: a
//! simulated GIL that is never released, a barrier that never fills, a
//! channel that is never closed. So a panic hook, installed by the first
//! deadline, tells every deadline that is waiting about a panic whose
//! location is an answer file (a lesson's `src/exercises.rs` or
//! `src/solutions.rs`), and the test fails at once with that panic's
//! message. Panics anywhere else are left to the test: the tests' own
//! (some are deliberate: a job that panics on purpose), the lessons' demos
//! (some panic on purpose too) and the standard library's.
//!
//! The hook calls the one it replaces, so the panic is still printed.
//! `cargo xtask check` runs each test in a process of its own, so a panic
//! is only ever told to the test it belongs to; under `cargo test`, where
//! tests share a process, a reference solution does not panic.

use std::panic::{self, PanicHookInfo};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, Once, PoisonError};
use std::thread;

/// What a waiting deadline is told: the panic's message, then where.
type Tell = Box<dyn Fn(&str) + Send>;

/// The deadlines waiting right now, each with its id.
static WAITING: Mutex<Vec<(u64, Tell)>> = Mutex::new(Vec::new());

/// Hands out the ids (only unique, so `Relaxed` is enough).
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Until dropped, `tell` hears of every panic in an answer file.
pub struct Subscription(u64);

/// Calls `tell` with the message of every panic in an answer file, on the
/// panicking thread, until the [`Subscription`] is dropped.
pub fn subscribe(tell: impl Fn(&str) + Send + 'static) -> Subscription {
    static HOOK: Once = Once::new();
    HOOK.call_once(install_hook);
    let id = NEXT_ID.fetch_add(1, Relaxed);
    waiting().push((id, Box::new(tell)));
    Subscription(id)
}

impl Drop for Subscription {
    fn drop(&mut self) {
        waiting().retain(|(id, _)| *id != self.0);
    }
}

/// The list of waiting deadlines. A panic elsewhere cannot poison it (the
/// lock is only held to push, remove and send), but if it did, the list
/// is still whole.
fn waiting() -> std::sync::MutexGuard<'static, Vec<(u64, Tell)>> {
    WAITING.lock().unwrap_or_else(PoisonError::into_inner)
}

fn install_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if let Some(report) = answer_panic(info) {
            for (_, tell) in waiting().iter() {
                tell(&report);
            }
        }
        previous(info);
    }));
}

/// For a panic in an answer file: its message, then which thread panicked
/// where. The message comes first, so that a `todo!()` still reads "not
/// yet implemented".
fn answer_panic(info: &PanicHookInfo<'_>) -> Option<String> {
    let place = info.location().filter(|l| is_answer_file(l.file()))?;
    let current = thread::current();
    let thread = current.name().unwrap_or("unnamed");
    Some(format!(
        "{}\n(thread `{thread}` panicked at {}:{}:{})",
        crate::panics::message(info.payload()),
        place.file(),
        place.line(),
        place.column()
    ))
}

/// `lessons/03-gil/src/exercises.rs` and the like, with either separator.
fn is_answer_file(file: &str) -> bool {
    let file = file.replace('\\', "/");
    file.ends_with("/src/exercises.rs") || file.ends_with("/src/solutions.rs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_files_are_the_exercises_and_the_solutions() {
        assert!(is_answer_file("lessons/03-gil/src/exercises.rs"));
        assert!(is_answer_file(r"lessons\03-gil\src\solutions.rs"));
        assert!(!is_answer_file("lessons/03-gil/tests/exercises.rs"));
        assert!(!is_answer_file("lessons/03-gil/src/gil.rs"));
        assert!(!is_answer_file("/rustc/abc/library/std/src/thread/mod.rs"));
    }
}
