//! Section `poisoning`: a thread panics while holding a `std::sync::Mutex`; the lock
//! is poisoned, and the next `lock()` says so. parking_lot's does not.

use std::sync::Mutex;
use std::thread;

use workshop::{Ctx, Outcome, Section, panics};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "poisoning",
    title: "Poisoning: a panic while holding the lock",
    explain: "
        What if a thread fails halfway through an update, with the lock held?
        In Python, `with lock:` releases the lock as the exception passes,
        and the next thread finds the data half-updated without a word.

        A `std::sync::Mutex` is released too when a panic unwinds through its
        guard, but it is marked poisoned: every later `lock()` returns
        `Err(PoisonError)`. Most code calls `lock().unwrap()` and so panics in
        turn: a failure spreads instead of being silently ignored. A thread
        that knows how to check or repair the data takes it anyway with
        `into_inner()` on the error, and `clear_poison()` declares it sound
        again.

        parking_lot's `Mutex` does not poison: `lock()` returns the guard, not
        a `Result`. Use it where a panic cannot leave the data inconsistent
        (a counter updated in one step, a cache you can rebuild), or where the
        panic ends the whole program anyway; use the standard mutex where a
        half-made update must not go unnoticed.

        Below, the thread `careless` appends two lines to a ledger under the
        lock and panics between them, on purpose.
    ",
    python: r#"
        with ledger_lock:
            ledger.append('debit  alice 10')
            raise RuntimeError('crashed before the credit')
        # the lock is released; nobody is told the ledger is half-written
    "#,
    rust: r#"
        let mut ledger = ledger.lock().unwrap();
        ledger.push("debit  alice 10");
        panic!("crashed before the credit");

        match ledger.lock() {
            Err(poisoned) => poisoned.into_inner().clone(), // take it anyway
    "#,
    run,
};

/// What [`poison_and_recover`] observed.
#[derive(Clone, Debug, PartialEq)]
pub struct Poisoned {
    /// The panic's message, as `join` returned it.
    pub panic_message: String,
    /// Whether the next `lock()` returned `Err(PoisonError)`.
    pub next_lock_failed: bool,
    /// The ledger, taken from the poisoned lock with `into_inner`.
    pub recovered: Vec<&'static str>,
    /// Whether the mutex was still poisoned after `clear_poison`.
    pub poisoned_after_clear: bool,
    /// The same story with `parking_lot::Mutex`: the ledger as the next
    /// `lock()` returned it, no error involved.
    pub parking_lot_ledger: Vec<&'static str>,
}

/// A thread named `careless` takes the ledger's lock, appends a debit, and
/// panics before appending the matching credit; then main looks at the
/// lock, with `std::sync::Mutex` and with `parking_lot::Mutex`.
pub fn poison_and_recover() -> std::io::Result<Poisoned> {
    let ledger = Mutex::new(vec!["opening balance 100"]);
    let payload = thread::scope(|s| {
        thread::Builder::new()
            .name("careless".into())
            .spawn_scoped(s, || {
                let mut ledger = ledger.lock().unwrap();
                ledger.push("debit  alice 10");
                // This panic is the demonstration: the lesson reports it
                // itself, so the panic hook stays quiet.
                panics::expect_panic();
                panic!("crashed before the credit");
            })
            .map(|handle| handle.join().err())
    })?;
    let panic_message = payload.map_or_else(String::new, |p| panics::message(&*p));
    let next_lock_failed = ledger.lock().is_err();
    let recovered = match ledger.lock() {
        Ok(guard) => guard.clone(),
        Err(poisoned) => poisoned.into_inner().clone(), // take it anyway
    };
    ledger.clear_poison();
    let poisoned_after_clear = ledger.is_poisoned();

    let relaxed = parking_lot::Mutex::new(vec!["opening balance 100"]);
    let payload = thread::scope(|s| {
        thread::Builder::new()
            .name("careless".into())
            .spawn_scoped(s, || {
                let mut ledger = relaxed.lock();
                ledger.push("debit  alice 10");
                panics::expect_panic();
                panic!("crashed before the credit");
            })
            .map(|handle| handle.join().is_err())
    })?;
    debug_assert!(payload, "the careless thread panicked");
    let parking_lot_ledger = relaxed.lock().clone();
    Ok(Poisoned {
        panic_message,
        next_lock_failed,
        recovered,
        poisoned_after_clear,
        parking_lot_ledger,
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let seen = poison_and_recover()?;
    out.line("std::sync::Mutex:");
    out.line(format!(
        "  `careless` panicked while holding the lock: \"{}\"",
        seen.panic_message
    ));
    out.line(format!(
        "  the next lock() returned {}",
        if seen.next_lock_failed {
            "Err(PoisonError): the lock is poisoned"
        } else {
            "Ok (not poisoned?)"
        }
    ));
    out.line(format!(
        "  into_inner() on the error gives the ledger anyway:\n    {:?}",
        seen.recovered
    ));
    out.line("  a debit without its credit: exactly what the poison warned about.");
    out.line(format!(
        "  after clear_poison(), is_poisoned() = {}",
        seen.poisoned_after_clear
    ));
    out.blank();
    out.line("parking_lot::Mutex, the same panic:");
    out.line(format!(
        "  the next lock() simply returned the guard:\n    {:?}",
        seen.parking_lot_ledger
    ));
    out.line("  the same half-written ledger, and no error to tell you.");
    Ok(())
}
