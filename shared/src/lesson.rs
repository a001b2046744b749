//! A lesson is an ordered list of sections; this module runs them.
//!
//! Every section prints the same four things: a heading, a short explanation,
//! the Python idiom from the workshop beside its Rust counterpart, and then
//! its demonstration. The binary (`cargo run -p <lesson>`), `cargo xtask all`
//! and the snapshot tests all go through [`Lesson::run_live`] or
//! [`Lesson::transcript`], which share [`Lesson::run_section`].

use std::error::Error;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::str::FromStr;
use std::sync::mpsc;
use std::time::Duration;

use crate::out::{Out, Style, narrate_on_this_thread};
use crate::text::{compare, reflow, ruled};
use crate::time::Scale;

/// What a section's demonstration returns: `Err` ends the lesson with the
/// message (a child process that would not start, an impossible result…).
pub type Outcome = Result<(), Box<dyn Error + Send + Sync>>;

/// A lesson: its name, its sections in teaching order, and any flags of its
/// own. Each lesson crate defines one `pub static LESSON: Lesson`.
pub struct Lesson {
    /// The package name, `env!("CARGO_PKG_NAME")`: `sleeper`.
    pub name: &'static str,
    /// `env!("CARGO_MANIFEST_DIR")`; its last part (`01-sleeper`) numbers
    /// the lesson.
    pub manifest_dir: &'static str,
    /// The title shown at the top: `Threads that sleep`.
    pub title: &'static str,
    /// A paragraph printed under the title when the whole lesson runs.
    pub intro: &'static str,
    /// The sections, in teaching order.
    pub sections: &'static [Section],
    /// Three to five lines printed at the end of a full run: what the lesson
    /// showed, and the rule to remember (reflowed like `intro`).
    pub recap: &'static str,
    /// Command-line flags of this lesson, beyond the common ones.
    pub flags: &'static [Flag],
    /// Modes in which the binary runs as a helper process of the lesson
    /// (`--child NAME`) instead of narrating.
    pub children: &'static [Child],
}

/// One section of a lesson.
pub struct Section {
    /// Short name for `--section`: `start`, `many`, `no-join`.
    pub name: &'static str,
    /// Heading: `Many threads at once`.
    pub title: &'static str,
    /// The explanation, reflowed to the page (see [`reflow`]).
    pub explain: &'static str,
    /// The workshop's Python idiom.
    pub python: &'static str,
    /// Its Rust counterpart. Every line must appear in the lesson's source
    /// (checked by [`crate::testing::check_rust_snippets`]), so it cannot drift.
    pub rust: &'static str,
    /// The demonstration.
    pub run: fn(&Ctx) -> Outcome,
}

/// A command-line flag that one lesson adds, such as `--sleepers N`.
pub struct Flag {
    /// The name without dashes: `sleepers`.
    pub name: &'static str,
    /// The value's placeholder in `--help` (`N`), or `None` for a switch.
    pub value: Option<&'static str>,
    /// One line for `--help`.
    pub help: &'static str,
    /// Validates a value; the error completes "--sleepers …".
    pub check: fn(&str) -> Result<(), String>,
}

/// A helper-process mode of the lesson binary: see [`Ctx::child`].
pub struct Child {
    /// The mode's name, given as `--child NAME`.
    pub name: &'static str,
    /// What the child does; its exit code is the process's.
    pub run: fn(&Settings) -> ExitCode,
}

/// How a lesson runs: set from the command line, or by a test.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `--quick`: shorter sleeps and smaller workloads.
    pub quick: bool,
    /// How much of each sleep is really slept.
    pub scale: Scale,
    /// Replace measured values with placeholders (snapshots).
    pub redact: bool,
    /// Colour the output (a terminal without `NO_COLOR`).
    pub color: bool,
    /// The sections to run, by name; empty runs them all.
    pub sections: Vec<String>,
    /// The lesson's own flags that were given, with their values (`""` for
    /// switches).
    pub flags: Vec<(String, String)>,
    /// The lesson binary, for sections that start it as a child process.
    /// `None` means the running executable, which is right except in tests.
    pub exe: Option<PathBuf>,
}

impl Settings {
    /// A live run at full length.
    pub fn live() -> Self {
        Settings {
            quick: false,
            scale: Scale::REAL,
            redact: false,
            color: false,
            sections: Vec::new(),
            flags: Vec::new(),
            exe: None,
        }
    }

    /// What the snapshot tests use: `--quick`, measured values redacted.
    pub fn snapshot() -> Self {
        Settings {
            quick: true,
            scale: Scale::QUICK,
            redact: true,
            ..Settings::live()
        }
    }

    /// The same settings with `--quick`.
    #[must_use]
    pub fn quick(self) -> Self {
        Settings {
            quick: true,
            scale: Scale::QUICK,
            ..self
        }
    }

    /// The same settings, running only the named section.
    #[must_use]
    pub fn section(mut self, name: &str) -> Self {
        self.sections = vec![name.to_owned()];
        self
    }

    /// The same settings with a lesson flag set.
    #[must_use]
    pub fn flag(mut self, name: &str, value: &str) -> Self {
        self.flags.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The same settings, starting `exe` for child processes. Integration
    /// tests pass `env!("CARGO_BIN_EXE_<lesson>")`.
    #[must_use]
    pub fn exe(self, exe: impl AsRef<Path>) -> Self {
        Settings {
            exe: Some(exe.as_ref().to_owned()),
            ..self
        }
    }

    /// The value of a lesson flag, if it was given (`Some("")` for a switch).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A lesson flag parsed as a number (it was validated when parsed), or
    /// `default` when absent.
    pub fn number<T: FromStr>(&self, name: &str, default: T) -> T {
        self.value(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// The arguments that make a child process run with these settings.
    fn child_args(&self) -> Vec<String> {
        let mut args = vec!["--time-scale".to_owned(), self.scale.factor().to_string()];
        if self.quick {
            args.push("--quick".to_owned());
        }
        for (name, value) in &self.flags {
            args.push(format!("--{name}"));
            if !value.is_empty() {
                args.push(value.clone());
            }
        }
        args
    }
}

/// What a section's demonstration gets: the output and the settings.
pub struct Ctx<'a> {
    /// Where to print; clone it into threads.
    pub out: Out,
    settings: &'a Settings,
}

impl Ctx<'_> {
    /// Whether `--quick` is on: shrink workloads (never change what is shown).
    pub fn quick(&self) -> bool {
        self.settings.quick
    }

    /// The time scale every sleep goes through.
    pub fn scale(&self) -> Scale {
        self.settings.scale
    }

    /// A lesson's nominal `secs` seconds of sleep, scaled.
    pub fn secs(&self, secs: f64) -> Duration {
        self.settings.scale.secs(secs)
    }

    /// The settings the lesson runs with (for a lesson's own flags).
    pub fn settings(&self) -> &Settings {
        self.settings
    }

    /// A command that runs this lesson's binary in a [`Child`] mode with the
    /// same time scale and flags.
    pub fn child(&self, mode: &str) -> Command {
        let exe = match &self.settings.exe {
            Some(exe) => exe.clone(),
            None => std::env::current_exe().unwrap_or_else(|_| PathBuf::from(self_name())),
        };
        let mut command = Command::new(exe);
        command
            .arg("--child")
            .arg(mode)
            .args(self.settings.child_args());
        command
    }
}

fn self_name() -> String {
    std::env::args().next().unwrap_or_default()
}

/// How long one section may run before the lesson gives up on it.
fn section_limit(settings: &Settings) -> Duration {
    if settings.quick {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(300)
    }
}

impl Lesson {
    /// The lesson's folder, `01-sleeper`.
    pub fn folder(&self) -> &str {
        Path::new(self.manifest_dir)
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or(self.name)
    }

    /// The lesson's number in the teaching order, `03`.
    pub fn number(&self) -> &str {
        self.folder().split('-').next().unwrap_or("")
    }

    /// The section with this name or 1-based number.
    pub fn section(&self, name: &str) -> Option<&Section> {
        match name.parse::<usize>() {
            Ok(n) => n.checked_sub(1).and_then(|i| self.sections.get(i)),
            Err(_) => self.sections.iter().find(|s| s.name == name),
        }
    }

    /// The title line: `Lesson 01 · sleeper: Threads that sleep`.
    pub fn heading(&self) -> String {
        format!("Lesson {} · {}: {}", self.number(), self.name, self.title)
    }

    /// The banner a full run starts with (title, introduction), as text.
    pub fn banner(&self, settings: &Settings) -> String {
        let out = Out::capture(settings.redact);
        self.print_banner(&out, settings);
        out.captured()
    }

    /// The recap a full run ends with, as text.
    pub fn closing(&self) -> String {
        let out = Out::capture(true);
        self.print_recap(&out);
        out.captured()
    }

    /// Runs the lesson (or the sections `settings` names) into a string, the
    /// way the snapshot tests see it.
    pub fn transcript(&self, settings: &Settings) -> Result<String, String> {
        let out = Out::capture(settings.redact);
        let _narrator = narrate_on_this_thread();
        self.print_banner(&out, settings);
        for (number, section) in self.selected(settings)? {
            self.run_section(number, section, &out, settings)
                .map_err(|e| {
                    format!(
                        "section `{}` of lesson {} failed: {e}",
                        section.name, self.name
                    )
                })?;
        }
        if settings.sections.is_empty() {
            self.print_recap(&out);
        }
        Ok(out.captured())
    }

    /// Runs the lesson on stdout, the way `cargo run -p` does: a panic is one
    /// line, and a section that runs far too long (a deadlock) ends the
    /// process with exit code 3 instead of hanging the room.
    pub fn run_live(&self, settings: &Settings) -> ExitCode {
        let out = Out::stdout(settings.color);
        let _narrator = narrate_on_this_thread();
        let sections = match self.selected(settings) {
            Ok(sections) => sections,
            Err(message) => return crate::cli::usage_error(&message),
        };
        self.print_banner(&out, settings);
        let watchdog = Watchdog::start(self.name, section_limit(settings), give_up);
        for (number, section) in sections {
            watchdog.entering(section.name);
            let run = catch_unwind(AssertUnwindSafe(|| {
                self.run_section(number, section, &out, settings)
            }));
            let failure = match run {
                Ok(Ok(())) => continue,
                Ok(Err(error)) => error.to_string(),
                Err(_) => "it panicked (see the line above)".to_owned(),
            };
            let line = format!(
                "error: section `{}` of lesson {} failed: {failure}",
                section.name, self.name
            );
            eprintln!("{}", out.style(&line, Style::Warning));
            return ExitCode::FAILURE;
        }
        if settings.sections.is_empty() {
            self.print_recap(&out);
        }
        ExitCode::SUCCESS
    }

    /// Prints one section: heading, explanation, Python beside Rust, then
    /// the demonstration. `number` counts from 1.
    pub fn run_section(
        &self,
        number: usize,
        section: &Section,
        out: &Out,
        settings: &Settings,
    ) -> Outcome {
        let count = self.sections.len();
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
        out.restart_clock();
        (section.run)(&Ctx {
            out: out.clone(),
            settings,
        })?;
        out.blank();
        Ok(())
    }

    fn print_recap(&self, out: &Out) {
        let heading = format!("Recap · lesson {} · {}", self.number(), self.name);
        out.line(out.style(&ruled(&heading, '━'), Style::Heading));
        out.blank();
        out.line(reflow(self.recap));
        out.blank();
    }

    fn print_banner(&self, out: &Out, settings: &Settings) {
        out.line(out.style(&ruled(&self.heading(), '━'), Style::Heading));
        if settings.sections.is_empty() {
            out.blank();
            out.line(reflow(self.intro));
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

    /// The sections to run, with their 1-based numbers, or a one-line error
    /// naming the valid sections.
    fn selected(&self, settings: &Settings) -> Result<Vec<(usize, &Section)>, String> {
        let all = || self.sections.iter().enumerate().map(|(i, s)| (i + 1, s));
        if settings.sections.is_empty() {
            return Ok(all().collect());
        }
        settings
            .sections
            .iter()
            .map(|wanted| {
                let found = self.section(wanted).map(|s| s.name);
                all().find(|(_, s)| Some(s.name) == found).ok_or_else(|| {
                    let names: Vec<&str> = self.sections.iter().map(|s| s.name).collect();
                    format!(
                        "lesson {} has no section `{wanted}`; its sections are: {}",
                        self.name,
                        names.join(", ")
                    )
                })
            })
            .collect()
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
                match sections.recv_timeout(limit) {
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

    fn entering(&self, section: &'static str) {
        let _ = self.entered.send(section);
    }
}

/// What the live lesson does about a stuck section: say so and exit with 3.
fn give_up(message: String) {
    eprintln!("error: {message}");
    std::process::exit(3);
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
