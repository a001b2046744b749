//! `cargo xtask solution LESSON EXERCISE [--show-anyway]`: the reference
//! solution of an exercise, once the learner's own passes (the exercise's
//! tests run first); before that, only with `--show-anyway`.

use std::process::ExitCode;

use workshop::style::{Colors, Style};

use crate::arguments::Arguments;
use crate::exercise_tests::TestRun;
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, Exercise, LessonCrate};
use crate::project::{self, Place};
use crate::{check, report};

/// The switch that shows a solution before the exercise passes.
const ANYWAY: &str = "--show-anyway";

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let arguments = Arguments::parse("solution", args, &[ANYWAY])?;
    let (lesson, exercise) = arguments.lesson_with_exercise("solution")?;
    let colors = Colors::for_stdout();
    if !arguments.has(ANYWAY) {
        if let Some(why) = not_passing(&lesson, &exercise, colors)? {
            for line in report::indented(&why, "") {
                println!("{line}");
            }
            return Ok(ExitCode::FAILURE);
        }
    }
    let Some(code) = solution(&lesson, &exercise.name)? else {
        return Err(Failure::Broken(format!(
            "{} has no heading for `{}`",
            project::shown(&project::path(Place::Solutions(&lesson.dir))),
            exercise.name
        )));
    };
    for line in report::solution_pointer(&lesson, &exercise.name) {
        println!("{}", line.trim_start());
    }
    println!();
    for line in code.lines() {
        println!("{}", colors.paint(line, Style::Dim));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why the solution is not shown yet, if the learner's exercise does not
/// pass (its tests are run to find out).
fn not_passing(
    lesson: &LessonCrate,
    exercise: &Exercise,
    colors: Colors,
) -> Result<Option<String>, Failure> {
    let run = check::test(lesson, Some(&exercise.name), colors)?;
    let state = match &run {
        TestRun::Ran(checked) => match checked.exercise(&exercise.name) {
            Some(progress) if progress.done() => return Ok(None),
            Some(progress) => report::state(progress, Colors::new(false)).1,
            None => "no tests found".to_owned(),
        },
        TestRun::DidNotBuild(_) => "your code does not compile".to_owned(),
        TestRun::Cancelled => return Err(Failure::Broken("the check was cancelled".into())),
    };
    let (package, name) = (&lesson.package, &exercise.name);
    Ok(Some(format!(
        "Your `{name}` does not pass yet ({state}): `cargo xtask check {package}` shows what \
         fails, and `cargo xtask hint {package} {name}` gives a hint. To see the reference \
         solution anyway: `cargo xtask solution {package} {name} {ANYWAY}`."
    )))
}

/// The text of an exercise's reference solution: from its heading to the
/// next one, without the blank lines at the end.
pub fn solution(lesson: &LessonCrate, exercise: &str) -> Result<Option<String>, Failure> {
    let source = project::read(&project::path(Place::Solutions(&lesson.dir)))?;
    let Some((_, range)) = lessons::regions(&source)
        .into_iter()
        .find(|(e, _)| e.name == exercise)
    else {
        return Ok(None);
    };
    let lines: Vec<&str> = source.lines().collect();
    Ok(Some(lines[range].join("\n").trim_end().to_owned()))
}
