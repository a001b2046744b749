//! `cargo xtask check [LESSON]`: the learner's command.
//!
//! Runs each lesson's exercise tests against the learner's own
//! `src/exercises.rs` (through [`crate::exercise_tests`]), then Miri and
//! loom on the exercises that pass ([`crate::deep_checks`]), then shows each
//! lesson's progress bar and a line per exercise with the compiler's
//! warnings about its code under it, and, for the exercise to work on next
//! (the first unfinished core exercise of any lesson, then stretch), where
//! it is, what failed and the hint (all laid out by [`crate::report`], as
//! `watch` shows them).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use workshop::style::{Colors, Style};

use crate::arguments::Arguments;
use crate::exercise_tests::{self, Against, Checked, Options, Progress, Stage, TestRun};
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, LessonCrate};
use crate::{deep_checks, project, report};

/// How many compile errors the check shows.
const SHOWN_ERRORS: usize = 10;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let arguments = Arguments::parse("check", args, &[])?;
    let lessons = match arguments.positional[..] {
        [] => lessons::all()?,
        [name] => vec![lessons::find(name)?],
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument `{extra}`"))),
    };
    let colors = Colors::for_stdout();
    let mut checked: Vec<(&LessonCrate, Checked)> = Vec::new();
    for lesson in lessons.iter().filter(|l| l.exercises_file().exists()) {
        let file = project::shown(&lesson.exercises_file());
        println!("Checking the {} exercises in {file}…", lesson.package);
        match test(lesson, None, colors)? {
            TestRun::Ran(mut results) => {
                deep_checks::run(
                    lesson,
                    &Against::Learner,
                    &mut results.exercises,
                    &mut |note| {
                        println!("{note}");
                    },
                )?;
                checked.push((lesson, results));
            }
            TestRun::DidNotBuild(failure) => {
                for line in report::build_failure(lesson, &failure, SHOWN_ERRORS) {
                    println!("{line}");
                }
                return Ok(ExitCode::FAILURE);
            }
            TestRun::Cancelled => return Err(Failure::Broken("the check was cancelled".into())),
        }
    }
    let ladders: Vec<&[Progress]> = checked
        .iter()
        .map(|(_, c)| c.exercises.as_slice())
        .collect();
    let next = next_exercise(&ladders);
    for (l, (lesson, results)) in checked.iter().enumerate() {
        let here = next.filter(|&(at, _)| at == l).map(|(_, e)| e);
        show(lesson, results, here, colors);
        println!();
    }
    let Some((l, e)) = next else {
        println!(
            "{}",
            colors.paint("Every exercise passes. Well done!", Style::Good)
        );
        return Ok(ExitCode::SUCCESS);
    };
    let (lesson, results) = &checked[l];
    let next = &results.exercises[e];
    for line in report::next_exercise(lesson, next, colors) {
        println!("{line}");
    }
    println!();
    for line in report::hint(lesson, &next.exercise.name, colors) {
        println!("{line}");
    }
    Ok(ExitCode::FAILURE)
}

/// Where to go next, as (lesson, exercise) indices: the first unfinished
/// core exercise of the lessons in order; once every core exercise passes,
/// the first unfinished stretch one.
pub fn next_exercise(lessons: &[&[Progress]]) -> Option<(usize, usize)> {
    for core in [true, false] {
        for (l, progress) in lessons.iter().enumerate() {
            let found = progress
                .iter()
                .position(|p| p.is_core() == core && !p.done());
            if let Some(e) = found {
                return Some((l, e));
            }
        }
    }
    None
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

/// The report of one lesson: its bar, its exercises (`next`, by index,
/// gets a section of its own after all lessons), and a line once its core
/// is done.
fn show(lesson: &LessonCrate, checked: &Checked, next: Option<usize>, colors: Colors) {
    println!(
        "{}",
        report::progress_bar(lesson, &checked.exercises, colors)
    );
    let name = next.map(|e| checked.exercises[e].exercise.name.as_str());
    for line in report::exercise_list(checked, name, colors) {
        println!("{line}");
    }
    if let Some(note) = report::core_done_note(&lesson.package, &checked.exercises) {
        for line in report::indented(&note, "") {
            println!("{}", colors.paint(&line, Style::Good));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{Exercise, Level};
    use crate::libtest::{Ran, TestResult};

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
                ran: Ran::ToTheEnd,
            }],
            warnings: Vec::new(),
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
}
