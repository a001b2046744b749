//! The exercise-test engine that `check` and `verify` share: build a
//! lesson's `tests/exercises.rs` against the learner's code or the
//! reference solutions, run it, and group the results by exercise.
//!
//! The tests pick their implementation with `cfg(learner)`:
//!
//! ```text
//! #[cfg(learner)]
//! use sleeper::exercises as answer;
//! #[cfg(not(learner))]
//! use sleeper::solutions as answer;
//! ```
//!
//! The cfg is set here, for that one test target only
//! (`cargo rustc … --test exercises -- --cfg learner`): unlike a feature, no
//! `--all-features` can turn it on, and cargo keeps that build beside the
//! normal one (its hash differs), so switching costs no rebuild.
//!
//! A third arm takes a wrong answer kept beside the tests (see
//! [`crate::wrong_answers`]): `--cfg wrong_answer`, with the file's path in
//! `WRONG_ANSWER`, which the tests `include!` as their `answer` module.

use std::path::{Path, PathBuf};
use std::process::Command;

use workshop::style::Colors;

use crate::failure::Failure;
use crate::lessons::{Exercise, LessonCrate};
use crate::libtest::{self, TestResult};
use crate::project;

/// Which implementation the exercise tests run against.
#[derive(Clone, Debug, PartialEq)]
pub enum Against {
    /// `src/exercises.rs`, the learner's file (`--cfg learner`).
    Learner,
    /// `src/solutions.rs`, the reference solutions.
    Solutions,
    /// A wrong answer from `tests/wrong_answers/` (`--cfg wrong_answer`).
    WrongAnswer(PathBuf),
}

impl Against {
    /// What the tests' build needs to pick this implementation: the cfg
    /// (for that target only), and an environment variable.
    pub fn cfg(&self) -> Option<(&'static str, Option<(&'static str, &Path)>)> {
        match self {
            Against::Learner => Some(("learner", None)),
            Against::Solutions => None,
            Against::WrongAnswer(path) => Some(("wrong_answer", Some((WRONG_ANSWER, path)))),
        }
    }
}

/// The variable that names the wrong answer to build the tests against.
pub const WRONG_ANSWER: &str = "WRONG_ANSWER";

/// The result of running a lesson's exercise tests.
pub enum TestRun {
    /// The tests ran; here is every result.
    Ran(Vec<TestResult>),
    /// They did not build; here is what the compiler said.
    DidNotBuild(String),
}

/// One exercise and the results of its tests.
pub struct Progress {
    /// The exercise.
    pub exercise: Exercise,
    /// Its tests' results.
    pub tests: Vec<TestResult>,
}

impl Progress {
    /// Every test passes (and there is at least one).
    pub fn done(&self) -> bool {
        !self.tests.is_empty() && self.tests.iter().all(|t| t.passed)
    }

    /// Every test stops at a `todo!()`.
    pub fn not_started(&self) -> bool {
        !self.tests.is_empty() && self.tests.iter().all(TestResult::hit_todo)
    }

    /// The tests that fail.
    pub fn failures(&self) -> impl Iterator<Item = &TestResult> {
        self.tests.iter().filter(|t| !t.passed)
    }
}

/// Builds and runs `tests/exercises.rs` of one lesson.
pub fn run(lesson: &LessonCrate, against: &Against) -> Result<TestRun, Failure> {
    let built = build(lesson, against)?;
    run_built(lesson, built)
}

/// What building the tests gave: the test binary, or the compiler's
/// messages.
pub type Built = Result<PathBuf, String>;

/// Builds `tests/exercises.rs` of one lesson against `against`.
pub fn build(lesson: &LessonCrate, against: &Against) -> Result<Built, Failure> {
    let built = project::output(&mut build_command(lesson, against))?;
    let binary = test_binary(&String::from_utf8_lossy(&built.stdout));
    Ok(match (built.status.success(), binary) {
        (true, Some(binary)) => Ok(binary),
        _ => Err(String::from_utf8_lossy(&built.stderr).into_owned()),
    })
}

/// Runs the tests that [`build`] built.
pub fn run_built(lesson: &LessonCrate, built: Built) -> Result<TestRun, Failure> {
    let binary = match built {
        Ok(binary) => binary,
        Err(errors) => return Ok(TestRun::DidNotBuild(errors)),
    };
    // Short panic messages: the backtrace of a todo!() helps nobody.
    let ran = project::output(
        Command::new(&binary)
            .current_dir(&lesson.dir)
            .env("RUST_BACKTRACE", "0"),
    )?;
    let stdout = String::from_utf8_lossy(&ran.stdout);
    libtest::parse(&stdout).map(TestRun::Ran).ok_or_else(|| {
        Failure::Broken(format!(
            "{}'s exercise tests ({}) stopped before their summary:\n{}",
            lesson.package,
            project::shown(&binary),
            String::from_utf8_lossy(&ran.stderr)
        ))
    })
}

/// The cargo command that builds the test binary and reports it in JSON.
fn build_command(lesson: &LessonCrate, against: &Against) -> Command {
    let mut cargo = project::cargo();
    let target = ["--package", &lesson.package, "--test", "exercises"];
    match against {
        Against::Solutions => cargo.args(["test", "--no-run"]).args(target),
        _ => cargo.args(["rustc", "--profile", "test"]).args(target),
    };
    cargo.arg("--message-format=json-render-diagnostics");
    if Colors::for_stream(&std::io::stderr()).on() {
        cargo.arg("--color=always");
    }
    if let Some((cfg, env)) = against.cfg() {
        cargo.args(["--", "--cfg", cfg]);
        if let Some((name, value)) = env {
            cargo.env(name, value);
        }
    }
    cargo
}

/// The test binary among what cargo built.
fn test_binary(cargo_json: &str) -> Option<PathBuf> {
    project::executables(cargo_json).into_iter().find(|exe| {
        exe.file_stem()
            .and_then(|stem| stem.to_str())
            .is_some_and(|stem| stem.starts_with("exercises-"))
    })
}

/// Groups test results by exercise, in the exercises' order.
pub fn progress(exercises: &[Exercise], results: Vec<TestResult>) -> Vec<Progress> {
    let mut progress: Vec<Progress> = exercises
        .iter()
        .map(|exercise| Progress {
            exercise: exercise.clone(),
            tests: Vec::new(),
        })
        .collect();
    for result in results {
        if let Some(p) = progress
            .iter_mut()
            .find(|p| p.exercise.name == result.exercise())
        {
            p.tests.push(result);
        }
    }
    progress
}
