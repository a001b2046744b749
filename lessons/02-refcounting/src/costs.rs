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
use std::time::Duration;

use workshop::bench::{Padded, Timing, per_op, per_op_threads, side_by_side, usable_cores};
use workshop::{Ctx, Outcome, Section, Table, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "costs",
    title: "What safety costs, measured side by side",
    explain: "
        One operation here is a clone and a drop: a count goes up by 1 and
        back down. `Rc` does it with plain adds. `Arc` does it with atomic
        read-modify-writes, which cost more even when no other thread is
        around, and a lot more when another thread updates the same count:
        the count's cache line has to travel between the cores on every
        update.

        Then the slides' choice, on one workload: 1,024 objects, each with a
        count, and a thread walking through them cloning and dropping each
        (two threads start half-way apart, so they rarely meet on one
        object). Solution 1 puts a lock on every object: every update takes
        a lock and releases it. Solution 2 is one lock over everything, like
        the GIL: a thread takes it once and then does a batch of 64 updates
        with plain adds, as a Python thread runs many bytecodes per turn.
        Atomics lock nothing: each update is one atomic instruction.
        `black_box` (from `std::hint`) hides each clone from the optimizer,
        which would otherwise see that nothing uses it and drop the work.

        With 2 threads, each does as many operations as the single thread
        did, and the time shown is what one operation costs each of them: if
        the threads never got in each other's way, it would equal the
        one-thread figure. Each variant runs in turn, round after round, and
        keeps its median; ratios compare figures from this run only.
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
    if let Some(cores) = usable_cores(2, Duration::from_millis(100)) {
        out.line(format!(
            "Two busy threads got {} cores' worth of CPU just now: below 2, the",
            out.measured(format!("{cores:.1}"), "[cores]")
        ));
        out.line("machine is busy, and the 2-thread figures include waiting for a core.");
        out.blank();
    }
    out.line("Read it as the slides do:");
    out.line("- Solution 1, a lock per object: every update pays for a lock and an unlock,");
    out.line("  even on one thread. Two threads working on different objects never wait for");
    out.line("  each other's locks. And many locks bring a new danger: the next section.");
    out.line("- Solution 2, one lock: cheap on one thread, because the lock is taken once per");
    out.line("  batch and the counts are plain numbers. Two threads take turns: each one's");
    out.line("  operations cost about twice as much, as if it ran alone at half speed.");
    out.line("- Atomics: no lock to wait for, but each update costs several times an Rc's.");
    out.line("  Free-threaded Python had to cut that price down (the `biased` section).");
    Ok(())
}
