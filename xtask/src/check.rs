//! `cargo xtask check [LESSON]`: the learner's command.
//!
//! Runs each lesson's exercise tests against the learner's own
//! `src/exercises.rs` (through [`crate::exercise_tests`]), then says how
//! many exercises pass and, for the first one that does not, where to edit,
//! what failed and the hint.

use std::process::ExitCode;

use workshop::style::{Colors, Style};

use crate::exercise_tests::{self, Against, Progress, TestRun};
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, LessonCrate};
use crate::project;

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
        let exercises = lesson.exercises()?;
        let results = match exercise_tests::run(lesson, Against::Learner)? {
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
        let progress = exercise_tests::progress(&exercises, results);
        report(lesson, &progress, colors);
        if let Some(next) = progress.iter().find(|p| !p.done()) {
            if all_done {
                show_next(lesson, next, colors);
            }
            all_done = false;
        }
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

fn report(lesson: &LessonCrate, progress: &[Progress], colors: Colors) {
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
            (colors.paint("✔", Style::Good), String::new())
        } else if p.not_started() {
            (colors.paint("·", Style::Dim), "not started".to_owned())
        } else if p.tests.is_empty() {
            (colors.paint("✘", Style::Bad), "no tests found".to_owned())
        } else {
            (
                colors.paint("✘", Style::Bad),
                format!("{} of {} tests fail", p.failures().count(), p.tests.len()),
            )
        };
        println!(
            "  {mark} {} {:<width$}  {state}",
            p.exercise.number, p.exercise.name
        );
    }
}

fn show_next(lesson: &LessonCrate, next: &Progress, colors: Colors) {
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
            println!("  {} {}", colors.paint("✘", Style::Bad), failure.name);
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
            println!("{}", colors.paint("Hint:", Style::Strong));
            for line in hint.lines() {
                println!("  {line}");
            }
        }
        None => println!("  (no hint for this one: `cargo xtask verify` should have caught that)"),
    }
}
