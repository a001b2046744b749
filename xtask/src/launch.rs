//! Lessons as child processes, for `cargo xtask all` and `run`: built once,
//! up front, then run straight from where cargo put them, each with a time
//! limit, so that a lesson that deadlocks is killed and reported and the
//! next one still runs.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

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
    /// Ctrl-C ended it (see [`crate::interrupt`]).
    Interrupted,
}

impl Ended {
    /// It finished with success.
    pub fn ok(&self) -> bool {
        matches!(self, Ended::Finished(status) if status.success())
    }

    /// The person at the keyboard stopped it at a `--pause` prompt.
    pub fn stopped(&self) -> bool {
        matches!(self, Ended::Finished(status) if status.code() == Some(i32::from(exit::STOPPED)))
    }

    /// One cell of the summary table.
    pub fn describe(&self) -> String {
        match self {
            Ended::Finished(status) if status.success() => "ok".to_owned(),
            Ended::Finished(status) if status.code() == Some(i32::from(exit::DEADLOCK)) => {
                "deadlock likely (stopped by its watchdog)".to_owned()
            }
            _ if self.stopped() => "stopped at a pause (q)".to_owned(),
            Ended::Interrupted => "interrupted (Ctrl-C)".to_owned(),
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
///
/// It says so first, and cargo's own progress (its bar on a terminal, a
/// line per crate compiled) goes to stderr as cargo writes it: a first
/// build takes a minute, which must not look like a hang.
pub fn build(lessons: &[LessonCrate]) -> Result<Vec<PathBuf>, Failure> {
    let what = match lessons {
        [one] => format!("lesson {}", one.package),
        _ => "the lessons".to_owned(),
    };
    eprintln!("Building {what} (cargo build)…");
    let mut cargo = project::cargo();
    cargo.args([
        "build",
        "--bins",
        "--message-format=json-render-diagnostics",
    ]);
    for lesson in lessons {
        cargo.args(["--package", &lesson.package]);
    }
    // Progress and diagnostics go to the terminal; the JSON comes back to us.
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

/// Runs a lesson binary with live output; kills it past `limit` (`None`:
/// no limit), or soon after Ctrl-C if it has not ended by itself.
pub fn run(binary: &Path, args: &[String], limit: Option<Duration>) -> Result<Ended, Failure> {
    let mut child = project::spawn(Command::new(binary).args(args).current_dir(project::root()))?;
    let lost = |e: std::io::Error| {
        Failure::Broken(format!("lost track of {}: {e}", project::shown(binary)))
    };
    let start = Instant::now();
    let mut interrupted_at = None;
    loop {
        if let Some(status) = child.try_wait().map_err(lost)? {
            // The terminal sends Ctrl-C to the lesson as well: it may well
            // be gone before xtask looks at its flag.
            let interrupted = interrupted_at.is_some() || crate::interrupt::happened();
            return Ok(match interrupted {
                true => Ended::Interrupted,
                false => Ended::Finished(status),
            });
        }
        if interrupted_at.is_none() && crate::interrupt::happened() {
            interrupted_at = Some(Instant::now());
        }
        // The terminal sent Ctrl-C to the lesson too; if it is still there
        // a moment later, it is stopped.
        if interrupted_at.is_some_and(|at| at.elapsed() > GRACE) {
            child.kill().map_err(lost)?;
            return Ok(Ended::Interrupted);
        }
        if let Some(limit) = limit.filter(|&limit| start.elapsed() >= limit) {
            child.kill().map_err(lost)?;
            return Ok(Ended::KilledAfter(limit));
        }
        std::thread::sleep(POLL);
    }
}

/// How often [`run`] looks at the lesson.
const POLL: Duration = Duration::from_millis(10);
/// How long a lesson has to end by itself after Ctrl-C.
const GRACE: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_lesson_binary_is_named() {
        let missing = project::root().join("target/debug/no-such-lesson");
        let failure = match run(&missing, &[], Some(Duration::from_secs(1))) {
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
