//! `cargo xtask check` on learners' answers, in a scratch copy of the
//! workspace: untouched stubs are "not started"; answers that never return
//! are stopped and named, and leave no process behind; warnings and
//! compile errors reach the learner.

mod scratch;

use std::time::Duration;

use scratch::Scratch;

/// The bound is 15 s; a loaded CI machine gets five more.
const HUNG_CHECK_LIMIT: Duration = Duration::from_secs(20);

#[test]
fn untouched_stubs_are_not_started() {
    let scratch = Scratch::new();
    for package in ["sleeper", "gil", "locks"] {
        let exercises = scratch.exercise_names(package);
        scratch.run(&["check", package]); // builds
        let ran = scratch.run(&["check", package]);
        assert_eq!(ran.status.code(), Some(1), "{}", ran.stdout);
        let not_started = ran.stdout.matches("  not started").count();
        assert_eq!(not_started, exercises.len(), "{}", ran.stdout);
        eprintln!("check {package} on its stubs: {:?}", ran.took);
    }
}

/// Runs the check twice (the first one builds) and returns the second.
fn check_twice(scratch: &Scratch, package: &str) -> scratch::Ran {
    let first = scratch.run(&["check", package]);
    assert_eq!(first.status.code(), Some(1), "{}", first.stdout);
    let ran = scratch.run(&["check", package]);
    assert_eq!(ran.status.code(), Some(1), "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        ran.took < HUNG_CHECK_LIMIT,
        "the check took {:?}:\n{}",
        ran.took,
        ran.stdout
    );
    eprintln!("check {package}, answers edited: {:?}", ran.took);
    assert_eq!(scratch.processes_left(), Vec::<String>::new());
    ran
}

/// Checks these answers (exercise, the body that replaces its stub's) in a
/// scratch copy, as [`check_twice`] does.
fn check_answers(package: &str, answers: &[(&str, &str)]) -> scratch::Ran {
    let scratch = Scratch::new();
    for (exercise, body) in answers {
        scratch.replace_body(package, exercise, body);
    }
    check_twice(&scratch, package)
}

/// The exercise's line, which must say that its tests fail.
fn failing<'a>(ran: &'a scratch::Ran, exercise: &str) -> &'a str {
    let line = line_of(&ran.stdout, exercise);
    assert!(line.contains("tests fail"), "{}", ran.stdout);
    line
}

/// Solves the exercise, then breaks `function` of its solution by
/// replacing `from` with `to`.
fn solve_but(scratch: &Scratch, exercise: &str, function: &str, from: &str, to: &str) {
    scratch.solve("locks", exercise);
    let solved = scratch.solution_body("locks", exercise, function);
    let broken = solved.replace(from, to);
    assert_ne!(
        broken, solved,
        "{exercise}'s solution changed: update this test"
    );
    scratch.replace_body("locks", function, &broken);
}

/// The exercise's line in the check's list.
fn line_of<'a>(stdout: &'a str, exercise: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some(exercise))
        .unwrap_or_else(|| panic!("no line for {exercise}:\n{stdout}"))
}

#[test]
fn a_panic_in_one_thread_of_an_answer_fails_its_tests_at_once() {
    // The thread under the simulated GIL panics while holding it: the other
    // thread of each test would wait for the GIL for good.
    let gives_up = "    panic!(\"my answer gave up on {nap:?}\");";
    let ran = check_answers("gil", &[("sleep_without_gil", gives_up)]);
    let line = failing(&ran, "sleep_without_gil");
    assert!(!line.contains("did not finish"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("my answer gave up on"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("deadlock likely"), "{}", ran.stdout);
    // Not one test sat out its deadline.
    assert!(ran.took < workshop::testing::DEADLINE, "{:?}", ran.took);
}

#[test]
fn gil_answers_that_loop_for_ever_or_deadlock_are_stopped_and_named() {
    // A loop that never ends and never reaches a check point: nothing in
    // the lesson's machinery can stop it; only its process's end can.
    let loops = "    let mut spins = 0u64;
    loop {
        spins = std::hint::black_box(spins.wrapping_add(limit));
    }";
    // Sleeps with the GIL held, then takes it again: waits for itself.
    let waits_for_itself = "    thread::sleep(nap);\n    py.take_gil();";
    let ran = check_answers(
        "gil",
        &[
            ("count_primes", loops),
            ("sleep_without_gil", waits_for_itself),
        ],
    );
    let looping = failing(&ran, "count_primes");
    // Stopped by its deadline (which saw it computing) or at its limit.
    let stopped = ran.stdout.contains("still running") || looping.contains("did not finish");
    assert!(stopped, "{}", ran.stdout);
    failing(&ran, "sleep_without_gil");
    assert!(ran.stdout.contains("deadlock likely"), "{}", ran.stdout);
}

#[test]
fn locks_answers_that_loop_for_ever_or_deadlock_are_stopped_and_named() {
    let scratch = Scratch::new();
    // A semaphore whose `release` wakes nobody: waiters sleep for good.
    solve_but(
        &scratch,
        "semaphore",
        "release",
        "self.returned.notify_one();",
        "",
    );
    // An event whose `wait` spins for ever, holding the lock.
    solve_but(
        &scratch,
        "event",
        "wait",
        "slot = wait(&self.ready, slot);",
        "std::hint::spin_loop();",
    );
    let ran = check_twice(&scratch, "locks");
    failing(&ran, "semaphore");
    failing(&ran, "event");
    let stuck = ran.stdout.contains("deadlock likely") || ran.stdout.contains("did not finish");
    assert!(stuck, "{}", ran.stdout);
}

/// Checks sleeper with `line` put first in the body of its first exercise,
/// the stub's or (when `solved`) the solution's; returns the exercise's name
/// too.
fn check_sleeper_with_first_line(solved: bool, line: &str) -> (scratch::Ran, String) {
    let scratch = Scratch::new();
    let first = scratch.exercise_names("sleeper").remove(0);
    if solved {
        scratch.solve("sleeper", &first);
    }
    let code = scratch.exercise_code("sleeper", &first);
    let body = code.find(" {\n").expect("a function") + 3;
    let edited = format!("{}{line}\n{}", &code[..body], &code[body..]);
    scratch.write_exercise("sleeper", &first, &edited);
    (scratch.run(&["check", "sleeper"]), first)
}

#[test]
fn a_passing_answer_that_warns_is_done_with_its_warning() {
    // A thread joined, its result dropped, before the answer.
    let (ran, first) = check_sleeper_with_first_line(true, "    std::thread::spawn(|| ()).join();");
    let list: Vec<&str> = ran.stdout.lines().collect();
    let at = list
        .iter()
        .position(|l| l.split_whitespace().nth(2) == Some(first.as_str()))
        .unwrap_or_else(|| panic!("{}", ran.stdout));
    assert!(list[at].ends_with("done, 1 warning"), "{}", ran.stdout);
    assert!(list[at + 1].contains("warning: unused"), "{}", ran.stdout);
    assert!(list[at + 1].contains("must be used"), "{}", ran.stdout);
}

#[test]
fn a_copied_question_mark_points_at_the_primer() {
    let copied = "    std::thread::Builder::new().spawn(|| ())?;";
    let (ran, _) = check_sleeper_with_first_line(false, copied);
    assert_eq!(ran.status.code(), Some(1));
    assert!(ran.stdout.starts_with("Checking"), "{}", ran.stdout);
    assert!(ran.stdout.contains("error[E0277]"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("= primer: docs/rust-primer.md#result"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("your code does not compile yet"));
}
