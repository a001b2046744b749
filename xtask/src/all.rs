//! `cargo xtask all [--quick] [--compare-python] [--pause]`: every lesson
//! in teaching order, for the room, then a summary table (lesson, result,
//! wall time).
//!
//! With `--pause` each lesson waits for Enter after every section; q stops
//! the whole run, and the summary says what ran. Ctrl-C stops it too: the
//! summary so far, the interrupted lesson marked, and exit code 130.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use workshop::{Table, exit, suggest, units};

use crate::failure::{CommandResult, Failure};
use crate::launch::{self, Ended};
use crate::lessons::{self, LessonCrate};
use crate::{interrupt, options};

/// What `all` takes; each but `--pause` goes on to every lesson as it is.
const ALL_FLAGS: [&str; 3] = ["--quick", "--compare-python", "--pause"];

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let flags = flags(args)?;
    let has = |flag: &str| flags.contains(&flag);
    let pause = has("--pause") && std::io::stdin().is_terminal();
    if has("--pause") && !pause {
        eprintln!("note: --pause is ignored: stdin is not a terminal, so nobody can press Enter");
    }
    let mut lesson_args: Vec<String> = flags
        .iter()
        .filter(|&&flag| flag != "--pause")
        .map(|flag| flag.to_string())
        .collect();
    if pause {
        lesson_args.extend(["--pause".to_owned(), "--more-follow".to_owned()]);
    }
    lesson_args.extend(options::color_for_lessons());
    // With --pause the room sets the pace: only each lesson's own watchdog,
    // which does not count the pauses, limits it.
    let limit = (!pause).then(|| launch::limit(has("--quick")));
    let lessons = lessons::all()?;
    let binaries = launch::build(&lessons)?;
    interrupt::catch();
    let mut results = Vec::new();
    for (lesson, binary) in lessons.iter().zip(&binaries) {
        let start = Instant::now();
        let ended = launch::run(binary, &lesson_args, limit)?;
        let done = matches!(ended, Ended::Interrupted) || ended.stopped();
        results.push((lesson, ended, start.elapsed()));
        if done {
            break;
        }
        say("");
    }
    say("");
    print_summary(&lessons, &results)
}

/// The flags given, each once, or a usage error.
fn flags(args: &[String]) -> Result<Vec<&'static str>, Failure> {
    let mut flags = Vec::new();
    for arg in args {
        match ALL_FLAGS.iter().find(|flag| *flag == arg) {
            Some(flag) if !flags.contains(flag) => flags.push(*flag),
            Some(_) => return Err(Failure::Usage(format!("`all` was given {arg} twice"))),
            None => {
                return Err(Failure::Usage(format!(
                    "`all` takes --quick, --compare-python, --pause and --color, not `{arg}`{}",
                    suggest::hint(arg, ALL_FLAGS)
                )));
            }
        }
    }
    Ok(flags)
}

/// The summary table, and the exit code: 0 when every lesson ran (or the
/// room stopped the run at a pause), 130 after Ctrl-C, 1 otherwise.
fn print_summary(
    lessons: &[LessonCrate],
    results: &[(&LessonCrate, Ended, std::time::Duration)],
) -> CommandResult {
    say(&workshop::text::ruled("Summary", '━'));
    let (text, outcome) = summary(lessons, results);
    say(text.trim_end());
    Ok(match outcome {
        Outcome::AllRan | Outcome::Stopped => ExitCode::SUCCESS,
        Outcome::Interrupted => exit::code(exit::INTERRUPTED),
        Outcome::Failed => ExitCode::FAILURE,
    })
}

/// How the run as a whole ended.
#[derive(Debug, PartialEq)]
enum Outcome {
    AllRan,
    Stopped,
    Interrupted,
    Failed,
}

/// The table (lessons that did not run marked so) and its closing line.
fn summary(
    lessons: &[LessonCrate],
    results: &[(&LessonCrate, Ended, std::time::Duration)],
) -> (String, Outcome) {
    let mut table = Table::new(["lesson", "result", "wall time"]);
    for (lesson, ended, wall) in results {
        table.push([
            lesson.folder.clone(),
            ended.describe(),
            units::duration(*wall),
        ]);
    }
    for lesson in &lessons[results.len()..] {
        table.push([lesson.folder.as_str(), "not run", "-"]);
    }
    let failed = results.iter().filter(|(_, ended, _)| !ended.ok()).count();
    let last = results.last().map(|(_, ended, _)| ended);
    let (closing, outcome) = match last {
        Some(Ended::Interrupted) => (
            format!(
                "Interrupted (Ctrl-C) in lesson {} of {}.",
                results.len(),
                lessons.len()
            ),
            Outcome::Interrupted,
        ),
        Some(ended) if ended.stopped() => (
            format!(
                "Stopped at a pause in lesson {} of {}, as asked.",
                results.len(),
                lessons.len()
            ),
            Outcome::Stopped,
        ),
        _ if failed == 0 => (
            format!("All {} lessons ran.", lessons.len()),
            Outcome::AllRan,
        ),
        _ => (
            format!(
                "{failed} of {} lessons did not finish cleanly.",
                lessons.len()
            ),
            Outcome::Failed,
        ),
    };
    (format!("{}{closing}\n", table.render()), outcome)
}

/// Prints a line; if stdout is closed (`| head`), there is no one left to
/// tell the summary to, and xtask ends quietly.
fn say(line: &str) {
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        workshop::process::exit_now(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::time::Duration;

    fn lesson(folder: &str) -> LessonCrate {
        LessonCrate {
            folder: folder.into(),
            topic: folder[3..].into(),
            package: folder[3..].into(),
            description: String::new(),
            dir: PathBuf::new(),
        }
    }

    /// A process that exited with `code`, as each platform encodes it.
    fn exited(code: i32) -> Ended {
        #[cfg(unix)]
        let status = {
            use std::os::unix::process::ExitStatusExt;
            std::process::ExitStatus::from_raw(code << 8)
        };
        #[cfg(windows)]
        let status = {
            use std::os::windows::process::ExitStatusExt;
            std::process::ExitStatus::from_raw(code as u32)
        };
        Ended::Finished(status)
    }

    #[test]
    fn an_interrupted_run_marks_the_lesson_and_those_not_run() {
        let lessons = [
            lesson("01-sleeper"),
            lesson("02-refcounting"),
            lesson("03-gil"),
        ];
        let results = [
            (&lessons[0], exited(0), Duration::from_secs(11)),
            (&lessons[1], Ended::Interrupted, Duration::from_secs(1)),
        ];
        let (text, outcome) = summary(&lessons, &results);
        assert_eq!(outcome, Outcome::Interrupted);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[2], "  01-sleeper      ok                       11.0 s");
        assert_eq!(rows[3], "  02-refcounting  interrupted (Ctrl-C)     1.00 s");
        assert_eq!(rows[4], "  03-gil          not run                       -");
        assert_eq!(rows[5], "Interrupted (Ctrl-C) in lesson 2 of 3.");
    }

    #[test]
    fn a_stop_at_a_pause_is_clean() {
        let lessons = [lesson("01-sleeper"), lesson("02-refcounting")];
        let results = [(
            &lessons[0],
            exited(i32::from(exit::STOPPED)),
            Duration::from_secs(3),
        )];
        let (text, outcome) = summary(&lessons, &results);
        assert_eq!(outcome, Outcome::Stopped);
        assert!(text.contains("stopped at a pause (q)"), "{text}");
        assert!(text.ends_with("Stopped at a pause in lesson 1 of 2, as asked.\n"));
        let widest = (0..6)
            .map(|i| lesson(&format!("0{i}-refcounting")))
            .collect::<Vec<_>>();
        let worst: Vec<_> = widest
            .iter()
            .map(|l| {
                (
                    l,
                    Ended::KilledAfter(Duration::from_secs(900)),
                    Duration::from_secs(900),
                )
            })
            .collect();
        let (text, _) = summary(&widest, &worst);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    }

    #[test]
    fn flags_are_checked_with_a_suggestion() {
        let strings = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            flags(&strings(&["--pause", "--quick"])).unwrap(),
            ["--pause", "--quick"]
        );
        let refused = flags(&strings(&["--quik"])).unwrap_err();
        assert_eq!(
            refused.message(),
            "`all` takes --quick, --compare-python, --pause and --color, not `--quik`; did you mean `--quick`?"
        );
        assert!(flags(&strings(&["--quick", "--quick"])).is_err());
    }
}
