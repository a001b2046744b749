//! `cargo xtask all`, `run` and `list`: lessons for the room.
//!
//! Lessons are built once, up front, and then run straight from the target
//! directory as child processes with a time limit: a lesson that deadlocks
//! is killed and reported, and the next one still runs.

use std::path::PathBuf;
use std::process::{Command, ExitCode, ExitStatus};
use std::time::{Duration, Instant};

use workshop::process::wait_with_limit;
use workshop::{Table, units};

use crate::lessons::{self, Lesson};
use crate::{Failure, Outcome, project};

/// The exit code a lesson's own watchdog uses for a section that never ended.
const WATCHDOG_EXIT: i32 = 3;

/// How long one lesson may run.
pub(crate) fn limit(quick: bool) -> Duration {
    if quick {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(15 * 60)
    }
}

/// How a lesson run ended.
enum Ended {
    Finished(ExitStatus),
    KilledAfter(Duration),
}

impl Ended {
    fn ok(&self) -> bool {
        matches!(self, Ended::Finished(status) if status.success())
    }

    fn describe(&self) -> String {
        match self {
            Ended::Finished(status) if status.success() => "ok".to_owned(),
            Ended::Finished(status) if status.code() == Some(WATCHDOG_EXIT) => {
                "deadlock likely (stopped by its watchdog)".to_owned()
            }
            Ended::Finished(status) => match status.code() {
                Some(code) => format!("failed (exit code {code})"),
                None => "killed by a signal".to_owned(),
            },
            Ended::KilledAfter(limit) => {
                format!("deadlock likely: killed after {}", units::duration(*limit))
            }
        }
    }
}

/// What `all` passes on to every lesson.
const ALL_FLAGS: [&str; 2] = ["--quick", "--compare-python"];

/// `cargo xtask all [--quick] [--compare-python]`.
pub fn all(args: &[String]) -> Outcome {
    let mut lesson_args: Vec<&str> = Vec::new();
    for arg in args {
        match ALL_FLAGS.iter().find(|flag| *flag == arg) {
            Some(flag) if !lesson_args.contains(flag) => lesson_args.push(flag),
            _ => {
                return Err(Failure::Usage(format!(
                    "`all` takes only --quick and --compare-python, not `{arg}`"
                )));
            }
        }
    }
    let quick = lesson_args.contains(&"--quick");
    let lessons = lessons::all()?;
    build(&lessons)?;
    let mut summary = Table::new(["lesson", "result", "wall time"]);
    let mut failed = 0;
    for lesson in &lessons {
        let start = Instant::now();
        let ended = run_lesson(lesson, &lesson_args, limit(quick))?;
        failed += usize::from(!ended.ok());
        summary.push([
            lesson.folder.clone(),
            ended.describe(),
            units::duration(start.elapsed()),
        ]);
        println!();
    }
    println!("{}", workshop::text::ruled("Summary", '━'));
    print!("{}", summary.render());
    if failed == 0 {
        println!("All {} lessons ran.", lessons.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{failed} of {} lessons did not finish cleanly.",
            lessons.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// `cargo xtask run LESSON [ARGS...]`: the lesson's exit code is ours.
pub fn one(args: &[String]) -> Outcome {
    let Some((name, lesson_args)) = args.split_first() else {
        let names: Vec<String> = lessons::all()?.into_iter().map(|l| l.package).collect();
        return Err(Failure::Usage(format!(
            "which lesson? one of: {}",
            names.join(", ")
        )));
    };
    let lesson = lessons::find(name)?;
    build(std::slice::from_ref(&lesson))?;
    let quick = lesson_args.iter().any(|a| a == "--quick");
    let lesson_args: Vec<&str> = lesson_args.iter().map(String::as_str).collect();
    match run_lesson(&lesson, &lesson_args, limit(quick))? {
        Ended::Finished(status) => Ok(ExitCode::from(
            status.code().map_or(1, |c| c.clamp(0, 255) as u8),
        )),
        killed @ Ended::KilledAfter(_) => Err(Failure::Broken(format!(
            "{}: {}",
            lesson.package,
            killed.describe()
        ))),
    }
}

/// `cargo xtask list`.
pub fn list() -> Outcome {
    let mut table = Table::new(["lesson", "exercises", "what it covers"]);
    for lesson in lessons::all()? {
        let exercises = lesson
            .exercises()
            .map(|e| e.len().to_string())
            .unwrap_or_else(|_| "-".into());
        table.push([lesson.folder.clone(), exercises, lesson.description.clone()]);
    }
    print!("{}", table.render());
    println!(
        "\nRun one with `cargo xtask run LESSON` (or `cargo run -p LESSON`); check exercises with `cargo xtask check LESSON`."
    );
    Ok(ExitCode::SUCCESS)
}

/// Builds the lessons' binaries with one cargo call, so that compiling is
/// not counted against any lesson's time limit.
pub(crate) fn build(lessons: &[Lesson]) -> Result<(), Failure> {
    let mut cargo = project::cargo();
    cargo.args(["build", "--quiet", "--bins"]);
    for lesson in lessons {
        cargo.args(["--package", &lesson.package]);
    }
    if !cargo.status()?.success() {
        return Err(Failure::Broken(
            "the lessons did not build (cargo's messages are above)".into(),
        ));
    }
    Ok(())
}

/// Where a lesson's binary is built.
pub(crate) fn binary(lesson: &Lesson) -> Result<PathBuf, Failure> {
    let name = format!("{}{}", lesson.package, std::env::consts::EXE_SUFFIX);
    Ok(project::target_dir()?.join("debug").join(name))
}

/// Runs a lesson with live output; kills it past `limit`.
fn run_lesson(lesson: &Lesson, args: &[&str], limit: Duration) -> Result<Ended, Failure> {
    let mut child = Command::new(binary(lesson)?)
        .args(args)
        .current_dir(project::root())
        .spawn()?;
    Ok(match wait_with_limit(&mut child, limit)? {
        Some(status) => Ended::Finished(status),
        None => Ended::KilledAfter(limit),
    })
}
