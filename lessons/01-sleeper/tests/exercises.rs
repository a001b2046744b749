//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check sleeper`
//! (which builds them with `--cfg learner`) checks your code. Every test runs
//! under a deadline, so an answer that deadlocks fails within seconds
//! instead of hanging.

#[cfg(learner)]
use sleeper::exercises as answer;
#[cfg(not(any(learner, wrong_answer)))]
use sleeper::solutions as answer;
// `cargo xtask wrong-answers` checks the wrong answers kept in
// tests/wrong_answers/ the way `cargo xtask check` checks yours.
#[cfg(wrong_answer)]
mod answer {
    include!(env!("WRONG_ANSWER"));
}

use std::thread;
use std::time::{Duration, Instant};

// Exercise tests wait 5 s, not 10: see `EXERCISE_DEADLINE`.
use workshop::testing::exercise_deadline as deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Whether this system lists a process's threads (Linux and Windows do,
/// macOS does not: see `workshop::threads`); if not, says that `test` was
/// skipped, and why.
fn threads_are_listed(test: &str) -> bool {
    let listed = workshop::threads::listed().is_some();
    if !listed {
        eprintln!(
            "skipped: {test} (this system does not list a process's threads, \
             so the test cannot see the answer's)"
        );
    }
    listed
}

/// Runs `work` while a watcher (a thread named `watcher`) notes, every few
/// hundred microseconds, what `look` sees; returns `work`'s value and
/// everything seen.
fn watching<T, S: Send>(look: impl Fn() -> S + Sync, work: impl FnOnce() -> T) -> (T, Vec<S>) {
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    /// Stops the watcher when `work` returns, and when it panics.
    struct Done<'a>(&'a AtomicBool);
    impl Drop for Done<'_> {
        fn drop(&mut self) {
            self.0.store(true, SeqCst);
        }
    }
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        let watcher = thread::Builder::new()
            .name("watcher".into())
            .spawn_scoped(s, || {
                let mut seen = Vec::new();
                while !done.load(SeqCst) {
                    seen.push(look());
                    thread::sleep(Duration::from_micros(200));
                }
                seen
            })
            .expect("the test could not start its watcher");
        let value = {
            let _done = Done(&done);
            work()
        };
        (value, watcher.join().expect("the watcher panicked"))
    })
}

mod wake_order {
    //! Promises: one named thread per nap, all at once (timed against the
    //! sum; on Linux and Windows the threads are also seen by name while
    //! they nap, so an answer that sorts the naps and sleeps the longest
    //! itself fails; skipped on macOS, which does not list them),
    //! names in wake order, not before the longest nap is over.

    use super::*;

    #[test]
    fn no_naps_no_names() {
        assert_eq!(deadline(|| answer::wake_order(&[])), Vec::<String>::new());
    }

    #[test]
    fn one_sleeper_is_called_sleeper_0() {
        assert_eq!(deadline(|| answer::wake_order(&[ms(10)])), ["sleeper-0"]);
    }

    #[test]
    fn the_shortest_nap_wakes_first() {
        // The brief's example with the gaps doubled: only a thread held up
        // for 300 ms could wake out of turn (150 ms happened, once in 120
        // runs, on two cores loaded ten times over).
        let start = Instant::now();
        let order = deadline(|| answer::wake_order(&[ms(600), ms(0), ms(300)]));
        let took = start.elapsed();
        assert!(
            took >= ms(600),
            "returned after {took:?}, before the 600 ms sleeper woke: wait for every thread"
        );
        assert_eq!(
            order,
            ["sleeper-1", "sleeper-2", "sleeper-0"],
            "names in the order the threads woke"
        );
    }

    #[test]
    fn sleepers_nap_at_the_same_time() {
        let start = Instant::now();
        let mut names = deadline(|| answer::wake_order(&[ms(200); 4]));
        let took = start.elapsed();
        assert!(
            took < ms(600),
            "four 200 ms naps took {took:?}: did the sleepers nap one after another?"
        );
        names.sort();
        assert_eq!(names, ["sleeper-0", "sleeper-1", "sleeper-2", "sleeper-3"]);
    }

    /// Six naps, so `sleeper-4` and `sleeper-5` can only be this test's
    /// threads (the others nap four at most).
    #[test]
    fn each_nap_is_a_named_thread() {
        if !threads_are_listed("each_nap_is_a_named_thread") {
            return;
        }
        const NAPS: usize = 6;
        let names: Vec<String> = (0..NAPS).map(|i| format!("sleeper-{i}")).collect();
        let (order, seen) = deadline({
            let names = names.clone();
            move || {
                let look = || {
                    let now = workshop::threads::names().unwrap_or_default();
                    names.iter().map(|n| now.contains(n)).collect::<Vec<_>>()
                };
                watching(look, || answer::wake_order(&[ms(300); NAPS]))
            }
        });
        assert_eq!(order.len(), NAPS);
        for (i, name) in names.iter().enumerate() {
            assert!(
                seen.iter().any(|alive| alive[i]),
                "no thread named {name} was running while wake_order napped: \
                 each nap needs a thread of its own, named by thread::Builder"
            );
        }
    }
}

mod count_matches {
    //! Promises: every number from 0 to `total - 1` tested exactly once,
    //! whatever the split (a test drawn at run time, uneven splits, more
    //! threads than numbers), on `threads` threads the answer starts, not
    //! in the caller, all running at once (they meet at their first call),
    //! and the count returned once they are done. Not tested: that the
    //! threads add to one `Arc<Mutex<u64>>`; a count handed back through
    //! `join` is as correct, and a plain function gives the test no hook.
    //!
    //! The tests hand the answer a test function of their own, so that they
    //! can see which threads called it, and when. A function pointer cannot
    //! carry state, so each test has a [`Probe`] of its own in a `static`.

    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
    use std::sync::{Condvar, Mutex, PoisonError};
    use std::thread::ThreadId;

    /// What one test's function saw.
    struct Probe {
        /// Every call: the number tested, and by which thread.
        calls: Mutex<Vec<(u64, ThreadId)>>,
        /// For the meeting: the threads that have arrived.
        arrived: Mutex<Vec<ThreadId>>,
        all_here: Condvar,
        /// How many threads must meet at their first call before any of
        /// them goes on (0: no meeting).
        meet: AtomicUsize,
        /// Set when a thread gave up waiting for the others.
        gave_up: AtomicBool,
    }

    impl Probe {
        const fn new() -> Self {
            Probe {
                calls: Mutex::new(Vec::new()),
                arrived: Mutex::new(Vec::new()),
                all_here: Condvar::new(),
                meet: AtomicUsize::new(0),
                gave_up: AtomicBool::new(false),
            }
        }

        /// Notes a call. A thread's first call waits (at most 2 s) until
        /// `meet` threads have made theirs: threads that run at the same time
        /// all get there; threads that run one after the other cannot.
        fn record(&self, n: u64) {
            let me = thread::current().id();
            self.calls
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((n, me));
            let meet = self.meet.load(SeqCst);
            let mut arrived = self.arrived.lock().unwrap_or_else(PoisonError::into_inner);
            if meet == 0 || arrived.contains(&me) {
                return;
            }
            arrived.push(me);
            self.all_here.notify_all();
            let give_up_at = Instant::now() + ms(2000);
            while arrived.len() < meet && !self.gave_up.load(SeqCst) {
                let left = give_up_at.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    self.gave_up.store(true, SeqCst);
                    self.all_here.notify_all();
                    return;
                }
                arrived = self
                    .all_here
                    .wait_timeout(arrived, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }

        fn calls(&self) -> Vec<(u64, ThreadId)> {
            self.calls
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
        }

        /// The distinct threads that called, in order of their first call.
        fn threads(&self) -> Vec<ThreadId> {
            let mut seen = Vec::new();
            for (_, id) in self.calls() {
                if !seen.contains(&id) {
                    seen.push(id);
                }
            }
            seen
        }
    }

    /// Runs the answer under the deadline; returns its count and the
    /// thread that called it.
    fn count(total: u64, threads: u64, test: fn(u64) -> bool) -> (u64, ThreadId) {
        deadline(move || {
            let caller = thread::current().id();
            (answer::count_matches(total, threads, test), caller)
        })
    }

    fn is_even(n: u64) -> bool {
        n % 2 == 0
    }

    #[test]
    fn nothing_to_test() {
        assert_eq!(count(0, 4, is_even).0, 0);
    }

    #[test]
    fn the_evens_below_ten() {
        assert_eq!(count(10, 3, is_even).0, 5, "0, 2, 4, 6 and 8");
    }

    /// A test the answer cannot know in advance: whether a number's hash,
    /// mixed with a seed drawn when the test runs, ends in three zero bits.
    static SEED: AtomicU64 = AtomicU64::new(0);

    fn is_lucky(n: u64) -> bool {
        let mut x = (n ^ SEED.load(SeqCst)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 29;
        x.wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 61 == 0
    }

    #[test]
    fn counts_what_the_test_says_however_many_threads() {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7, |d| d.as_nanos() as u64);
        SEED.store(seed | 1, SeqCst);
        for (total, threads) in [(1, 1), (7, 2), (1_000, 3), (50_000, 4), (3, 8)] {
            let expected = (0..total).filter(|&n| is_lucky(n)).count() as u64;
            assert_eq!(
                count(total, threads, is_lucky).0,
                expected,
                "numbers 0 to {} on {threads} threads",
                total - 1
            );
        }
    }

    static EVERY_ONCE: Probe = Probe::new();

    fn every_once(n: u64) -> bool {
        EVERY_ONCE.record(n);
        n % 3 == 0
    }

    #[test]
    fn every_number_is_tested_once_on_the_threads_it_started() {
        // 103 is not a multiple of 4: a split that rounds down leaves the
        // last three out, one that rounds up runs past the end.
        const TOTAL: u64 = 103;
        let (matches, caller) = count(TOTAL, 4, every_once);
        let tested: Vec<u64> = EVERY_ONCE.calls().iter().map(|&(n, _)| n).collect();
        let times = |n: u64| tested.iter().filter(|&&t| t == n).count();
        let never: Vec<u64> = (0..TOTAL).filter(|&n| times(n) == 0).collect();
        let twice: Vec<u64> = (0..TOTAL).filter(|&n| times(n) > 1).collect();
        let past: Vec<u64> = tested.iter().copied().filter(|&n| n >= TOTAL).collect();
        assert!(
            never.is_empty() && twice.is_empty() && past.is_empty(),
            "each of 0 to {} must be tested exactly once on 4 threads; never tested: \
             {never:?}, tested twice or more: {twice:?}, past the end: {past:?}",
            TOTAL - 1
        );
        assert_eq!(matches, 35, "0, 3, 6, … 102");
        let threads = EVERY_ONCE.threads();
        assert!(
            !threads.contains(&caller),
            "the numbers must be tested on the threads you start, not by count_matches itself"
        );
        assert_eq!(
            threads.len(),
            4,
            "4 threads asked for, {} did the testing",
            threads.len()
        );
    }

    static MEETING: Probe = Probe::new();

    fn meeting(n: u64) -> bool {
        MEETING.record(n);
        n % 2 == 1
    }

    #[test]
    fn the_threads_test_at_the_same_time() {
        MEETING.meet.store(4, SeqCst);
        let (matches, _) = count(40, 4, meeting);
        assert!(
            !MEETING.gave_up.load(SeqCst),
            "the 4 threads were never all running at once: start every thread before you join any"
        );
        assert_eq!(matches, 20);
    }
}

mod nap_together {
    //! Promises: every nap on its own thread at once (timed against the
    //! sum, with a margin for a loaded machine), durations measured rather
    //! than echoed (a measured sleep overruns its nap, if only by
    //! microseconds), in the order of `naps`.

    use super::*;

    #[test]
    fn durations_are_measured_not_echoed() {
        let naps = [ms(30), ms(20), ms(10)];
        let slept = deadline(move || answer::nap_together(&naps));
        assert_eq!(slept.len(), 3);
        assert!(
            slept != naps,
            "the durations are exactly the naps asked for: each thread must measure \
             how long it really slept"
        );
        for (nap, slept) in naps.iter().zip(&slept) {
            assert!(slept >= nap, "a nap of {nap:?} reported as {slept:?}");
        }
    }

    #[test]
    fn four_naps_overlap() {
        let start = Instant::now();
        let slept = deadline(|| answer::nap_together(&[ms(250); 4]));
        let took = start.elapsed();
        assert_eq!(slept.len(), 4);
        assert!(
            took < ms(650),
            "four naps of 250 ms took {took:?}: were they joined one by one?"
        );
    }

    #[test]
    fn no_naps_no_durations() {
        assert_eq!(
            deadline(|| answer::nap_together(&[])),
            Vec::<Duration>::new()
        );
    }

    #[test]
    fn durations_come_back_in_the_order_of_the_naps() {
        let slept = deadline(|| answer::nap_together(&[ms(300), ms(100)]));
        assert_eq!(slept.len(), 2);
        assert!(
            slept[0] >= ms(300),
            "the first nap was 300 ms, but it reports {:?}",
            slept[0]
        );
        assert!(
            slept[1] >= ms(100) && slept[1] < ms(300),
            "the second nap was 100 ms, it reports {:?}",
            slept[1]
        );
    }

    #[test]
    fn takes_about_as_long_as_the_longest_nap() {
        let start = Instant::now();
        let slept = deadline(|| answer::nap_together(&[ms(100), ms(200), ms(300)]));
        let took = start.elapsed();
        assert_eq!(slept.len(), 3);
        assert!(
            took >= ms(300),
            "finished after {took:?}, before the longest nap was over"
        );
        assert!(
            took < ms(550),
            "took {took:?} for naps of 100, 200 and 300 ms: did they run one after another?"
        );
    }
}

mod sum_in_threads {
    //! Promises: every number counted once, whatever the split; the parts
    //! summed on threads of their own at the same time (on Linux and
    //! Windows, seen while they run: the answer is started from a thread
    //! named [`PROBE`], and the threads it starts are told apart by their
    //! names; skipped on macOS, which does not list them).

    use super::*;

    /// The name of the thread that calls the answer in the overlap test.
    const PROBE: &str = "sum-probe";

    /// How many of the probe's threads are running: the probe and the
    /// threads it started, which were not running `before` and are named
    /// [`PROBE`] (Linux gives a thread started without a name its
    /// starter's) or nothing (Windows gives it none). Under `cargo test`,
    /// another test's unnamed threads may count on Windows too: that can
    /// only make a right answer look better.
    fn probes_threads(before: &[u64]) -> usize {
        let now = workshop::threads::listed().unwrap_or_default();
        now.iter()
            .filter(|t| !before.contains(&t.id) && (t.name == PROBE || t.name.is_empty()))
            .count()
    }

    /// A long slice, almost all zeros, and its sum. Zeros taken from the
    /// system cost no memory until written, so the slice is long (summing
    /// it takes milliseconds, long enough to see the threads) but cheap; a
    /// few numbers drawn at run time make the sum one no answer can know.
    fn long_slice() -> (Vec<u64>, u64) {
        let mut numbers = vec![0u64; 1 << 25];
        let mut x = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7, |d| d.as_nanos() as u64)
            | 1;
        let mut sum = 0;
        for _ in 0..64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = (x as usize) % numbers.len();
            let value = x % 1000;
            sum = sum - numbers[at] + value;
            numbers[at] = value;
        }
        (numbers, sum)
    }

    /// The most of the probe's threads seen at once while the answer
    /// summed, the probe itself included, in up to `tries` runs.
    fn most_at_once(threads: usize, tries: usize) -> usize {
        let (numbers, sum) = long_slice();
        let numbers = std::sync::Arc::new(numbers);
        let mut most = 0;
        for _ in 0..tries {
            let numbers = std::sync::Arc::clone(&numbers);
            let (total, seen) = deadline(move || {
                let before: Vec<u64> = workshop::threads::listed()
                    .unwrap_or_default()
                    .iter()
                    .map(|t| t.id)
                    .collect();
                watching(
                    || probes_threads(&before),
                    || {
                        thread::Builder::new()
                            .name(PROBE.into())
                            .spawn(move || answer::sum_in_threads(&numbers, threads))
                            .expect("the test could not start a thread")
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    },
                )
            });
            assert_eq!(total, sum, "a long slice of drawn numbers");
            most = most.max(seen.into_iter().max().unwrap_or(0));
            if most > 2 {
                break;
            }
        }
        most
    }

    /// A watcher may miss the moment on a busy machine, so the answer gets
    /// a few runs; an answer whose parts never overlap never shows two.
    #[test]
    fn the_parts_are_summed_at_the_same_time() {
        if !threads_are_listed("the_parts_are_summed_at_the_same_time") {
            return;
        }
        let most = most_at_once(4, 5);
        assert!(
            most > 1,
            "no thread was summing beside sum_in_threads' own: sum the parts on \
             threads you start"
        );
        assert!(
            most > 2,
            "never more than one summing thread at a time: start every part's \
             thread before you join any"
        );
    }

    #[test]
    fn an_empty_slice_sums_to_zero() {
        assert_eq!(deadline(|| answer::sum_in_threads(&[], 4)), 0);
    }

    #[test]
    fn one_thread_sums_everything() {
        assert_eq!(deadline(|| answer::sum_in_threads(&[1, 2, 3, 4], 1)), 10);
    }

    #[test]
    fn an_uneven_split_counts_every_number() {
        let numbers: Vec<u64> = (1..=10).collect();
        assert_eq!(
            deadline(move || answer::sum_in_threads(&numbers, 3)),
            55,
            "1 + 2 + … + 10 over 3 threads"
        );
    }

    #[test]
    fn more_threads_than_numbers() {
        assert_eq!(deadline(|| answer::sum_in_threads(&[5, 7], 8)), 12);
    }

    #[test]
    fn many_numbers() {
        let numbers: Vec<u64> = (0..100_000).collect();
        assert_eq!(
            deadline(move || answer::sum_in_threads(&numbers, 4)),
            99_999 * 100_000 / 2
        );
    }
}

mod join_all {
    //! Promises: every handle joined even when some panicked (one panic
    //! among three), never panicking itself (an `unwrap` fails the same
    //! test), the values and the panics' own text, literal or formatted,
    //! each in handle order, whichever thread ended first.

    use super::*;

    #[test]
    fn nothing_to_join() {
        let (values, panics) = deadline(|| answer::join_all::<u32>(Vec::new()));
        assert!(values.is_empty() && panics.is_empty());
    }

    #[test]
    fn every_value_in_order() {
        let (values, panics) = deadline(|| {
            let handles = (0..5u64).map(|i| thread::spawn(move || i * i)).collect();
            answer::join_all(handles)
        });
        assert_eq!(values, [0, 1, 4, 9, 16]);
        assert!(panics.is_empty());
    }

    #[test]
    fn a_panic_does_not_stop_the_others() {
        let (values, panics) = deadline(|| {
            let handles = vec![
                thread::spawn(|| 1),
                thread::spawn(|| panic!("boom")),
                thread::spawn(|| 3),
            ];
            answer::join_all(handles)
        });
        assert_eq!(values, [1, 3], "the threads that did not panic");
        assert_eq!(panics, ["boom"], "the message of the one that did");
    }

    #[test]
    fn values_and_messages_come_in_handle_order() {
        // The first handles' threads end last, 150 ms apart: joining
        // whichever has finished gives the reverse order.
        let (values, panics) = deadline(|| {
            let handles: Vec<thread::JoinHandle<usize>> = (0..4)
                .map(|i| {
                    thread::spawn(move || {
                        thread::sleep(ms(150 * (3 - i as u64)));
                        if i % 2 == 1 {
                            panic!("thread {i} failed");
                        }
                        i
                    })
                })
                .collect();
            answer::join_all(handles)
        });
        assert_eq!(values, [0, 2], "the values in handle order");
        assert_eq!(
            panics,
            ["thread 1 failed", "thread 3 failed"],
            "the messages in handle order"
        );
    }

    #[test]
    fn formatted_panic_messages_are_kept() {
        let (values, panics) = deadline(|| {
            let task = 2;
            let handles: Vec<thread::JoinHandle<()>> =
                vec![thread::spawn(move || panic!("task {task} failed"))];
            answer::join_all(handles)
        });
        assert!(values.is_empty());
        assert_eq!(panics, ["task 2 failed"]);
    }
}
