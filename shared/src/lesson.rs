//! A lesson as data: its sections in teaching order, its own flags, its
//! helper-process modes, and [`Ctx`], what a section's demonstration gets.
//! [`runner`](crate::runner) runs them.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use crate::flag::{AnyFlag, Flag, Switch};
use crate::out::Out;
use crate::settings::Settings;
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
    /// Command-line flags of this lesson, beyond the common ones: each a
    /// [`Flag`](crate::flag::Flag) or [`Switch`](crate::flag::Switch)
    /// constant that the sections read back through [`Ctx::flag`].
    pub flags: &'static [&'static dyn AnyFlag],
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
    /// The explanation, reflowed to the page (see [`crate::text::reflow`]).
    pub explain: &'static str,
    /// The workshop's Python idiom.
    pub python: &'static str,
    /// Its Rust counterpart. Every line must appear in the lesson's source
    /// (checked by [`crate::testing::check_rust_snippets`]), so it cannot drift.
    pub rust: &'static str,
    /// The demonstration.
    pub run: fn(&Ctx) -> Outcome,
}

/// A helper-process mode of the lesson binary: see [`Ctx::child`].
pub struct Child {
    /// The mode's name, given as `--child NAME`.
    pub name: &'static str,
    /// What the child does; its exit code is the process's.
    pub run: fn(&Settings) -> ExitCode,
}

/// What a section's demonstration gets: the output and the settings.
pub struct Ctx<'a> {
    /// Where to print; clone it into threads.
    pub out: Out,
    settings: &'a Settings,
}

impl<'a> Ctx<'a> {
    /// What the runner hands a section.
    pub(crate) fn new(out: Out, settings: &'a Settings) -> Self {
        Ctx { out, settings }
    }

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

    /// Whether `--compare-python` is on: run the section's comparison in
    /// real CPython too, if it has one.
    pub fn compare_python(&self) -> bool {
        self.settings.compare_python
    }

    /// The value of one of the lesson's own flags (its default when not
    /// given), parsed when the command line was read.
    pub fn flag<T: Clone + 'static>(&self, flag: &Flag<T>) -> T {
        self.settings.get(flag)
    }

    /// Whether one of the lesson's own switches was given.
    pub fn is_on(&self, switch: &Switch) -> bool {
        self.settings.is_on(switch)
    }

    /// The settings the lesson runs with.
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
            .args(crate::common::child_args(self.settings));
        command
    }
}

fn self_name() -> String {
    std::env::args().next().unwrap_or_default()
}

impl Lesson {
    /// The lesson's folder, `01-sleeper`.
    pub fn folder(&self) -> &str {
        Path::new(self.manifest_dir)
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or(self.name)
    }

    /// The lesson's place in the teaching order as its folder writes it:
    /// `03`.
    pub fn folder_number(&self) -> &str {
        split_lesson_folder(self.folder()).map_or("", |(number, _)| number)
    }

    /// The section with this name or 1-based number.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.find_section(name).ok().map(|(_, section)| section)
    }

    /// The section with this name or 1-based number, with its number, or a
    /// one-line error naming the sections there are.
    pub fn find_section(&self, wanted: &str) -> Result<(usize, &Section), String> {
        let index = match wanted.parse::<usize>() {
            Ok(n) => n.checked_sub(1).filter(|&i| i < self.sections.len()),
            Err(_) => self.sections.iter().position(|s| s.name == wanted),
        };
        index.map(|i| (i + 1, &self.sections[i])).ok_or_else(|| {
            let names: Vec<&str> = self.sections.iter().map(|s| s.name).collect();
            let guess = crate::suggest::hint_or_stop(wanted, names.iter().copied());
            format!(
                "lesson {} has no section `{wanted}`{guess} Its sections are: {}",
                self.name,
                names.join(", ")
            )
        })
    }

    /// The helper-process mode with this name.
    pub fn child(&self, mode: &str) -> Result<&Child, String> {
        self.children
            .iter()
            .find(|c| c.name == mode)
            .ok_or_else(|| format!("lesson {} has no child mode `{mode}`", self.name))
    }

    /// The title line: `Lesson 01 · sleeper: Threads that sleep`.
    pub fn heading(&self) -> String {
        format!(
            "Lesson {} · {}: {}",
            self.folder_number(),
            self.name,
            self.title
        )
    }
}

/// A lesson's folder, `01-sleeper`, as its number in the teaching order and
/// its topic: `("01", "sleeper")`; `None` for a folder of another shape. The
/// lesson binaries and `cargo xtask` read folders with this one rule.
///
/// ```
/// assert_eq!(workshop::split_lesson_folder("06-thread-pools"), Some(("06", "thread-pools")));
/// assert_eq!(workshop::split_lesson_folder("notes"), None);
/// ```
pub fn split_lesson_folder(folder: &str) -> Option<(&str, &str)> {
    let (number, topic) = folder.split_once('-')?;
    let numbered = number.len() == 2 && number.bytes().all(|b| b.is_ascii_digit());
    let named = topic.starts_with(|c: char| c.is_ascii_lowercase())
        && topic
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (numbered && named).then_some((number, topic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_folders_are_numbered_topics() {
        assert_eq!(split_lesson_folder("03-sleeper"), Some(("03", "sleeper")));
        assert_eq!(
            split_lesson_folder("06-thread-pools"),
            Some(("06", "thread-pools"))
        );
        assert_eq!(split_lesson_folder("3-sleeper"), None);
        assert_eq!(split_lesson_folder("03-Sleeper"), None);
        assert_eq!(split_lesson_folder("notes"), None);
    }
}
