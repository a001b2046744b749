//! Section `race`: a racing count. Two threads add to one count with a read and
//! a separate write, and updates get lost. Safe code only: the gap between
//! an atomic load and an atomic store is enough to lose updates, no
//! undefined behaviour needed.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

use workshop::bench::thread_spans;
use workshop::{Ctx, Outcome, Section, Table, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "race",
    title: "A racing count",
    explain: "
        Adding 1 to a count is three steps: read it, add 1, write it back.
        When two threads do that to one count at the same moment, both can
        read the same value, and one write overwrites the other: one update
        is lost. CPython's `Py_INCREF` is exactly such a read-add-write on
        the object's count. The GIL makes it safe by letting one thread run
        at a time.

        Below, two threads add 1 to one count, an `AtomicU64`, a number that
        threads may update at the same time. First with a `load` followed by
        a separate `store` (the race, in safe Rust: each step is atomic, the
        pair is not), then with `fetch_add`, which does the read-add-write as
        one indivisible step. `Relaxed` promises exactly that, each operation
        indivisible, and nothing about the order in which other threads see
        them: enough for a count read after `join`.

        For a reference count, each lost update is a bug of its own:

        - a lost increment leaves the count below the number of references,
          so it reaches zero while someone still holds one: the memory is
          freed while still in use;
        - a lost decrement leaves it above, so it never reaches zero: a leak.

        The last table simulates that: an object with one owner, and two
        threads that each clone it many times and then drop the clones, on
        the racy count. Nothing is freed; the count says what would have
        happened.
    ",
    python: r#"
        # Py_INCREF(op) without the GIL, in effect:
        #     count = op.ob_refcnt    (read)
        #     op.ob_refcnt = count + 1    (write back)
        counter += 1      # the same race in Python code
    "#,
    rust: r#"
        let seen = count.load(Relaxed);
        count.store(seen + 1, Relaxed); // another thread may write between

        count.fetch_add(1, Relaxed); // one indivisible read-add-write
    "#,
    run,
};

/// Runs `step` `per_thread` times on each of two threads, released together
/// by a start line. Returns whether the two threads' runs overlapped in
/// time: threads that ran one after the other (a busy machine may give
/// them one core, in turns) cannot race.
pub fn on_two_threads(per_thread: u64, step: impl Fn() + Sync) -> bool {
    let spans = thread_spans(2, per_thread, |_| step());
    let (a, b) = (spans[0], spans[1]);
    a.0 < b.1 && b.0 < a.1
}

/// One race: the final count, and whether the threads ran at the same time.
#[derive(Clone, Copy, Debug)]
pub struct Race<T> {
    /// The count at the end.
    pub count: T,
    /// Whether the two threads' runs overlapped in time.
    pub overlapped: bool,
}

/// Two threads add 1 to one count `per_thread` times each, with a load
/// followed by a separate store. The count can only end at or below
/// `2 * per_thread`: a store writes one more than a value some thread read,
/// so updates get lost, never invented.
pub fn racy_increments(per_thread: u64) -> Race<u64> {
    let count = AtomicU64::new(0);
    let overlapped = on_two_threads(per_thread, || {
        // The ordering is not the problem (SeqCst loses updates just the
        // same): the gap between the load and the store is.
        let seen = count.load(Relaxed);
        count.store(seen + 1, Relaxed); // another thread may write between
    });
    Race {
        count: count.into_inner(),
        overlapped,
    }
}

/// The same with `fetch_add`: never loses an update. Relaxed is enough: the
/// total is read after the threads are joined, and joining makes all their
/// updates visible.
pub fn atomic_increments(per_thread: u64) -> Race<u64> {
    let count = AtomicU64::new(0);
    let overlapped = on_two_threads(per_thread, || {
        count.fetch_add(1, Relaxed); // one indivisible read-add-write
    });
    Race {
        count: count.into_inner(),
        overlapped,
    }
}

/// What a racy reference count would have done to its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The count came out right (no update lost, or losses cancelled).
    Right,
    /// Above the true count: lost decrements; the object would leak.
    Leaked,
    /// Below it: lost increments; the object would be freed while its
    /// owner still uses it.
    FreedTooEarly,
}

impl Verdict {
    /// The verdict for a count that ended at `count` where `truth` was right.
    pub fn of(count: i64, truth: i64) -> Self {
        match count.cmp(&truth) {
            std::cmp::Ordering::Equal => Verdict::Right,
            std::cmp::Ordering::Greater => Verdict::Leaked,
            std::cmp::Ordering::Less => Verdict::FreedTooEarly,
        }
    }

    /// The verdict in words.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Right => "right",
            Verdict::Leaked => "too high: never reaches 0, a leak",
            Verdict::FreedTooEarly => "too low: freed while still in use",
        }
    }
}

/// A reference count simulated with the racy read-then-write: an object
/// with one owner (count 1), and two threads that each make `clones` clones
/// of it (a list of references, say) and then drop them all. Every clone is
/// dropped, so the true count at the end is 1. Returns the count the race
/// left. Nothing is allocated or freed: this only counts.
pub fn simulated_refcount(clones: u64) -> Race<i64> {
    let count = AtomicI64::new(1); // the owner's reference
    let overlapped = on_two_threads(1, || {
        for _ in 0..clones {
            let seen = count.load(Relaxed); // clone: read...
            count.store(seen + 1, Relaxed); // ...and write back one more
        }
        for _ in 0..clones {
            let seen = count.load(Relaxed); // drop: read...
            count.store(seen - 1, Relaxed); // ...and write back one less
        }
    });
    Race {
        count: count.into_inner(),
        overlapped,
    }
}

/// A signed count with thousands separators: `-661,554`.
fn signed(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", units::count(n.unsigned_abs()))
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let per_thread: u64 = if ctx.quick() { 500_000 } else { 1_000_000 };
    let expected = 2 * per_thread;
    let mut table = Table::new([
        "run",
        "overlapped",
        "read, then write",
        "lost",
        "fetch_add",
        "lost",
    ]);
    for run in 1..=3 {
        let racy = racy_increments(per_thread);
        let atomic = atomic_increments(per_thread);
        if atomic.count != expected {
            return Err(format!("fetch_add counted {}, not {expected}", atomic.count).into());
        }
        table.push([
            run.to_string(),
            out.measured(yes_no(racy.overlapped), "[yes/no]"),
            out.count(racy.count),
            out.count(expected - racy.count),
            units::count(atomic.count),
            "0".to_owned(),
        ]);
    }
    out.line(format!(
        "Two threads add 1, {} times each: the right total is {}.",
        units::count(per_thread),
        units::count(expected)
    ));
    out.blank();
    out.table(&table);
    out.line("The read-then-write loses a different number each run. A run whose threads did");
    out.line("not overlap loses none: a busy machine may run them one after the other.");
    out.line("fetch_add loses none, ever.");
    out.blank();

    let clones: u64 = if ctx.quick() { 500_000 } else { 1_000_000 };
    out.line(format!(
        "One owner (count 1); two threads each make {} clones, then drop them, racily:",
        units::count(clones)
    ));
    out.blank();
    let mut table = Table::new([
        "run",
        "overlapped",
        "count at the end",
        "should be",
        "so the object",
    ]);
    for run in 1..=3 {
        let race = simulated_refcount(clones);
        let verdict = Verdict::of(race.count, 1);
        table.push([
            run.to_string(),
            out.measured(yes_no(race.overlapped), "[yes/no]"),
            out.measured(signed(race.count), "[count]"),
            "1".to_owned(),
            out.measured(verdict.describe(), "[verdict]"),
        ]);
    }
    out.table(&table);
    out.line("A count at 0 or below means a drop would already have freed the object while");
    out.line("its owner still held it. A count above 1 means it would never be freed. A count");
    out.line("of 1 means the threads did not overlap, or their errors happened to cancel out.");
    Ok(())
}
