//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check gil`
//! (which builds them with `--cfg learner`) checks your code. Every test that
//! involves threads runs under a deadline, so an answer that deadlocks fails
//! within seconds instead of hanging.

#[cfg(learner)]
use gil::exercises as answer;
#[cfg(not(any(learner, wrong_answer)))]
use gil::solutions as answer;
// `cargo xtask wrong-answers` checks the wrong answers kept in
// tests/wrong_answers/ the way `cargo xtask check` checks yours.
#[cfg(wrong_answer)]
mod answer {
    include!(env!("WRONG_ANSWER"));
}

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gil::gil::{Gil, PyThread, run_threads};
use workshop::Timeline;
// Exercise tests wait 5 s, not 10: see `EXERCISE_DEADLINE`.
use workshop::testing::exercise_deadline as deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

mod amdahl_speedup {
    //! Promises: the formula, for any fraction and any number of workers.
    //! Besides the brief's examples, inputs drawn when the test runs are
    //! compared with the formula worked out here, so a table of the
    //! examples does not pass.

    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn nothing_parallel_means_no_speedup() {
        assert!(close(answer::amdahl_speedup(0.0, 64), 1.0));
    }

    #[test]
    fn everything_parallel_scales_with_the_workers() {
        assert!(close(answer::amdahl_speedup(1.0, 4), 4.0));
    }

    #[test]
    fn half_parallel_on_two_workers() {
        assert!(close(answer::amdahl_speedup(0.5, 2), 4.0 / 3.0));
    }

    #[test]
    fn one_worker_never_speeds_anything_up() {
        assert!(close(answer::amdahl_speedup(0.9, 1), 1.0));
    }

    /// Inputs no answer can have seen: fractions and worker counts drawn
    /// from the clock's nanoseconds, mixed.
    fn unforeseeable_inputs(how_many: usize) -> Vec<(f64, u32)> {
        let mut x = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7_919, |d| d.as_nanos() as u64)
            | 1;
        (0..how_many)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let parallel = (x % 10_000) as f64 / 10_000.0;
                let workers = 2 + (x >> 20) as u32 % 200;
                (parallel, workers)
            })
            .collect()
    }

    #[test]
    fn follows_the_formula_for_inputs_it_cannot_have_seen() {
        for (parallel, workers) in unforeseeable_inputs(20) {
            let expected = 1.0 / ((1.0 - parallel) + parallel / f64::from(workers));
            let speedup = answer::amdahl_speedup(parallel, workers);
            assert!(
                (speedup - expected).abs() < 1e-9 * expected,
                "amdahl_speedup({parallel}, {workers}) gave {speedup}, the formula {expected}"
            );
        }
    }

    #[test]
    fn the_serial_part_caps_the_speedup() {
        let speedup = answer::amdahl_speedup(0.95, 64);
        assert!(
            (speedup - 15.42).abs() < 0.01,
            "p = 0.95 on 64 workers gives {speedup}, not about 15.42"
        );
    }
}

mod count_primes {
    //! An answer must compute, not recite: besides the brief's examples,
    //! the limits are drawn when the test runs and the count is compared
    //! with a sieve's. It must reach a check point for every number it
    //! tests: a check point that counts its calls sees how many, and a
    //! second thread under a real GIL sees whether it gets turns.

    use super::*;
    use gil::gil::CheckPoint;
    use std::cell::Cell;

    /// A check point that counts the times it was reached.
    #[derive(Default)]
    struct Counting(Cell<u64>);

    impl CheckPoint for Counting {
        fn check(&self) {
            self.0.set(self.0.get() + 1);
        }
    }

    /// The primes below `limit`, by the sieve of Eratosthenes.
    fn sieve(limit: u64) -> u64 {
        let limit = limit as usize;
        let mut composite = vec![false; limit.max(2)];
        let mut primes = 0;
        for n in 2..limit {
            if !composite[n] {
                primes += 1;
                for multiple in (n * n..limit).step_by(n) {
                    composite[multiple] = true;
                }
            }
        }
        primes
    }

    /// A limit between 2,000 and 20,000 that changes from run to run.
    fn unforeseeable_limit() -> u64 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7_919, |d| u64::from(d.subsec_nanos()));
        2_000 + nanos % 18_000
    }

    fn count(limit: u64) -> (u64, u64) {
        deadline(move || {
            let checks = Counting::default();
            let primes = answer::count_primes(&checks, limit);
            (primes, checks.0.get())
        })
    }

    #[test]
    fn none_below_two() {
        assert_eq!(count(2).0, 0);
        assert_eq!(count(0).0, 0, "no primes below 0 either");
    }

    #[test]
    fn four_below_ten() {
        assert_eq!(count(10).0, 4);
    }

    #[test]
    fn a_hundred_and_sixty_eight_below_a_thousand() {
        assert_eq!(count(1000).0, 168);
    }

    #[test]
    fn counts_below_limits_it_cannot_have_seen() {
        for limit in [unforeseeable_limit(), 3, 4, 97, 98] {
            assert_eq!(count(limit).0, sieve(limit), "primes below {limit}");
        }
    }

    #[test]
    fn a_check_point_for_every_number_tested() {
        let limit = unforeseeable_limit();
        let (primes, checks) = count(limit);
        assert!(
            checks >= limit / 2,
            "below {limit} the loop reached a check point {checks} times: \
             call `py.check()` once for every number you test"
        );
        assert!(checks >= primes, "fewer check points than primes found");
    }

    /// The counter runs under a GIL beside a thread that takes short turns
    /// for as long as the count lasts; with check points it gets several
    /// while the counter is still counting, without them none: its first
    /// turn ends only after the count. (Counted, not a fixed ten: on a
    /// loaded machine each hand-over of the GIL can take a few ms.)
    #[test]
    fn other_threads_get_turns_while_it_counts() {
        let (counted, turns) = deadline(|| {
            let gil = Gil::new(ms(1), Timeline::new());
            let started = AtomicBool::new(false);
            let counting = AtomicBool::new(false);
            let turns_while_counting = AtomicUsize::new(0);
            let results = run_threads(&gil, &["counter", "other"], |py, index| {
                if index == 0 {
                    started.store(true, SeqCst);
                    counting.store(true, SeqCst);
                    let counted = answer::count_primes(py, 500_000);
                    counting.store(false, SeqCst);
                    counted
                } else {
                    // Wait, without the GIL, until the counter has started
                    // (without check points, this returns after the count).
                    while !started.load(SeqCst) {
                        py.allow_threads(|| std::thread::sleep(ms(1)));
                    }
                    // Turns, each needing the GIL back after a short wait,
                    // counted while the counter still counts.
                    while counting.load(SeqCst) {
                        py.allow_threads(|| std::thread::sleep(ms(1)));
                        if counting.load(SeqCst) {
                            turns_while_counting.fetch_add(1, SeqCst);
                        }
                    }
                    0
                }
            });
            (results[0], turns_while_counting.load(SeqCst))
        });
        assert_eq!(counted, 41_538, "primes below 500,000");
        assert!(
            turns >= 3,
            "the other thread got the GIL back {turns} times while the count ran: is there a check point in the loop?"
        );
    }
}

mod sleep_without_gil {
    use super::*;

    #[test]
    fn holds_the_gil_again_afterwards() {
        let held = deadline(|| {
            let gil = Gil::new(ms(5), Timeline::new());
            run_threads(&gil, &["sleeper"], |py, _| {
                answer::sleep_without_gil(py, ms(10));
                py.holds_gil()
            })[0]
        });
        assert!(held, "after the nap the thread must hold the GIL again");
    }

    #[test]
    fn four_sleepers_overlap() {
        let took = deadline(|| {
            let gil = Gil::new(ms(5), Timeline::new());
            let start = Instant::now();
            run_threads(&gil, &["a", "b", "c", "d"], |py, _| {
                answer::sleep_without_gil(py, ms(200))
            });
            start.elapsed()
        });
        assert!(took >= ms(200));
        assert!(
            took < ms(500),
            "four naps of 200 ms took {took:?}: was the GIL held while sleeping?"
        );
    }

    /// The napper takes the GIL and says so through a channel; only then
    /// does main ask for the GIL. Main must get it before the nap could be
    /// over: an answer that sleeps holding the GIL (before dropping it, or
    /// without dropping it at all) makes main wait the whole nap, however
    /// late the napper started.
    #[test]
    fn another_thread_runs_during_the_nap() {
        const NAP: Duration = Duration::from_millis(500);
        let took_gil_after = deadline(|| {
            let gil = Gil::new(ms(5), Timeline::new());
            let (holds_the_gil, napper_holds_the_gil) = mpsc::channel();
            std::thread::scope(|s| {
                let napper = s.spawn(|| {
                    let py = PyThread::new(&gil);
                    py.take_gil();
                    let nap_began = Instant::now();
                    holds_the_gil.send(()).expect("main is waiting");
                    answer::sleep_without_gil(&py, NAP);
                    py.drop_gil();
                    nap_began
                });
                // The napper holds the GIL now, and is about to nap.
                napper_holds_the_gil
                    .recv()
                    .expect("the napper panicked before taking the GIL");
                let took_gil = PyThread::new(&gil).run(|_| Instant::now());
                let nap_began = napper.join().expect("the napper panicked");
                took_gil.saturating_duration_since(nap_began)
            })
        });
        assert!(
            took_gil_after < NAP,
            "main asked for the GIL while the other thread napped, and got it only after \
             {took_gil_after:?} of a {NAP:?} nap: was the GIL held while sleeping?"
        );
    }
}

mod tiny_gil {
    //! The brief's rule has three parts a shortcut can skip: the drop
    //! request waits for a whole interval (timed), it is not raised when
    //! the GIL changed hands during that interval (a holder and two
    //! waiters), and it is cleared once served; a switch is a hand-over,
    //! not an acquisition (one thread taking the GIL twice), and never two
    //! holders at once (four threads counting who is inside).

    use super::*;

    #[test]
    fn taking_it_back_yourself_is_no_switch() {
        let switches = deadline(|| {
            let gil = answer::TinyGil::new(ms(50));
            for _ in 0..3 {
                gil.take(7);
                gil.release();
            }
            gil.switches()
        });
        assert_eq!(
            switches, 1,
            "one thread took the GIL three times: that is one hand-over (to it), \
             not three; count a switch only when the holder changes"
        );
    }

    /// When each of the two waiters began to wait, and when it got the GIL,
    /// from the moment the holder took it.
    struct Waiter {
        asked: Duration,
        got: Duration,
    }

    /// Thread 1 holds the GIL; threads 2 and 3 wait for it. At 150 ms
    /// thread 1 lets go, within the 300 ms interval, and one waiter (the
    /// first) gets it and holds it until 550 ms, watching for a drop request.
    /// The other waiter's first interval ends at 300 to 450 ms, after the
    /// GIL changed hands: no request. Its next ends at 600 ms at the
    /// earliest, after the first waiter let go. So no request, ever.
    /// Returns whether the first waiter saw one, and both waiters' times.
    fn two_waiters_one_switch() -> (bool, [Waiter; 2]) {
        const INTERVAL: Duration = Duration::from_millis(300);
        let gil = answer::TinyGil::new(INTERVAL);
        gil.take(1);
        let start = Instant::now();
        let saw_request = AtomicBool::new(false);
        let waiters = std::thread::scope(|s| {
            let waiters: Vec<_> = [2, 3]
                .map(|me| {
                    let (gil, saw_request) = (&gil, &saw_request);
                    s.spawn(move || {
                        let asked = start.elapsed();
                        gil.take(me);
                        let got = start.elapsed();
                        if got < ms(500) {
                            // The first waiter: hold until 550 ms, watching.
                            loop {
                                let asked_to_drop = gil.drop_requested();
                                if start.elapsed() >= ms(550) {
                                    break;
                                }
                                if asked_to_drop {
                                    saw_request.store(true, SeqCst);
                                }
                                std::thread::yield_now();
                            }
                        }
                        gil.release();
                        Waiter { asked, got }
                    })
                })
                .into_iter()
                .collect();
            std::thread::sleep(ms(150).saturating_sub(start.elapsed()));
            gil.release();
            waiters
                .into_iter()
                .map(|w| w.join().expect("a waiter panicked"))
                .collect::<Vec<_>>()
        });
        let [a, b]: [Waiter; 2] = waiters.try_into().ok().expect("two waiters");
        let (first, second) = if a.got <= b.got { (a, b) } else { (b, a) };
        (saw_request.load(SeqCst), [first, second])
    }

    #[test]
    fn no_drop_request_when_the_gil_changed_hands_meanwhile() {
        // Both waiters must have begun to wait before the hand-over at
        // 150 ms; on a machine so busy that one had not, try again.
        for _attempt in 0..3 {
            let (saw_request, [_, second]) = deadline(two_waiters_one_switch);
            if second.asked >= ms(140) {
                continue;
            }
            assert!(
                !saw_request,
                "a drop request was raised although the GIL had changed hands during \
                 the waiter's interval (compare `switches` from before the wait)"
            );
            assert!(
                second.got >= ms(550),
                "the second waiter got the GIL at {:?}, while the first still held it",
                second.got
            );
            return;
        }
        panic!("the waiters never both began to wait within 140 ms: machine too busy?");
    }

    #[test]
    fn a_free_gil_is_taken_at_once() {
        let (took, requested) = deadline(|| {
            let gil = answer::TinyGil::new(ms(500));
            let start = Instant::now();
            gil.take(1);
            (start.elapsed(), gil.drop_requested())
        });
        assert!(took < ms(100), "taking a free GIL took {took:?}");
        assert!(
            !requested,
            "nobody was waiting, so nobody should ask for a drop"
        );
    }

    #[test]
    fn a_waiter_asks_for_a_drop_after_one_interval() {
        let (waited, switches) = deadline(|| {
            let gil = answer::TinyGil::new(ms(50));
            gil.take(1);
            std::thread::scope(|s| {
                let waiter = s.spawn(|| {
                    let start = Instant::now();
                    gil.take(2);
                    let waited = start.elapsed();
                    let served = !gil.drop_requested();
                    gil.release();
                    (waited, served)
                });
                // The holder: busy "running Python", checking the request.
                let give_up = Instant::now() + ms(3000);
                let mut asked = gil.drop_requested();
                while !asked && Instant::now() < give_up {
                    std::thread::yield_now();
                    asked = gil.drop_requested();
                }
                gil.release();
                let (waited, served) = waiter.join().unwrap();
                assert!(
                    asked,
                    "the waiter never asked for the GIL: after an interval without a switch it must set the drop request"
                );
                assert!(
                    served,
                    "once the waiter holds the GIL, the drop request has been served and must be cleared"
                );
                (waited, gil.switches())
            })
        });
        assert!(
            waited >= ms(50),
            "the waiter got the GIL after {waited:?}, before one interval: did it ask too early?"
        );
        assert_eq!(switches, 2, "two holders, one after the other");
    }

    #[test]
    fn no_request_when_the_holder_lets_go_in_time() {
        let requested = deadline(|| {
            let gil = answer::TinyGil::new(ms(1000));
            gil.take(1);
            std::thread::scope(|s| {
                let waiter = s.spawn(|| gil.take(2));
                std::thread::sleep(ms(50));
                gil.release();
                waiter.join().unwrap();
            });
            gil.drop_requested()
        });
        assert!(
            !requested,
            "the holder let go within the interval: there was no reason to ask"
        );
    }

    #[test]
    fn never_two_holders() {
        let most = deadline(|| {
            let gil = answer::TinyGil::new(Duration::from_micros(200));
            let holding = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            std::thread::scope(|s| {
                for me in 0..4 {
                    let (gil, holding, most) = (&gil, &holding, &most);
                    s.spawn(move || {
                        for _ in 0..300 {
                            gil.take(me);
                            let now = holding.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(now, SeqCst);
                            std::hint::spin_loop();
                            holding.fetch_sub(1, SeqCst);
                            gil.release();
                        }
                    });
                }
            });
            most.load(SeqCst)
        });
        assert_eq!(
            most, 1,
            "two threads held the GIL at once: wait in a `while` loop, not an `if`"
        );
    }
}
