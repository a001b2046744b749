//! Section `deadlock`: many locks, new danger. Two threads take two objects' locks
//! in opposite orders and each waits for the other for ever; a timed
//! `try_lock_for` detects it and reports it. A global lock order fixes it.

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use parking_lot::{Mutex, MutexGuard};
use workshop::{Ctx, Out, Outcome, Section, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "deadlock",
    title: "Many locks, new danger",
    explain: "
        The slides' problem with solution 1: with a lock on every object, an
        operation that touches two objects takes two locks, and two threads
        can take them in opposite orders. Thread 1 holds A and waits for B;
        thread 2 holds B and waits for A. Neither lets go: a deadlock, and
        the program stops without a word. One global lock cannot do that.

        Below, that happens on purpose, every time: each thread takes its
        first lock, then a barrier makes sure both have, and only then does
        each ask for its second. Nothing waits for ever here: each asks with
        parking_lot's `try_lock_for`, which gives up after a timeout, and
        each thread reports what it held and what it wanted.

        The cure is a global lock order: every thread takes locks in one
        agreed order, here by object id, lowest first. Then whoever gets A
        first also gets B; the other waits for both, and nobody holds one
        lock while waiting for a lock that the other thread holds.
    ",
    python: r#"
        def transfer_a_to_b():
            with lock_a:
                with lock_b:      # waits for thread 2
                    ...

        def transfer_b_to_a():
            with lock_b:
                with lock_a:      # waits for thread 1
                    ...
    "#,
    rust: r#"
        let _first = first.lock.lock();
        both_hold_one.wait();
        match second.lock.try_lock_for(patience) {

        let (low, high) = if x.id < y.id { (x, y) } else { (y, x) };
        let low_guard = low.lock.try_lock_for(patience)?;
    "#,
    run,
};

/// An object with an id and a lock of its own (solution 1).
pub struct Object {
    /// Its id: the global lock order sorts by it.
    pub id: u32,
    /// Its name in the output.
    pub name: &'static str,
    /// The object's lock, around the value it protects.
    pub lock: Mutex<u64>,
}

impl Object {
    /// Object `name` with id `id` and a value of 0.
    pub fn new(id: u32, name: &'static str) -> Self {
        Object {
            id,
            name,
            lock: Mutex::new(0),
        }
    }
}

/// What one thread of the deadlock reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stuck {
    /// The thread's name.
    pub thread: String,
    /// The lock it held.
    pub held: &'static str,
    /// The lock it wanted and did not get.
    pub wanted: &'static str,
}

/// Takes `first`'s lock, waits at the barrier until the other thread holds
/// its first lock too, then asks for `second`'s within `patience`. The
/// second barrier keeps both first locks held until both threads have
/// tried, so the outcome does not depend on timing: both give up.
fn first_then_second(
    out: &Out,
    first: &Object,
    second: &Object,
    both_hold_one: &Barrier,
    both_tried: &Barrier,
    patience: Duration,
) -> Option<Stuck> {
    let _first = first.lock.lock();
    out.say(format!("holding {}", first.name));
    both_hold_one.wait();
    out.say(format!("waiting for {}...", second.name));
    let stuck = match second.lock.try_lock_for(patience) {
        Some(mut second_value) => {
            *second_value += 1;
            None
        }
        None => Some(Stuck {
            thread: workshop::thread_label(),
            held: first.name,
            wanted: second.name,
        }),
    };
    if stuck.is_some() {
        let waited = units::duration(patience);
        out.say(format!(
            "gave up on {} after {waited}: deadlock",
            second.name
        ));
    }
    both_tried.wait();
    stuck
}

/// Two threads, `a` then `b` and `b` then `a`. Returns what each thread
/// reported, in thread order: with the barrier, both always give up.
pub fn opposite_orders(out: &Out, patience: Duration) -> std::io::Result<Vec<Option<Stuck>>> {
    let (a, b) = (Object::new(1, "A"), Object::new(2, "B"));
    let (both_hold_one, both_tried) = (Barrier::new(2), Barrier::new(2));
    thread::scope(|s| {
        let mut threads = Vec::new();
        for (name, first, second) in [("thread-1", &a, &b), ("thread-2", &b, &a)] {
            let (out, both_hold_one, both_tried) = (out.clone(), &both_hold_one, &both_tried);
            threads.push(
                thread::Builder::new()
                    .name(name.into())
                    .spawn_scoped(s, move || {
                        first_then_second(&out, first, second, both_hold_one, both_tried, patience)
                    })?,
            );
        }
        Ok(threads
            .into_iter()
            .map(|t| t.join().expect("a locking thread panicked"))
            .collect())
    })
}

/// Locks both objects in the global order, lowest id first, whichever
/// order they are given in. Gives up (returns `None`) after `patience` per
/// lock, which with the order never happens.
pub fn lock_both<'a>(
    x: &'a Object,
    y: &'a Object,
    patience: Duration,
) -> Option<(MutexGuard<'a, u64>, MutexGuard<'a, u64>)> {
    let (low, high) = if x.id < y.id { (x, y) } else { (y, x) };
    let low_guard = low.lock.try_lock_for(patience)?;
    let high_guard = high.lock.try_lock_for(patience)?;
    Some((low_guard, high_guard))
}

/// The same two threads, `a, b` and `b, a`, `rounds` times each, with the
/// global order. Returns how many times a thread gave up: 0.
pub fn ordered(rounds: u64, patience: Duration) -> u64 {
    let (a, b) = (Object::new(1, "A"), Object::new(2, "B"));
    thread::scope(|s| {
        let pairs = [(&a, &b), (&b, &a)];
        let threads: Vec<_> = pairs
            .into_iter()
            .map(|(x, y)| {
                s.spawn(move || {
                    let mut gave_up = 0;
                    for _ in 0..rounds {
                        match lock_both(x, y, patience) {
                            Some((mut x_value, mut y_value)) => {
                                *x_value += 1;
                                *y_value += 1;
                            }
                            None => gave_up += 1,
                        }
                    }
                    gave_up
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a locking thread panicked"))
            .sum()
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let patience = ctx.secs(1.0);
    out.line(format!(
        "Opposite orders: thread-1 takes A then B, thread-2 B then A (patience {}):",
        units::duration(patience)
    ));
    let waiting = out.progress(format!(
        "waiting: each thread for the other's lock, {} at most",
        units::duration(patience)
    ));
    let reports = out.concurrently(|| opposite_orders(out, patience))?;
    drop(waiting);
    let stuck: Vec<Stuck> = reports.into_iter().flatten().collect();
    if stuck.len() != 2 {
        return Err("the deadlock was meant to catch both threads".into());
    }
    out.blank();
    for s in &stuck {
        out.line(format!(
            "{} held {} and wanted {}",
            s.thread, s.held, s.wanted
        ));
    }
    out.line("A cycle of waiting: a deadlock. Without the timeout, both would wait for ever.");
    out.blank();
    let rounds: u64 = if ctx.quick() { 10_000 } else { 100_000 };
    let gave_up = ordered(rounds, Duration::from_secs(5));
    out.line(format!(
        "Global order (lowest id first): the same two threads, {} times each:",
        units::count(rounds)
    ));
    out.line(format!(
        "they gave up {gave_up} times. The order makes a cycle of waiting impossible."
    ));
    if gave_up != 0 {
        return Err("a thread gave up although the locks were taken in order".into());
    }
    Ok(())
}
