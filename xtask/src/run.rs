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
    let has = |flag: &str| lesson_args.iter().any(|a| a == flag);
    // With --pause the room sets the pace; the lesson's own watchdog still
    // guards every section.
    let limit = (!has("--pause")).then(|| launch::limit(has("--quick")));
    let mut lesson_args = lesson_args.to_vec();
    lesson_args.extend(crate::options::color_for_lessons());
    match launch::run(&binaries[0], &lesson_args, limit)? {
        Ended::Finished(status) => Ok(ExitCode::from(
            status.code().map_or(1, |c| c.clamp(0, 255) as u8),
        )),
        killed @ (Ended::KilledAfter(_) | Ended::Interrupted) => Err(Failure::Broken(format!(
            "{}: {}",
            lesson.package,
            killed.describe()
        ))),
    }
}
