//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check
//! refcounting` (which builds them with `--cfg learner`) checks your code.
//! Every test runs under a deadline (the values it makes are made inside
//! it), so an answer that loops or blocks for ever fails within seconds
//! instead of hanging.
//!
//! The pointer tests count how often the value inside is dropped: 0 while
//! any pointer is left, exactly 1 after the last is gone. They drop their
//! pointers one by one and check after each. Every pointer a test holds is
//! wrapped in a [`Held`], which forgets it if the test fails: a wrong
//! answer (one that frees too early, say) then fails its own test cleanly,
//! instead of touching freed memory while the failure unwinds, which could
//! crash the whole test run. Miri checks the rest:
//! `cargo +nightly miri test -p refcounting --test exercises`.

#[cfg(learner)]
use refcounting::exercises as answer;
#[cfg(not(any(learner, wrong_answer)))]
use refcounting::solutions as answer;
// `cargo xtask wrong-answers` checks the wrong answers kept in
// tests/wrong_answers/ the way `cargo xtask check` checks yours.
#[cfg(wrong_answer)]
mod answer {
    include!(env!("WRONG_ANSWER"));
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// Runs a test's body under the exercise tests' deadline (5 s, see
/// `EXERCISE_DEADLINE`); under Miri, directly: Miri interprets every step
/// thousands of times slower (a thread and a channel more per test cost
/// the learner seconds), reports a deadlock itself, and checks only answers
/// whose tests passed under the deadline.
#[track_caller]
fn deadline<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    if cfg!(miri) {
        work()
    } else {
        workshop::testing::exercise_deadline(work)
    }
}

/// A value that counts its drops in a counter that outlives it.
struct DropCounter {
    drops: Arc<AtomicUsize>,
    value: u32,
}

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.drops.fetch_add(1, SeqCst);
    }
}

/// A value to put behind a pointer, and the counter of its drops.
fn counted(value: u32) -> (DropCounter, Arc<AtomicUsize>) {
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = DropCounter {
        drops: Arc::clone(&drops),
        value,
    };
    (counter, drops)
}

/// A pointer held by a test: dropped as usual, unless the test is failing
/// (unwinding from a panic), in which case it is forgotten, so that a wrong
/// answer's drop never runs on memory it may already have freed.
struct Held<P>(Option<P>);

fn held<P>(pointer: P) -> Held<P> {
    Held(Some(pointer))
}

impl<P> Held<P> {
    /// The pointer, for a test that goes on with it (into a thread, say).
    fn into_inner(mut self) -> P {
        self.0
            .take()
            .expect("a Held is only empty while being dropped")
    }
}

impl<P> std::ops::Deref for Held<P> {
    type Target = P;
    fn deref(&self) -> &P {
        self.0
            .as_ref()
            .expect("a Held is only empty while being dropped")
    }
}

impl<P> Drop for Held<P> {
    fn drop(&mut self) {
        let pointer = self.0.take();
        if std::thread::panicking() {
            std::mem::forget(pointer);
        }
    }
}

/// Fails the test if the value was dropped: a pointer to it is still held.
#[track_caller]
fn assert_alive(drops: &AtomicUsize, when: &str) {
    let n = drops.load(SeqCst);
    assert!(
        n == 0,
        "freed too early: {when}, the value was dropped {n} time(s) while a pointer to it was left"
    );
}

/// Fails the test unless the value was dropped exactly once.
#[track_caller]
fn assert_freed_once(drops: &AtomicUsize, when: &str) {
    match drops.load(SeqCst) {
        1 => {}
        0 => panic!("leaked: {when}, the value was never dropped"),
        n => panic!("double free: {when}, the value was dropped {n} times"),
    }
}

/// How many clones each thread makes in the threaded tests: Miri runs
/// thousands of times slower.
const PER_THREAD: usize = if cfg!(miri) { 20 } else { 100_000 };

/// How many times the threaded clone-and-drop test runs: a count that
/// loses updates only shows it when the threads really overlap, which a busy
/// machine does not promise every time.
const ROUNDS: usize = if cfg!(miri) { 1 } else { 5 };

mod drop_tracker {
    use super::answer::{DropLog, Tracked, live};
    use super::deadline;

    #[test]
    fn one_value_is_freed_at_the_end_of_its_scope() {
        deadline(|| {
            let log = DropLog::new();
            {
                let a = Tracked::new("a", &log);
                assert_eq!(a.name(), "a");
                assert_eq!(log.freed(), Vec::<&str>::new(), "a is still in scope");
            }
            assert_eq!(log.freed(), ["a"], "a's scope ended");
        });
    }

    #[test]
    fn drop_frees_at_once() {
        deadline(|| {
            let log = DropLog::new();
            let a = Tracked::new("a", &log);
            let b = Tracked::new("b", &log);
            drop(b);
            assert_eq!(log.freed(), ["b"]);
            drop(a);
            assert_eq!(log.freed(), ["b", "a"]);
        });
    }

    #[test]
    fn locals_are_freed_in_reverse_order() {
        deadline(|| {
            let log = DropLog::new();
            {
                let _first = Tracked::new("first", &log);
                let _second = Tracked::new("second", &log);
                let _third = Tracked::new("third", &log);
            }
            assert_eq!(log.freed(), ["third", "second", "first"]);
        });
    }

    #[test]
    fn a_moved_value_is_freed_by_its_new_owner() {
        deadline(|| {
            let log = DropLog::new();
            let a = Tracked::new("a", &log);
            let mut held = Vec::new();
            held.push(a); // moved: leaving this statement frees nothing
            assert!(log.freed().is_empty());
            held.push(Tracked::new("b", &log));
            drop(held); // a Vec frees its elements first to last
            assert_eq!(log.freed(), ["a", "b"]);
        });
    }

    #[test]
    fn manually_drop_frees_only_when_asked() {
        deadline(|| {
            let log = DropLog::new();
            let kept = std::mem::ManuallyDrop::new(Tracked::new("kept", &log));
            drop(Tracked::new("dropped", &log));
            assert_eq!(log.freed(), ["dropped"]);
            let kept = std::mem::ManuallyDrop::into_inner(kept); // unwraps: frees nothing
            assert_eq!(log.freed(), ["dropped"]);
            drop(kept);
            assert_eq!(log.freed(), ["dropped", "kept"]);
        });
    }

    #[test]
    fn live_counts_the_values_holding_the_log() {
        deadline(|| {
            let log = DropLog::new();
            assert_eq!(live(&log), 0, "no values yet");
            let a = Tracked::new("a", &log);
            let b = Tracked::new("b", &log);
            assert_eq!(live(&log), 2);
            drop(a);
            assert_eq!(live(&log), 1, "a was dropped");
            drop(b);
            assert_eq!(live(&log), 0);
            assert_eq!(log.freed(), ["a", "b"]);
        });
    }
}

mod weak_cache {
    use super::answer::WeakCache;
    use super::deadline;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A `make` that counts its calls.
    fn maker<'a>(calls: &'a Cell<usize>, text: &'a str) -> impl FnOnce() -> String + 'a {
        move || {
            calls.set(calls.get() + 1);
            text.to_owned()
        }
    }

    #[test]
    fn an_empty_cache_has_nothing_alive() {
        deadline(|| {
            let mut cache = WeakCache::new();
            assert_eq!(cache.alive(), 0);
            let value = cache.get_or_make("a", || "A".to_owned());
            assert_eq!(*value, "A");
        });
    }

    #[test]
    fn one_value_per_key_while_it_is_in_use() {
        deadline(|| {
            let calls = Cell::new(0);
            let mut cache = WeakCache::new();
            let first = cache.get_or_make("page", maker(&calls, "one"));
            let second = cache.get_or_make("page", maker(&calls, "two"));
            assert!(
                Rc::ptr_eq(&first, &second),
                "both callers must share one value while it is alive"
            );
            assert_eq!(*second, "one");
            assert_eq!(calls.get(), 1, "make was called again for a live value");
            assert_eq!(
                Rc::strong_count(&first),
                2,
                "the two callers' Rcs, and nothing else"
            );
        });
    }

    #[test]
    fn the_cache_does_not_keep_a_value_alive() {
        deadline(|| {
            let mut cache = WeakCache::new();
            let value = cache.get_or_make("page", || "text".to_owned());
            let watch = Rc::downgrade(&value);
            assert_eq!(cache.alive(), 1);
            drop(value);
            assert!(
                watch.upgrade().is_none(),
                "every caller dropped the value, but it is still alive: does the cache hold an Rc?"
            );
            assert_eq!(cache.alive(), 0, "its only user dropped it");
        });
    }

    #[test]
    fn a_value_that_went_is_made_again() {
        deadline(|| {
            let calls = Cell::new(0);
            let mut cache = WeakCache::new();
            drop(cache.get_or_make("page", maker(&calls, "old")));
            let again = cache.get_or_make("page", maker(&calls, "new"));
            assert_eq!(*again, "new", "the old value was gone: make a new one");
            assert_eq!(calls.get(), 2);
            assert_eq!(cache.alive(), 1);
        });
    }

    #[test]
    fn keys_do_not_share_values() {
        deadline(|| {
            let mut cache = WeakCache::new();
            let a = cache.get_or_make("a", || "A".to_owned());
            let b = cache.get_or_make("b", || "B".to_owned());
            assert_eq!((a.as_str(), b.as_str()), ("A", "B"));
            assert_eq!(cache.alive(), 2);
        });
    }

    /// Many keys, and a pattern of which values are kept that the answer
    /// cannot guess: drawn from the clock (Miri, which has no clock, gets a
    /// fixed one).
    #[test]
    fn alive_counts_exactly_the_values_still_held() {
        deadline(|| {
            let mut pattern = if cfg!(miri) {
                12_345
            } else {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(12_345, |d| d.as_nanos() as u64)
                    | 1
            };
            let mut cache = WeakCache::new();
            let mut kept = Vec::new();
            for i in 0..if cfg!(miri) { 30 } else { 200 } {
                pattern ^= pattern << 13;
                pattern ^= pattern >> 7;
                pattern ^= pattern << 17;
                let value = cache.get_or_make(&format!("key-{i}"), || format!("value-{i}"));
                if pattern % 3 == 0 {
                    kept.push(value);
                }
            }
            assert_eq!(cache.alive(), kept.len());
            let half = kept.len() / 2;
            kept.truncate(half);
            assert_eq!(
                cache.alive(),
                half,
                "after dropping the second half of the kept values"
            );
            for (i, value) in kept.iter().enumerate() {
                let key = value.trim_start_matches("value-");
                let again =
                    cache.get_or_make(&format!("key-{key}"), || unreachable!("{i} is alive"));
                assert!(Rc::ptr_eq(value, &again));
            }
        });
    }
}

mod my_rc {
    use super::answer::MyRc;
    use super::*;

    fn count<T>(pointer: &MyRc<T>) -> usize {
        MyRc::strong_count(pointer)
    }

    /// Python's `sys.getrefcount`: takes its argument by value.
    fn getrefcount<T>(obj: MyRc<T>) -> usize {
        let obj = held(obj);
        MyRc::strong_count(&obj)
    }

    #[test]
    fn new_has_a_count_of_one() {
        deadline(|| {
            let (value, drops) = counted(5);
            let a = held(MyRc::new(value));
            assert_eq!(a.value, 5);
            assert_eq!(count(&a), 1);
            drop(a);
            assert_freed_once(&drops, "after dropping the only MyRc");
        });
    }

    #[test]
    fn a_clone_shares_the_value_and_counts() {
        deadline(|| {
            let (value, drops) = counted(5);
            let a = held(MyRc::new(value));
            let b = held(a.clone());
            assert_eq!((count(&a), count(&b)), (2, 2));
            assert!(
                std::ptr::eq(&**a, &**b),
                "a clone must point at the same value, not a copy"
            );
            assert_eq!(drops.load(SeqCst), 0, "cloning must not drop anything");
            drop(b);
            assert_alive(&drops, "after dropping the clone");
            drop(a);
            assert_freed_once(&drops, "after dropping both");
        });
    }

    #[test]
    fn getrefcount_sees_three() {
        deadline(|| {
            let (value, drops) = counted(0);
            let a = held(MyRc::new(value));
            let b = held(a.clone());
            assert_eq!(getrefcount(a.clone()), 3, "a, b and the argument");
            assert_alive(&drops, "after getrefcount's argument was dropped");
            assert_eq!(count(&a), 2, "the argument was dropped");
            drop(b);
            assert_alive(&drops, "after dropping b");
            assert_eq!(count(&a), 1);
            drop(a);
            assert_freed_once(&drops, "after dropping a");
        });
    }

    #[test]
    fn not_freed_while_a_clone_is_left() {
        deadline(|| {
            let (value, drops) = counted(7);
            let a = held(MyRc::new(value));
            let b = held(a.clone());
            drop(a);
            assert_alive(&drops, "after dropping one of two MyRc");
            assert_eq!(count(&b), 1);
            assert_eq!(b.value, 7, "the value is still there");
            drop(b);
            assert_freed_once(&drops, "after dropping the last MyRc");
        });
    }

    #[test]
    fn freed_when_the_only_one_goes() {
        deadline(|| {
            let (value, drops) = counted(1);
            drop(held(MyRc::new(value)));
            assert_freed_once(&drops, "after dropping the only MyRc");
        });
    }

    #[test]
    fn many_clones_free_exactly_once() {
        deadline(|| {
            let (value, drops) = counted(3);
            let first = held(MyRc::new(value));
            let mut clones: Vec<Held<MyRc<DropCounter>>> =
                (0..10).map(|_| held(first.clone())).collect();
            assert_eq!(count(&first), 11);
            // Drop the first one, then the clones from the middle outwards.
            drop(first);
            assert_alive(&drops, "after dropping the first");
            while clones.len() > 1 {
                let middle = clones.len() / 2;
                drop(clones.remove(middle));
                assert_alive(&drops, "while clones were left");
            }
            assert_eq!(count(&clones[0]), 1);
            drop(clones);
            assert_freed_once(&drops, "after dropping every clone");
        });
    }
}

mod my_arc {
    use super::answer::MyArc;
    use super::*;
    use std::thread;
    use workshop::bench::StartLine;

    fn count<T>(pointer: &MyArc<T>) -> usize {
        MyArc::strong_count(pointer)
    }

    fn is_send_and_sync<T: Send + Sync>(_: &T) {}

    #[test]
    fn new_has_a_count_of_one() {
        deadline(|| {
            let (value, drops) = counted(5);
            let a = held(MyArc::new(value));
            is_send_and_sync(&*a);
            assert_eq!(a.value, 5);
            assert_eq!(count(&a), 1);
            drop(a);
            assert_freed_once(&drops, "after dropping the only MyArc");
        });
    }

    #[test]
    fn a_clone_shares_the_value_and_counts() {
        deadline(|| {
            let (value, drops) = counted(5);
            let a = held(MyArc::new(value));
            let b = held(a.clone());
            assert_eq!((count(&a), count(&b)), (2, 2));
            assert!(
                std::ptr::eq(&**a, &**b),
                "a clone must point at the same value"
            );
            drop(b);
            assert_alive(&drops, "after dropping the clone");
            drop(a);
            assert_freed_once(&drops, "after dropping both");
        });
    }

    #[test]
    fn not_freed_while_a_clone_is_left() {
        deadline(|| {
            let (value, drops) = counted(7);
            let a = held(MyArc::new(value));
            let b = held(a.clone());
            drop(a);
            assert_alive(&drops, "after dropping one of two MyArc");
            assert_eq!(b.value, 7);
            drop(b);
            assert_freed_once(&drops, "after dropping the last MyArc");
        });
    }

    #[test]
    fn freed_when_the_only_one_goes() {
        deadline(|| {
            let (value, drops) = counted(1);
            drop(held(MyArc::new(value)));
            assert_freed_once(&drops, "after dropping the only MyArc");
        });
    }

    #[test]
    fn the_last_owner_frees_it_on_its_own_thread() {
        deadline(|| {
            let (value, drops) = counted(9);
            let a = held(MyArc::new(value));
            let clones: Vec<MyArc<DropCounter>> = (0..3).map(|_| a.clone()).collect();
            drop(a);
            let clones = held(clones);
            assert_alive(&drops, "after main dropped its MyArc");
            let clones = clones.into_inner().into_iter(); // hand them to threads
            let seen = deadline(move || {
                let start_line = StartLine::new(3);
                thread::scope(|s| {
                    let readers: Vec<_> = clones
                        .map(|mine| {
                            let start_line = &start_line;
                            s.spawn(move || {
                                let value = mine.value; // read...
                                start_line.wait();
                                drop(mine); // ...and drop: one of the three frees it
                                value
                            })
                        })
                        .collect();
                    readers
                        .into_iter()
                        .map(|r| r.join().unwrap())
                        .collect::<Vec<_>>()
                })
            });
            assert_eq!(seen, [9, 9, 9]);
            assert_freed_once(&drops, "after every thread dropped its MyArc");
        });
    }

    #[test]
    fn threads_cloning_at_once_lose_no_update() {
        deadline(|| {
            for _ in 0..ROUNDS {
                clone_and_drop_on_threads();
            }
        });
    }

    fn clone_and_drop_on_threads() {
        const THREADS: usize = 4;
        let (value, drops) = counted(42);
        let a = held(MyArc::new(value));
        // Every thread clones PER_THREAD times, all at once, and keeps its
        // clones: a lost increment shows as a count below the clones held.
        let shared = MyArc::clone(&a);
        let clones = deadline(move || {
            let start_line = StartLine::new(THREADS);
            let clones: Vec<Vec<MyArc<DropCounter>>> = thread::scope(|s| {
                let cloners: Vec<_> = (0..THREADS)
                    .map(|_| {
                        let (shared, start_line) = (&shared, &start_line);
                        s.spawn(move || {
                            start_line.wait();
                            (0..PER_THREAD).map(|_| shared.clone()).collect()
                        })
                    })
                    .collect();
                cloners.into_iter().map(|c| c.join().unwrap()).collect()
            });
            (shared, clones)
        });
        let clones = held(clones);
        let expected = 2 + THREADS * PER_THREAD;
        assert_eq!(
            count(&a),
            expected,
            "{THREADS} threads made {PER_THREAD} clones each at the same time: increments were lost"
        );
        // Now every thread drops its clones, all at once: a lost decrement
        // shows as a count above the clones left.
        let (shared, clones) = clones.into_inner();
        drop(shared);
        deadline(move || {
            let start_line = StartLine::new(THREADS);
            thread::scope(|s| {
                for mine in clones {
                    let start_line = &start_line;
                    s.spawn(move || {
                        start_line.wait();
                        for clone in mine {
                            assert_eq!(clone.value, 42);
                            drop(clone);
                        }
                    });
                }
            });
        });
        assert_alive(&drops, "after the threads dropped their clones");
        assert_eq!(
            count(&a),
            1,
            "{THREADS} threads dropped {PER_THREAD} clones each at the same time: decrements were lost"
        );
        drop(a);
        assert_freed_once(&drops, "after dropping the last MyArc");
    }
}
