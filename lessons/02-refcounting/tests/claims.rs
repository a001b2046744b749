//! What the lesson claims, checked: exact results where the design makes
//! them exact, and the race measured with enough tries to be sure of it.
//! The race (`tests/race.rs`) and the costs (`tests/costs.rs`) have test
//! binaries of their own: other tests running beside them would take the
//! cores they need.

use std::time::Duration;

use refcounting::race::Verdict;
use refcounting::{LESSON, counting, deadlock, freed, send};
use workshop::Out;
use workshop::testing::{self, deadline};

#[test]
fn getrefcount_sees_three_then_two() {
    let steps = counting::count_references();
    let counts: Vec<usize> = steps.iter().map(|s| s.count).collect();
    assert_eq!(counts, [1, 2, 3, 2, 3, 2, 1, 2]);
    assert_eq!(steps[2].code, "getrefcount(Rc::clone(&a))");
}

#[test]
fn noisy_is_freed_at_the_second_drop() {
    let out = Out::capture(true);
    freed::freed_at_zero(&out);
    let lines: Vec<String> = out.captured().lines().map(str::to_owned).collect();
    let freed_at = lines.iter().position(|l| l.contains("x is freed")).unwrap();
    assert!(lines[freed_at - 1].starts_with("drop(y)"), "{lines:#?}");
    assert_eq!(lines.iter().filter(|l| l.contains("is freed")).count(), 1);
}

#[test]
fn a_strong_cycle_leaks_and_a_weak_link_does_not() {
    let out = Out::capture(true);
    let strong = freed::pair(&out, false);
    assert_eq!(strong.counts_before, (2, 2));
    assert!(strong.first_survived, "a strong cycle keeps both alive");
    let weak = freed::pair(&out, true);
    assert_eq!(weak.counts_before, (1, 2));
    assert!(!weak.first_survived, "a weak back link lets first go");
    // Both nodes of both pairs were freed in the end (the cycle by hand).
    assert_eq!(out.captured().matches("is freed").count(), 4);
}

#[test]
fn verdicts_name_the_consequence() {
    assert_eq!(Verdict::of(1, 1), Verdict::Right);
    assert_eq!(Verdict::of(5, 1), Verdict::Leaked);
    assert_eq!(Verdict::of(0, 1), Verdict::FreedTooEarly);
    assert_eq!(Verdict::of(-3, 1), Verdict::FreedTooEarly);
}

#[test]
fn an_arc_crosses_threads_and_its_count_comes_back() {
    let shared = deadline(send::share_with_threads).unwrap();
    assert_eq!(shared.count_with_clones, 3);
    assert_eq!(shared.sums, [6, 6]);
    assert_eq!(shared.count_after, 1);
}

#[test]
fn opposite_orders_deadlock_every_time_and_are_reported() {
    for _ in 0..3 {
        let out = Out::capture(true);
        let reports =
            deadline(move || deadlock::opposite_orders(&out, Duration::from_millis(50))).unwrap();
        let stuck: Vec<(String, &str, &str)> = reports
            .into_iter()
            .map(|r| r.expect("both threads must give up"))
            .map(|s| (s.thread, s.held, s.wanted))
            .collect();
        assert_eq!(
            stuck,
            [
                ("thread-1".to_owned(), "A", "B"),
                ("thread-2".to_owned(), "B", "A")
            ]
        );
    }
}

#[test]
fn a_global_lock_order_never_deadlocks() {
    let gave_up = deadline(|| deadlock::ordered(50_000, Duration::from_secs(5)));
    assert_eq!(gave_up, 0);
}

#[test]
fn the_code_shown_is_the_code_run() {
    testing::check_snippets(&LESSON);
}

#[test]
fn the_cpython_race_reports_a_count_per_round() {
    // What holds on any machine: each round lost between nothing and one
    // thread's worth of updates (the other thread's last write survives).
    match workshop::python::find() {
        Ok(python) => {
            let script = refcounting::race::script();
            let report = python
                .run(
                    &script.path,
                    &["2000".into(), "2".into()],
                    workshop::testing::DEADLINE,
                )
                .unwrap_or_else(|e| panic!("{e}"));
            let races = refcounting::race::read_python(&report).unwrap();
            assert_eq!((races.plain.len(), races.with_a_call.len()), (2, 2));
            assert!(
                races
                    .plain
                    .iter()
                    .chain(&races.with_a_call)
                    .all(|&n| n < 4000)
            );
        }
        Err(e) if std::env::var_os("CI").is_none() => eprintln!("Python not found: {e}"),
        Err(e) => panic!("CI must have Python: {e}"),
    }
}
