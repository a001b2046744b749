//! Running a lesson: live on stdout (`cargo run -p`, `cargo xtask all`),
//! or into a string for the snapshot tests. Both print each section the
//! same way ([`run_section`]): a heading, a short explanation, the Python
//! idiom beside its Rust counterpart, then the demonstration.
//!
//! A live run is guarded by a watchdog: a section that runs far too long (a
//! deadlock) ends the process with [`exit::DEADLOCK`] instead of hanging
//! the room. Every other way a run can fail is a [`RunError`], which
//! [`cli`](crate::cli) turns into an exit code.

use std::fmt;
use std::io::IsTerminal;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

use crate::exit;
use crate::lesson::{Ctx, Lesson, Outcome, Section};
use crate::out::{Out, Pictures};
use crate::settings::Settings;
use crate::speakers::narrate_on_this_thread;
use crate::style::{Colors, Style};
use crate::text::{compare, reflow, ruled};
use crate::time::Scale;

/// Why a lesson run did not finish.
#[derive(Debug, PartialEq)]
pub enum RunError {
    /// A section was asked for that the lesson does not have: bad input.
    NoSuchSection(String),
    /// A section returned an error or panicked.
    SectionFailed {
        /// The lesson's name.
        lesson: &'static str,
        /// The section's name.
        section: &'static str,
        /// What went wrong, in one line.
        why: String,
    },
}

impl RunError {
    /// The process's exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::NoSuchSection(_) => exit::USAGE,
            RunError::SectionFailed { .. } => exit::FAILED,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::NoSuchSection(message) => f.write_str(message),
            RunError::SectionFailed {
                lesson,
                section,
                why,
            } => write!(f, "section `{section}` of lesson {lesson} failed: {why}"),
        }
    }
}

impl std::error::Error for RunError {}

/// The banner a full run starts with (title, introduction), as text.
pub fn banner(lesson: &Lesson, settings: &Settings) -> String {
    let out = Out::capture_values(settings.values);
    print_banner(lesson, &out, settings);
    out.captured()
}

/// The recap a full run ends with, as text.
pub fn recap(lesson: &Lesson) -> String {
    let out = Out::capture(true);
    print_recap(lesson, &out);
    out.captured()
}

/// Runs the lesson (or the sections `settings` names) into a string, the
/// way the snapshot tests see it.
pub fn transcript(lesson: &'static Lesson, settings: &Settings) -> Result<String, RunError> {
    let out = Out::capture_values(settings.values);
    let _narrator = narrate_on_this_thread();
    let sections = selected(lesson, settings)?;
    print_banner(lesson, &out, settings);
    for (number, section) in sections {
        run_section(lesson, number, section, &out, settings)
            .map_err(|e| failed(lesson, section, e.to_string()))?;
    }
    crate::python::note_if_none_ran(&out, settings);
    if settings.sections.is_empty() {
        print_recap(lesson, &out);
    }
    Ok(out.captured())
}

/// How a live run ended, when it did not fail.
#[derive(Debug, PartialEq)]
pub enum Ran {
    /// Every section asked for ran.
    Through,
    /// The person at the keyboard stopped it at a `--pause` prompt.
    Stopped,
}

/// Runs the lesson on stdout, the way `cargo run -p` does. A panic in a
/// section is reported by the panic hook in one line and ends the run; a
/// section that runs past its limit ends the process (see the module docs).
///
/// With `--pause`, the run waits for Enter after each section (after the
/// last only if more lessons follow), so that an instructor can talk over
/// it; q then Enter stops it. Only when stdin is a terminal: otherwise
/// nobody could press Enter, and a note on stderr says it is ignored.
pub fn run_live(lesson: &'static Lesson, settings: &Settings) -> Result<Ran, RunError> {
    let out = Out::stdout(Colors::for_stdout().on());
    let _narrator = narrate_on_this_thread();
    let sections = selected(lesson, settings)?;
    let pause = settings.pause && std::io::stdin().is_terminal();
    if settings.pause && !pause {
        eprintln!("note: --pause is ignored: stdin is not a terminal, so nobody can press Enter");
    }
    print_banner(lesson, &out, settings);
    let watchdog = Watchdog::start(lesson.name, section_limit(settings), give_up);
    let total = sections.len();
    for (done, (number, section)) in (1..).zip(sections) {
        watchdog.entering(section.name);
        let run = catch_unwind(AssertUnwindSafe(|| {
            run_section(lesson, number, section, &out, settings)
        }));
        match run {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return Err(failed(lesson, section, error.to_string())),
            Err(_) => {
                let why = "it panicked (see the line above)".to_owned();
                return Err(failed(lesson, section, why));
            }
        }
        if pause && done < total {
            // Waiting for the instructor is not a deadlock.
            watchdog.entering(PAUSED);
            if !wait_for_enter("next section") {
                out.line(out.style(
                    &format!("Stopped after {done} of {total} sections, as asked."),
                    Style::Dim,
                ));
                return Ok(Ran::Stopped);
            }
        }
    }
    crate::python::note_if_none_ran(&out, settings);
    if settings.sections.is_empty() {
        print_recap(lesson, &out);
    }
    if pause && settings.more_follow {
        watchdog.entering(PAUSED);
        if !wait_for_enter("next lesson") {
            return Ok(Ran::Stopped);
        }
    }
    Ok(Ran::Through)
}

/// What the watchdog is told while the run waits at a `--pause` prompt.
const PAUSED: &str = "";

/// The `--pause` prompt, on stderr so that it stays out of a piped
/// transcript: true for Enter, false for q (or the end of the input).
fn wait_for_enter(next: &str) -> bool {
    let colors = Colors::for_stream(&std::io::stderr());
    let prompt = format!("  ⏸ Enter: {next} · q, Enter: stop ");
    eprint!("{}", colors.paint(&prompt, Style::Dim));
    let mut answer = String::new();
    match std::io::stdin().read_line(&mut answer) {
        Ok(0) | Err(_) => false,
        Ok(_) => !answer.trim().eq_ignore_ascii_case("q"),
    }
}

fn failed(lesson: &'static Lesson, section: &'static Section, why: String) -> RunError {
    RunError::SectionFailed {
        lesson: lesson.name,
        section: section.name,
        why,
    }
}

/// Prints one section: heading, explanation, Python beside Rust, then the
/// demonstration. `number` counts from 1.
pub fn run_section(
    lesson: &Lesson,
    number: usize,
    section: &Section,
    out: &Out,
    settings: &Settings,
) -> Outcome {
    let count = lesson.sections.len();
    let heading = ruled(
        &format!("{number}/{count} {} [{}]", section.title, section.name),
        '─',
    );
    out.line(out.style(&heading, Style::Heading));
    out.blank();
    out.line(reflow(section.explain));
    out.blank();
    out.line(compare(section.python, section.rust));
    out.blank();
    out.start_section(settings.pictures.as_ref().map(|dir| Pictures {
        dir: dir.clone(),
        lesson: lesson.name,
        section: section.name,
        title: section.title,
        quick: settings.quick,
        drawn: 0,
    }));
    (section.run)(&Ctx::new(out.clone(), settings))?;
    out.blank();
    Ok(())
}

fn print_recap(lesson: &Lesson, out: &Out) {
    let heading = format!(
        "Recap · lesson {} · {}",
        lesson.folder_number(),
        lesson.name
    );
    out.line(out.style(&ruled(&heading, '━'), Style::Heading));
    out.blank();
    out.line(reflow(lesson.recap));
    out.blank();
}

fn print_banner(lesson: &Lesson, out: &Out, settings: &Settings) {
    out.line(out.style(&ruled(&lesson.heading(), '━'), Style::Heading));
    if settings.sections.is_empty() {
        out.blank();
        out.line(reflow(lesson.intro));
    }
    if settings.quick || settings.scale != Scale::REAL {
        let factor = settings.scale.factor();
        let sleeps = if factor < 1.0 {
            format!("sleeps are {}× shorter", 1.0 / factor)
        } else {
            format!("sleeps are {factor}× as long")
        };
        let workloads = if settings.quick {
            " and workloads smaller"
        } else {
            ""
        };
        out.line(out.style(
            &format!("({sleeps}{workloads} than in a full run)"),
            Style::Dim,
        ));
    }
    out.blank();
}

/// The sections to run, with their 1-based numbers.
fn selected(
    lesson: &'static Lesson,
    settings: &Settings,
) -> Result<Vec<(usize, &'static Section)>, RunError> {
    if settings.sections.is_empty() {
        return Ok((1..).zip(lesson.sections).collect());
    }
    settings
        .sections
        .iter()
        .map(|wanted| lesson.find_section(wanted).map_err(RunError::NoSuchSection))
        .collect()
}

/// How long one section may run before the lesson gives up on it.
fn section_limit(settings: &Settings) -> Duration {
    if settings.quick {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(300)
    }
}

/// Ends the process if a section runs past its limit: a learner's deadlock
/// must become a clear message, not a frozen projector.
struct Watchdog {
    entered: mpsc::Sender<&'static str>,
}

impl Watchdog {
    /// Watches sections announced with [`Watchdog::entering`]; when one runs
    /// past `limit`, calls `stuck` with a message saying where. The lesson
    /// binary passes [`give_up`].
    fn start(lesson: &'static str, limit: Duration, stuck: fn(String)) -> Self {
        let (entered, sections) = mpsc::channel::<&'static str>();
        let watch = move || {
            let mut current = "";
            loop {
                // At a --pause prompt there is no limit: wait for the next
                // section.
                let next = if current == PAUSED {
                    sections
                        .recv()
                        .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
                } else {
                    sections.recv_timeout(limit)
                };
                match next {
                    Ok(section) => current = section,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        let seconds = crate::units::duration(limit);
                        return stuck(format!(
                            "deadlock likely in lesson {lesson}, section `{current}`: still running after {seconds}"
                        ));
                    }
                }
            }
        };
        // If the watchdog cannot start, the lesson still runs, unguarded.
        let _ = std::thread::Builder::new()
            .name("watchdog".into())
            .spawn(watch);
        Watchdog { entered }
    }

    /// A section starts, or with [`PAUSED`], the run waits at a prompt.
    fn entering(&self, section: &'static str) {
        let _ = self.entered.send(section);
    }
}

/// What the live lesson does about a stuck section: say so and exit with
/// [`exit::DEADLOCK`].
fn give_up(message: String) {
    crate::out::erase_progress();
    eprintln!("error: {message}");
    crate::process::exit_now(i32::from(exit::DEADLOCK));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static REPORTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

    fn remember(message: String) {
        REPORTS.lock().unwrap().push(message);
    }

    #[test]
    fn the_watchdog_names_the_stuck_section() {
        let watchdog = Watchdog::start("demo", Duration::from_millis(100), remember);
        watchdog.entering("fast");
        std::thread::sleep(Duration::from_millis(20));
        watchdog.entering("stuck");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while REPORTS.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let reports = REPORTS.lock().unwrap();
        assert_eq!(
            reports.as_slice(),
            ["deadlock likely in lesson demo, section `stuck`: still running after 100 ms"]
        );
    }
}
