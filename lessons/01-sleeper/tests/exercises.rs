//! Tests for the exercises in `src/exercises.rs`, one module per exercise.
//!
//! Written once, run against two implementations: `cargo test` checks the
//! reference solutions in `src/solutions.rs`, and `cargo xtask check sleeper`
//! (which builds them with `--cfg learner`) checks your code. Every test runs
//! under a deadline, so an answer that deadlocks fails within seconds
//! instead of hanging.

#[cfg(learner)]
use sleeper::exercises as answer;
#[cfg(not(learner))]
use sleeper::solutions as answer;

use std::thread;
use std::time::{Duration, Instant};

use workshop::testing::deadline;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

mod wake_order {
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
        let order = deadline(|| answer::wake_order(&[ms(300), ms(0), ms(150)]));
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
}

mod nap_together {
    use super::*;

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
    use super::*;

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
