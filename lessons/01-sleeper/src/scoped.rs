//! Section `scoped`: scoped threads, which may borrow and are joined for you.
//!
//! A plain `thread::spawn` may outlive the function that called it, so it
//! cannot borrow that function's local variables. The compiler refuses:
//!
//! ```compile_fail,E0373
//! let names = vec!["ada".to_string(), "grace".to_string()];
//! let handle = std::thread::spawn(|| println!("{}", names[0]));
//! handle.join().unwrap();
//! ```
//!
//! A scope promises that every thread started in it is joined before the
//! scope ends, so borrowing is fine:
//!
//! ```
//! let names = vec!["ada".to_string(), "grace".to_string()];
//! std::thread::scope(|s| {
//!     s.spawn(|| println!("{}", names[0]));
//! });
//! assert_eq!(names.len(), 2); // still ours
//! ```

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use workshop::{Ctx, Outcome, Section, measure, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "scoped",
    title: "Scoped threads: the scope joins for you",
    explain: "
        Python's advice is to let a `with` block manage your threads:
        `ThreadPoolExecutor` as a context manager joins every worker when the
        block ends, so you cannot forget. Rust's `thread::scope` makes the
        same promise, and the compiler holds it to it: no thread started in
        the scope outlives it.

        That promise buys something Python never needed to ask for: scoped
        threads may borrow the caller's local variables, because the variables
        are sure to outlive the threads. No `Arc` and no `move` this time:
        below, three threads read a borrowed list of names and add up their
        letters in a borrowed `Mutex`; after the scope, main still owns both.
        (A scope is not a pool: each `spawn` is a new thread. The pools
        lesson builds the real thing.)
    ",
    python: r#"
        names = ["ada", "grace", "linus"]
        with ThreadPoolExecutor(max_workers=3) as ex:
            ex.map(nap, names)
        # every worker has been joined here
    "#,
    rust: r#"
        let names = ["ada", "grace", "linus"].map(String::from);
        let letters_read = Mutex::new(0);
        thread::scope(|s| {
            for name in &names {
                s.spawn(|| nap(name, pause, &letters_read));
            }
        }); // every thread has been joined here
    "#,
    run,
};

/// A thread body that borrows everything it touches.
fn nap(name: &str, pause: Duration, letters_read: &Mutex<usize>) {
    thread::sleep(pause);
    *letters_read.lock().unwrap() += name.len();
}

/// Three threads borrow a list of names and a counter, nap, and count the
/// letters of their name; returns the names (still owned by the caller) and
/// the letters counted.
pub fn borrow_in_a_scope(pause: Duration) -> (Vec<String>, usize) {
    let names = ["ada", "grace", "linus"].map(String::from);
    let letters_read = Mutex::new(0);
    thread::scope(|s| {
        for name in &names {
            s.spawn(|| nap(name, pause, &letters_read));
        }
    }); // every thread has been joined here
    let letters = *letters_read.lock().unwrap();
    (names.to_vec(), letters)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let pause = ctx.secs(1.0);
    let _running = out.progress(format!(
        "running: three naps of {} in a scope",
        units::duration(pause)
    ));
    let ((names, letters), measured) = measure(|| borrow_in_a_scope(pause));
    out.line(format!(
        "The scope ended after {}: three naps of {} each.",
        out.time(measured.wall),
        units::duration(pause)
    ));
    out.verdict(verdict(measured.wall.as_secs_f64() / pause.as_secs_f64()));
    out.prose(format!(
        "The threads counted {letters} letters; main still owns the names they borrowed: {names:?}."
    ));
    Ok(())
}
/// What the scope's time, in naps, says.
pub fn verdict(naps: f64) -> &'static str {
    if naps < 1.5 {
        "The naps overlapped: the scope waited for all three at once."
    } else {
        "Longer than one nap: the threads were slow to start or to wake, but \
         the scope still waited for every one of them."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_counts_naps() {
        assert!(verdict(1.49).contains("overlapped"));
        assert!(verdict(1.5).contains("Longer than one nap"));
    }
}
