//! `cargo xtask hint LESSON [EXERCISE]`: an exercise's hint, without
//! failing first. Without an exercise, the check runs first, to find the
//! one to work on (the first unfinished core exercise).

use std::process::ExitCode;

use workshop::style::Colors;

use crate::arguments::Arguments;
use crate::exercise_tests::TestRun;
use crate::failure::{CommandResult, Failure};
use crate::{check, project, report};

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let arguments = Arguments::parse("hint", args, &[])?;
    let (lesson, exercise) = arguments.lesson_and_exercise("hint")?;
    let colors = Colors::for_stdout();
    let exercise = match exercise {
        Some(exercise) => exercise,
        None => match check::test(&lesson, None, colors)? {
            TestRun::Ran(checked) => match checked.next() {
                Some(next) => next.exercise.clone(),
                None => {
                    println!(
                        "Every exercise of {} passes. `cargo xtask hint {} EXERCISE` shows any one's hint.",
                        lesson.package, lesson.package
                    );
                    return Ok(ExitCode::SUCCESS);
                }
            },
            TestRun::DidNotBuild(_) => {
                return Err(Failure::Broken(format!(
                    "{} does not compile, so which exercise is next is unknown: name one",
                    project::shown(&lesson.exercises_file())
                )));
            }
            TestRun::Cancelled => return Err(Failure::Broken("the check was cancelled".into())),
        },
    };
    println!(
        "Exercise {}, `{}`, at {}",
        exercise.number,
        exercise.name,
        report::place(&lesson, &exercise)
    );
    for line in report::hint(&lesson, &exercise.name, colors) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
