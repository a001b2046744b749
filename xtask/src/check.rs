//! `cargo xtask check [LESSON]`: the learner's command.
//!
//! Runs each lesson's exercise tests against the learner's own
//! `src/exercises.rs` (through [`crate::exercise_tests`]), then Miri and
//! loom on the exercises that pass ([`crate::deep_checks`]), then says how
//! many exercises pass and, for the first one that does not, where to edit,
//! what failed and the hint.

use std::process::ExitCode;

use workshop::style::{Colors, Style};

use crate::exercise_tests::{self, Against, Progress, TestRun};
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, LessonCrate};
use crate::{deep_checks, project};

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let lessons = match args {
        [] => lessons::all()?,
        [name] => vec![lessons::find(name)?],
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument `{extra}`"))),
    };
    let colors = Colors::for_stdout();
    let mut checked: Vec<(&LessonCrate, Vec<Progress>)> = Vec::new();
    for lesson in lessons.iter().filter(|l| l.exercises_file().exists()) {
        let file = project::shown(&lesson.exercises_file());
        println!("Checking the {} exercises in {file}…", lesson.package);
        let exercises = lesson.exercises()?;
        let results = match exercise_tests::run(lesson, &Against::Learner)? {
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
        let mut progress = exercise_tests::progress(&exercises, results);
        deep_checks::run(lesson, &Against::Learner, &mut progress, &mut |note| {
            println!("{note}");
        })?;
        report(lesson, &progress, colors);
        println!();
        checked.push((lesson, progress));
    }
    let ladders: Vec<&[Progress]> = checked.iter().map(|(_, p)| p.as_slice()).collect();
    match next_exercise(&ladders) {
        Some((lesson, exercise)) => {
            let (lesson, progress) = &checked[lesson];
            show_next(lesson, &progress[exercise], colors);
            Ok(ExitCode::FAILURE)
        }
        None => {
            println!(
                "{}",
                colors.paint("Every exercise passes. Well done!", Style::Good)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `sleeper: 2 of 3 core exercises done · stretch 0 of 2`.
pub fn summary(lesson: &str, progress: &[Progress]) -> String {
    let count = |core: bool| {
        let level = progress.iter().filter(|p| p.exercise.is_core() == core);
        let done = level.clone().filter(|p| p.done()).count();
        (done, level.count())
    };
    let ((core_done, core), (stretch_done, stretch)) = (count(true), count(false));
    let mut line = format!("{lesson}: {core_done} of {core} core exercises done");
    if stretch > 0 {
        line.push_str(&format!(" · stretch {stretch_done} of {stretch}"));
    }
    line
}

/// Once every core exercise of a lesson passes, a line that says so and
/// names the stretch exercises still to do; `None` before that.
pub fn core_done_note(lesson: &str, progress: &[Progress]) -> Option<String> {
    let core_done = progress
        .iter()
        .filter(|p| p.exercise.is_core())
        .all(Progress::done);
    if !core_done {
        return None;
    }
    let stretch: Vec<String> = progress
        .iter()
        .filter(|p| !p.exercise.is_core() && !p.done())
        .map(|p| format!("`{}`", p.exercise.name))
        .collect();
    Some(if stretch.is_empty() {
        format!("{lesson}: every core exercise passes, and every stretch one.")
    } else {
        format!(
            "{lesson}: every core exercise passes. Stretch, when you want more: {}.",
            stretch.join(", ")
        )
    })
}

/// Where to go next, as (lesson, exercise) indices: the first unfinished
/// core exercise of the lessons in order; once every core exercise passes,
/// the first unfinished stretch one.
pub fn next_exercise(lessons: &[&[Progress]]) -> Option<(usize, usize)> {
    for core in [true, false] {
        for (l, progress) in lessons.iter().enumerate() {
            let found = progress
                .iter()
                .position(|p| p.exercise.is_core() == core && !p.done());
            if let Some(e) = found {
                return Some((l, e));
            }
        }
    }
    None
}

/// How many exercises pass, and the state of each.
pub fn report(lesson: &LessonCrate, progress: &[Progress], colors: Colors) {
    println!("{}", summary(&lesson.package, progress));
    let width = progress
        .iter()
        .map(|p| p.exercise.name.len())
        .max()
        .unwrap_or(0);
    for core in [true, false] {
        let level: Vec<&Progress> = progress
            .iter()
            .filter(|p| p.exercise.is_core() == core)
            .collect();
        if level.is_empty() {
            continue;
        }
        println!("  {}", if core { "core" } else { "stretch" });
        for p in level {
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
            let line = format!(
                "    {mark} {} {:<width$}  {state}",
                p.exercise.number, p.exercise.name
            );
            println!("{}", line.trim_end());
        }
    }
    if let Some(note) = core_done_note(&lesson.package, progress) {
        println!("{}", colors.paint(&note, Style::Good));
    }
}

/// The exercise to work on next: where to edit, what failed, the hint.
pub fn show_next(lesson: &LessonCrate, next: &Progress, colors: Colors) {
    let file = project::shown(&lesson.exercises_file());
    let level = if next.exercise.is_core() {
        "core"
    } else {
        "stretch"
    };
    println!(
        "Next: {} exercise {} ({level}), `{}`",
        lesson.package, next.exercise.number, next.exercise.name
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
    use crate::lessons::{Exercise, Level};
    use crate::libtest::TestResult;

    /// An exercise whose one test passed or not.
    fn progress(name: &str, level: Level, passed: bool) -> Progress {
        Progress {
            exercise: Exercise {
                number: 1,
                name: name.to_owned(),
                line: 1,
                level: Some(level),
            },
            tests: vec![TestResult {
                name: format!("{name}::it_works"),
                passed,
                message: (!passed).then(|| "not yet implemented".to_owned()),
            }],
        }
    }

    fn sleeper(done: [bool; 5]) -> Vec<Progress> {
        let names = ["nap", "count", "wake", "sum", "join"];
        names
            .iter()
            .zip(done)
            .enumerate()
            .map(|(i, (name, done))| {
                let level = if i < 3 { Level::Core } else { Level::Stretch };
                progress(name, level, done)
            })
            .collect()
    }

    #[test]
    fn the_summary_counts_core_and_stretch_apart() {
        let ladder = sleeper([true, true, false, false, false]);
        assert_eq!(
            summary("sleeper", &ladder),
            "sleeper: 2 of 3 core exercises done · stretch 0 of 2"
        );
        let only_core = vec![progress("a", Level::Core, false)];
        assert_eq!(summary("x", &only_core), "x: 0 of 1 core exercises done");
    }

    #[test]
    fn next_is_the_first_unfinished_core_exercise_of_any_lesson() {
        let untouched = sleeper([false; 5]);
        assert_eq!(next_exercise(&[&untouched]), Some((0, 0)));
        let core_done = sleeper([true, true, true, false, false]);
        let later = sleeper([true, false, false, false, false]);
        assert_eq!(
            next_exercise(&[&core_done, &later]),
            Some((1, 1)),
            "the next lesson's core before this lesson's stretch"
        );
        assert_eq!(next_exercise(&[&core_done]), Some((0, 3)), "then stretch");
        assert_eq!(next_exercise(&[&sleeper([true; 5])]), None);
    }

    #[test]
    fn a_lesson_whose_core_is_done_says_so_and_names_the_stretch() {
        assert_eq!(
            core_done_note("sleeper", &sleeper([true, true, false, false, false])),
            None
        );
        assert_eq!(
            core_done_note("sleeper", &sleeper([true, true, true, false, true])).as_deref(),
            Some("sleeper: every core exercise passes. Stretch, when you want more: `sum`.")
        );
        assert_eq!(
            core_done_note("sleeper", &sleeper([true; 5])).as_deref(),
            Some("sleeper: every core exercise passes, and every stretch one.")
        );
    }

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
