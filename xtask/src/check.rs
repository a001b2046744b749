//! `cargo xtask check [LESSON]`: the learner's command.
//!
//! Runs each lesson's exercise tests against the learner's own
//! `src/exercises.rs` (the `learner` feature), then says how many exercises
//! pass and, for the first one that does not, where to edit, what failed and
//! the hint.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::lessons::{self, Exercise, Lesson};
use crate::libtest::{self, TestResult};
use crate::{Failure, Outcome, project};

/// Which implementation the exercise tests run against.
#[derive(Clone, Copy, PartialEq)]
pub enum Against {
    /// `src/exercises.rs`, the learner's file (feature `learner`).
    Learner,
    /// `src/solutions.rs`, the reference solutions.
    Solutions,
}

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

/// Runs `tests/exercises.rs` of one lesson.
pub fn test_exercises(lesson: &Lesson, against: Against) -> Result<TestRun, Failure> {
    let mut cargo = project::cargo();
    cargo.args(["test", "--package", &lesson.package, "--test", "exercises"]);
    if against == Against::Learner {
        cargo.args(["--features", "learner"]);
    }
    if std::io::stderr().is_terminal() {
        cargo.arg("--color=always");
    }
    // Short panic messages: the backtrace of a todo!() helps nobody.
    let output = cargo.env("RUST_BACKTRACE", "0").output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(match libtest::parse(&stdout) {
        Some(results) => TestRun::Ran(results),
        None => TestRun::DidNotBuild(String::from_utf8_lossy(&output.stderr).into_owned()),
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

/// The command.
pub fn run(args: &[String]) -> Outcome {
    let lessons = match args {
        [] => lessons::all()?,
        [name] => vec![lessons::find(name)?],
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument `{extra}`"))),
    };
    let style = Style::for_stdout();
    let mut all_done = true;
    for lesson in lessons.iter().filter(|l| l.exercises_file().exists()) {
        let file = project::shown(&lesson.exercises_file());
        println!("Checking the {} exercises in {file}…", lesson.package);
        let exercises = lesson.exercises()?;
        let results = match test_exercises(lesson, Against::Learner)? {
            TestRun::Ran(results) => results,
            TestRun::DidNotBuild(errors) => {
                eprint!("{errors}");
                println!(
                    "\n{}: your code does not compile yet; the compiler's messages are above.",
                    lesson.package
                );
                return Ok(ExitCode::FAILURE);
            }
        };
        let progress = progress(&exercises, results);
        report(lesson, &progress, &style);
        if let Some(next) = progress.iter().find(|p| !p.done()) {
            if all_done {
                show_next(lesson, next, &style);
            }
            all_done = false;
        }
        println!();
    }
    if all_done {
        println!("{}", style.good("Every exercise passes. Well done!"));
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

fn report(lesson: &Lesson, progress: &[Progress], style: &Style) {
    let done = progress.iter().filter(|p| p.done()).count();
    println!(
        "{}: {done} of {} exercises done",
        lesson.package,
        progress.len()
    );
    let width = progress
        .iter()
        .map(|p| p.exercise.name.len())
        .max()
        .unwrap_or(0);
    for p in progress {
        let (mark, state) = if p.done() {
            (style.good("✔"), String::new())
        } else if p.not_started() {
            (style.dim("·"), "not started".to_owned())
        } else if p.tests.is_empty() {
            (style.bad("✘"), "no tests found".to_owned())
        } else {
            (
                style.bad("✘"),
                format!("{} of {} tests fail", p.failures().count(), p.tests.len()),
            )
        };
        println!(
            "  {mark} {} {:<width$}  {state}",
            p.exercise.number, p.exercise.name
        );
    }
}

fn show_next(lesson: &Lesson, next: &Progress, style: &Style) {
    let file = project::shown(&lesson.exercises_file());
    println!();
    println!(
        "Next: exercise {}, `{}`",
        next.exercise.number, next.exercise.name
    );
    println!("  edit {file}:{}", next.exercise.line);
    if next.not_started() {
        println!(
            "  (its description is above the `todo!()`: replace the `todo!()` with your code)"
        );
    } else {
        for failure in next.failures().take(2) {
            println!();
            println!("  {} {}", style.bad("✘"), failure.name);
            for line in failure
                .message
                .as_deref()
                .unwrap_or("(no message)")
                .lines()
                .take(8)
            {
                println!("      {line}");
            }
        }
    }
    match lesson.hint(&next.exercise.name) {
        Some(hint) => {
            println!();
            println!("{}", style.heading("Hint:"));
            for line in hint.lines() {
                println!("  {line}");
            }
        }
        None => println!("  (no hint for this one: `cargo xtask verify` should have caught that)"),
    }
}

/// Colour on a terminal, plain text elsewhere or with `NO_COLOR`.
struct Style {
    color: bool,
}

impl Style {
    fn for_stdout() -> Self {
        Style {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }

    fn bad(&self, text: &str) -> String {
        self.paint("31", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn heading(&self, text: &str) -> String {
        self.paint("1", text)
    }
}
