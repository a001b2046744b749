//! loom model checks (`tests/loom.rs`): every interleaving of a few
//! threads, up to a bound on preemptions, instead of one lucky run.
//!
//! The lesson is built with `RUSTFLAGS="--cfg loom"`, which makes its
//! `sync` module hand out loom's `Mutex` and `Condvar`: every lock, wait and
//! notify becomes a point where loom may switch threads. The flag changes
//! every crate's build, so it gets a target directory of its own
//! (`target/loom`) and never invalidates the normal one. The model checks
//! pick their implementation as the exercise tests do (`--cfg learner` or
//! `--cfg wrong_answer`, given to that test target alone), and the checks
//! of each exercise live in a `mod` named after it, so that a result names
//! its exercise.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::exercise_tests::Against;
use crate::failure::Failure;
use crate::lessons::LessonCrate;
use crate::libtest::{self, Ran, TestResult};
use crate::project;

/// Longer than the model checks of a right answer take; an answer that
/// makes loom search for longer (a spin loop with no sync point, say) is
/// stopped and reported as not checked.
pub const LIMIT: Duration = Duration::from_secs(120);

/// What a loom run of some model checks gave.
pub enum Run {
    /// The model checks ran: their results.
    Ran(Vec<TestResult>),
    /// They did not build: what the compiler said.
    DidNotBuild(String),
    /// They were still running at [`LIMIT`], and were stopped.
    TimedOut,
}

/// Whether a lesson has model checks.
pub fn has_model_checks(lesson: &LessonCrate) -> bool {
    project::path(project::Place::LoomTests(&lesson.dir)).exists()
}

/// The exercises that `tests/loom.rs` has model checks for: its `mod`s
/// named after an exercise.
pub fn checked_exercises(lesson: &LessonCrate) -> Result<Vec<String>, Failure> {
    if !has_model_checks(lesson) {
        return Ok(Vec::new());
    }
    let source = project::read(&project::path(project::Place::LoomTests(&lesson.dir)))?;
    let modules: Vec<&str> = source
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(" {"))
        .collect();
    Ok(lesson
        .exercises()?
        .into_iter()
        .map(|e| e.name)
        .filter(|name| modules.contains(&name.as_str()))
        .collect())
}

/// Whether loom has never been built here: its first build takes a minute
/// or two.
pub fn first_run() -> bool {
    project::loom_target_dir().is_ok_and(|dir| !dir.exists())
}

/// Builds the model checks against `against` and runs those whose names
/// start with one of `only` (all of them when `only` is empty); how long
/// the run took, its build aside.
pub fn run(
    lesson: &LessonCrate,
    against: &Against,
    only: &[String],
) -> Result<(Run, Duration), Failure> {
    let output = project::output(&mut build_command(lesson, against)?)?;
    let binary = project::executables(&String::from_utf8_lossy(&output.stdout))
        .into_iter()
        .find(|exe| {
            exe.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.starts_with("loom-"))
        });
    let (true, Some(binary)) = (output.status.success(), binary) else {
        let errors = String::from_utf8_lossy(&output.stderr).into_owned();
        return Ok((Run::DidNotBuild(errors), Duration::ZERO));
    };
    let started = Instant::now();
    let filters: Vec<String> = only.iter().map(|name| format!("{name}::")).collect();
    let ran = project::output_within(
        Command::new(&binary)
            .args(&filters)
            .current_dir(&lesson.dir)
            .env("RUST_BACKTRACE", "0"),
        LIMIT,
    )?;
    let Some(ran) = ran else {
        return Ok((Run::TimedOut, started.elapsed()));
    };
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let results = libtest::parse(&stdout).ok_or_else(|| {
        Failure::Broken(format!(
            "{}'s model checks ({}) stopped before their summary:\n{}",
            lesson.package,
            project::shown(&binary),
            String::from_utf8_lossy(&ran.stderr)
        ))
    })?;
    Ok((Run::Ran(results), started.elapsed()))
}

/// `cargo rustc --release --test loom`, with `--cfg loom` for every crate
/// and the implementation's cfg for the model checks alone.
fn build_command(lesson: &LessonCrate, against: &Against) -> Result<Command, Failure> {
    let rustflags = match std::env::var("RUSTFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{flags} --cfg loom"),
        _ => "--cfg loom".to_owned(),
    };
    let mut cargo = project::cargo();
    cargo
        .args([
            "rustc",
            "--profile",
            "release",
            "--package",
            &lesson.package,
        ])
        .args(["--test", "loom", "--message-format=json-render-diagnostics"])
        .env("RUSTFLAGS", rustflags)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_TARGET_DIR", project::loom_target_dir()?);
    if let Some((cfg, env)) = against.cfg() {
        cargo.args(["--", "--cfg", cfg]);
        if let Some((name, value)) = env {
            cargo.env(name, value);
        }
    }
    Ok(cargo)
}

/// The command that reruns the model checks by hand, for a maintainer.
pub fn rerun_hint(lesson: &LessonCrate) -> Result<String, Failure> {
    Ok(format!(
        "RUSTFLAGS=\"--cfg loom\" CARGO_TARGET_DIR={} cargo test -p {} --release --test loom",
        project::shown(&project::loom_target_dir()?),
        lesson.package
    ))
}

/// A model check's failure, as the check shows it under the exercise:
/// loom's own message, and what a failing interleaving means.
pub fn explained(failure: &TestResult) -> TestResult {
    let found = failure.message.as_deref().unwrap_or("(no message)");
    // The explanation arrives wrapped to the test's width: look for its
    // first words, "Loom was blocked".
    let explanation = workshop::testing::LOOM_BLOCKED;
    let blocked = explanation
        .split_once(':')
        .map_or(explanation, |(words, _)| words);
    let message = match found.find(blocked) {
        // Not an order that fails: loom could not go on at all.
        Some(at) => found[at..].to_owned(),
        None => format!(
            "loom found an order of the threads in which this fails:\n  {}\n\
             loom runs these few threads in every order they can take. A\n\
             failing order is one your code can really meet, however rarely\n\
             the ordinary tests see it.",
            in_words(found).replace('\n', "\n  ")
        ),
    };
    TestResult {
        name: format!("{} (model-checked by loom)", failure.name),
        passed: false,
        message: Some(message),
        ran: Ran::ToTheEnd,
    }
}

/// loom's message in words: its deadlock report says which threads were
/// waiting, by number; an assertion's message is the test's own.
fn in_words(message: &str) -> String {
    if message.contains("Model exceeded maximum number of branches") {
        return "a thread went round a loop thousands of times without ever\n\
                sleeping: waiting by spinning, where a condition variable\n\
                would let it sleep"
            .to_owned();
    }
    let Some(threads) = message.strip_prefix("deadlock; threads = ") else {
        return message.lines().take(3).collect::<Vec<_>>().join("\n");
    };
    let numbered = |state: &str| -> Vec<String> {
        threads
            .split("(Id(")
            .filter_map(|t| {
                let (id, rest) = t.split_once(')')?;
                rest.contains(state).then(|| id.to_owned())
            })
            .collect()
    };
    let (waiting, ended) = (numbered("Blocked"), numbered("Terminated"));
    let mut words = format!(
        "a deadlock: thread{} {} waiting, and nobody left to wake {}",
        if waiting.len() == 1 { "" } else { "s" },
        waiting.join(" and "),
        if waiting.len() == 1 { "it" } else { "them" }
    );
    if !ended.is_empty() {
        words.push_str(&format!("\n(thread {} had finished", ended.join(" and ")));
        words.push_str("; thread 0 is the check's own)");
    }
    words
}

/// Where a lesson's model checks live, for messages.
pub fn file(lesson: &LessonCrate) -> PathBuf {
    project::path(project::Place::LoomTests(&lesson.dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadlock_says_who_was_waiting() {
        let loom = "deadlock; threads = [(Id(0), Blocked(Location(None))), \
                    (Id(1), Terminated), (Id(2), Blocked(Location(None)))]";
        assert_eq!(
            in_words(loom),
            "a deadlock: threads 0 and 2 waiting, and nobody left to wake them\n\
             (thread 1 had finished; thread 0 is the check's own)"
        );
        assert_eq!(
            in_words("left round 1 early\nmore"),
            "left round 1 early\nmore"
        );
        let explained = explained(&TestResult {
            name: "event::set".into(),
            passed: false,
            message: Some(loom.into()),
            ran: Ran::ToTheEnd,
        });
        assert_eq!(explained.name, "event::set (model-checked by loom)");
        let message = explained.message.unwrap();
        assert!(
            message.lines().all(|l| l.chars().count() <= 74),
            "{message}"
        );
    }

    /// A model check that was blocked is not an order that fails: the
    /// learner reads why loom stopped, not "loom found an order".
    #[test]
    fn a_blocked_model_check_is_explained_as_blocked() {
        let panicked = format!(
            "deadlock likely: waiting for something that never happens\n\
             in `barrier::holds_every_round`\nat lessons/04-locks/tests/loom.rs:62:5\n\
             No result after 10 s …\n{}",
            workshop::text::wrap(workshop::testing::LOOM_BLOCKED, 70, "")
        );
        let explained = explained(&TestResult {
            name: "barrier::holds_every_round".into(),
            passed: false,
            message: Some(panicked),
            ran: Ran::ToTheEnd,
        });
        let message = explained.message.unwrap();
        assert!(
            message.starts_with("Loom was blocked: no thread ran."),
            "{message}"
        );
        assert!(!message.contains("found an order"), "{message}");
        assert!(message.contains("`sync` module"), "{message}");
    }
}
