//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check pools`
//! (which builds them with `--cfg learner`) checks your code. Every test runs
//! under a deadline, so a pool that never shuts down fails within seconds
//! instead of hanging.

#[cfg(learner)]
use pools::exercises as answer;
#[cfg(not(any(learner, wrong_answer)))]
use pools::solutions as answer;
// `cargo xtask wrong-answers` checks the wrong answers kept in
// tests/wrong_answers/ the way `cargo xtask check` checks yours.
#[cfg(wrong_answer)]
mod answer {
    include!(env!("WRONG_ANSWER"));
}

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// Exercise tests wait 5 s, not 10: see `EXERCISE_DEADLINE`.
use workshop::testing::exercise_deadline as deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

mod worker_pool {
    use super::*;

    #[test]
    fn an_idle_pool_drops_without_waiting() {
        deadline(|| drop(answer::WorkerPool::new(2)));
    }

    /// Its only worker is kept busy by a job that waits (at most 1 s) for
    /// a gate the test opens only after queueing three more: an `execute`
    /// that waits for a worker to take the job waits for that second.
    #[test]
    fn execute_returns_at_once_while_every_worker_is_busy() {
        let (queued_in, gate_opened) = deadline(|| {
            let (open, gate) = std::sync::mpsc::channel::<()>();
            let opened = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let pool = answer::WorkerPool::new(1);
            let busy = Arc::clone(&opened);
            pool.execute(move || busy.store(gate.recv_timeout(ms(1000)).is_ok(), SeqCst));
            let start = Instant::now();
            for _ in 0..3 {
                pool.execute(|| {});
            }
            let queued_in = start.elapsed();
            let _ = open.send(());
            drop(pool);
            (queued_in, opened.load(SeqCst))
        });
        assert!(
            gate_opened && queued_in < ms(500),
            "with its only worker busy, execute took {queued_in:?} to queue three jobs: \
             it must queue the job and return at once, not wait for a worker"
        );
    }

    #[test]
    fn every_queued_job_runs_before_drop_returns() {
        let done = deadline(|| {
            let done = Arc::new(AtomicUsize::new(0));
            let pool = answer::WorkerPool::new(3);
            for _ in 0..200 {
                let done = Arc::clone(&done);
                pool.execute(move || {
                    done.fetch_add(1, SeqCst);
                });
            }
            drop(pool);
            done.load(SeqCst)
        });
        assert_eq!(
            done, 200,
            "jobs still queued when the pool is dropped must run"
        );
    }

    #[test]
    fn jobs_run_on_the_workers_only() {
        let (threads, on_caller) = deadline(|| {
            let seen = Arc::new(Mutex::new(HashSet::new()));
            let pool = answer::WorkerPool::new(3);
            for _ in 0..60 {
                let seen = Arc::clone(&seen);
                pool.execute(move || {
                    seen.lock().unwrap().insert(thread::current().id());
                    thread::sleep(ms(1));
                });
            }
            drop(pool);
            let seen = seen.lock().unwrap();
            (seen.len(), seen.contains(&thread::current().id()))
        });
        assert!(
            (1..=3).contains(&threads),
            "60 jobs ran on {threads} threads: a pool of 3 must use at most 3"
        );
        assert!(
            !on_caller,
            "execute must queue the job, not run it on the caller's thread"
        );
    }

    #[test]
    fn workers_run_jobs_at_the_same_time() {
        let took = deadline(|| {
            let start = Instant::now();
            let pool = answer::WorkerPool::new(4);
            for _ in 0..4 {
                pool.execute(|| thread::sleep(ms(200)));
            }
            drop(pool);
            start.elapsed()
        });
        assert!(took >= ms(200));
        assert!(
            took < ms(600),
            "four 200 ms jobs on four workers took {took:?}: do the workers share the queue?"
        );
    }

    #[test]
    fn a_panicking_job_does_not_stop_the_pool() {
        let done = deadline(|| {
            let done = Arc::new(AtomicUsize::new(0));
            // One worker: if the panic kills it, nobody is left to run the rest.
            let pool = answer::WorkerPool::new(1);
            pool.execute(|| panic!("a job that fails"));
            for _ in 0..10 {
                let done = Arc::clone(&done);
                pool.execute(move || {
                    done.fetch_add(1, SeqCst);
                });
            }
            drop(pool);
            done.load(SeqCst)
        });
        assert_eq!(done, 10, "the jobs after a panicking one must still run");
    }
}

mod ordered_map {
    use super::*;

    #[test]
    fn nothing_in_nothing_out() {
        let out: Vec<u32> = deadline(|| answer::ordered_map(Vec::<u32>::new(), 3, |x| x));
        assert!(out.is_empty());
    }

    #[test]
    fn results_keep_the_order_of_the_items() {
        // Later items finish first.
        let out = deadline(|| {
            answer::ordered_map((0..8u64).collect(), 4, |x| {
                thread::sleep(ms(10 * (8 - x)));
                x * 10
            })
        });
        assert_eq!(out, [0, 10, 20, 30, 40, 50, 60, 70]);
    }

    #[test]
    fn the_workers_work_at_the_same_time() {
        let took = deadline(|| {
            let start = Instant::now();
            answer::ordered_map(vec![(); 8], 4, |()| thread::sleep(ms(150)));
            start.elapsed()
        });
        // 300 ms at best on four workers; 1,200 ms one after another.
        assert!(
            took < ms(800),
            "eight 150 ms items on four workers took {took:?}"
        );
    }

    #[test]
    fn each_item_once_with_more_workers_than_items() {
        let (out, calls) = deadline(|| {
            let calls = AtomicUsize::new(0);
            let out = answer::ordered_map(vec![1, 2, 3], 8, |x: u32| {
                calls.fetch_add(1, SeqCst);
                x + 1
            });
            (out, calls.load(SeqCst))
        });
        assert_eq!(out, [2, 3, 4]);
        assert_eq!(calls, 3, "each item must be processed exactly once");
    }

    /// The brief's "using `workers` threads at once": never more calls in
    /// flight than `workers` (a thread per item breaks it), and, with items
    /// that wait, all of them busy at some moment.
    #[test]
    fn never_more_than_workers_at_once() {
        let most = deadline(|| {
            let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
            answer::ordered_map((0..12u64).collect(), 3, |x| {
                let now = inside.fetch_add(1, SeqCst) + 1;
                most.fetch_max(now, SeqCst);
                thread::sleep(ms(20));
                inside.fetch_sub(1, SeqCst);
                x
            });
            most.load(SeqCst)
        });
        assert!(
            most <= 3,
            "{most} calls of f ran at once with 3 workers: start `workers` threads, \
             not one per item"
        );
        assert!(most >= 2, "12 waiting items on 3 workers never overlapped");
    }

    #[test]
    fn one_worker_is_still_correct() {
        let out = deadline(|| answer::ordered_map(vec!["a", "bb", "ccc"], 1, str::len));
        assert_eq!(out, [1, 2, 3]);
    }
}

mod fib_in_parallel {
    use super::*;
    use workshop::bench::best_of_each;
    use workshop::fib;

    #[test]
    fn small_values() {
        let values = deadline(|| {
            (0..20)
                .map(|n| answer::fib_in_parallel(n, 5))
                .collect::<Vec<_>>()
        });
        assert_eq!(values, (0..20).map(fib).collect::<Vec<_>>());
    }

    #[test]
    fn a_cutoff_of_zero_still_works() {
        assert_eq!(deadline(|| answer::fib_in_parallel(15, 0)), 610);
    }

    #[test]
    fn a_cutoff_above_n_is_plain_recursion() {
        assert_eq!(deadline(|| answer::fib_in_parallel(25, 40)), 75_025);
    }

    /// Inside a rayon pool of one thread nothing runs in parallel, so what
    /// `rayon::join` costs shows plainly, on any machine: joining at every
    /// level makes fib(30) four to five times slower than plain recursion;
    /// with the cutoff it is about as fast (up to 3 times slower, measured
    /// with two busy loops and other builds on two cores: hence 3.5).
    #[test]
    fn the_cutoff_keeps_tasks_big_enough() {
        let (parallel, sequential) = deadline(|| {
            let one_thread = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("a pool of one thread");
            one_thread.install(|| {
                // Interleaved rounds, each side keeping its fastest: a burst
                // of load costs one run of each, not every run of one.
                let timings = best_of_each(
                    9,
                    &mut [
                        &mut || assert_eq!(answer::fib_in_parallel(30, 20), 832_040),
                        &mut || assert_eq!(fib(std::hint::black_box(30)), 832_040),
                    ],
                );
                (timings[0].wall, timings[1].wall)
            })
        });
        assert!(
            parallel.as_secs_f64() < sequential.as_secs_f64() * 3.5,
            "on one rayon thread fib(30) took {parallel:?} with a cutoff of 20 against \
             {sequential:?} plain: does it stop joining at the cutoff?"
        );
    }

    /// In a pool of two, one worker runs the answer while the other keeps
    /// asking the pool for work (`rayon::yield_now`). It gets some only if
    /// the answer offers half of its work through `rayon::join`: plain
    /// `fib` offers none.
    #[test]
    fn the_halves_are_offered_to_other_workers() {
        use rayon::Yield;
        use std::sync::atomic::AtomicBool;
        const NOBODY: usize = usize::MAX;
        for _attempt in 0..5 {
            let (stole, inconclusive) = deadline(|| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(2)
                    .build()
                    .expect("a pool of two threads");
                let done = Arc::new(AtomicBool::new(false));
                let stole = Arc::new(AtomicBool::new(false));
                let answer_on = Arc::new(AtomicUsize::new(NOBODY));
                let (ready, thief_ready) = std::sync::mpsc::channel();
                {
                    let (done, stole, answer_on) = (done.clone(), stole.clone(), answer_on.clone());
                    pool.spawn(move || {
                        let me = rayon::current_thread_index().expect("in the pool");
                        let _ = ready.send(me);
                        let give_up = Instant::now() + ms(3000);
                        // Not a rayon call until the answer has started on
                        // the other worker: a `yield_now` now could pick up
                        // the answer itself.
                        while answer_on.load(SeqCst) == NOBODY && Instant::now() < give_up {
                            thread::yield_now();
                        }
                        while !done.load(SeqCst) && Instant::now() < give_up {
                            let found = rayon::yield_now() == Some(Yield::Executed);
                            // A job found while the answer runs on the other
                            // worker is one of the halves it offered.
                            let elsewhere = answer_on.load(SeqCst) != me;
                            if found && elsewhere {
                                stole.store(true, SeqCst);
                            } else if !found {
                                thread::yield_now();
                            }
                        }
                    });
                }
                let thief = thief_ready.recv().expect("the thief started");
                pool.install(|| {
                    answer_on.store(rayon::current_thread_index().unwrap_or(NOBODY), SeqCst);
                    for _ in 0..200 {
                        assert_eq!(answer::fib_in_parallel(27, 15), 196_418);
                        if stole.load(SeqCst) {
                            break;
                        }
                    }
                });
                done.store(true, SeqCst);
                // The answer ran on the thief's own thread: try again.
                (stole.load(SeqCst), answer_on.load(SeqCst) == thief)
            });
            if inconclusive {
                continue;
            }
            assert!(
                stole,
                "the other rayon worker never got any of the work: above the cutoff, \
                 hand the two halves to `rayon::join`"
            );
            return;
        }
        panic!("the answer kept running on the thread meant to watch it; try again");
    }
}
