//! Section `biased`: going further, free-threaded CPython (PEP 703). A small model
//! of biased reference counting, measured against `Arc`, and immortal
//! objects.
//!
//! [`BiasedCount`] is a **model**: it counts, it does not own or free any
//! memory. `decref` returns `true` when the caller would free the object.
//! It keeps the algorithm's two counts, its owner check and its merge; it
//! leaves out what a runtime needs around them (CPython packs the fields
//! into the object header, queues objects for their owner to merge at its
//! next check, and merges a thread's objects when the thread exits).

use std::cell::Cell;
use std::hint::black_box;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{
    AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering::AcqRel, Ordering::Acquire,
    Ordering::Relaxed, Ordering::Release, fence,
};

use workshop::bench::{Timing, per_op, side_by_side};
use workshop::{Ctx, Outcome, Section, Table};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "biased",
    title: "Going further: counting without the GIL",
    explain: "
        Python 3.13 and 3.14 come in a second build, free-threaded
        (`python3.14t`), with no GIL (PEP 703). Its counts cannot rely on one
        big lock, and making every count atomic would cost what the `costs` section
        measured. It uses two ideas instead.

        Biased reference counting: most objects are only ever touched by the
        thread that made them. So each object records its owner thread and
        keeps two counts: the owner's, which the owner updates with plain
        instructions, and a shared one, which other threads update
        atomically. When the owner's count reaches zero, it merges the two
        into the shared count; the object is freed when that reaches zero.

        Immortal objects (PEP 683): `None`, `True`, small integers and the
        like live as long as the interpreter, so their count is set to a
        value that increments and decrements leave alone. Nobody has to
        count references to them at all. Rust's immortals are `static`s: a
        `&'static` reference (`'static`: it lives as long as the program) is
        copied without any count.

        Below, a small Rust model of a biased count (`BiasedCount`: the two
        counts, the owner check and the merge; it frees nothing) is measured
        against `Rc` and `Arc` in this run, one increment and one decrement
        per operation. CPython finds out which thread is asking by reading a
        register; the model's threads carry their number (`me`) instead, which
        costs as little on every platform.
    ",
    python: r#"
        import sys

        sys._is_gil_enabled()     # False on python3.14t
        sys.getrefcount(None)     # a huge constant: immortal
    "#,
    rust: r#"
        if self.owner.load(Relaxed) == me.id {
            let mine = self.local.load(Relaxed); // the owner: plain moves
            self.local.store(mine + 1, Relaxed);
        } else {
            self.shared.fetch_add(ONE, Relaxed); // others: atomic
        }

        static NONE: Immortal = Immortal("None");
        let none: &'static Immortal = black_box(&NONE);
    "#,
    run,
};

/// One reference in [`BiasedCount`]'s shared word; its lowest bit is
/// [`MERGED`].
const ONE: i64 = 2;
/// Set in the shared word once the owner's count has been merged into it.
const MERGED: i64 = 1;

/// A number that identifies the calling thread, never reused, kept in a
/// thread-local. Reading a thread-local costs a few instructions on most
/// platforms and a call into the OS on others (Windows with the GNU
/// toolchain), so the count operations do not read it: they are handed a
/// [`Me`].
#[inline]
pub fn this_thread() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    thread_local! {
        static ID: Cell<usize> = const { Cell::new(0) };
    }
    ID.with(|id| {
        if id.get() == 0 {
            // Relaxed: only uniqueness matters, and fetch_add gives that.
            id.set(NEXT.fetch_add(1, Relaxed));
        }
        id.get()
    })
}

/// The calling thread's identity, read once ([`Me::here`]) and then handed
/// to every count operation, where it sits in a register: what CPython's
/// `_Py_ThreadId()` gets from the thread's TLS base register, and as cheap,
/// whatever the platform's thread-locals cost.
///
/// A `Me` cannot leave its thread: it is neither `Send` nor `Sync`, so no
/// other thread can pass for the owner and take its unsynchronized path.
///
/// ```compile_fail,E0277
/// use refcounting::biased::Me;
/// let me = Me::here();
/// // Another thread with main's identity: refused, `Me` is not `Send`.
/// std::thread::spawn(move || {
///     let main = me;
///     main.id
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Me {
    /// The thread's number ([`this_thread`]).
    pub id: usize,
    /// A raw pointer is neither `Send` nor `Sync`; neither is `Me`.
    _stays_on_its_thread: PhantomData<*const ()>,
}

impl Me {
    /// The calling thread.
    pub fn here() -> Self {
        Me {
            id: this_thread(),
            _stays_on_its_thread: PhantomData,
        }
    }
}

/// A model of a biased reference count. See the module docs for what it
/// leaves out.
pub struct BiasedCount {
    /// The owner thread's id ([`Me::id`]), or 0 once merged. Only the
    /// owner changes it, so the owner always reads its own last write;
    /// other threads can never mistake themselves for the owner.
    owner: AtomicUsize,
    /// The owner's count. Only the owner touches it: a Relaxed load and
    /// store compile to plain moves, like CPython's non-atomic `ob_ref_local`.
    local: AtomicU64,
    /// The other threads' count times [`ONE`], plus [`MERGED`] once merged.
    /// It may go below zero: another thread may drop a reference that the
    /// owner counted.
    shared: AtomicI64,
    /// Set by another thread that took the shared count below zero: the
    /// owner should merge (CPython queues the object for its owner).
    queued: AtomicBool,
}

impl BiasedCount {
    /// A count of 1, owned by the calling thread.
    pub fn new() -> Self {
        BiasedCount {
            owner: AtomicUsize::new(Me::here().id),
            local: AtomicU64::new(1),
            shared: AtomicI64::new(0),
            queued: AtomicBool::new(false),
        }
    }

    #[inline]
    fn owned_by(&self, me: Me) -> bool {
        self.owner.load(Relaxed) == me.id
    }

    /// One more reference, taken by thread `me`.
    #[inline]
    pub fn incref(&self, me: Me) {
        if self.owner.load(Relaxed) == me.id {
            let mine = self.local.load(Relaxed); // the owner: plain moves
            self.local.store(mine + 1, Relaxed);
        } else {
            self.shared.fetch_add(ONE, Relaxed); // others: atomic
        }
    }

    /// One reference fewer, dropped by thread `me`. Returns `true` when it
    /// was the last: the caller would now free the object.
    #[inline]
    pub fn decref(&self, me: Me) -> bool {
        if self.owned_by(me) {
            let mine = self.local.load(Relaxed) - 1;
            self.local.store(mine, Relaxed);
            return mine == 0 && self.merge();
        }
        // Release: this thread's uses of the object happen before whoever
        // frees it (who pairs it with an Acquire fence).
        let after = self.shared.fetch_sub(ONE, Release) - ONE;
        if after == MERGED {
            fence(Acquire); // every other thread's uses happen before the free
            return true;
        }
        if after < 0 && after & MERGED == 0 {
            self.queued.store(true, Relaxed);
        }
        false
    }

    /// The owner's periodic check: merges if another thread asked for it.
    /// Returns `true` when that merge finds the object unreferenced.
    pub fn merge_if_queued(&self, me: Me) -> bool {
        self.owned_by(me) && self.queued.load(Relaxed) && self.merge()
    }

    /// The owner gives up its bias: its count moves into the shared word,
    /// with the merged flag, in one atomic add, so exactly one thread sees
    /// the merged count reach zero. From now on everybody counts atomically.
    fn merge(&self) -> bool {
        let mine = self.local.load(Relaxed) as i64;
        self.local.store(0, Relaxed);
        self.owner.store(0, Relaxed);
        let add = mine * ONE + MERGED;
        // AcqRel: Acquire to see the other threads' uses before a free,
        // Release so that a thread freeing later sees the owner's.
        let after = self.shared.fetch_add(add, AcqRel) + add;
        after == MERGED
    }

    /// The references counted now, both counts together (for tests: only
    /// meaningful while no thread is updating the count).
    pub fn total(&self) -> i64 {
        self.local.load(Relaxed) as i64 + (self.shared.load(Relaxed) >> 1)
    }
}

impl Default for BiasedCount {
    fn default() -> Self {
        Self::new()
    }
}

/// Rust's immortal object: a `static` lives as long as the program, so a
/// `&'static Immortal` is copied without counting anything.
#[derive(Debug)]
pub struct Immortal(pub &'static str);

/// Python's `None`, as Rust would keep it.
pub static NONE: Immortal = Immortal("None");

/// The variants, in the order of the table.
pub const VARIANTS: [&str; 5] = [
    "Rc clone+drop",
    "Arc clone+drop",
    "biased count, owner thread",
    "biased count, another thread",
    "&'static copy (immortal)",
];

/// Every variant of [`VARIANTS`], side by side: `rounds` rounds of
/// `iterations` operations. Returns each variant's median cost per
/// operation, in the order of [`VARIANTS`].
pub fn compare(iterations: u64, rounds: usize) -> Vec<Timing> {
    let rc = Rc::new(0u64);
    let arc = Arc::new(0u64);
    let count = BiasedCount::new(); // owned by this thread
    let me = Me::here();
    side_by_side(
        rounds,
        &mut [
            (VARIANTS[0], &mut || {
                per_op(iterations, || drop(black_box(Rc::clone(&rc))))
            }),
            (VARIANTS[1], &mut || {
                per_op(iterations, || drop(black_box(Arc::clone(&arc))))
            }),
            (VARIANTS[2], &mut || {
                per_op(iterations, || {
                    count.incref(me);
                    black_box(&count);
                    black_box(count.decref(me));
                })
            }),
            (VARIANTS[3], &mut || {
                // The same loop on a new thread: not the owner.
                std::thread::scope(|s| {
                    s.spawn(|| {
                        let me = Me::here();
                        per_op(iterations, || {
                            count.incref(me);
                            black_box(&count);
                            black_box(count.decref(me));
                        })
                    })
                    .join()
                    .unwrap_or(f64::NAN)
                })
            }),
            (VARIANTS[4], &mut || {
                per_op(iterations, || {
                    let none: &'static Immortal = black_box(&NONE);
                    black_box(none);
                })
            }),
        ],
    )
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    // Many short rounds: a burst of noise then spoils a few rounds of every
    // variant, which the medians leave out, instead of a variant's whole run.
    let iterations: u64 = if ctx.quick() { 100_000 } else { 200_000 };
    let rounds = if ctx.quick() { 9 } else { 21 };
    let timings = compare(iterations, rounds);
    let arc = &timings[1];
    let mut table = Table::new(["one increment and one decrement", "per op", "× Arc"]);
    for timing in &timings {
        table.push([
            timing.name.clone(),
            out.seconds(timing.seconds_per_op),
            out.ratio(timing.ratio_to(arc)),
        ]);
    }
    out.line(format!("Measured in this run, median of {rounds} rounds:"));
    out.blank();
    out.table(&table);
    let ns: Vec<f64> = timings.iter().map(|t| t.seconds_per_op).collect();
    out.verdict(verdict(ns[0], ns[1], ns[2], ns[3]));
    out.line("Copying a &'static counts nothing at all: there is no count to update.");
    out.blank();
    out.line("Published, for orientation (not measured here):");
    out.line("- Choi, Shull and Torrellas (PACT 2018), biased counting in Swift's runtime:");
    out.line("  each count operation more than twice as fast in the common case.");
    out.line("- Python 3.14's \"What's New\": free-threaded, single-threaded code runs");
    out.line("  roughly 5-10% slower than with the GIL, in exchange for parallel threads.");
    Ok(())
}

/// Within this factor of each other, two costs count as about the same.
const ABOUT: f64 = 1.25;

/// What the biased count's two paths cost against `Rc` and `Arc`, in
/// seconds per operation.
pub fn verdict(rc: f64, arc: f64, owner: f64, other: f64) -> String {
    let owner_say = if owner <= rc * ABOUT {
        "so it costs about what an Rc does"
    } else if owner < arc / ABOUT {
        "so it lands between an Rc and an Arc"
    } else {
        "yet here it cost about as much as an Arc: the check of who is asking \
         ate what the plain instructions saved"
    };
    let other_ratio = other / arc;
    let other_say = if other_ratio > ABOUT {
        format!(
            "Another thread pays {other_ratio:.2}× what an Arc pays: the owner check, then the atomic."
        )
    } else if other_ratio >= 1.0 / ABOUT {
        format!("Another thread pays about what an Arc pays ({other_ratio:.2}×): the atomic.")
    } else {
        format!(
            "Another thread paid only {other_ratio:.2}× what an Arc pays, less than \
             its atomic should cost: noise from the rest of the machine."
        )
    };
    format!(
        "The owner's path has no atomic instruction: a check of who is asking, \
         then plain loads and stores, {owner_say}. {other_say}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_places_each_path() {
        let (rc, arc) = (1.37, 5.48);
        assert!(verdict(rc, arc, 3.05, 5.32).contains("between an Rc and an Arc"));
        assert!(verdict(rc, arc, 3.05, 5.32).contains("about what an Arc pays (0.97×)"));
        assert!(verdict(rc, arc, 1.37 * 1.25, 5.48).contains("about what an Rc does"));
        assert!(verdict(rc, arc, 5.48 / 1.25, 5.48).contains("as much as an Arc"));
        assert!(verdict(rc, arc, 3.0, 5.48 * 1.26).contains("1.26× what an Arc pays"));
        assert!(verdict(rc, arc, 3.0, 5.48 * 0.79).contains("noise"));
    }

    #[test]
    fn the_owner_alone_counts_locally_and_frees_at_zero() {
        let count = BiasedCount::new();
        let me = Me::here();
        count.incref(me);
        count.incref(me);
        assert_eq!(count.total(), 3);
        assert!(!count.decref(me));
        assert!(!count.decref(me));
        assert!(count.decref(me), "the last reference");
    }

    #[test]
    fn each_thread_is_somebody_else() {
        let main = Me::here();
        assert_eq!(main, Me::here());
        let other = std::thread::scope(|s| s.spawn(|| Me::here().id).join().unwrap());
        assert_ne!(main.id, other);
    }

    #[test]
    fn another_thread_frees_after_the_owner_merged() {
        let count = BiasedCount::new();
        std::thread::scope(|s| {
            s.spawn(|| count.incref(Me::here())); // a reference held by another thread
        });
        assert!(
            !count.decref(Me::here()),
            "the owner merges; the other still holds one"
        );
        let freed = std::thread::scope(|s| s.spawn(|| count.decref(Me::here())).join().unwrap());
        assert!(freed, "the other thread's drop was the last");
    }

    #[test]
    fn a_reference_dropped_elsewhere_is_merged_on_request() {
        let count = BiasedCount::new();
        let me = Me::here();
        count.incref(me); // the owner makes a second reference...
        // ...and hands it to another thread, which drops it.
        let freed = std::thread::scope(|s| s.spawn(|| count.decref(Me::here())).join().unwrap());
        assert!(!freed);
        assert_eq!(count.total(), 1);
        assert!(!count.merge_if_queued(me), "the owner still holds one");
        assert!(count.decref(me), "and now it is gone");
    }

    #[test]
    fn many_threads_free_exactly_once() {
        let count = BiasedCount::new();
        let per_thread = if cfg!(miri) { 20 } else { 10_000 };
        let frees = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    let me = Me::here();
                    for _ in 0..per_thread {
                        count.incref(me);
                        if count.decref(me) {
                            frees.fetch_add(1, Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(frees.load(Relaxed), 0);
        assert!(count.decref(Me::here()));
    }
}
