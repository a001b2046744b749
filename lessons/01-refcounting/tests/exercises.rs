//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check
//! refcounting` (which turns on the `learner` feature) checks your code.
//! Tests that start threads run under a deadline, so an answer that hangs
//! fails within seconds instead.
//!
//! The pointer tests count how often the value inside is dropped: 0 while
//! any pointer is left, exactly 1 after the last is gone. When a test finds
//! the value freed too early, it forgets the pointers still left before it
//! fails, so that they never touch the freed memory. Miri checks the rest:
//! `cargo +nightly miri test -p refcounting --test exercises`.

#[cfg(feature = "learner")]
use refcounting::exercises as answer;
#[cfg(not(feature = "learner"))]
use refcounting::solutions as answer;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

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

/// Fails the test if the value was dropped, after forgetting `still_held`
/// (the pointers that still point at it) so that nothing uses freed memory.
#[track_caller]
fn assert_alive<H>(drops: &AtomicUsize, still_held: H, when: &str) -> H {
    let n = drops.load(SeqCst);
    if n != 0 {
        std::mem::forget(still_held);
        panic!(
            "freed too early: {when}, the value was dropped {n} time(s) while a pointer to it was left"
        );
    }
    still_held
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

/// How many times the threaded tests repeat: Miri runs thousands of times
/// slower.
const HAMMER: usize = if cfg!(miri) { 30 } else { 20_000 };

mod drop_tracker {
    use super::answer::{DropLog, Tracked, live};

    #[test]
    fn one_value_is_freed_at_the_end_of_its_scope() {
        let log = DropLog::new();
        {
            let a = Tracked::new("a", &log);
            assert_eq!(a.name(), "a");
            assert_eq!(log.freed(), Vec::<&str>::new(), "a is still in scope");
        }
        assert_eq!(log.freed(), ["a"], "a's scope ended");
    }

    #[test]
    fn drop_frees_at_once() {
        let log = DropLog::new();
        let a = Tracked::new("a", &log);
        let b = Tracked::new("b", &log);
        drop(b);
        assert_eq!(log.freed(), ["b"]);
        drop(a);
        assert_eq!(log.freed(), ["b", "a"]);
    }

    #[test]
    fn locals_are_freed_in_reverse_order() {
        let log = DropLog::new();
        {
            let _first = Tracked::new("first", &log);
            let _second = Tracked::new("second", &log);
            let _third = Tracked::new("third", &log);
        }
        assert_eq!(log.freed(), ["third", "second", "first"]);
    }

    #[test]
    fn a_moved_value_is_freed_by_its_new_owner() {
        let log = DropLog::new();
        let a = Tracked::new("a", &log);
        let mut held = Vec::new();
        held.push(a); // moved: leaving this statement frees nothing
        assert!(log.freed().is_empty());
        held.push(Tracked::new("b", &log));
        drop(held); // a Vec frees its elements first to last
        assert_eq!(log.freed(), ["a", "b"]);
    }

    #[test]
    fn forget_never_frees() {
        let log = DropLog::new();
        std::mem::forget(Tracked::new("forgotten", &log));
        drop(Tracked::new("dropped", &log));
        assert_eq!(log.freed(), ["dropped"]);
    }

    #[test]
    fn live_counts_the_values_holding_the_log() {
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
    }
}

mod my_rc {
    use super::answer::MyRc;
    use super::*;

    /// Python's `sys.getrefcount`: takes its argument by value.
    fn getrefcount<T>(obj: MyRc<T>) -> usize {
        MyRc::strong_count(&obj)
    }

    #[test]
    fn new_has_a_count_of_one() {
        let a = MyRc::new(5);
        assert_eq!(*a, 5);
        assert_eq!(MyRc::strong_count(&a), 1);
    }

    #[test]
    fn a_clone_shares_the_value_and_counts() {
        let a = MyRc::new(String::from("shared"));
        let b = a.clone();
        assert_eq!(MyRc::strong_count(&a), 2);
        assert_eq!(MyRc::strong_count(&b), 2);
        assert!(
            std::ptr::eq(&*a, &*b),
            "a clone must point at the same value, not a copy"
        );
    }

    #[test]
    fn getrefcount_sees_three() {
        let a = MyRc::new(Vec::<i32>::new());
        let b = a.clone();
        assert_eq!(getrefcount(a.clone()), 3, "a, b and the argument");
        assert_eq!(MyRc::strong_count(&a), 2, "the argument was dropped");
        drop(b);
        assert_eq!(MyRc::strong_count(&a), 1);
    }

    #[test]
    fn not_freed_while_a_clone_is_left() {
        let (value, drops) = counted(7);
        let a = MyRc::new(value);
        let b = a.clone();
        drop(a);
        let b = assert_alive(&drops, b, "after dropping one of two MyRc");
        assert_eq!(MyRc::strong_count(&b), 1);
        assert_eq!(b.value, 7, "the value is still there");
        drop(b);
        assert_freed_once(&drops, "after dropping the last MyRc");
    }

    #[test]
    fn freed_when_the_only_one_goes() {
        let (value, drops) = counted(1);
        drop(MyRc::new(value));
        assert_freed_once(&drops, "after dropping the only MyRc");
    }

    #[test]
    fn many_clones_free_exactly_once() {
        let (value, drops) = counted(3);
        let first = MyRc::new(value);
        let clones: Vec<MyRc<DropCounter>> = (0..10).map(|_| first.clone()).collect();
        assert_eq!(MyRc::strong_count(&first), 11);
        // Drop the first one, then the clones from the middle outwards.
        drop(first);
        let mut clones = assert_alive(&drops, clones, "after dropping the first");
        while clones.len() > 1 {
            let middle = clones.len() / 2;
            drop(clones.remove(middle));
            clones = assert_alive(&drops, clones, "while clones were left");
        }
        assert_eq!(MyRc::strong_count(&clones[0]), 1);
        drop(clones);
        assert_freed_once(&drops, "after dropping every clone");
    }
}

mod my_arc {
    use super::answer::MyArc;
    use super::*;
    use std::sync::Barrier;
    use std::thread;
    use workshop::testing::deadline;

    fn is_send_and_sync<T: Send + Sync>(_: &T) {}

    #[test]
    fn new_has_a_count_of_one() {
        let a = MyArc::new(5);
        is_send_and_sync(&a);
        assert_eq!(*a, 5);
        assert_eq!(MyArc::strong_count(&a), 1);
    }

    #[test]
    fn a_clone_shares_the_value_and_counts() {
        let a = MyArc::new(String::from("shared"));
        let b = a.clone();
        assert_eq!(MyArc::strong_count(&a), 2);
        assert!(
            std::ptr::eq(&*a, &*b),
            "a clone must point at the same value"
        );
    }

    #[test]
    fn not_freed_while_a_clone_is_left() {
        let (value, drops) = counted(7);
        let a = MyArc::new(value);
        let b = a.clone();
        drop(a);
        let b = assert_alive(&drops, b, "after dropping one of two MyArc");
        assert_eq!(b.value, 7);
        drop(b);
        assert_freed_once(&drops, "after dropping the last MyArc");
    }

    #[test]
    fn freed_when_the_only_one_goes() {
        let (value, drops) = counted(1);
        drop(MyArc::new(value));
        assert_freed_once(&drops, "after dropping the only MyArc");
    }

    #[test]
    fn the_last_owner_frees_it_on_its_own_thread() {
        let (value, drops) = counted(9);
        let a = MyArc::new(value);
        let clones: Vec<MyArc<DropCounter>> = (0..3).map(|_| a.clone()).collect();
        drop(a);
        let clones = assert_alive(&drops, clones, "after main dropped its MyArc");
        let seen = deadline(move || {
            let barrier = Barrier::new(clones.len());
            thread::scope(|s| {
                let readers: Vec<_> = clones
                    .into_iter()
                    .map(|mine| {
                        let barrier = &barrier;
                        s.spawn(move || {
                            let value = mine.value; // read before anyone drops
                            barrier.wait();
                            drop(mine); // one of the three frees it
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
    }

    #[test]
    fn threads_cloning_at_once_lose_no_update() {
        const THREADS: usize = 4;
        const RESERVE: usize = if cfg!(miri) { 4 } else { 1_000 };
        let (value, drops) = counted(42);
        let a = MyArc::new(value);
        // Extra clones held by main keep the count far from zero, so that a
        // count that loses updates shows up as a wrong count at the end
        // instead of freeing the value under the threads' feet.
        let reserve: Vec<MyArc<DropCounter>> = (0..RESERVE).map(|_| a.clone()).collect();
        let (a, reserve) = deadline(move || {
            thread::scope(|s| {
                for _ in 0..THREADS {
                    let mine = a.clone();
                    s.spawn(move || {
                        for _ in 0..HAMMER {
                            let clone = mine.clone();
                            assert_eq!(clone.value, 42);
                            drop(clone);
                        }
                    });
                }
            });
            (a, reserve)
        });
        let count = MyArc::strong_count(&a);
        if count != 1 + RESERVE {
            std::mem::forget((a, reserve));
            panic!(
                "{THREADS} threads each cloned and dropped {HAMMER} times: the count should be back at {}, it is {count}: updates were lost",
                1 + RESERVE
            );
        }
        let a = assert_alive(&drops, a, "after the threads finished");
        drop(reserve);
        assert_eq!(MyArc::strong_count(&a), 1);
        let a = assert_alive(&drops, a, "after dropping the reserve");
        drop(a);
        assert_freed_once(&drops, "after dropping the last MyArc");
    }
}
