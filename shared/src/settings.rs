//! How a lesson runs: what the command line asked for (parsed once, typed),
//! or what a test chose.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::flag::{AnyFlag, Flag, Switch, Value};
use crate::out::Values;
use crate::style::ColorChoice;
use crate::time::Scale;

/// How a lesson runs: set from the command line, or by a test.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `--quick`: shorter sleeps and smaller workloads.
    pub quick: bool,
    /// How much of each sleep is really slept.
    pub scale: Scale,
    /// How measured values are printed: live, as placeholders (snapshots),
    /// or at their widest (the 80-column test).
    pub values: Values,
    /// `--color`: whether to colour the output. `main` applies it to the
    /// process ([`ColorChoice::apply`]); parsing never looks at the
    /// terminal.
    pub color: ColorChoice,
    /// The sections to run, by name or number; empty runs them all.
    pub sections: Vec<String>,
    /// `--compare-python`: also run the comparison in real CPython, where
    /// the section has one.
    pub compare_python: bool,
    /// `--pause`: wait for Enter after each section (when stdin is a
    /// terminal).
    pub pause: bool,
    /// More lessons follow this one (`cargo xtask all` says so): `--pause`
    /// also waits after the last section, and a stop there exits with
    /// [`exit::STOPPED`](crate::exit::STOPPED) so that the runner stops too.
    pub more_follow: bool,
    /// `--pictures DIR`: also draw every timeline as an SVG picture in
    /// this folder (see [`Out::timeline`](crate::Out::timeline)).
    pub pictures: Option<PathBuf>,
    /// The lesson's own flags that were given, parsed.
    flags: Vec<Given>,
    /// The lesson binary, for sections that start it as a child process.
    /// `None` means the running executable, which is right except in tests.
    pub exe: Option<PathBuf>,
}

/// A lesson flag as given: its text (for child processes) and its value.
#[derive(Clone)]
struct Given {
    name: &'static str,
    text: Option<String>,
    value: Value,
}

impl fmt::Debug for Given {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(text) => write!(f, "--{} {text}", self.name),
            None => write!(f, "--{}", self.name),
        }
    }
}

impl Settings {
    /// A live run at full length.
    pub fn live() -> Self {
        Settings {
            quick: false,
            scale: Scale::REAL,
            values: Values::Live,
            color: ColorChoice::Auto,
            sections: Vec::new(),
            compare_python: false,
            pause: false,
            more_follow: false,
            pictures: None,
            flags: Vec::new(),
            exe: None,
        }
    }

    /// What the snapshot tests use: `--quick`, measured values redacted.
    pub fn snapshot() -> Self {
        Settings {
            values: Values::Redacted,
            ..Settings::live().quick()
        }
    }

    /// What the 80-column test uses: measured values at their widest.
    pub fn widest() -> Self {
        Settings {
            values: Values::Widest,
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

    /// The same settings, starting `exe` for child processes. Integration
    /// tests pass `env!("CARGO_BIN_EXE_<lesson>")`.
    #[must_use]
    pub fn exe(self, exe: impl AsRef<Path>) -> Self {
        Settings {
            exe: Some(exe.as_ref().to_owned()),
            ..self
        }
    }

    /// The same settings with a lesson flag given as on the command line
    /// (`text` is ignored for a [`Switch`]).
    pub fn with(mut self, flag: &'static dyn AnyFlag, text: &str) -> Result<Self, String> {
        self.set(flag, text)?;
        Ok(self)
    }

    /// The value of a lesson flag: as given, or its default.
    pub fn get<T: Clone + 'static>(&self, flag: &Flag<T>) -> T {
        match self.given(flag.name) {
            Some(given) => given.value.downcast_ref::<T>().cloned().unwrap_or_else(|| {
                panic!("--{} was parsed as another type than its Flag's", flag.name)
            }),
            None => flag.default.clone(),
        }
    }

    /// Whether a lesson's switch was given.
    pub fn is_on(&self, switch: &Switch) -> bool {
        self.given(switch.name).is_some()
    }

    /// Parses a lesson flag's value, once, and keeps it. A flag given twice
    /// keeps the later value.
    pub(crate) fn set(&mut self, flag: &'static dyn AnyFlag, text: &str) -> Result<(), String> {
        let value = flag.parse_value(text)?;
        let text = flag.value_name().map(|_| text.to_owned());
        self.flags.retain(|g| g.name != flag.name());
        self.flags.push(Given {
            name: flag.name(),
            text,
            value,
        });
        Ok(())
    }

    /// The lesson flags given, as arguments again: `--sleepers 8`.
    pub(crate) fn lesson_flag_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for given in &self.flags {
            args.push(format!("--{}", given.name));
            args.extend(given.text.clone());
        }
        args
    }

    fn given(&self, name: &str) -> Option<&Given> {
        self.flags.iter().find(|g| g.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flag::examples::{LOUD, THREADS};

    #[test]
    fn an_absent_flag_has_its_default() {
        let settings = Settings::live();
        assert_eq!(settings.get(&THREADS), 4);
        assert!(!settings.is_on(&LOUD));
    }

    #[test]
    fn a_given_flag_keeps_its_parsed_value_and_its_text() {
        let settings = Settings::live()
            .with(&THREADS, "2")
            .and_then(|s| s.with(&THREADS, "6"))
            .and_then(|s| s.with(&LOUD, ""))
            .unwrap();
        assert_eq!(settings.get(&THREADS), 6);
        assert!(settings.is_on(&LOUD));
        assert_eq!(settings.lesson_flag_args(), ["--threads", "6", "--loud"]);
    }

    #[test]
    fn a_bad_value_is_refused_when_given() {
        let refused = Settings::live().with(&THREADS, "9").unwrap_err();
        assert_eq!(refused, "expects a whole number from 1 to 8");
    }
}
