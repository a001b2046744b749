//! Model checks: every interleaving of small cases, not one lucky run.
//!
//! Built only with `RUSTFLAGS="--cfg loom"`: `cargo xtask verify` runs them
//! on the reference solutions and the lesson's own primitives, and `cargo
//! xtask check locks` on your answers, once their ordinary tests pass (in
//! release mode, in a target directory of their own). By hand:
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
//! The checks of each exercise are in a `mod` named after it, as in
//! `tests/exercises.rs`; `lesson` checks the lesson's own primitives.
//!
//! The cases are small on purpose: two or three threads, one or two
//! operations each. That is enough for the bugs the ordinary tests can
//! only hope to hit: a `set` that lands between a waiter's look at the
//! value and its sleep, a wake-up stolen by a thread that never slept, a
//! notification that wakes the wrong kind of thread, a round that ends
//! before a slow thread has left the last one. (`cargo xtask verify` proves
//! it: the wrong answers in `tests/wrong_answers/` that these must catch.)

#![cfg(loom)]

#[cfg(learner)]
use locks::exercises as answer;
#[cfg(not(any(learner, wrong_answer)))]
use locks::solutions as answer;
// `cargo xtask wrong-answers` checks the wrong answers kept in
// tests/wrong_answers/ the way `cargo xtask check` checks yours.
#[cfg(wrong_answer)]
mod answer {
    include!(env!("WRONG_ANSWER"));
}

use std::sync::Arc;

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::thread;

// A std `Arc`, not loom's, shares each case's state: when loom finds a
// deadlock it gives up on the threads still waiting, and dropping a loom
// `Arc` that such a thread holds would need the model that just ended,
// aborting the whole run instead of failing one check. The primitives
// themselves are built on loom's `Mutex` and `Condvar`, which is what
// loom needs to see.

/// Explores every interleaving of `case` with at most three preemptions
/// (a thread switched out while it could have gone on): enough for these
/// bugs, small enough to finish in seconds.
///
/// Loom runs one thread at a time and switches only at the operations it
/// models. An answer that blocks in something else (`std::sync`'s own
/// `Barrier`, `Mutex` or `Condvar`) stops every thread for good, with no
/// CPU used: that is reported after [`BLOCKED`], not waited out.
fn check(case: impl Fn() + Sync + Send + 'static) {
    workshop::testing::failing_when_blocked(BLOCKED, workshop::testing::LOOM_BLOCKED, move || {
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(3);
        model.check(case);
    });
}

/// How long loom may sit still before the check says it is blocked: a
/// correct answer's checks keep a core busy and all end within seconds.
const BLOCKED: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `body` on `threads` loom threads besides the model's own (which
/// runs it too, as number 0), and joins them; returns what each returned.
fn on_threads<T: Send + 'static>(
    threads: usize,
    body: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let body = Arc::new(body);
    let others: Vec<_> = (1..threads)
        .map(|i| {
            let body = body.clone();
            thread::spawn(move || body(i))
        })
        .collect();
    let mut results = vec![body(0)];
    results.extend(others.into_iter().map(|t| t.join().unwrap()));
    results
}

mod lesson {
    use super::*;
    use locks::event::Event;
    use locks::semaphore::Semaphore;

    /// Three threads share a one-permit semaphore: in no interleaving are
    /// two inside at once, and in none does anybody wait forever.
    #[test]
    fn semaphore_never_lets_two_in() {
        check(|| {
            let semaphore = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let shared = (semaphore.clone(), inside);
            on_threads(3, move |_| {
                let _permit = shared.0.acquire();
                assert_eq!(shared.1.fetch_add(1, SeqCst), 0, "two threads inside");
                shared.1.fetch_sub(1, SeqCst);
            });
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
}

mod semaphore {
    use super::*;
    use answer::BoundedSemaphore;

    /// Three threads, one permit: never two inside, nobody left waiting
    /// (a release that wakes nobody, or a woken thread that takes a
    /// permit another thread got first, fails here).
    #[test]
    fn one_permit_never_lets_two_in() {
        check(|| {
            let semaphore = Arc::new(BoundedSemaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let shared = (semaphore.clone(), inside);
            on_threads(3, move |_| {
                shared.0.acquire();
                assert_eq!(shared.1.fetch_add(1, SeqCst), 0, "two threads inside");
                shared.1.fetch_sub(1, SeqCst);
                shared.0.release().expect("this thread holds a permit");
            });
            assert!(semaphore.try_acquire(), "the permit was lost");
            assert!(!semaphore.try_acquire(), "a permit was made up");
        });
    }
}

mod event {
    use super::*;
    use answer::ValueEvent;

    /// One `set`, two `wait`s, in every order: both waiters get the value
    /// (a waiter that looks at the value and then locks again to sleep,
    /// or a `set` that wakes only one, leaves one asleep for good).
    #[test]
    fn every_waiter_gets_the_value_whenever_it_is_set() {
        check(|| {
            let event = Arc::new(ValueEvent::new());
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let event = event.clone();
                    thread::spawn(move || event.wait())
                })
                .collect();
            assert!(event.set(7), "the first set counts");
            for waiter in waiters {
                assert_eq!(waiter.join().unwrap(), 7);
            }
        });
    }
}

mod bounded_buffer {
    use super::*;
    use answer::BoundedBuffer;

    /// Two producers and two consumers of one item each, through a buffer
    /// of one: every item comes out, the buffer never holds two, and
    /// nobody is left waiting (one condition variable for both kinds of
    /// waiter can wake a consumer when only a producer could go on).
    #[test]
    fn two_producers_two_consumers_one_slot() {
        check(|| {
            let buffer = Arc::new(BoundedBuffer::new(1));
            let producers: Vec<_> = (1..=2)
                .map(|item| {
                    let buffer = buffer.clone();
                    thread::spawn(move || {
                        buffer.put(item);
                        assert!(buffer.len() <= 1, "the buffer held two items");
                    })
                })
                .collect();
            let consumer = {
                let buffer = buffer.clone();
                thread::spawn(move || buffer.take())
            };
            let mine = buffer.take();
            let theirs = consumer.join().unwrap();
            for producer in producers {
                producer.join().unwrap();
            }
            assert_eq!(mine + theirs, 3, "every item comes out once");
        });
    }
}

mod barrier {
    use super::*;
    use answer::ReusableBarrier;

    /// Two threads, two rounds. Nobody leaves a round before both arrived,
    /// and each round has one leader (a barrier that waits for a count,
    /// not for the round to change, lets a thread through early here).
    #[test]
    fn holds_every_round() {
        check(|| {
            let barrier = Arc::new(ReusableBarrier::new(2));
            let arrivals = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
            let led = on_threads(2, move |_| {
                let mut led = 0;
                for (round, arrived) in arrivals.iter().enumerate() {
                    arrived.fetch_add(1, SeqCst);
                    if barrier.wait() {
                        led += 1;
                    }
                    assert_eq!(arrived.load(SeqCst), 2, "left round {round} early");
                }
                led
            });
            assert_eq!(led.iter().sum::<usize>(), 2, "one leader per round");
        });
    }
}
