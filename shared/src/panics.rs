//! Panics, reported in one line.
//!
//! A thread that panics must never be lost silently, and a learner should
//! never face a backtrace for a demonstration that panics on purpose. The
//! lesson binary installs [`install_hook`]: every panic prints one line
//! naming the thread, unless the thread announced with [`expect_panic`] that
//! the lesson will report the panic itself (after `join` returns `Err`).
//!
//! Joining is where a panic comes back: [`join`] turns it into a
//! [`ThreadPanicked`] error that names the thread and carries its message,
//! so a section can pass it on with `?`.
//!
//! ```
//! let worker = std::thread::Builder::new()
//!     .name("worker".into())
//!     .spawn(|| -> u32 { panic!("out of coffee") })
//!     .unwrap();
//! let error = workshop::join(worker).unwrap_err();
//! assert_eq!(error.to_string(), "thread `worker` panicked: out of coffee");
//! ```

use std::any::Any;
use std::cell::Cell;
use std::fmt;
use std::io;
use std::thread::{JoinHandle, ScopedJoinHandle};

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

/// A thread ended in a panic instead of returning: which thread, and what
/// the panic said.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadPanicked {
    /// The thread's name, or `unnamed`.
    pub thread: String,
    /// The panic's message (see [`message`]).
    pub message: String,
}

impl fmt::Display for ThreadPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "thread `{}` panicked: {}", self.thread, self.message)
    }
}

impl std::error::Error for ThreadPanicked {}

/// So that a function returning `io::Result` (it also spawns threads) can
/// pass a panic on with `?`; the message is kept.
impl From<ThreadPanicked> for io::Error {
    fn from(panicked: ThreadPanicked) -> Self {
        io::Error::other(panicked)
    }
}

/// A handle that [`join`] can wait for: a thread's or a scoped thread's.
pub trait Joinable<T> {
    /// The thread's name, or `unnamed`.
    fn thread_name(&self) -> String;
    /// Waits for the thread, as `JoinHandle::join` does.
    fn join_thread(self) -> std::thread::Result<T>;
}

impl<T> Joinable<T> for JoinHandle<T> {
    fn thread_name(&self) -> String {
        self.thread().name().unwrap_or("unnamed").to_owned()
    }

    fn join_thread(self) -> std::thread::Result<T> {
        self.join()
    }
}

impl<T> Joinable<T> for ScopedJoinHandle<'_, T> {
    fn thread_name(&self) -> String {
        self.thread().name().unwrap_or("unnamed").to_owned()
    }

    fn join_thread(self) -> std::thread::Result<T> {
        self.join()
    }
}

/// Waits for a thread and returns what it returned, or, if it panicked, a
/// [`ThreadPanicked`] naming it and carrying the panic's message.
pub fn join<T>(handle: impl Joinable<T>) -> Result<T, ThreadPanicked> {
    let thread = handle.thread_name();
    handle.join_thread().map_err(|payload| ThreadPanicked {
        thread,
        message: message(&*payload),
    })
}

/// Waits for every thread, in order, and returns what each returned; if
/// any panicked, the first [`ThreadPanicked`] (after waiting for the rest,
/// so that none is left running).
pub fn join_all<T, H: Joinable<T>>(
    handles: impl IntoIterator<Item = H>,
) -> Result<Vec<T>, ThreadPanicked> {
    let joined: Vec<Result<T, ThreadPanicked>> = handles.into_iter().map(join).collect();
    joined.into_iter().collect()
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
        crate::out::erase_progress();
        let thread = crate::speakers::thread_label();
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

    #[test]
    fn join_names_the_scoped_thread_that_panicked() {
        let joined = std::thread::scope(|s| {
            let handle = std::thread::Builder::new()
                .name("reader-2".into())
                .spawn_scoped(s, || {
                    expect_panic();
                    panic!("no letters")
                })
                .unwrap();
            join::<()>(handle)
        });
        let panicked = joined.unwrap_err();
        assert_eq!(panicked.thread, "reader-2");
        assert_eq!(panicked.message, "no letters");
        let as_io = io::Error::from(panicked);
        assert_eq!(as_io.to_string(), "thread `reader-2` panicked: no letters");
    }

    #[test]
    fn join_passes_the_result_through() {
        assert_eq!(join(std::thread::spawn(|| 6 * 7)), Ok(42));
        let handles = (1..=3).map(|n| std::thread::spawn(move || n * 2));
        assert_eq!(join_all(handles), Ok(vec![2, 4, 6]));
    }
}
