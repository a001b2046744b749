//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check gil`
//! (which builds them with `--cfg learner`) checks your code. Every test that
//! involves threads runs under a deadline, so an answer that deadlocks fails
//! within seconds instead of hanging.

#[cfg(learner)]
use gil::exercises as answer;
#[cfg(not(learner))]
use gil::solutions as answer;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gil::gil::{Gil, NoGil, PyThread, run_threads};
use workshop::Timeline;
use workshop::testing::deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

mod amdahl_speedup {
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
    use super::*;

    #[test]
    fn none_below_two() {
        assert_eq!(answer::count_primes(&NoGil, 2), 0);
    }

    #[test]
    fn four_below_ten() {
        assert_eq!(answer::count_primes(&NoGil, 10), 4);
    }

    #[test]
    fn a_hundred_and_sixty_eight_below_a_thousand() {
        assert_eq!(answer::count_primes(&NoGil, 1000), 168);
    }

    /// The counter runs under a GIL beside a thread that needs ten short
    /// turns; with check points the other thread gets them while the
    /// counter is still counting, without them only after it is done.
    #[test]
    fn other_threads_get_turns_while_it_counts() {
        let (counted, other_finished_first) = deadline(|| {
            let gil = Gil::new(ms(1), Timeline::new());
            let counting = AtomicBool::new(false);
            let other_finished_while_counting = AtomicBool::new(false);
            let results = run_threads(&gil, &["counter", "other"], |py, index| {
                if index == 0 {
                    counting.store(true, SeqCst);
                    let counted = answer::count_primes(py, 500_000);
                    counting.store(false, SeqCst);
                    counted
                } else {
                    // Wait, without the GIL, until the counter has started.
                    while !counting.load(SeqCst) {
                        py.allow_threads(|| std::thread::sleep(ms(1)));
                    }
                    // Ten turns, each needing the GIL back after a short wait.
                    for _ in 0..10 {
                        py.allow_threads(|| std::thread::sleep(ms(1)));
                    }
                    other_finished_while_counting.store(counting.load(SeqCst), SeqCst);
                    0
                }
            });
            (results[0], other_finished_while_counting.load(SeqCst))
        });
        assert_eq!(counted, 41_538, "primes below 500,000");
        assert!(
            other_finished_first,
            "the other thread only got the GIL back after the count was over: is there a check point in the loop?"
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
    use super::*;

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
