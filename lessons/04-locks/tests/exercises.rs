//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check locks`
//! (which builds them with `--cfg learner`) checks your code. Every test runs
//! under a deadline, so an answer that waits forever fails within seconds
//! with "deadlock likely" instead of hanging. The tests that hammer a
//! primitive from many threads repeat it many times: a race that shows up
//! once in a thousand runs still shows up.

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

use std::panic::resume_unwind;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::{Duration, Instant};

use workshop::bench::StartLine;
// Exercise tests wait 5 s, not 10: see `EXERCISE_DEADLINE`.
use workshop::testing::exercise_deadline as deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Runs `body(i)` on `threads` threads, started together from a spinning
/// start line so that they really overlap, and joins them all; a thread's
/// panic fails the test with that panic's own message (a `todo!()` shows as
/// "not yet implemented").
fn on_threads<T: Send + 'static>(
    threads: usize,
    body: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let body = Arc::new(body);
    let start_line = Arc::new(StartLine::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (body, start_line) = (Arc::clone(&body), Arc::clone(&start_line));
            thread::spawn(move || {
                start_line.wait();
                body(i)
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().unwrap_or_else(|panic| resume_unwind(panic)))
        .collect()
}

mod semaphore {
    use super::*;
    use answer::{BoundedSemaphore, TooManyReleases};

    #[test]
    fn one_permit_one_holder() {
        deadline(|| {
            let semaphore = BoundedSemaphore::new(1);
            assert!(semaphore.try_acquire(), "the permit is free");
            assert!(!semaphore.try_acquire(), "the only permit is taken");
            assert_eq!(semaphore.release(), Ok(()));
            assert!(semaphore.try_acquire(), "the permit came back");
        });
    }

    #[test]
    fn zero_permits_let_nobody_in() {
        deadline(|| {
            let semaphore = BoundedSemaphore::new(0);
            assert!(!semaphore.try_acquire());
            assert_eq!(
                semaphore.release(),
                Err(TooManyReleases { permits: 0 }),
                "with no permit out, there is nothing to give back"
            );
        });
    }

    /// `try_acquire` with no permit free must say so at once: the fastest
    /// of 20 tries is timed (one try can be delayed by a busy machine, not
    /// all 20), so a try that waits even a millisecond for a release fails.
    #[test]
    fn try_acquire_does_not_wait() {
        let fastest = deadline(|| {
            let semaphore = BoundedSemaphore::new(1);
            assert!(semaphore.try_acquire());
            (0..20)
                .map(|_| {
                    let start = Instant::now();
                    assert!(!semaphore.try_acquire(), "the only permit is taken");
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        });
        assert!(
            fastest < Duration::from_micros(500),
            "with no permit free, the fastest of 20 try_acquire calls took {fastest:?}: \
             it must answer at once, not wait for a release"
        );
    }

    #[test]
    fn releasing_more_than_acquired_is_refused() {
        deadline(|| {
            let semaphore = BoundedSemaphore::new(2);
            assert_eq!(
                semaphore.release(),
                Err(TooManyReleases { permits: 2 }),
                "both permits are free: a release would make a third"
            );
            semaphore.acquire();
            assert_eq!(semaphore.release(), Ok(()));
            assert_eq!(semaphore.release(), Err(TooManyReleases { permits: 2 }));
            // The refused releases changed nothing: exactly two permits.
            assert!(semaphore.try_acquire() && semaphore.try_acquire());
            assert!(!semaphore.try_acquire(), "a refused release added a permit");
        });
    }

    #[test]
    fn acquire_waits_for_a_release() {
        let waited = deadline(|| {
            let semaphore = Arc::new(BoundedSemaphore::new(1));
            semaphore.acquire();
            let waiter = {
                let semaphore = Arc::clone(&semaphore);
                thread::spawn(move || {
                    let asked = Instant::now();
                    semaphore.acquire();
                    asked.elapsed()
                })
            };
            thread::sleep(ms(100));
            semaphore.release().expect("main holds a permit");
            waiter.join().unwrap_or_else(|p| resume_unwind(p))
        });
        assert!(
            waited >= ms(90),
            "acquire returned after {waited:?}, while the only permit was held for 100 ms"
        );
    }

    #[test]
    fn every_release_wakes_a_waiter() {
        deadline(|| {
            let semaphore = Arc::new(BoundedSemaphore::new(1));
            semaphore.acquire();
            // Four threads queue for the permit; each passes it on.
            let waiters = {
                let semaphore = Arc::clone(&semaphore);
                thread::spawn(move || {
                    on_threads(4, move |_| {
                        semaphore.acquire();
                        semaphore.release().expect("this thread holds a permit");
                    })
                })
            };
            thread::sleep(ms(50));
            semaphore.release().expect("main holds a permit");
            waiters.join().unwrap_or_else(|p| resume_unwind(p));
        });
    }

    #[test]
    fn never_more_than_k_inside() {
        const PERMITS: usize = 3;
        const THREADS: usize = 12;
        const ROUNDS: usize = 250;
        let highest = deadline(|| {
            let semaphore = Arc::new(BoundedSemaphore::new(PERMITS));
            let inside = Arc::new(AtomicUsize::new(0));
            let highest = Arc::new(AtomicUsize::new(0));
            let shared = (Arc::clone(&semaphore), Arc::clone(&highest));
            on_threads(THREADS, move |_| {
                let (semaphore, highest) = (&shared.0, &shared.1);
                for _ in 0..ROUNDS {
                    semaphore.acquire();
                    let now = inside.fetch_add(1, SeqCst) + 1;
                    highest.fetch_max(now, SeqCst);
                    thread::yield_now();
                    inside.fetch_sub(1, SeqCst);
                    semaphore.release().expect("this thread holds a permit");
                }
            });
            highest.load(SeqCst)
        });
        assert!(
            highest <= PERMITS,
            "{highest} threads were inside at once with {PERMITS} permits"
        );
        assert!(highest >= 1);
    }
}

mod event {
    use super::*;
    use answer::ValueEvent;

    #[test]
    fn nothing_before_set() {
        deadline(|| {
            let event = ValueEvent::<u32>::new();
            assert_eq!(event.get(), None);
        });
    }

    #[test]
    fn only_the_first_set_counts() {
        deadline(|| {
            let event = ValueEvent::new();
            assert!(event.set("first"));
            assert!(!event.set("second"), "the value was already set");
            assert_eq!(event.get(), Some("first"));
        });
    }

    #[test]
    fn a_set_before_wait_is_not_lost() {
        let (waited, timed) = deadline(|| {
            let event = ValueEvent::new();
            event.set(7);
            let began = Instant::now();
            let waited = event.wait();
            let timed = event.wait_timeout(Duration::from_secs(5));
            (waited, (timed, began.elapsed()))
        });
        assert_eq!(waited, 7);
        assert_eq!(timed.0, Some(7));
        assert!(
            timed.1 < ms(1000),
            "waiting for a value already set took {:?}: look before you sleep",
            timed.1
        );
    }

    #[test]
    fn one_set_releases_every_waiter() {
        let values = deadline(|| {
            let event = Arc::new(ValueEvent::new());
            let waiters = {
                let event = Arc::clone(&event);
                thread::spawn(move || on_threads(5, move |_| event.wait()))
            };
            thread::sleep(ms(50));
            event.set(42);
            waiters.join().unwrap_or_else(|p| resume_unwind(p))
        });
        assert_eq!(values, [42; 5], "every waiter gets the value");
    }

    #[test]
    fn wait_timeout_gives_up_without_a_value() {
        let (value, took) = deadline(|| {
            let event = ValueEvent::<u32>::new();
            let began = Instant::now();
            (event.wait_timeout(ms(100)), began.elapsed())
        });
        assert_eq!(value, None);
        assert!(
            took >= ms(95),
            "wait_timeout(100 ms) gave up after {took:?}"
        );
        assert!(took < ms(3000), "wait_timeout(100 ms) took {took:?}");
    }

    #[test]
    fn wait_timeout_returns_as_soon_as_it_is_set() {
        let (value, took) = deadline(|| {
            let event = Arc::new(ValueEvent::new());
            let setter = {
                let event = Arc::clone(&event);
                thread::spawn(move || {
                    thread::sleep(ms(50));
                    event.set("ready")
                })
            };
            let began = Instant::now();
            let value = event.wait_timeout(Duration::from_secs(6));
            let took = began.elapsed();
            setter.join().unwrap_or_else(|p| resume_unwind(p));
            (value, took)
        });
        assert_eq!(value, Some("ready"));
        assert!(
            took < ms(3000),
            "the value came after 50 ms but wait_timeout(6 s) returned after {took:?}"
        );
    }

    #[test]
    fn setter_and_waiter_racing_never_lose_the_value() {
        // A setter and a waiter start together on a fresh event, five
        // hundred times: sometimes the set comes first, sometimes the wait.
        // Neither order may lose the value (a lost one leaves the waiter
        // asleep, and the deadline reports a likely deadlock). A gap of a
        // few nanoseconds, between looking at the value and locking again
        // to sleep, is too narrow for a test to hit on purpose; loom finds
        // it (see `tests/loom.rs`). Where starting threads is slow (Windows
        // under wine on a loaded machine: 500 rounds took over 5 s), the
        // rounds stop after 2 s, but never before fifty.
        deadline(|| {
            let until = Instant::now() + Duration::from_secs(2);
            for round in 0..500u32 {
                if round >= 50 && Instant::now() > until {
                    break;
                }
                let event = Arc::new(ValueEvent::new());
                let setter = {
                    let event = Arc::clone(&event);
                    thread::spawn(move || event.set(round))
                };
                let waiter = {
                    let event = Arc::clone(&event);
                    thread::spawn(move || event.wait())
                };
                assert!(setter.join().unwrap_or_else(|p| resume_unwind(p)));
                assert_eq!(waiter.join().unwrap_or_else(|p| resume_unwind(p)), round);
            }
        });
    }
}

mod bounded_buffer {
    //! Promises: first in, first out; `put` waits while full, `take` while
    //! empty; never more than `capacity`; every item out once, under four
    //! producers and four consumers. "Two condition variables, never the
    //! wrong kind" is tested by its consequence: one condition variable
    //! with `notify_one` wakes the wrong kind and loses the wake-up, and
    //! the many-threads test (or loom, `tests/loom.rs`) sees a waiter
    //! asleep for good (wrong answer `bounded_buffer-one-condvar`). One
    //! condition variable with `notify_all` wakes every kind and is
    //! correct, only slower: no test can fail it honestly, so it passes.

    use super::*;
    use answer::BoundedBuffer;

    #[test]
    fn first_in_first_out() {
        deadline(|| {
            let buffer = BoundedBuffer::new(3);
            assert!(buffer.is_empty());
            for n in 1..=3 {
                buffer.put(n);
            }
            assert_eq!(buffer.len(), 3);
            let taken: Vec<i32> = (0..3).map(|_| buffer.take()).collect();
            assert_eq!(taken, [1, 2, 3]);
            assert!(buffer.is_empty());
        });
    }

    #[test]
    fn a_capacity_of_zero_holds_one() {
        deadline(|| {
            let buffer = BoundedBuffer::new(0);
            buffer.put('x');
            assert_eq!(buffer.len(), 1);
            assert_eq!(buffer.take(), 'x');
        });
    }

    #[test]
    fn put_waits_while_full() {
        deadline(|| {
            let buffer = Arc::new(BoundedBuffer::new(2));
            buffer.put(1);
            buffer.put(2);
            let done = Arc::new(AtomicBool::new(false));
            let putter = {
                let (buffer, done) = (Arc::clone(&buffer), Arc::clone(&done));
                thread::spawn(move || {
                    buffer.put(3);
                    done.store(true, SeqCst);
                })
            };
            thread::sleep(ms(100));
            assert!(!done.load(SeqCst), "put returned while the buffer was full");
            assert_eq!(buffer.len(), 2, "the buffer holds more than its capacity");
            assert_eq!(buffer.take(), 1);
            putter.join().unwrap_or_else(|p| resume_unwind(p));
            assert_eq!((buffer.take(), buffer.take()), (2, 3));
        });
    }

    #[test]
    fn take_waits_while_empty() {
        let (item, waited) = deadline(|| {
            let buffer = Arc::new(BoundedBuffer::new(2));
            let taker = {
                let buffer = Arc::clone(&buffer);
                thread::spawn(move || {
                    let began = Instant::now();
                    (buffer.take(), began.elapsed())
                })
            };
            thread::sleep(ms(100));
            buffer.put("late");
            taker.join().unwrap_or_else(|p| resume_unwind(p))
        });
        assert_eq!(item, "late");
        assert!(
            waited >= ms(90),
            "take returned after {waited:?}, before any put"
        );
    }

    #[test]
    fn many_producers_and_consumers() {
        // Four producers and four consumers on a buffer of two: wakeups are
        // stolen all the time, so a wait with `if` instead of `while` takes
        // from an empty buffer or overfills a full one.
        const CAPACITY: usize = 2;
        const EACH: u64 = 2_000;
        let taken = deadline(|| {
            let buffer = Arc::new(BoundedBuffer::new(CAPACITY));
            let producers = {
                let buffer = Arc::clone(&buffer);
                thread::spawn(move || {
                    on_threads(4, move |p| {
                        for n in 0..EACH {
                            buffer.put(p as u64 * EACH + n);
                            let len = buffer.len();
                            assert!(len <= CAPACITY, "the buffer held {len} items");
                        }
                    })
                })
            };
            let consumers = {
                let buffer = Arc::clone(&buffer);
                thread::spawn(move || {
                    on_threads(4, move |_| {
                        (0..EACH).map(|_| buffer.take()).collect::<Vec<u64>>()
                    })
                })
            };
            // Consumers first: one that panicked (taking from an empty
            // buffer) leaves the producers blocked for good.
            let taken = consumers.join().unwrap_or_else(|p| resume_unwind(p));
            producers.join().unwrap_or_else(|p| resume_unwind(p));
            taken
        });
        let mut all: Vec<u64> = taken.concat();
        all.sort_unstable();
        assert_eq!(
            all,
            (0..4 * EACH).collect::<Vec<_>>(),
            "every item must come out exactly once"
        );
        for consumer in &taken {
            // Each producer's items come out in its order, as seen by any
            // one consumer.
            for p in 0..4 {
                let mine: Vec<u64> = consumer.iter().copied().filter(|n| n / EACH == p).collect();
                assert!(mine.is_sorted(), "items overtook each other");
            }
        }
    }
}

mod transfer {
    use super::*;
    use answer::{Account, transfer};

    #[test]
    fn money_moves() {
        let balances = deadline(|| {
            let (alice, bob) = (Account::new(1, 100), Account::new(2, 0));
            assert!(transfer(&alice, &bob, 30));
            assert!(transfer(&bob, &alice, 10), "the other way round too");
            (alice.balance(), bob.balance())
        });
        assert_eq!(balances, (80, 20));
    }

    #[test]
    fn not_enough_money_moves_nothing() {
        let balances = deadline(|| {
            let (alice, bob) = (Account::new(1, 100), Account::new(2, 0));
            assert!(!transfer(&alice, &bob, 101));
            assert!(transfer(&alice, &bob, 100), "the balance may reach 0");
            (alice.balance(), bob.balance())
        });
        assert_eq!(balances, (0, 100));
    }

    #[test]
    fn to_the_same_account_changes_nothing() {
        let (moved, balance) = deadline(|| {
            let alice = Account::new(1, 100);
            (transfer(&alice, &alice, 10), alice.balance())
        });
        assert!(!moved);
        assert_eq!(balance, 100);
    }

    /// Starts `transfer(from, to, amount)` on a thread while the test holds
    /// `blocked`'s lock, gives it time to get as far as it can, and returns
    /// what `probe` sees then; then lets the transfer finish.
    fn while_blocked<T: Send + 'static>(
        accounts: [Account; 2],
        from: usize,
        blocked: usize,
        probe: fn(&[Account; 2]) -> T,
    ) -> T {
        deadline(move || {
            let accounts = Arc::new(accounts);
            let held = accounts[blocked].balance.lock().unwrap();
            let mover = {
                let accounts = Arc::clone(&accounts);
                thread::spawn(move || transfer(&accounts[from], &accounts[1 - from], 10))
            };
            thread::sleep(ms(300)); // the transfer runs until it waits for `blocked`
            let seen = probe(&accounts);
            drop(held);
            mover.join().unwrap_or_else(|p| resume_unwind(p));
            seen
        })
    }

    #[test]
    fn the_lower_id_is_locked_first() {
        // Bob (id 2) pays Alice (id 1) while the test holds Alice's lock. In
        // id order, the transfer waits for Alice holding nothing. Locking
        // `from` first, it holds Bob while it waits: if Alice were paying
        // Bob at that moment, each would wait for the other forever.
        let bob_was_held = while_blocked(
            [Account::new(1, 100), Account::new(2, 100)],
            1,
            0,
            |accounts| accounts[1].balance.try_lock().is_err(),
        );
        assert!(
            !bob_was_held,
            "bob → alice held bob's lock while waiting for alice's: lock the lower id first, \
             whichever way the money goes"
        );
    }

    #[test]
    fn both_balances_change_under_both_locks() {
        // Alice pays Bob while the test holds Bob's lock: the transfer must
        // wait with Alice's lock held, before changing anything.
        let alice = while_blocked(
            [Account::new(1, 100), Account::new(2, 100)],
            0,
            1,
            |accounts| match accounts[0].balance.try_lock() {
                Ok(balance) => Some(*balance),
                Err(_) => None, // held by the transfer: fine
            },
        );
        assert!(
            alice.is_none_or(|balance| balance == 100),
            "alice's balance was {alice:?} while bob's lock was still out of reach: the money \
             left one account before the other could take it"
        );
    }

    #[test]
    fn opposite_directions_do_not_deadlock() {
        let balances = deadline(|| {
            let alice = Arc::new(Account::new(1, 1_000));
            let bob = Arc::new(Account::new(2, 1_000));
            let pair = (Arc::clone(&alice), Arc::clone(&bob));
            on_threads(2, move |i| {
                let (from, to) = if i == 0 {
                    (&pair.0, &pair.1)
                } else {
                    (&pair.1, &pair.0)
                };
                for _ in 0..100_000 {
                    transfer(from, to, 1);
                }
            });
            (alice.balance(), bob.balance())
        });
        assert_eq!(balances.0 + balances.1, 2_000, "money appeared or vanished");
    }

    #[test]
    fn a_ring_of_transfers_does_not_deadlock() {
        let total = deadline(|| {
            let accounts: Arc<Vec<Account>> =
                Arc::new((1..=3).map(|id| Account::new(id * 10, 500)).collect());
            let ring = Arc::clone(&accounts);
            on_threads(3, move |i| {
                // The highest id pays the lowest: not every pair is in id order.
                for _ in 0..50_000 {
                    transfer(&ring[i], &ring[(i + 1) % 3], 1);
                }
            });
            accounts.iter().map(Account::balance).sum::<u64>()
        });
        assert_eq!(total, 1_500);
    }

    #[test]
    fn nobody_sees_the_money_in_flight() {
        // An auditor locks both accounts (in id order) and counts, over and
        // over, while two threads move money both ways: the total must be
        // the same at every moment, so a transfer must change both balances
        // while holding both locks. The transfers go on until the auditor
        // has counted many times, so the two really overlap.
        const AUDITS: usize = 20_000;
        let worst = deadline(|| {
            let alice = Arc::new(Account::new(1, 1_000));
            let bob = Arc::new(Account::new(2, 1_000));
            let audits = Arc::new(AtomicUsize::new(0));
            let auditor = {
                let (alice, bob, audits) =
                    (Arc::clone(&alice), Arc::clone(&bob), Arc::clone(&audits));
                thread::spawn(move || {
                    let mut worst = 2_000;
                    for _ in 0..AUDITS {
                        let a = alice.balance.lock().unwrap_or_else(|p| p.into_inner());
                        let b = bob.balance.lock().unwrap_or_else(|p| p.into_inner());
                        if *a + *b != 2_000 {
                            worst = *a + *b;
                        }
                        drop((a, b));
                        audits.fetch_add(1, SeqCst);
                    }
                    worst
                })
            };
            let (pair, counted) = ((Arc::clone(&alice), Arc::clone(&bob)), Arc::clone(&audits));
            let moved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                on_threads(2, move |i| {
                    let (from, to) = if i == 0 {
                        (&pair.0, &pair.1)
                    } else {
                        (&pair.1, &pair.0)
                    };
                    let mut transfers = 0;
                    while transfers < 1_000 || counted.load(SeqCst) < AUDITS {
                        transfer(from, to, 3);
                        transfers += 1;
                    }
                })
            }));
            let worst = auditor.join().unwrap_or_else(|p| resume_unwind(p));
            if let Err(panic) = moved {
                resume_unwind(panic);
            }
            worst
        });
        assert_eq!(
            worst, 2_000,
            "the auditor saw a total of {worst}: lock both accounts before changing either"
        );
    }
}

mod barrier {
    use super::*;
    use answer::ReusableBarrier;

    #[test]
    fn one_party_never_waits() {
        deadline(|| {
            let barrier = ReusableBarrier::new(1);
            for _ in 0..3 {
                assert!(barrier.wait(), "alone, every thread is the leader");
            }
        });
    }

    #[test]
    fn zero_parties_act_like_one() {
        deadline(|| {
            let barrier = ReusableBarrier::new(0);
            assert!(barrier.wait());
            assert!(barrier.wait());
        });
    }

    #[test]
    fn nobody_leaves_before_the_last_arrives() {
        let seen = deadline(|| {
            let barrier = Arc::new(ReusableBarrier::new(4));
            let arrived = Arc::new(AtomicUsize::new(0));
            on_threads(4, move |i| {
                thread::sleep(ms(20 * i as u64)); // they arrive one by one
                arrived.fetch_add(1, SeqCst);
                barrier.wait();
                arrived.load(SeqCst)
            })
        });
        assert_eq!(
            seen, [4; 4],
            "a thread left the barrier before all four had arrived"
        );
    }

    #[test]
    fn one_leader_per_round() {
        const ROUNDS: usize = 300;
        let leaders = deadline(|| {
            let barrier = Arc::new(ReusableBarrier::new(3));
            on_threads(3, move |_| (0..ROUNDS).filter(|_| barrier.wait()).count())
        });
        assert_eq!(
            leaders.iter().sum::<usize>(),
            ROUNDS,
            "leaders per thread: {leaders:?}"
        );
    }

    #[test]
    fn reusable_for_many_rounds() {
        // Every thread counts its arrival in each round's counter before
        // waiting; after the wait, the round's counter must be full. A fast
        // thread is already in the next round while slow ones still wake
        // up from the last: a barrier that is not reusable fails here.
        const THREADS: usize = 4;
        const ROUNDS: usize = 1_000;
        deadline(|| {
            let barrier = Arc::new(ReusableBarrier::new(THREADS));
            let arrivals: Arc<Vec<AtomicUsize>> =
                Arc::new((0..ROUNDS).map(|_| AtomicUsize::new(0)).collect());
            on_threads(THREADS, move |_| {
                for round in 0..ROUNDS {
                    arrivals[round].fetch_add(1, SeqCst);
                    barrier.wait();
                    let here = arrivals[round].load(SeqCst);
                    assert_eq!(
                        here, THREADS,
                        "round {round}: left with {here} of {THREADS} arrived"
                    );
                }
            });
        });
    }
}
