//! Lessons as child processes, for `cargo xtask all` and `run`: built once,
//! up front, then run straight from where cargo put them, each with a time
//! limit, so that a lesson that deadlocks is killed and reported and the
//! next one still runs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

use workshop::process::wait_with_limit;
use workshop::{exit, units};

use crate::failure::Failure;
use crate::lessons::LessonCrate;
use crate::project;

/// How long one lesson may run.
pub fn limit(quick: bool) -> Duration {
    if quick {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(15 * 60)
    }
}

/// How a lesson run ended.
pub enum Ended {
    /// It exited by itself.
    Finished(ExitStatus),
    /// It was still running at its limit, and was killed.
    KilledAfter(Duration),
}

impl Ended {
    /// It finished with success.
    pub fn ok(&self) -> bool {
        matches!(self, Ended::Finished(status) if status.success())
    }

    /// One cell of the summary table.
    pub fn describe(&self) -> String {
        match self {
            Ended::Finished(status) if status.success() => "ok".to_owned(),
            Ended::Finished(status) if status.code() == Some(i32::from(exit::DEADLOCK)) => {
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

/// Builds the lessons' binaries with one cargo call, so that compiling is
/// not counted against any lesson's time limit, and returns each lesson's
/// binary as cargo reported it (which honours `--target`, `build.target`
/// and `CARGO_TARGET_DIR`).
pub fn build(lessons: &[LessonCrate]) -> Result<Vec<PathBuf>, Failure> {
    let mut cargo = project::cargo();
    cargo.args([
        "build",
        "--quiet",
        "--bins",
        "--message-format=json-render-diagnostics",
    ]);
    for lesson in lessons {
        cargo.args(["--package", &lesson.package]);
    }
    // Diagnostics go to the terminal; the JSON comes back to us.
    let built = project::output(cargo.stderr(std::process::Stdio::inherit()))?;
    if !built.status.success() {
        return Err(Failure::Broken(
            "the lessons did not build (cargo's messages are above)".into(),
        ));
    }
    let executables = project::executables(&String::from_utf8_lossy(&built.stdout));
    lessons
        .iter()
        .map(|lesson| binary_of(lesson, &executables))
        .collect()
}

/// The lesson's binary among the executables cargo built.
fn binary_of(lesson: &LessonCrate, executables: &[PathBuf]) -> Result<PathBuf, Failure> {
    let is_lesson = |exe: &&PathBuf| {
        exe.file_stem()
            .is_some_and(|stem| stem == lesson.package.as_str())
    };
    executables.iter().find(is_lesson).cloned().ok_or_else(|| {
        Failure::Broken(format!(
            "cargo built no binary `{}` (was src/main.rs removed?)",
            lesson.package
        ))
    })
}

/// Runs a lesson binary with live output; kills it past `limit`.
pub fn run(binary: &Path, args: &[&str], limit: Duration) -> Result<Ended, Failure> {
    let mut child = project::spawn(Command::new(binary).args(args).current_dir(project::root()))?;
    let waited = wait_with_limit(&mut child, limit)
        .map_err(|e| Failure::Broken(format!("lost track of {}: {e}", project::shown(binary))))?;
    Ok(match waited {
        Some(status) => Ended::Finished(status),
        None => Ended::KilledAfter(limit),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_lesson_binary_is_named() {
        let missing = project::root().join("target/debug/no-such-lesson");
        let failure = match run(&missing, &[], Duration::from_secs(1)) {
            Err(failure) => failure,
            Ok(_) => panic!("a missing binary ran"),
        };
        assert!(
            failure.message().contains("target/debug/no-such-lesson"),
            "{failure:?}"
        );
    }

    #[test]
    fn a_lesson_is_found_among_the_executables_by_name() {
        let lesson = LessonCrate {
            folder: "01-sleeper".into(),
            topic: "sleeper".into(),
            package: "sleeper".into(),
            description: String::new(),
            dir: PathBuf::new(),
        };
        let built = [
            PathBuf::from("/t/debug/gil"),
            PathBuf::from("/t/debug/sleeper"),
        ];
        assert_eq!(binary_of(&lesson, &built).unwrap(), built[1]);
        assert!(binary_of(&lesson, &built[..1]).is_err());
    }
}
