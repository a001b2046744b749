//! Panics, reported in one line.
//!
//! A thread that panics must never be lost silently, and a learner should
//! never face a backtrace for a demonstration that panics on purpose. The
//! lesson binary installs [`install_hook`]: every panic prints one line
//! naming the thread, unless the thread announced with [`expect_panic`] that
//! the lesson will report the panic itself (after `join` returns `Err`).

use std::any::Any;
use std::cell::Cell;

thread_local! {
    static EXPECTED: Cell<bool> = const { Cell::new(false) };
}

/// The message a panic carried: the text of `panic!("…")`, or a
/// placeholder for payloads that are not text.
///
/// ```
/// let payload = std::thread::spawn(|| panic!("out of {}", "coffee")).join().unwrap_err();
/// assert_eq!(workshop::panics::message(&*payload), "out of coffee");
/// ```
pub fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic whose payload is not text)".to_owned()
    }
}

/// Marks the calling thread's next panic as part of the lesson: the hook
/// stays quiet, because whoever joins the thread will report it.
pub fn expect_panic() {
    EXPECTED.set(true);
}

/// Replaces the default panic hook (message, then a note about
/// `RUST_BACKTRACE`) with a single line on stderr:
/// `error: thread 'worker' panicked at src/lib.rs:10:5: boom`.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        // An expected panic silences only itself: a pool's worker thread
        // that survives it must report the next one.
        if EXPECTED.replace(false) {
            return;
        }
        let thread = crate::out::thread_label();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: thread '{thread}' panicked{place}: {}",
            message(info.payload())
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_str_and_string_payloads() {
        let boxed: Box<dyn Any + Send> = Box::new("static");
        assert_eq!(message(&*boxed), "static");
        let boxed: Box<dyn Any + Send> = Box::new(String::from("owned"));
        assert_eq!(message(&*boxed), "owned");
        let boxed: Box<dyn Any + Send> = Box::new(42);
        assert!(message(&*boxed).contains("not text"));
    }
}
