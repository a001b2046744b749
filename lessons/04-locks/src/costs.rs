//! Section `costs`: what a lock costs, `std::sync::Mutex` against
//! `parking_lot::Mutex`, uncontended and with two threads contending,
//! measured side by side in one run.

use std::hint::black_box;

use workshop::bench::{Timing, per_op, per_op_threads, side_by_side};
use workshop::{Ctx, Outcome, Section, Table, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "costs",
    title: "std or parking_lot: what a lock costs",
    explain: "
        Rust has two mutexes in common use: the standard library's, and the
        `parking_lot` crate's (smaller, no poisoning, timed `try_lock_for`,
        fair unlocking on demand). Both take the lock with one atomic
        operation when nobody else holds it, and put a thread to sleep only
        when it must wait.

        Measured below, in interleaved rounds (each variant runs once per
        round, and keeps its median), one operation being lock, add 1,
        unlock: first on one thread alone (uncontended), then on two threads
        hammering the same lock (contended; the time per operation is the
        wall time divided by what one thread did). On the machine this lesson was written on (two cores shared with
        other work), uncontended both cost 5 to 10 ns; contended, the standard
        mutex 30 to 47 ns and parking_lot's 13 to 21 ns. Contended figures swing
        with whatever else the machine is doing: compare the two mutexes within
        one run, not your run with your neighbour's.
    ",
    python: r#"
        lock = threading.Lock()
        with lock:                   # one lock, one add, one unlock
            counter += 1
    "#,
    rust: r#"
        *counter.lock().unwrap() += black_box(1); // std::sync::Mutex
        *counter.lock() += black_box(1); // parking_lot::Mutex
    "#,
    run,
};

/// The four measurements, in the order [`compare`] returns them.
pub const VARIANTS: [&str; 4] = [
    "std, uncontended",
    "parking_lot, uncontended",
    "std, 2 threads",
    "parking_lot, 2 threads",
];

/// One measurement of each variant per round, `rounds` rounds of
/// `iterations` operations (per thread); each variant's median, in the
/// order of [`VARIANTS`], and whether every final count was exact.
pub fn compare(iterations: u64, rounds: usize) -> (Vec<Timing>, bool) {
    let exact = std::cell::Cell::new(true);
    let check = |count: u64, expected: u64| exact.set(exact.get() && count == expected);
    let std_alone = &mut || {
        let counter = std::sync::Mutex::new(0u64);
        let per = per_op(iterations, || {
            *counter.lock().unwrap() += black_box(1); // std::sync::Mutex
        });
        check(*counter.lock().unwrap(), iterations);
        per
    };
    let parking_alone = &mut || {
        let counter = parking_lot::Mutex::new(0u64);
        let per = per_op(iterations, || {
            *counter.lock() += black_box(1); // parking_lot::Mutex
        });
        check(*counter.lock(), iterations);
        per
    };
    let std_contended = &mut || {
        let counter = std::sync::Mutex::new(0u64);
        let per = per_op_threads(2, iterations, |_| {
            *counter.lock().unwrap() += black_box(1);
        });
        check(*counter.lock().unwrap(), 2 * iterations);
        per
    };
    let parking_contended = &mut || {
        let counter = parking_lot::Mutex::new(0u64);
        let per = per_op_threads(2, iterations, |_| {
            *counter.lock() += black_box(1);
        });
        check(*counter.lock(), 2 * iterations);
        per
    };
    let timings = side_by_side(
        rounds,
        &mut [
            (VARIANTS[0], std_alone),
            (VARIANTS[1], parking_alone),
            (VARIANTS[2], std_contended),
            (VARIANTS[3], parking_contended),
        ],
    );
    (timings, exact.get())
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let iterations: u64 = if ctx.quick() { 200_000 } else { 2_000_000 };
    let rounds = if ctx.quick() { 3 } else { 7 };
    let (timings, exact) = compare(iterations, rounds);
    if !exact {
        return Err("a mutex lost or invented an increment".into());
    }
    out.line(format!(
        "Lock, add 1, unlock: {} times per thread, median of {rounds} interleaved rounds.",
        units::count(iterations)
    ));
    out.blank();
    let mut table = Table::new([
        "case",
        "std::sync::Mutex",
        "parking_lot::Mutex",
        "parking_lot ÷ std",
    ]);
    for (case, std, parking) in [
        ("uncontended", &timings[0], &timings[1]),
        ("2 threads, one lock", &timings[2], &timings[3]),
    ] {
        table.push([
            case.to_owned(),
            out.seconds(std.seconds_per_op),
            out.seconds(parking.seconds_per_op),
            out.ratio(parking.ratio_to(std)),
        ]);
    }
    out.table(&table);
    out.line(format!(
        "Contention multiplied the cost of the standard mutex by {} and of",
        out.ratio(timings[2].ratio_to(&timings[0]))
    ));
    out.line(format!(
        "parking_lot's by {}: the lock's cache line travels between the cores, and a",
        out.ratio(timings[3].ratio_to(&timings[1]))
    ));
    out.line("thread that finds the lock taken spins a little, then sleeps. Every final count");
    out.line("was exact.");
    Ok(())
}
