//! `cargo xtask reset LESSON EXERCISE [--yes]`: puts back one exercise's
//! stub as shipped, and leaves the learner's other answers alone.
//!
//! The stub comes from the repository itself: the newest version of the
//! exercises file in git whose copy of that exercise still has its
//! `todo!()` (the one checked out, unless the learner committed answers).
//! An exercise runs from its heading to the next one, in the learner's file
//! and in git's copy alike; only those lines are replaced. On a terminal it
//! asks first; elsewhere it needs `--yes`. It says what it replaced, and
//! prints the code it took out.

use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::process::ExitCode;

use crate::arguments::Arguments;
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, Exercise, LessonCrate};
use crate::{project, report, terminal};

/// The switch that skips the question.
const YES: &str = "--yes";

/// How far back in git's history to look for the stub.
const HISTORY: usize = 200;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let arguments = Arguments::parse("reset", args, &[YES])?;
    let (lesson, exercise) = arguments.lesson_with_exercise("reset")?;
    let path = lesson.exercises_file();
    let file = project::shown(&path);
    let current = project::read(&path)?;
    let mine = region(&current, &exercise.name).ok_or_else(|| no_heading(&file, &exercise))?;
    let (revision, stub) = shipped_stub(&lesson, &exercise)?;
    let newline = if current.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let old: Vec<&str> = current.lines().collect();
    if old[mine.clone()].join("\n") == stub.join("\n") {
        println!(
            "`{}` is already as shipped: nothing to reset.",
            exercise.name
        );
        return Ok(ExitCode::SUCCESS);
    }
    let lines = format!("lines {}–{}", mine.start + 1, mine.end);
    if !arguments.has(YES) && !confirmed(&exercise, &lines, &file)? {
        println!("Nothing changed.");
        return Ok(ExitCode::FAILURE);
    }
    let mut new: Vec<&str> = old[..mine.start].to_vec();
    new.extend(stub.iter().map(String::as_str));
    new.extend(&old[mine.end..]);
    let mut text = new.join(newline);
    if current.ends_with('\n') {
        text.push_str(newline);
    }
    project::write(&path, &text)?;
    let said = format!(
        "Reset `{}`: replaced {lines} of {file} (your code) with its stub as shipped \
         (git {revision}); your other exercises are as they were. It starts again at \
         {}. What was there:",
        exercise.name,
        report::place(&lesson, &exercise),
    );
    for line in report::indented(&said, "") {
        println!("{line}");
    }
    println!();
    for line in &old[mine] {
        println!("    {line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The lines of an exercise in a source file.
fn region(source: &str, exercise: &str) -> Option<Range<usize>> {
    lessons::regions(source)
        .into_iter()
        .find(|(e, _)| e.name == exercise)
        .map(|(_, lines)| lines)
}

fn no_heading(file: &str, exercise: &Exercise) -> Failure {
    Failure::Broken(format!(
        "{file} has no heading `/// # Exercise {}: `{}``; put it back above the exercise",
        exercise.number, exercise.name
    ))
}

/// The exercise as shipped: the newest version in git whose copy of it
/// still has a `todo!()`, and which commit that is.
fn shipped_stub(
    lesson: &LessonCrate,
    exercise: &Exercise,
) -> Result<(String, Vec<String>), Failure> {
    let path = lesson.exercises_file();
    let revisions = std::iter::once(Ok("HEAD".to_owned()))
        .chain(project::git_history(&path, HISTORY)?.into_iter().map(Ok));
    for revision in revisions {
        let revision: String = revision?;
        let Ok(source) = project::git_show(&revision, &path) else {
            continue;
        };
        let Some(lines) = region(&source, &exercise.name) else {
            continue;
        };
        let stub: Vec<String> =
            source.lines().map(str::to_owned).collect::<Vec<_>>()[lines].to_vec();
        if stub.iter().any(|l| l.contains("todo!(")) {
            return Ok((revision, stub));
        }
    }
    Err(Failure::Broken(format!(
        "git has no version of {} with `{}` as a stub to put back",
        project::shown(&path),
        exercise.name
    )))
}

/// Asks on the terminal; without one, the learner must say `--yes`.
fn confirmed(exercise: &Exercise, lines: &str, file: &str) -> Result<bool, Failure> {
    if !terminal::someone_can_answer() {
        return Err(Failure::Usage(format!(
            "reset replaces your code: run it in a terminal to confirm, or add {YES}"
        )));
    }
    let question = format!(
        "Replace your `{}` ({lines} of {file}) with its stub as shipped? Your other \
         exercises stay as they are. [y/N]",
        exercise.name
    );
    let mut question = report::indented(&question, "").join("\n");
    question.push(' ');
    print!("{question}");
    let _ = io::stdout().flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::Broken(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
