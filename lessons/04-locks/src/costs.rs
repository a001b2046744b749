//! Section `costs`: what a lock costs, `std::sync::Mutex` against
//! `parking_lot::Mutex`, uncontended and with two threads contending,
//! measured side by side in one run.

use std::hint::black_box;

use workshop::bench::{CpuShare, Timing, per_op, per_op_threads, side_by_side};
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
        wall time divided by what one thread did). Contended, parking_lot's
        mutex usually comes out cheaper (it spins a little before it sleeps),
        but by how much swings with whatever else the machine is doing:
        compare the two mutexes within one run, not your run with your
        neighbour's. The sentence under the table reads this run's figures.
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
    let measuring = out.progress("measuring: std's Mutex and parking_lot's, alone and shared");
    let (timings, exact) = compare(iterations, rounds);
    drop(measuring);
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
    let share = CpuShare::measure(2);
    share.report(out);
    let ns: Vec<f64> = timings.iter().map(|t| t.seconds_per_op).collect();
    out.verdict(verdict([ns[0], ns[1], ns[2], ns[3]], &share));
    out.line("Every final count was exact.");
    Ok(())
}

/// Within this factor of each other, two costs count as about the same.
const ABOUT: f64 = 1.25;

/// How `a` compares with `b`, in words: "cheaper", "dearer", or "about
/// the same", with the ratio.
fn against(a: f64, b: f64) -> String {
    let r = a / b;
    if r < 1.0 / ABOUT {
        format!("cheaper ({r:.2}×)")
    } else if r > ABOUT {
        format!("dearer ({r:.2}×)")
    } else {
        format!("about the same ({r:.2}×)")
    }
}

/// What the four figures say, in seconds per operation: `[std
/// uncontended, parking_lot uncontended, std contended, parking_lot
/// contended]`.
pub fn verdict([std_alone, pl_alone, std_two, pl_two]: [f64; 4], share: &CpuShare) -> String {
    let alone = format!(
        "Uncontended, parking_lot's mutex was {} against the standard one: \
         each takes and releases the lock with an atomic operation.",
        against(pl_alone, std_alone)
    );
    let contended = format!(
        " With two threads on one lock, it was {}.",
        against(pl_two, std_two)
    );
    let (std_x, pl_x) = (std_two / std_alone, pl_two / pl_alone);
    let contention = if std_x > ABOUT || pl_x > ABOUT {
        format!(
            " Contention multiplied the standard mutex's cost by {std_x:.2} and \
             parking_lot's by {pl_x:.2}: the lock's cache line travels between \
             the cores, and a thread that finds the lock taken spins a little, \
             then sleeps."
        )
    } else {
        format!(
            " Contention barely changed either ({std_x:.2}× and {pl_x:.2}×): the \
             two threads seldom met at the lock."
        )
    };
    let busy = if share.busy() {
        " The machine is busy, so the two-thread figures include time spent \
         waiting for a core, and may come out either way."
    } else {
        ""
    };
    format!("{alone}{contended}{contention}{busy}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_run_that_contradicted_the_quoted_ranges() {
        // Contended: std 27.9 ns, parking_lot 24.1 ns.
        let said = verdict([6.5e-9, 6.8e-9, 27.9e-9, 24.1e-9], &share(1.95));
        assert!(
            said.contains("one lock, it was about the same (0.86×)"),
            "{said}"
        );
        assert!(
            said.contains("Uncontended, parking_lot's mutex was about the same"),
            "{said}"
        );
        assert!(!said.contains("30 to 47"), "{said}");
    }

    #[test]
    fn each_side_of_each_threshold() {
        let idle = share(1.95);
        let cheaper = verdict([6.0, 6.0, 55.6, 21.8], &idle);
        assert!(cheaper.contains("it was cheaper (0.39×)"), "{cheaper}");
        assert!(
            cheaper.contains("multiplied the standard mutex's cost by 9.27"),
            "{cheaper}"
        );
        assert!(!verdict([6.0, 6.0, 20.0, 25.0], &idle).contains("dearer"));
        assert!(verdict([6.0, 6.0, 20.0, 25.2], &idle).contains("dearer (1.26×)"));
        let calm = verdict([6.0, 6.0, 7.5, 7.5], &idle);
        assert!(
            calm.contains("barely changed either (1.25× and 1.25×)"),
            "{calm}"
        );
        assert!(verdict([6.0, 6.0, 7.6, 7.5], &idle).contains("multiplied"));
        assert!(verdict([6.0, 6.0, 30.0, 20.0], &share(1.0)).contains("machine is busy"));
    }
}
