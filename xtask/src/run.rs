//! `cargo xtask run LESSON [ARGS...]`: one lesson, with its own arguments;
//! the lesson's exit code is ours.

use std::process::ExitCode;

use crate::failure::{CommandResult, Failure};
use crate::launch::{self, Ended};
use crate::lessons;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let Some((name, lesson_args)) = args.split_first() else {
        let names: Vec<String> = lessons::all()?.into_iter().map(|l| l.package).collect();
        return Err(Failure::Usage(format!(
            "which lesson? one of: {}",
            names.join(", ")
        )));
    };
    let lesson = lessons::find(name)?;
    let binaries = launch::build(std::slice::from_ref(&lesson))?;
    let quick = lesson_args.iter().any(|a| a == "--quick");
    let lesson_args: Vec<&str> = lesson_args.iter().map(String::as_str).collect();
    match launch::run(&binaries[0], &lesson_args, launch::limit(quick))? {
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
