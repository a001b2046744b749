//! What the lesson claims, checked: exact results where the design makes
//! them exact, timing with margins wide enough for a loaded laptop (timing
//! belongs here, never in a snapshot).

use std::time::Duration;

use locks::{
    LESSON, barrier, condition, costs, deadlock, event, lock, poisoning, rlock, semaphore,
};
use workshop::Out;
use workshop::testing::{self, deadline};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn the_seeded_sleeps_are_the_same_every_run() {
    let naps = lock::naps_in_tenths(lock::THREADS);
    assert_eq!(naps, lock::naps_in_tenths(lock::THREADS));
    assert_eq!(naps.len(), 10);
    assert!(naps.iter().all(|&n| n <= 10), "randint(0, 10): {naps:?}");
    let mut distinct = naps.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(
        distinct.len() < naps.len(),
        "some threads must wake together, or nobody queues at the lock: {naps:?}"
    );
}

#[test]
fn ten_threads_take_the_lock_one_at_a_time() {
    let naps: Vec<Duration> = lock::naps_in_tenths(lock::THREADS)
        .into_iter()
        .map(|tenths| ms(tenths * 5))
        .collect();
    let ten = deadline(move || lock::ten_threads(&naps, ms(10), &Out::capture(true))).unwrap();
    assert_eq!(ten.resource, 10);
    assert_eq!(ten.waits.len(), 10);
    // The lock is held by one thread at a time: no two `holds` overlap.
    let holds: Vec<_> = ten
        .timeline
        .spans()
        .into_iter()
        .filter(|s| s.label == "holds")
        .collect();
    assert_eq!(holds.len(), 10);
    for (i, a) in holds.iter().enumerate() {
        for b in &holds[i + 1..] {
            assert!(
                !a.overlaps(b),
                "{} and {} held the lock at once",
                a.thread,
                b.thread
            );
        }
    }
}

#[test]
fn a_lock_makes_the_count_exact() {
    let locked = deadline(|| lock::locked_counter(2, 200_000));
    assert_eq!(locked, 400_000);
}

#[test]
fn a_panic_poisons_a_std_mutex_but_not_a_parking_lot_one() {
    let seen = deadline(poisoning::poison_and_recover).unwrap();
    assert_eq!(seen.panic_message, "crashed before the credit");
    assert!(seen.next_lock_failed, "the std mutex was not poisoned");
    assert_eq!(seen.recovered, ["opening balance 100", "debit  alice 10"]);
    assert!(!seen.poisoned_after_clear);
    assert_eq!(
        seen.parking_lot_ledger,
        ["opening balance 100", "debit  alice 10"]
    );
}

#[test]
fn both_mutexes_count_exactly_and_cost_something() {
    let (timings, exact) = deadline(|| costs::compare(20_000, 3));
    assert!(exact, "a mutex lost or invented an increment");
    let names: Vec<&str> = timings.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, costs::VARIANTS);
    for timing in &timings {
        // Lock and unlock are at least two atomic operations: far more
        // than a picosecond, far less than a millisecond.
        let ns = timing.seconds_per_op * 1e9;
        assert!(ns > 0.5 && ns < 1e6, "{}: {ns} ns", timing.name);
    }
}

#[test]
fn a_reentrant_mutex_lets_only_its_holder_back_in() {
    let (reentered, outsider, entries) = deadline(|| {
        let log = rlock::Log::new();
        let (reentered, outsider) = log.record_all(&["a", "b", "c"]);
        (reentered, outsider, log.entries())
    });
    assert_eq!(reentered, 3, "each record() re-entered the held lock");
    assert!(!outsider, "another thread got into a held reentrant mutex");
    assert_eq!(entries, ["a", "b", "c"]);
    assert!(
        !rlock::Log::new().record("alone"),
        "a first lock is not a re-entry"
    );
}

#[test]
fn a_std_mutex_locked_twice_would_block() {
    let answer = deadline(rlock::lock_twice);
    assert!(answer.starts_with("WouldBlock"), "{answer}");
}

#[test]
fn the_semaphore_is_seen_full_and_never_fuller() {
    let crowd = deadline(|| {
        semaphore::crowd(
            semaphore::WORKERS,
            semaphore::PERMITS,
            ms(20),
            &Out::capture(true),
        )
    })
    .unwrap();
    assert_eq!(crowd.served, semaphore::WORKERS);
    assert_eq!(crowd.highest, semaphore::PERMITS);
}

#[test]
fn the_semaphore_gives_permits_back_when_they_drop() {
    let available = deadline(|| {
        let pool = semaphore::Semaphore::new(2);
        let first = pool.acquire();
        let second = pool.try_acquire();
        let third = pool.try_acquire();
        let during = pool.available();
        drop((first, second, third));
        (during, pool.available())
    });
    assert_eq!(available, (0, 2));
}

#[test]
fn one_set_releases_every_runner_and_a_late_wait_returns_at_once() {
    let patience = ms(100);
    let race = deadline(move || {
        event::starters_gun(event::RUNNERS, ms(50), patience, &Out::capture(true))
    })
    .unwrap();
    assert_eq!(race.released, event::RUNNERS);
    assert!(
        race.latecomer_waited < ms(2_000),
        "a wait on a set event took {:?}",
        race.latecomer_waited
    );
    let (set, after) = race.timed_out;
    assert!(!set, "wait_timeout on a cleared event said it was set");
    assert!(after >= patience, "wait_timeout gave up after {after:?}");
}

#[test]
fn the_mailbox_delivers_every_letter_once() {
    let seen = deadline(|| condition::exchange(5_000)).unwrap();
    assert_eq!(seen.letters_read, 10_000);
    assert_eq!(seen.sum_read, 2 * (5_000 * 5_001 / 2));
}

#[test]
fn the_barrier_separates_the_phases_and_has_one_leader_per_round() {
    let seen = deadline(|| {
        let work = |t: usize, p: usize| ms(5 + 10 * ((t + p) % 3) as u64);
        barrier::phases(3, 4, &work, &Out::capture(true))
    })
    .unwrap();
    assert_eq!(seen.phases_done, [0, 1, 2, 3]);
    assert!(barrier::phases_never_overlap(&seen.timeline, 3, 4));
}

#[test]
fn opposite_orders_deadlock_every_time_and_are_reported() {
    for _ in 0..5 {
        let reports = deadline(|| deadlock::opposite_orders(ms(30))).unwrap();
        let stuck: Vec<(String, &str, &str)> = reports
            .into_iter()
            .map(|r| {
                let s = r.expect_err("a thread got both locks despite the barrier");
                (s.thread, s.held, s.wanted)
            })
            .collect();
        assert_eq!(
            stuck,
            [
                ("teller".to_owned(), "accounts", "audit"),
                ("auditor".to_owned(), "audit", "accounts")
            ]
        );
    }
}

#[test]
fn one_lock_order_never_gives_up() {
    let failures = deadline(|| deadlock::one_order(20_000, Duration::from_secs(2))).unwrap();
    assert_eq!(failures, 0);
}

#[test]
fn the_code_shown_is_the_code_run() {
    testing::check_snippets(&LESSON);
}
