//! Section `rlock`: `threading.RLock` ↔ `parking_lot::ReentrantMutex`, and why a
//! `std::sync::Mutex` must not be locked twice by one thread.
//!
//! A reentrant mutex can hand out two guards to one thread at once, so a
//! guard gives only shared access: mutating through it does not compile.
//!
//! ```compile_fail,E0596
//! let log = parking_lot::ReentrantMutex::new(Vec::<String>::new());
//! let guard = log.lock();
//! guard.push("entry".to_owned()); // error[E0596]: cannot borrow data in dereference as mutable
//! ```
//!
//! A `RefCell` inside gives the mutation back, checked at run time:
//!
//! ```
//! let log = parking_lot::ReentrantMutex::new(std::cell::RefCell::new(Vec::<String>::new()));
//! let guard = log.lock();
//! guard.borrow_mut().push("entry".to_owned());
//! assert_eq!(guard.borrow().len(), 1);
//! ```

use std::cell::RefCell;
use std::sync::{Mutex, TryLockError};
use std::thread;

use parking_lot::ReentrantMutex;
use workshop::{Ctx, Outcome, Section};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "rlock",
    title: "RLock: a lock its holder may take again",
    explain: "
        A thread that holds a `threading.Lock` and asks for it again waits
        for itself: forever. A `threading.RLock` counts instead: its holder
        may acquire it again (say, a locked method calling another locked
        method), and it is free once released as many times as acquired.

        Rust's standard library has no reentrant mutex, and locking a
        `std::sync::Mutex` twice on one thread deadlocks or panics (the
        documentation promises neither). `try_lock` shows the situation
        without the hang: it answers `WouldBlock`. parking_lot has
        `ReentrantMutex`. Since one thread may hold two guards at once, a
        guard gives only shared access (`&T`): put the data in a `RefCell`,
        which checks its borrows at run time, to change it.

        Below, `record_all` takes the lock and calls `record`, which takes it
        again for each entry; another thread that tries meanwhile is refused.
        Often the better design is not to need reentrance: a private
        `record_locked(&mut Vec)` that the public functions call with the
        guard they hold.
    ",
    python: r#"
        log_lock = threading.RLock()

        def record(entry):
            with log_lock:           # taken again by its holder: fine
                log.append(entry)

        def record_all(entries):
            with log_lock:
                for entry in entries:
                    record(entry)
    "#,
    rust: r#"
        let log = ReentrantMutex::new(RefCell::new(Vec::new()));

        let guard = log.lock(); // taken again by its holder: fine
        guard.borrow_mut().push(entry.to_owned());

        let _first = plain.lock().unwrap();
        match plain.try_lock() {
            Err(TryLockError::WouldBlock) => "WouldBlock: it would wait for itself",
    "#,
    run,
};

/// A log protected by a reentrant mutex: `record_all` holds the lock and
/// calls `record`, which takes it again.
pub struct Log {
    log: ReentrantMutex<RefCell<Vec<String>>>,
}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        let log = ReentrantMutex::new(RefCell::new(Vec::new()));
        Log { log }
    }

    /// Appends one entry; returns whether this thread already held the lock
    /// when it asked (that is, how the lock was re-entered).
    pub fn record(&self, entry: &str) -> bool {
        let reentered = self.log.is_owned_by_current_thread();
        let guard = self.log.lock(); // taken again by its holder: fine
        guard.borrow_mut().push(entry.to_owned());
        reentered
    }

    /// Appends every entry under one lock, so that no other thread's entry
    /// lands among them. Returns how many `record` calls re-entered the lock,
    /// and whether another thread could take it meanwhile.
    pub fn record_all(&self, entries: &[&str]) -> (usize, bool) {
        let _guard = self.log.lock();
        let reentered = entries.iter().filter(|e| self.record(e)).count();
        let outsider_got_in = thread::scope(|s| {
            s.spawn(|| self.log.try_lock().is_some())
                .join()
                .unwrap_or(true)
        });
        (reentered, outsider_got_in)
    }

    /// The entries so far.
    pub fn entries(&self) -> Vec<String> {
        self.log.lock().borrow().clone()
    }
}

impl Default for Log {
    fn default() -> Self {
        Self::new()
    }
}

/// Takes a `std::sync::Mutex`, then asks for it again on the same thread
/// with `try_lock`, which answers instead of waiting; returns the answer.
pub fn lock_twice() -> &'static str {
    let plain = Mutex::new(0u32);
    let _first = plain.lock().unwrap();
    match plain.try_lock() {
        Err(TryLockError::WouldBlock) => "WouldBlock: it would wait for itself",
        Err(TryLockError::Poisoned(_)) => "Poisoned",
        Ok(_) => "Ok: a second guard (this should not happen)",
    }
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let log = Log::new();
    let entries = ["open", "debit", "credit", "close"];
    let (reentered, outsider_got_in) = log.record_all(&entries);
    out.line(format!("record_all({entries:?}) took the lock,"));
    out.line(format!(
        "and its {reentered} calls to record() took it again while it was held."
    ));
    out.line(format!(
        "Meanwhile another thread's try_lock() {}.",
        if outsider_got_in {
            "got in (this should not happen)"
        } else {
            "was refused: only the holder re-enters"
        }
    ));
    out.line(format!("The log: {:?}", log.entries()));
    out.blank();
    out.line("std::sync::Mutex taken, then try_lock() on the same thread:");
    out.line(format!("  {}.", lock_twice()));
    out.line("A lock() there would never return: that is why the lesson asks with try_lock.");
    Ok(())
}
