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

/// The exercise's line in the check's list.
fn line_of<'a>(stdout: &'a str, exercise: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some(exercise))
        .unwrap_or_else(|| panic!("no line for {exercise}:\n{stdout}"))
}

#[test]
fn a_panic_in_one_thread_of_an_answer_fails_its_tests_at_once() {
    let scratch = Scratch::new();
    // The thread under the simulated GIL panics while holding it: the other
    // thread of each test would wait for the GIL for good.
    scratch.replace_body(
        "gil",
        "sleep_without_gil",
        "    panic!(\"my answer gave up on {nap:?}\");",
    );
    let ran = check_twice(&scratch, "gil");
    let line = line_of(&ran.stdout, "sleep_without_gil");
    assert!(line.contains("tests fail"), "{}", ran.stdout);
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
    let scratch = Scratch::new();
    // A loop that never ends and never reaches a check point: nothing in
    // the lesson's machinery can stop it; only its process's end can.
    scratch.replace_body(
        "gil",
        "count_primes",
        "    let mut spins = 0u64;
    loop {
        spins = std::hint::black_box(spins.wrapping_add(limit));
    }",
    );
    // Sleeps with the GIL held, then takes it again: waits for itself.
    scratch.replace_body(
        "gil",
        "sleep_without_gil",
        "    thread::sleep(nap);\n    py.take_gil();",
    );
    let ran = check_twice(&scratch, "gil");
    let looping = line_of(&ran.stdout, "count_primes");
    assert!(looping.contains("tests fail"), "{}", ran.stdout);
    // Stopped by its deadline (which saw it computing) or at its limit.
    let stopped = ran.stdout.contains("still running") || looping.contains("did not finish");
    assert!(stopped, "{}", ran.stdout);
    let waiting = line_of(&ran.stdout, "sleep_without_gil");
    assert!(waiting.contains("tests fail"), "{}", ran.stdout);
    assert!(ran.stdout.contains("deadlock likely"), "{}", ran.stdout);
}

#[test]
fn locks_answers_that_loop_for_ever_or_deadlock_are_stopped_and_named() {
    let scratch = Scratch::new();
    // A semaphore whose `release` wakes nobody: waiters sleep for good.
    scratch.solve("locks", "semaphore");
    let release = scratch.solution_body("locks", "semaphore", "release");
    let deaf = release.replace("self.returned.notify_one();", "");
    assert_ne!(
        deaf, release,
        "the semaphore's solution changed: update this test"
    );
    scratch.replace_body("locks", "release", &deaf);
    // An event whose `wait` spins for ever, holding the lock.
    scratch.solve("locks", "event");
    let wait = scratch.solution_body("locks", "event", "wait");
    let spinning = wait.replace("slot = wait(&self.ready, slot);", "std::hint::spin_loop();");
    assert_ne!(
        spinning, wait,
        "the event's solution changed: update this test"
    );
    scratch.replace_body("locks", "wait", &spinning);
    let ran = check_twice(&scratch, "locks");
    assert!(
        line_of(&ran.stdout, "semaphore").contains("tests fail"),
        "{}",
        ran.stdout
    );
    assert!(
        line_of(&ran.stdout, "event").contains("tests fail"),
        "{}",
        ran.stdout
    );
    let stuck = ran.stdout.contains("deadlock likely") || ran.stdout.contains("did not finish");
    assert!(stuck, "{}", ran.stdout);
}

#[test]
fn a_passing_answer_that_warns_is_done_with_its_warning() {
    let scratch = Scratch::new();
    let first = &scratch.exercise_names("sleeper")[0];
    scratch.solve("sleeper", first);
    // A thread joined, its result dropped, before the answer.
    let code = scratch.exercise_code("sleeper", first);
    let body = code.find(" {\n").expect("a function") + 3;
    let warned = format!(
        "{}    std::thread::spawn(|| ()).join();\n{}",
        &code[..body],
        &code[body..]
    );
    scratch.write_exercise("sleeper", first, &warned);
    let ran = scratch.run(&["check", "sleeper"]);
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
    let scratch = Scratch::new();
    let first = &scratch.exercise_names("sleeper")[0];
    let stub = scratch.exercise_code("sleeper", first);
    let todo = stub.find("    todo!(").expect("a stub");
    let copied = format!(
        "{}    std::thread::Builder::new().spawn(|| ())?;\n{}",
        &stub[..todo],
        &stub[todo..]
    );
    scratch.write_exercise("sleeper", first, &copied);
    let ran = scratch.run(&["check", "sleeper"]);
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
