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
            let message = failure.message.as_deref().unwrap_or("(no message)");
            let first: Vec<&str> = message.lines().take(8).collect();
            print!("{}", indented(&first.join("\n"), "      "));
        }
    }
    match lesson.hint(&next.exercise.name) {
        Some(hint) => {
            println!();
            println!("{}", colors.paint("Hint:", Style::Strong));
            print!("{}", indented(&hint, "  "));
        }
        None => println!("  (no hint for this one: `cargo xtask verify` should have caught that)"),
    }
}

/// Each line of `text` after `indent`, wrapped to 80 columns (a test's
/// message can be any width), continuation lines indented two more.
fn indented(text: &str, indent: &str) -> String {
    let room = workshop::testing::COLUMNS - indent.len();
    let mut lines = String::new();
    for line in text.lines() {
        let wrapped = if line.chars().count() > room {
            workshop::text::wrap(line, room, "  ")
        } else {
            line.to_owned()
        };
        for part in wrapped.lines() {
            lines.push_str(&format!("{indent}{part}\n"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_hints_are_wrapped_to_80_columns() {
        let long = format!("assertion failed: {}", "word ".repeat(30));
        let text = indented(&format!("short\n{long}"), "      ");
        assert!(
            text.starts_with("      short\n      assertion failed: word"),
            "{text}"
        );
        assert!(
            text.lines().nth(2).unwrap().starts_with("        word"),
            "{text}"
        );
        assert_eq!(workshop::testing::too_wide(&text), Vec::<String>::new());
    }
}
