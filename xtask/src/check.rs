//! `cargo xtask check [LESSON]`: the learner's command.
//!
//! Runs each lesson's exercise tests against the learner's own
//! `src/exercises.rs` (through [`crate::exercise_tests`]), then shows the
//! progress bar, a line per exercise with the compiler's warnings about
//! its code under it, and, for the exercise to work on next, where it is,
//! what failed and the hint (all laid out by [`crate::report`], as `watch`
//! shows them).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use workshop::style::{Colors, Style};

use crate::exercise_tests::{self, Against, Checked, Options, Stage, TestRun};
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, LessonCrate};
use crate::project;
use crate::report;

/// How many compile errors the check shows.
const SHOWN_ERRORS: usize = 10;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let lessons = match args {
        [] => lessons::all()?,
        [name] => vec![lessons::find(name)?],
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument `{extra}`"))),
    };
    let colors = Colors::for_stdout();
    let mut all_done = true;
    for lesson in lessons.iter().filter(|l| l.exercises_file().exists()) {
        let file = project::shown(&lesson.exercises_file());
        println!("Checking the {} exercises in {file}…", lesson.package);
        let checked = match test(lesson, None, colors)? {
            TestRun::Ran(checked) => checked,
            TestRun::DidNotBuild(failure) => {
                for line in report::build_failure(lesson, &failure, SHOWN_ERRORS) {
                    println!("{line}");
                }
                return Ok(ExitCode::FAILURE);
            }
            TestRun::Cancelled => return Err(Failure::Broken("the check was cancelled".into())),
        };
        show(lesson, &checked, all_done, colors);
        all_done &= checked.next().is_none();
        println!();
    }
    if all_done {
        println!(
            "{}",
            colors.paint("Every exercise passes. Well done!", Style::Good)
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Runs the lesson's exercise tests against the learner's code, with a
/// progress line on a terminal; `only` one exercise's, if given.
pub fn test(lesson: &LessonCrate, only: Option<&str>, colors: Colors) -> Result<TestRun, Failure> {
    let options = Options {
        colors: colors.on(),
        only: only.map(str::to_owned),
        ..Options::new(Against::Learner)
    };
    let mut line = ProgressLine::on_stderr();
    let run = exercise_tests::run(lesson, &options, &mut |stage| line.show(stage));
    line.clear();
    run
}

/// The report of one lesson; the next exercise and its hint only for the
/// first lesson with work left.
fn show(lesson: &LessonCrate, checked: &Checked, first: bool, colors: Colors) {
    println!(
        "{}",
        report::progress_bar(lesson, &checked.exercises, colors)
    );
    let next = checked.next().filter(|_| first);
    let name = next.map(|p| p.exercise.name.as_str());
    for line in report::exercise_list(checked, name, colors) {
        println!("{line}");
    }
    let Some(next) = next else {
        return;
    };
    println!();
    if !next.is_core() {
        let stretch: Vec<&str> = checked
            .exercises
            .iter()
            .filter(|p| !p.is_core() && !p.done())
            .map(|p| p.exercise.name.as_str())
            .collect();
        let said = format!(
            "Every core exercise of {} passes. Stretch exercises left: {}.",
            lesson.package,
            stretch.join(", ")
        );
        for line in report::indented(&said, "") {
            println!("{line}");
        }
    }
    for line in report::next_exercise(lesson, next, colors) {
        println!("{line}");
    }
    println!();
    for line in report::hint(lesson, &next.exercise.name, colors) {
        println!("{line}");
    }
}

/// One line on stderr that says what the check is doing, rewritten in
/// place; only on a terminal, and gone once the check is done.
struct ProgressLine {
    on: bool,
}

impl ProgressLine {
    fn on_stderr() -> Self {
        ProgressLine {
            on: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, stage: Stage) {
        if !self.on {
            return;
        }
        let text = match stage {
            Stage::Building => "  building the tests…".to_owned(),
            Stage::Testing { done, total } => format!("  testing: {done} of {total} tests run"),
        };
        let mut stderr = std::io::stderr();
        let _ = write!(stderr, "\r\x1b[2K{text}");
        let _ = stderr.flush();
    }

    fn clear(&mut self) {
        if self.on {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
