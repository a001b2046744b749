//! Section `deadlock`: two locks taken in opposite orders by two threads: a
//! deadlock, detected with a timeout and reported, then fixed by a lock
//! order.

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use parking_lot::Mutex;
use workshop::{Ctx, Outcome, Section};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "deadlock",
    title: "Deadlock: two locks, two orders",
    explain: "
        The workshop's slides give the reason CPython has one big lock rather
        than one lock per object: with many locks come deadlocks. Thread A
        holds lock 1 and waits for lock 2; thread B holds lock 2 and waits
        for lock 1. Neither lets go, and both wait forever, in Python and in
        Rust alike: the compiler prevents data races, not deadlocks.

        The lesson must not hang, so each thread asks for its second lock
        with parking_lot's `try_lock_for(timeout)`, which gives up instead of
        waiting forever, and reports what it held and what it wanted. A
        `Barrier` after the first lock makes sure that both threads hold one
        lock each before either asks for the other: the deadlock happens on
        every run, not only on unlucky ones. (parking_lot can also find
        deadlocks for you, with its `deadlock_detection` feature and a
        watchdog thread; a timeout is simpler.)

        The fix is a lock order: every thread that needs both takes
        `accounts` first, then `audit`. A thread that holds `audit` then
        never waits for `accounts`, so no cycle of waits can form.
    ",
    python: r#"
        def teller():
            with accounts:
                with audit:
                    transfer()

        def auditor():
            with audit:                # the opposite order: deadlock
                with accounts:
                    check()
    "#,
    rust: r#"
        let _first = first.1.lock();
        both_hold_one.wait(); // now each holds one and wants the other
        match second.1.try_lock_for(patience) {
            Some(_second) => Ok(()),
            None => Err(Stuck {
                held: first.0,
                wanted: second.0,
                ...
            }),
        };
    "#,
    run,
};

/// A thread that gave up waiting for its second lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stuck {
    /// The thread's name.
    pub thread: String,
    /// The lock it held.
    pub held: &'static str,
    /// The lock it waited for in vain.
    pub wanted: &'static str,
}

type Named<'a> = (&'static str, &'a Mutex<u64>);

/// Takes `first`, waits at `both_hold_one` until the other thread holds its
/// first lock too, then asks for `second` for at most `patience`. Keeps its
/// first lock until `both_tried` (so the other thread's attempt fails too,
/// instead of succeeding the moment this one gives up).
fn take_both(
    first: Named,
    second: Named,
    both_hold_one: &Barrier,
    both_tried: &Barrier,
    patience: Duration,
) -> Result<(), Stuck> {
    let _first = first.1.lock();
    both_hold_one.wait(); // now each holds one and wants the other
    let outcome = match second.1.try_lock_for(patience) {
        Some(_second) => Ok(()),
        None => Err(Stuck {
            held: first.0,
            wanted: second.0,
            thread: thread::current().name().unwrap_or("unnamed").to_owned(),
        }),
    };
    both_tried.wait();
    outcome
}

/// `teller` takes `accounts` then `audit`; `auditor` takes `audit` then
/// `accounts`. Returns what each reported, teller first.
pub fn opposite_orders(patience: Duration) -> std::io::Result<Vec<Result<(), Stuck>>> {
    let accounts = ("accounts", &Mutex::new(100u64));
    let audit = ("audit", &Mutex::new(0u64));
    let (both_hold_one, both_tried) = (Barrier::new(2), Barrier::new(2));
    let (hold, tried) = (&both_hold_one, &both_tried);
    thread::scope(|s| {
        let teller = thread::Builder::new()
            .name("teller".into())
            .spawn_scoped(s, move || take_both(accounts, audit, hold, tried, patience))?;
        let auditor = thread::Builder::new()
            .name("auditor".into())
            .spawn_scoped(s, move || take_both(audit, accounts, hold, tried, patience))?;
        Ok(workshop::join_all([teller, auditor])?)
    })
}

/// The fix: both threads take `accounts`, then `audit`, `rounds` times
/// each, each time asking for the second lock for at most `patience`.
/// Returns how many attempts gave up (none, with a lock order).
pub fn one_order(rounds: u32, patience: Duration) -> std::io::Result<u32> {
    let accounts = Mutex::new(100u64);
    let audit = Mutex::new(0u64);
    thread::scope(|s| {
        let mut handles = Vec::new();
        for name in ["teller", "auditor"] {
            let (accounts, audit) = (&accounts, &audit);
            handles.push(
                thread::Builder::new()
                    .name(name.into())
                    .spawn_scoped(s, move || {
                        let mut failures = 0;
                        for _ in 0..rounds {
                            let mut balance = accounts.lock(); // always first
                            match audit.try_lock_for(patience) {
                                Some(mut checks) => {
                                    *balance += 1;
                                    *checks += 1;
                                }
                                None => failures += 1,
                            }
                        }
                        failures
                    })?,
            );
        }
        Ok(workshop::join_all(handles)?.into_iter().sum())
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let patience = ctx.secs(0.5);
    out.line(format!(
        "Opposite orders, each thread waiting at most {} for its second lock:",
        workshop::units::duration(patience)
    ));
    let reports = opposite_orders(patience)?;
    for report in &reports {
        match report {
            Err(stuck) => out.line(format!(
                "  {:<8} held `{}`, waited for `{}`, gave up: deadlock",
                stuck.thread, stuck.held, stuck.wanted
            )),
            Ok(()) => out.line("  a thread got both locks (the barrier should prevent this)"),
        }
    }
    if reports.iter().any(Result::is_ok) {
        return Err("the deadlock did not happen".into());
    }
    out.blank();
    let rounds = if ctx.quick() { 10_000 } else { 100_000 };
    let failures = one_order(rounds, Duration::from_secs(2))?;
    out.line(format!(
        "One order (accounts, then audit), {} rounds per thread: {failures} attempts gave up.",
        workshop::units::count(u64::from(rounds))
    ));
    if failures != 0 {
        return Err(format!("{failures} attempts gave up with a lock order").into());
    }
    out.prose("With a lock order, a thread holding `audit` never waits for `accounts`: no cycle.");
    Ok(())
}
