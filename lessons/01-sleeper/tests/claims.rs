//! What the lesson claims, checked with margins wide enough for a loaded
//! laptop: timing belongs here, never in a snapshot.

use std::process::Command;
use std::time::{Duration, Instant};

use sleeper::{LESSON, interleave, many, names, no_join, results, scoped, shared, start};
use workshop::testing::{self, deadline};
use workshop::{Out, workloads::fib_calls};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn main_keeps_going_while_the_sleeper_sleeps() {
    let out = Out::capture(true);
    let still_asleep = deadline(move || start::greet_while_it_sleeps(&out, ms(500))).unwrap();
    assert!(
        still_asleep,
        "main greeted three times within 500 ms, so the sleeper should still be asleep"
    );
}

#[test]
fn a_named_thread_knows_its_name_and_a_plain_one_has_none() {
    let out = Out::capture(true);
    let transcript =
        deadline(move || names::run_named(&out, ms(10)).map(|()| out.captured())).unwrap();
    assert!(
        transcript.contains(r#"sleeper-1  │ my name is Some("sleeper-1")"#),
        "{transcript}"
    );
    assert_eq!(names::name_of_an_unnamed_thread(), None);
}

#[test]
fn sleepers_started_together_take_about_one_nap() {
    let nap = ms(200);
    let comparison = deadline(move || many::compare(3, nap, &Out::capture(true))).unwrap();
    let (slow, slow_timeline) = comparison.one_after_another;
    let (fast, fast_timeline) = comparison.all_at_once;
    assert!(
        slow.wall >= nap * 3,
        "one after another took {:?}, less than three naps",
        slow.wall
    );
    assert!(
        fast.wall >= nap,
        "all at once took {:?}, less than one nap",
        fast.wall
    );
    assert!(
        fast.wall < nap * 2,
        "all at once took {:?}: the naps should overlap",
        fast.wall
    );

    let sleeps = |timeline: &workshop::Timeline| -> Vec<workshop::Span> {
        timeline
            .spans()
            .into_iter()
            .filter(|s| s.label == "sleep")
            .collect()
    };
    let (slow_sleeps, fast_sleeps) = (sleeps(&slow_timeline), sleeps(&fast_timeline));
    assert_eq!((slow_sleeps.len(), fast_sleeps.len()), (3, 3));
    for (i, a) in fast_sleeps.iter().enumerate() {
        for b in &fast_sleeps[i + 1..] {
            assert!(
                a.overlaps(b),
                "{} and {} should sleep at the same time",
                a.thread,
                b.thread
            );
        }
    }
    for (i, a) in slow_sleeps.iter().enumerate() {
        for b in &slow_sleeps[i + 1..] {
            assert!(
                !a.overlaps(b),
                "{} and {} should sleep one after the other",
                a.thread,
                b.thread
            );
        }
    }
}

#[test]
fn an_unjoined_thread_dies_with_the_process() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sleeper"));
    child.args(["--child", no_join::CHILD_MODE, "--time-scale", "0.5"]);
    let run = deadline(move || no_join::run_child(child)).unwrap();
    assert_eq!(
        run.lines,
        [
            "sleeper: going to sleep for 1.00 s",
            "main: all done, returning without join"
        ]
    );
    assert!(!run.sleeper_woke());
    assert!(
        run.measured.wall < ms(900),
        "the child ran {:?}: it should exit mid-nap",
        run.measured.wall
    );
}

#[test]
fn threads_add_to_one_shared_total() {
    let out = Out::capture(true);
    let tally = deadline(move || shared::add_up_together(shared::parts(), &out)).unwrap();
    assert_eq!(tally.total, shared::LAST * (shared::LAST + 1) / 2);
    assert_eq!(
        tally.count_after, 1,
        "every thread's clone of the Arc is gone"
    );
    let parts = shared::parts();
    assert_eq!(parts.len() as u64, shared::ADDERS);
    assert_eq!(parts.concat(), (1..=shared::LAST).collect::<Vec<_>>());
}

#[test]
fn scoped_threads_borrow_and_overlap() {
    let start = Instant::now();
    let (names, letters) = deadline(|| scoped::borrow_in_a_scope(ms(200)));
    let took = start.elapsed();
    assert_eq!(names, ["ada", "grace", "linus"]);
    assert_eq!(letters, 3 + 5 + 5);
    assert!(
        took >= ms(200) && took < ms(400),
        "three overlapping 200 ms naps took {took:?}"
    );
}

#[test]
fn every_call_leaves_exactly_one_mark() {
    for _ in 0..3 {
        let screen = deadline(|| interleave::race(16));
        let count = |mark| screen.chars().filter(|&c| c == mark).count() as u64;
        assert_eq!((count('_'), count('*')), (fib_calls(16), fib_calls(16)));
    }
}

#[test]
fn join_hands_back_values_and_panics() {
    assert_eq!(
        deadline(|| results::fibs_on_threads(&[10, 20, 30])).unwrap(),
        [55, 6765, 832_040]
    );
    let message = deadline(results::join_a_panicking_thread).unwrap();
    assert_eq!(message.as_deref(), Some("out of coffee"));
}

#[test]
fn the_code_shown_is_the_code_run() {
    testing::check_snippets(&LESSON);
}

#[test]
fn cpython_waits_for_an_ordinary_thread_and_abandons_a_daemon() {
    // Holds under any load: only the ordinary thread's sleeper wakes up
    // before the exit, and only its process outlives the nap.
    match workshop::python::find() {
        Ok(python) => {
            let script = sleeper::no_join::script();
            let nap = std::time::Duration::from_secs(1);
            let run = |daemon| {
                sleeper::no_join::run_python(python, &script, daemon, nap)
                    .unwrap_or_else(|e| panic!("{e}"))
            };
            let (daemon_lines, _) = run(true);
            let (plain_lines, plain_ends) = run(false);
            assert!(
                !daemon_lines.iter().any(|l| l.contains("awake")),
                "{daemon_lines:?}"
            );
            assert!(
                plain_lines.iter().any(|l| l.contains("awake")),
                "{plain_lines:?}"
            );
            assert!(plain_ends >= nap, "ended after {plain_ends:?}");
        }
        Err(e) if std::env::var_os("CI").is_none() => eprintln!("Python not found: {e}"),
        Err(e) => panic!("CI must have Python: {e}"),
    }
}
