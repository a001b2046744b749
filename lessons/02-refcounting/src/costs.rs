//! Section `costs`: what keeping a count safe costs, measured side by side.
//!
//! First the pointers themselves: a clone and a drop of an `Rc`, of an
//! `Arc` on one thread, and of one `Arc` shared by two threads. Then the
//! workshop's two solutions on one workload, many objects with a count
//! each: a lock per object (solution 1), one global lock (solution 2, the
//! GIL's way), and atomic counts (what `Arc` and free-threaded CPython do).

use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed, Ordering::Release};
use std::sync::{Arc, Mutex};

use workshop::bench::{CpuShare, Padded, Timing, per_op, per_op_threads, side_by_side};
use workshop::{Ctx, Outcome, Section, Table, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "costs",
    title: "What safety costs, measured side by side",
    explain: "
        One operation here is a clone and a drop: a count goes up by 1 and
        back down. `Rc` does it with plain adds. `Arc` does it with atomic
        read-modify-writes, which usually cost more even when no other thread
        is around, and a lot more when another thread updates the same count:
        the count's cache line has to travel between the cores on every
        update.

        Then the slides' choice, on one workload: 1,024 objects, each with a
        count, and a thread walking through them cloning and dropping each
        (two threads start half-way apart). Solution 1 puts a lock on every
        object, taken and released at every update. Solution 2 is one lock over everything, like
        the GIL: a thread takes it once and then does a batch of 64 updates
        with plain adds, as a Python thread runs many bytecodes per turn.
        Atomics lock nothing: each update is one atomic instruction.
        `black_box` hides each clone from the optimizer, which would drop
        work that nothing uses.

        With 2 threads, each does the single thread's work, and the time
        shown is what one operation costs each: it would equal the one-thread
        figure if the threads never got in each other's way. Usually they do get in each other's way, even on
        different objects: over a run both threads update every object, so
        each count's cache line keeps moving between the two cores. Each
        variant runs in turn, round after round, and keeps its median;
        ratios compare figures from this run only.
    ",
    python: r#"
        b = a       # Py_INCREF: one add, safe under the GIL
        del b       # Py_DECREF: one subtract; freed at 0
    "#,
    rust: r#"
        drop(black_box(Rc::clone(&rc)))
        drop(black_box(Arc::clone(&arc)))

        *objects[i].lock().unwrap() += 1;      // solution 1
        let mut counts = global.lock().unwrap(); // solution 2
        objects[i].fetch_add(1, Relaxed);      // atomics
    "#,
    run,
};

/// How many objects the refcount workload counts references to.
pub const OBJECTS: usize = 1024;

/// How many updates a thread makes per turn of the global lock.
pub const BATCH: u64 = 64;

/// The variants, in the order of the table: `(name, threads)`.
pub const VARIANTS: [(&str, usize); 9] = [
    ("Rc clone+drop", 1),
    ("Arc clone+drop", 1),
    ("Arc clone+drop, one Arc", 2),
    ("a Mutex per object", 1),
    ("a Mutex per object", 2),
    ("one global Mutex", 1),
    ("one global Mutex", 2),
    ("atomic counts", 1),
    ("atomic counts", 2),
];

/// Each thread's place in its walk through the objects, on a cache line of
/// its own so that the two threads' cursors do not slow each other down.
struct Cursors(Vec<Padded<AtomicUsize>>);

impl Cursors {
    fn new() -> Self {
        Cursors((0..2).map(|_| Padded::default()).collect())
    }

    /// The next object for thread `t`. Thread 0 starts at object 0, thread
    /// 1 halfway through. Relaxed is enough: each cursor is only ever
    /// touched by its own thread.
    fn next(&self, t: usize) -> usize {
        let cursor = self.0[t].load(Relaxed);
        self.0[t].store(cursor + 1, Relaxed);
        (cursor + t * OBJECTS / 2) % OBJECTS
    }
}

/// Solution 1: every object has its own lock around its count. Padded, so
/// that neighbouring objects do not share a cache line (objects in a real
/// program live in allocations of their own).
pub fn lock_per_object(threads: usize, iterations: u64) -> f64 {
    let objects: Vec<Padded<Mutex<u64>>> = (0..OBJECTS).map(|_| Padded::default()).collect();
    let cursors = Cursors::new();
    per_op_threads(threads, iterations, |t| {
        let i = cursors.next(t);
        *objects[i].lock().unwrap() += 1; // solution 1
        *objects[i].lock().unwrap() -= 1;
    })
}

/// Solution 2: one lock over every count. A thread takes it once per
/// [`BATCH`] updates; under it the counts are plain numbers.
pub fn one_global_lock(threads: usize, iterations: u64) -> f64 {
    let global = Mutex::new(vec![0u64; OBJECTS]);
    let cursors = Cursors::new();
    let per_batch = per_op_threads(threads, iterations / BATCH, |t| {
        let mut counts = global.lock().unwrap(); // solution 2
        for _ in 0..BATCH {
            let count = &mut counts[cursors.next(t)];
            *count += 1;
            black_box(&mut *count); // the clone is used: keep the two updates apart
            *count -= 1;
        }
    });
    per_batch / BATCH as f64
}

/// No lock: each count is an atomic, updated the way `Arc` does it.
pub fn atomic_counts(threads: usize, iterations: u64) -> f64 {
    let objects: Vec<Padded<AtomicU64>> = (0..OBJECTS).map(|_| Padded::default()).collect();
    let cursors = Cursors::new();
    per_op_threads(threads, iterations, |t| {
        let i = cursors.next(t);
        objects[i].fetch_add(1, Relaxed); // atomics
        // Release on the way down, as `Arc` does: see the exercise MyArc.
        objects[i].fetch_sub(1, Release);
    })
}

/// Every variant of [`VARIANTS`], measured side by side: `rounds` rounds of
/// `iterations` operations per thread. Returns each variant's median cost
/// per operation, in seconds, in the order of [`VARIANTS`].
pub fn compare(iterations: u64, rounds: usize) -> Vec<Timing> {
    let rc = Rc::new(0u64);
    let arc = Arc::new(0u64);
    let names: Vec<String> = VARIANTS
        .iter()
        .map(|(name, threads)| format!("{name}, {threads} thread(s)"))
        .collect();
    side_by_side(
        rounds,
        &mut [
            (&names[0], &mut || {
                per_op(iterations, || drop(black_box(Rc::clone(&rc))))
            }),
            (&names[1], &mut || {
                per_op(iterations, || drop(black_box(Arc::clone(&arc))))
            }),
            (&names[2], &mut || {
                per_op_threads(2, iterations, |_| drop(black_box(Arc::clone(&arc))))
            }),
            (&names[3], &mut || lock_per_object(1, iterations)),
            (&names[4], &mut || lock_per_object(2, iterations)),
            (&names[5], &mut || one_global_lock(1, iterations)),
            (&names[6], &mut || one_global_lock(2, iterations)),
            (&names[7], &mut || atomic_counts(1, iterations)),
            (&names[8], &mut || atomic_counts(2, iterations)),
        ],
    )
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    // Many short rounds: a burst of noise then spoils a few rounds of every
    // variant, which the medians leave out, instead of a variant's whole run.
    let iterations: u64 = if ctx.quick() { 50_000 } else { 200_000 };
    let rounds = if ctx.quick() { 9 } else { 21 };
    let _measuring = out.progress("measuring: clone and drop through Rc, Arc and Mutex");
    let timings = compare(iterations, rounds);
    let rc = &timings[0];
    let mut table = Table::new(["clone+drop through", "threads", "per op", "× Rc"]);
    for ((name, threads), timing) in VARIANTS.iter().zip(&timings) {
        if *name == "a Mutex per object" && *threads == 1 {
            table.push(["", "", "", ""]);
            table.push([
                format!("{} objects:", units::count(OBJECTS as u64)),
                String::new(),
            ]);
        }
        table.push([
            name.to_string(),
            threads.to_string(),
            out.seconds(timing.seconds_per_op),
            out.ratio(timing.ratio_to(rc)),
        ]);
    }
    out.line(format!(
        "Median of {rounds} rounds, {} operations per thread per round:",
        units::count(iterations)
    ));
    out.blank();
    out.table(&table);
    let share = CpuShare::measure(2);
    share.report(out);
    out.blank();
    out.line("Read it as the slides do:");
    let ns: Vec<f64> = timings.iter().map(|t| t.seconds_per_op).collect();
    out.verdict(verdict(&Costs::from(&ns[..]), &share));
    Ok(())
}

/// The figures the verdict reads, in seconds per operation.
#[derive(Clone, Copy, Debug)]
pub struct Costs {
    /// `Rc` clone+drop.
    pub rc: f64,
    /// `Arc` clone+drop on one thread.
    pub arc: f64,
    /// One `Arc` cloned and dropped by two threads.
    pub arc_shared: f64,
    /// A mutex per object: one thread, two threads.
    pub per_object: (f64, f64),
    /// One global mutex: one thread, two threads.
    pub global: (f64, f64),
    /// Atomic counts: one thread, two threads.
    pub atomic: (f64, f64),
}

impl From<&[f64]> for Costs {
    /// From the medians, in the order of [`VARIANTS`].
    fn from(ns: &[f64]) -> Self {
        Costs {
            rc: ns[0],
            arc: ns[1],
            arc_shared: ns[2],
            per_object: (ns[3], ns[4]),
            global: (ns[5], ns[6]),
            atomic: (ns[7], ns[8]),
        }
    }
}

/// Up to this, a second thread slowed the first one only as noise would.
const LITTLE: f64 = 1.25;
/// Taking turns under one lock costs each thread about 2×: this far either
/// side counts as "about twice".
const TURNS: (f64, f64) = (1.6, 2.5);

/// The slides' reading of the table, chosen from its figures: one bullet
/// per solution.
pub fn verdict(c: &Costs, share: &CpuShare) -> String {
    let busy = if share.busy() {
        " (The machine is busy, so part of that is waiting for a core.)"
    } else {
        ""
    };
    let shared = c.arc_shared / c.arc;
    let arc = if shared <= LITTLE {
        format!("shared by two threads, it cost about the same ({shared:.2}×).")
    } else {
        format!(
            "shared by two threads, {shared:.2}× that: its count's cache line \
             travelled between the cores on every update.{busy}"
        )
    };
    let pointers = format!(
        "- Pointers: an Arc's clone and drop cost {:.1}× an Rc's on one thread; {arc}",
        c.arc / c.rc
    );
    let (one, two) = c.per_object;
    let slowdown = two / one;
    let second = if slowdown <= LITTLE {
        format!(
            "Two threads on different objects cost each other little \
             ({slowdown:.2}×): neither waited for the other's locks."
        )
    } else {
        format!(
            "Two threads cost each other {slowdown:.2}×, though they rarely \
             want one object at the same moment: over the run both update \
             every object, so each lock's cache line keeps moving between the \
             cores.{busy}"
        )
    };
    let solution_1 = format!(
        "- Solution 1, a lock per object: every update pays for a lock and an \
         unlock, {:.1}× an Rc's on one thread. {second} And many locks bring a \
         new danger: the next section.",
        one / c.rc
    );
    let (one, two) = c.global;
    let turns = two / one;
    let cheapest = one < c.per_object.0 && one < c.atomic.0;
    let alone = if cheapest {
        "the cheapest of the three on one thread, because the lock is taken \
         once per batch and the counts are plain numbers"
    } else {
        "not the cheapest on one thread this time, although it takes its \
         lock only once per batch"
    };
    let shared = if turns < TURNS.0 {
        format!(
            "With two threads each operation cost {turns:.2}×, less than the 2× \
             of taking turns: one thread must have done much of its work \
             before the other started."
        )
    } else if turns <= TURNS.1 {
        format!(
            "Two threads take turns: each one's operations cost {turns:.2}× as \
             much, about twice, as if it ran alone at half speed."
        )
    } else {
        format!(
            "Two threads take turns, and each one's operations cost {turns:.2}×, \
             more than the 2× of taking turns: the lock and the counts it \
             guards move to the other core at every turn.{busy}"
        )
    };
    let solution_2 = format!("- Solution 2, one lock: {alone}. {shared}");
    let (one, two) = c.atomic;
    let contended = two / one;
    let atomics_two = if contended <= LITTLE {
        format!("Two threads barely slowed each other ({contended:.2}×).")
    } else {
        format!(
            "Two threads slowed each other {contended:.2}×: the same cache \
             lines moving between the cores.{busy}"
        )
    };
    let solution_3 = format!(
        "- Atomics: no lock to wait for, but each update costs {:.1}× an Rc's \
         on one thread. {atomics_two} Free-threaded Python had to cut that \
         price down (the `biased` section).",
        one / c.rc
    );
    [pointers, solution_1, solution_2, solution_3].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn costs(per_object: (f64, f64), global: (f64, f64), atomic: (f64, f64)) -> Costs {
        Costs {
            rc: 1.42,
            arc: 5.5,
            arc_shared: 60.0,
            per_object,
            global,
            atomic,
        }
    }

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_figures_that_contradicted_the_old_sentences() {
        // An idle two-core machine: per object 10.2 → 27.7 ns, one global
        // Mutex 1.42 → 6.71 ns (4.7×), atomics 5.65 → 26.8 ns.
        let said = verdict(
            &costs((10.2, 27.7), (1.42, 6.71), (5.65, 26.8)),
            &share(1.98),
        );
        assert!(said.contains("cost each other 2.72×"), "{said}");
        assert!(said.contains("cache line keeps moving"), "{said}");
        assert!(said.contains("cost 4.73×, more than the 2×"), "{said}");
        assert!(said.contains("slowed each other 4.74×"), "{said}");
        assert!(!said.contains("about twice"), "{said}");
        assert!(!said.contains("never wait"), "{said}");
        assert!(!said.contains("(The machine is busy"), "{said}");
        assert!(
            said.contains("Rc's on one thread; shared by two threads, 10.91×"),
            "{said}"
        );
    }

    #[test]
    fn each_threshold_has_two_sides() {
        let idle = share(1.98);
        let mut cheap_arc = costs((10.0, 12.5), (1.0, 2.0), (5.0, 6.25));
        cheap_arc.arc_shared = 5.5 * 1.25;
        assert!(verdict(&cheap_arc, &idle).contains("about the same (1.25×)"));
        let little = verdict(&costs((10.0, 12.5), (1.0, 2.0), (5.0, 6.25)), &idle);
        assert!(
            little.contains("cost each other little (1.25×)"),
            "{little}"
        );
        assert!(
            little.contains("barely slowed each other (1.25×)"),
            "{little}"
        );
        assert!(little.contains("2.00× as much, about twice"), "{little}");
        assert!(little.contains("the cheapest of the three"), "{little}");
        let more = verdict(&costs((10.0, 12.6), (1.0, 2.51), (5.0, 6.3)), &idle);
        assert!(more.contains("cost each other 1.26×"), "{more}");
        assert!(more.contains("2.51×, more than the 2×"), "{more}");
        let fewer = verdict(&costs((10.0, 12.0), (1.0, 1.59), (0.9, 1.0)), &idle);
        assert!(
            fewer.contains("less than the 2× of taking turns"),
            "{fewer}"
        );
        assert!(fewer.contains("not the cheapest"), "{fewer}");
        assert!(
            verdict(&costs((10.0, 12.0), (1.0, 1.6), (5.0, 6.0)), &idle).contains("about twice")
        );
        let busy = verdict(&costs((10.0, 30.0), (1.0, 6.0), (5.0, 26.0)), &share(1.2));
        assert!(busy.contains("The machine is busy"), "{busy}");
    }
}
