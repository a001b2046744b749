//! Model checks: every interleaving of small cases, not one lucky run.
//!
//! Built only with `RUSTFLAGS="--cfg loom"` (`cargo xtask verify` does it,
//! in release mode and in its own target directory):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p locks --release --test loom
//! ```
//!
//! Under that flag, [`locks::sync`] hands the primitives loom's `Mutex` and
//! `Condvar`. Loom runs each closure below again and again, switching
//! threads at every lock, wait and notify in every order it can (up to a
//! bound on preemptions, which keeps the search small), and fails if any
//! order breaks an assertion or leaves every thread waiting (a deadlock).
//! The last two tests check the checker: a semaphore with `if` instead of
//! `while`, and an event that looks at its flag before taking the lock,
//! are both wrong, and loom must say so.

#![cfg(loom)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;

use locks::event::Event;
use locks::semaphore::Semaphore;
use locks::solutions::ReusableBarrier;
use locks::sync::{Condvar, Mutex, lock, wait};

/// Explores every interleaving of `case` with at most three preemptions
/// (a thread switched out while it could have gone on): enough for these
/// bugs, small enough to finish in seconds.
fn check(case: impl Fn() + Sync + Send + 'static) {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(case);
}

/// The panic message of a model that failed, or `None` if every
/// interleaving passed.
fn failure(case: impl Fn() + Sync + Send + 'static) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| check(case)))
        .err()
        .map(|payload| workshop::panics::message(&*payload))
}

/// Three threads share a one-permit semaphore: in no interleaving are two
/// inside at once, and in none does anybody wait forever.
#[test]
fn semaphore_never_lets_two_in() {
    check(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let inside = Arc::new(AtomicUsize::new(0));
        let visit = {
            let (semaphore, inside) = (semaphore.clone(), inside.clone());
            move || {
                let _permit = semaphore.acquire();
                assert_eq!(inside.fetch_add(1, SeqCst), 0, "two threads inside");
                inside.fetch_sub(1, SeqCst);
            }
        };
        let others: Vec<_> = (0..2).map(|_| thread::spawn(visit.clone())).collect();
        visit();
        for other in others {
            other.join().unwrap();
        }
        assert_eq!(semaphore.available(), 1, "a permit was lost");
    });
}

/// A `set` and two `wait`s in every order: both waiters always return.
#[test]
fn event_releases_every_waiter_whenever_it_is_set() {
    check(|| {
        let event = Arc::new(Event::new());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let event = event.clone();
                thread::spawn(move || event.wait())
            })
            .collect();
        event.set();
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert!(event.is_set());
    });
}

/// The reference solution of the `barrier` exercise: two threads, two rounds. Nobody
/// leaves a round before both arrived, and each round has one leader.
#[test]
fn reusable_barrier_holds_every_round() {
    check(|| {
        let barrier = Arc::new(ReusableBarrier::new(2));
        let arrivals = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let rounds = {
            let (barrier, arrivals) = (barrier.clone(), arrivals.clone());
            move || {
                let mut led = 0;
                for round in 0..2 {
                    arrivals[round].fetch_add(1, SeqCst);
                    if barrier.wait() {
                        led += 1;
                    }
                    assert_eq!(arrivals[round].load(SeqCst), 2, "left round {round} early");
                }
                led
            }
        };
        let other = thread::spawn(rounds.clone());
        let led = rounds() + other.join().unwrap();
        assert_eq!(led, 2, "one leader per round");
    });
}

/// A semaphore that waits with `if`: a thread woken by a release can find
/// the permit already taken by a thread that never slept, and goes in
/// anyway. One lucky run rarely shows it; loom finds the interleaving.
struct IfSemaphore {
    free: Mutex<usize>,
    returned: Condvar,
}

impl IfSemaphore {
    fn acquire(&self) {
        let mut free = lock(&self.free);
        if *free == 0 {
            free = wait(&self.returned, free);
        }
        *free = free.wrapping_sub(1);
    }

    fn release(&self) {
        let mut free = lock(&self.free);
        *free = free.wrapping_add(1);
        drop(free);
        self.returned.notify_one();
    }
}

#[test]
fn loom_rejects_a_semaphore_that_waits_with_if() {
    let failed = failure(|| {
        let semaphore = Arc::new(IfSemaphore {
            free: Mutex::new(1),
            returned: Condvar::new(),
        });
        let inside = Arc::new(AtomicUsize::new(0));
        let visit = {
            let (semaphore, inside) = (semaphore.clone(), inside.clone());
            move || {
                semaphore.acquire();
                assert_eq!(inside.fetch_add(1, SeqCst), 0, "two threads inside");
                inside.fetch_sub(1, SeqCst);
                semaphore.release();
            }
        };
        let others: Vec<_> = (0..2).map(|_| thread::spawn(visit.clone())).collect();
        visit();
        for other in others {
            other.join().unwrap();
        }
    });
    let message = failed.expect("loom found no interleaving that lets two threads in");
    assert!(message.contains("two threads inside"), "{message}");
}

/// An event whose `wait` looks at the flag, lets go of the lock, and then
/// takes it again to sleep: a `set` that lands in between notifies nobody,
/// and the waiter sleeps forever. The exercise tests cannot catch this
/// reliably (the gap is a few nanoseconds); loom reports the deadlock.
struct GappyEvent {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl GappyEvent {
    fn set(&self) {
        *lock(&self.flag) = true;
        self.changed.notify_all();
    }

    fn wait(&self) {
        if *lock(&self.flag) {
            return;
        }
        // The gap: the lock is free here, and a `set` may come and go.
        let flag = lock(&self.flag);
        drop(wait(&self.changed, flag));
    }
}

#[test]
fn loom_rejects_an_event_that_looks_before_it_locks() {
    let failed = failure(|| {
        // A std `Arc`, not loom's: when loom gives up on the deadlocked
        // waiter, dropping a loom `Arc` that the waiter still holds would
        // need the model that just ended, and abort the test.
        let event = std::sync::Arc::new(GappyEvent {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        });
        let waiter = {
            let event = event.clone();
            thread::spawn(move || event.wait())
        };
        event.set();
        waiter.join().unwrap();
    });
    let message = failed.expect("loom found no interleaving that loses the set");
    assert!(message.contains("deadlock"), "{message}");
}
