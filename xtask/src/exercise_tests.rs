//! The exercise-test engine that `check`, `watch`, `hint`, `solution` and
//! `verify` share: build a lesson's `tests/exercises.rs` against the
//! learner's code or the reference solutions, run each test in a process of
//! its own with a time limit ([`crate::test_processes`]), and group the
//! results, and the compiler's warnings about the learner's file, by
//! exercise.
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
//! Where clippy is installed, the learner's build is compiled by
//! `clippy-driver` (as cargo's `RUSTC_WORKSPACE_WRAPPER`, which is what
//! `cargo clippy` does, here with code generation): one build gives the
//! tests, the compiler's warnings and clippy's lints. Cargo keeps that
//! build apart from the plain one too.
//!
//! A third arm takes a wrong answer kept beside the tests (see
//! [`crate::wrong_answers`]): `--cfg wrong_answer`, with the file's path in
//! `WRONG_ANSWER`, which the tests `include!` as their `answer` module.
//!
//! A later step (Miri and loom, [`crate::deep_checks`]) adds its own
//! results to a [`Checked`]: a [`TestResult`] pushed onto the exercise's
//! [`Progress`].

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::diagnostics::{self, Diagnostic, Level};
use crate::failure::Failure;
use crate::lessons::{Exercise, LessonCrate};
use crate::libtest::TestResult;
use crate::project;
use crate::test_processes::{self, Binary, Cancel, LIMITS, Test};

/// Which implementation the exercise tests run against.
#[derive(Clone, Debug, PartialEq)]
pub enum Against {
    /// `src/exercises.rs`, the learner's file (`--cfg learner`), with the
    /// warnings and clippy's lints about it.
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

    /// The file whose warnings the check shows: the learner's, or the
    /// wrong answer standing in for it.
    fn answer_file(&self, lesson: &LessonCrate) -> Option<PathBuf> {
        match self {
            Against::Learner => Some(lesson.exercises_file()),
            Against::Solutions => None,
            Against::WrongAnswer(path) => Some(path.clone()),
        }
    }
}

/// The variable that names the wrong answer to build the tests against.
pub const WRONG_ANSWER: &str = "WRONG_ANSWER";

/// How to run the exercise tests.
#[derive(Clone, Debug)]
pub struct Options {
    /// Against the learner's code, or the solutions.
    pub against: Against,
    /// Only this exercise's tests (by name); all when `None`.
    pub only: Option<String>,
    /// Compiler messages with the terminal's colours.
    pub colors: bool,
    /// Set it to stop the run: [`run`] returns [`TestRun::Cancelled`].
    pub cancel: Cancel,
}

impl Options {
    /// Every test, against `against`, no colours.
    pub fn new(against: Against) -> Self {
        Options {
            against,
            only: None,
            colors: false,
            cancel: Cancel::default(),
        }
    }
}

/// What the engine is doing, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stage {
    /// cargo is building the tests.
    Building,
    /// `done` of `total` tests have ended.
    Testing {
        /// How many tests have ended.
        done: usize,
        /// How many there are.
        total: usize,
    },
}

/// The result of checking a lesson's exercises.
pub enum TestRun {
    /// The tests ran: the results, by exercise.
    Ran(Checked),
    /// They did not build: what the compiler and cargo said.
    DidNotBuild(BuildFailure),
    /// [`Options::cancel`] was set.
    Cancelled,
}

/// The tests ran.
pub struct Checked {
    /// Every exercise, in the order of the file, with its results.
    pub exercises: Vec<Progress>,
    /// Tests that belong to no exercise (`verify` reports them).
    pub stray: Vec<TestResult>,
    /// Warnings about the learner's file outside any exercise (above the
    /// first one: its `use` lines, say).
    pub outside: Vec<Diagnostic>,
}

/// The tests did not build.
pub struct BuildFailure {
    /// The compiler's errors and warnings, those about the learner's file
    /// (the exercises file) first.
    pub diagnostics: Vec<Diagnostic>,
    /// What cargo itself said, for a failure that is not the compiler's.
    pub cargo_said: String,
}

/// One exercise and the results of its tests.
pub struct Progress {
    /// The exercise.
    pub exercise: Exercise,
    /// Its tests' results, by name.
    pub tests: Vec<TestResult>,
    /// The compiler's warnings (and clippy's) about its code.
    pub warnings: Vec<Diagnostic>,
}

impl Progress {
    /// Every test passes (and there is at least one). Warnings do not
    /// count against it.
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

    /// A core exercise (one not marked, too).
    pub fn is_core(&self) -> bool {
        self.exercise.is_core()
    }
}

impl Checked {
    /// The exercise to work on: the first unfinished core exercise, else
    /// the first unfinished one.
    #[allow(dead_code, reason = "for watch, hint and solution, which come next")]
    pub fn next(&self) -> Option<&Progress> {
        let unfinished = || self.exercises.iter().filter(|p| !p.done());
        unfinished()
            .find(|p| p.is_core())
            .or_else(|| unfinished().next())
    }

    /// One exercise's progress, by name.
    #[allow(dead_code, reason = "for watch, hint and solution, which come next")]
    pub fn exercise(&self, name: &str) -> Option<&Progress> {
        self.exercises.iter().find(|p| p.exercise.name == name)
    }
}

/// Builds and runs the exercise tests of one lesson; `progress` hears what
/// it is doing.
pub fn run(
    lesson: &LessonCrate,
    options: &Options,
    progress: &mut dyn FnMut(Stage),
) -> Result<TestRun, Failure> {
    progress(Stage::Building);
    match build(lesson, options)? {
        Some(built) => run_built(lesson, options, built, progress),
        None => Ok(TestRun::Cancelled),
    }
}

/// What building the tests gave: the test binary, or what the compiler
/// said; and the compiler's messages either way.
pub struct Built {
    binary: Result<PathBuf, BuildFailure>,
    diagnostics: Vec<Diagnostic>,
}

/// Builds `tests/exercises.rs` of one lesson; `None` if cancelled.
pub fn build(lesson: &LessonCrate, options: &Options) -> Result<Option<Built>, Failure> {
    let built = project::output_until(&mut build_command(lesson, options), &options.cancel)?;
    let Some(built) = built else {
        return Ok(None);
    };
    let json = String::from_utf8_lossy(&built.stdout);
    let mut diagnostics = diagnostics::from_cargo_json(&json);
    let binary = match (built.status.success(), test_binary(&json)) {
        (true, Some(binary)) => Ok(binary),
        _ => {
            // The answer's file first, errors before warnings.
            let file = options
                .against
                .answer_file(lesson)
                .map(|f| project::shown(&f));
            let mine = |d: &Diagnostic| file.as_deref().is_some_and(|f| d.is_in(f));
            diagnostics.sort_by_key(|d| (!mine(d), d.level));
            Err(BuildFailure {
                diagnostics: std::mem::take(&mut diagnostics),
                cargo_said: String::from_utf8_lossy(&built.stderr).trim().to_owned(),
            })
        }
    };
    Ok(Some(Built {
        binary,
        diagnostics,
    }))
}

/// Runs the tests that [`build`] built, each in a process of its own.
pub fn run_built(
    lesson: &LessonCrate,
    options: &Options,
    built: Built,
    progress: &mut dyn FnMut(Stage),
) -> Result<TestRun, Failure> {
    let exercises = lesson.exercises()?;
    let Built {
        binary,
        mut diagnostics,
    } = built;
    let binary = match binary {
        Ok(binary) => Binary {
            path: binary,
            dir: lesson.dir.clone(),
        },
        Err(failure) => return Ok(TestRun::DidNotBuild(failure)),
    };
    let tests: Vec<Test> = test_processes::list(&binary)
        .map_err(Failure::Broken)?
        .into_iter()
        .map(|name| Test {
            exercise: name.split("::").next().unwrap_or_default().to_owned(),
            name,
        })
        .filter(|t| options.only.as_ref().is_none_or(|only| *only == t.exercise))
        .collect();
    let total = tests.len();
    progress(Stage::Testing { done: 0, total });
    let mut tested = |done, total| progress(Stage::Testing { done, total });
    let Some(results) = test_processes::run(&binary, &tests, LIMITS, &options.cancel, &mut tested)
    else {
        return Ok(TestRun::Cancelled);
    };
    let file = options
        .against
        .answer_file(lesson)
        .map(|f| project::shown(&f));
    diagnostics
        .retain(|d| d.level == Level::Warning && file.as_deref().is_some_and(|f| d.is_in(f)));
    diagnostics.sort_by_key(|d| d.line);
    Ok(TestRun::Ran(group(exercises, results, diagnostics)))
}

/// The cargo command that builds the test binary and reports in JSON.
fn build_command(lesson: &LessonCrate, options: &Options) -> Command {
    let mut cargo = project::cargo();
    let target = ["--package", &lesson.package, "--test", "exercises"];
    match options.against {
        Against::Solutions => cargo.args(["test", "--no-run"]).args(target),
        _ => cargo.args(["rustc", "--profile", "test"]).args(target),
    };
    cargo.arg("--quiet").arg(if options.colors {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    });
    if options.against == Against::Learner {
        if let Some(clippy) = clippy_driver() {
            cargo.env("RUSTC_WORKSPACE_WRAPPER", clippy);
        }
    }
    if let Some((cfg, env)) = options.against.cfg() {
        cargo.args(["--", "--cfg", cfg]);
        if let Some((name, value)) = env {
            cargo.env(name, value);
        }
    }
    cargo
}

/// `clippy-driver` beside the cargo that runs us, if it is installed and
/// works (rustup puts a stand-in there that fails without the component).
fn clippy_driver() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let cargo = PathBuf::from(std::env::var_os("CARGO")?);
            let driver =
                cargo.with_file_name(format!("clippy-driver{}", std::env::consts::EXE_SUFFIX));
            let works = Command::new(&driver)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            works.then_some(driver)
        })
        .as_deref()
}

/// The test binary among what cargo built.
fn test_binary(cargo_json: &str) -> Option<PathBuf> {
    project::executables(cargo_json).into_iter().find(|exe| {
        exe.file_stem()
            .and_then(|stem| stem.to_str())
            .is_some_and(|stem| stem.starts_with("exercises-"))
    })
}

/// Groups test results and warnings by exercise, in the exercises' order:
/// a warning belongs to the exercise whose heading comes last before it.
pub fn group(
    exercises: Vec<Exercise>,
    results: Vec<TestResult>,
    warnings: Vec<Diagnostic>,
) -> Checked {
    let mut checked = Checked {
        exercises: exercises
            .into_iter()
            .map(|exercise| Progress {
                exercise,
                tests: Vec::new(),
                warnings: Vec::new(),
            })
            .collect(),
        stray: Vec::new(),
        outside: Vec::new(),
    };
    for result in results {
        match checked
            .exercises
            .iter_mut()
            .find(|p| p.exercise.name == result.exercise())
        {
            Some(p) => p.tests.push(result),
            None => checked.stray.push(result),
        }
    }
    for warning in warnings {
        let line = warning.line.unwrap_or(0);
        match checked
            .exercises
            .iter_mut()
            .rev()
            .find(|p| p.exercise.line <= line)
        {
            Some(p) => p.warnings.push(warning),
            None => checked.outside.push(warning),
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::Level as Rung;
    use crate::libtest::Ran;

    /// A lesson's exercises, numbered from 1 at lines 10, 20, …, each with
    /// one test that passes or fails; then `stray` results, of no exercise,
    /// and the warnings, grouped as the check groups them.
    fn checked(
        exercises: &[(&str, Rung, bool)],
        stray: &[&str],
        warnings: Vec<Diagnostic>,
    ) -> Checked {
        let numbered = exercises.iter().zip(1..);
        let listed = numbered.clone().map(|(&(name, level, _), n)| Exercise {
            number: n,
            name: name.into(),
            line: 10 * n,
            level: Some(level),
        });
        let passed = numbered.map(|(&(name, _, passed), _)| result(&format!("{name}::a"), passed));
        let strays = stray.iter().map(|name| result(name, false));
        group(listed.collect(), passed.chain(strays).collect(), warnings)
    }

    fn result(name: &str, passed: bool) -> TestResult {
        TestResult {
            name: name.into(),
            passed,
            message: (!passed).then(|| "not yet implemented".to_owned()),
            ran: Ran::ToTheEnd,
        }
    }

    fn warning(line: usize) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            code: Some("unused_must_use".into()),
            message: "unused `Result` that must be used".into(),
            file: Some("lessons/01-sleeper/src/exercises.rs".into()),
            line: Some(line),
            rendered: String::new(),
        }
    }

    #[test]
    fn results_and_warnings_go_to_their_exercise() {
        let checked = checked(
            &[("one", Rung::Core, true), ("two", Rung::Stretch, false)],
            &["three::a"],
            vec![warning(3), warning(12), warning(25)],
        );
        let [one, two] = &checked.exercises[..] else {
            panic!("two exercises")
        };
        assert!(one.done() && !two.done() && two.not_started());
        assert_eq!(one.warnings, [warning(12)]);
        assert_eq!(two.warnings, [warning(25)]);
        assert_eq!(checked.outside, [warning(3)]);
        assert_eq!(checked.stray[0].name, "three::a");
        assert_eq!(checked.next().map(|p| p.exercise.number), Some(2));
    }

    #[test]
    fn next_is_the_first_unfinished_core_exercise() {
        let checked = checked(
            &[
                ("warm_up", Rung::Core, true),
                ("hard", Rung::Stretch, false),
                ("core_again", Rung::Core, false),
            ],
            &[],
            vec![],
        );
        assert_eq!(checked.next().map(|p| p.exercise.number), Some(3));
    }
}
