//! The flags every lesson takes, in one table: [`COMMON`]. Parsing, `--help`,
//! the arguments handed to a child process and the bad-input tests all read
//! it, so a flag added here is parsed, documented, passed on and tested.
//!
//! A row only records what was asked for. What needs the lesson (does the
//! section exist, is there such a child mode) is resolved by
//! [`cli::parse`](crate::cli::parse) once the whole command line is read.

use crate::settings::Settings;
use crate::style::ColorChoice;
use crate::time::Scale;

/// One flag of the common table.
pub(crate) struct Common {
    /// The name without dashes.
    pub name: &'static str,
    /// A one-letter form, such as `-h`.
    pub short: Option<char>,
    /// The `--help` line; `None` keeps the flag out of `--help`.
    pub help: Option<&'static str>,
    /// What giving it does.
    pub kind: Kind,
}

/// What giving a common flag does.
pub(crate) enum Kind {
    /// Turns a setting on, for this run and its child processes:
    /// `Switch(turn_on, is_on)`.
    Switch(fn(&mut Settings), fn(&Settings) -> bool),
    /// Turns a setting on for this process only: a child never gets it.
    LocalSwitch {
        /// Turns it on.
        on: fn(&mut Settings),
    },
    /// Stops parsing: the binary does this instead of narrating.
    Stop(Action),
    /// Takes a value.
    Valued {
        /// The value's placeholder in `--help`.
        value: &'static str,
        /// Values the lesson must refuse, for the bad-input tests.
        invalid: &'static [&'static str],
        /// Records the value, or says why it is refused.
        record: fn(&mut Request, &str) -> Result<(), String>,
        /// The arguments that give a child process the same setting.
        pass_on: fn(&Settings) -> Vec<String>,
    },
}

impl Common {
    /// The value's placeholder, or `None` when the flag takes none.
    pub fn value_name(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Valued { value, .. } => Some(value),
            Kind::Switch(..) | Kind::LocalSwitch { .. } | Kind::Stop(_) => None,
        }
    }

    /// Values the lesson must refuse.
    pub fn invalid(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::Valued { invalid, .. } => invalid,
            Kind::Switch(..) | Kind::LocalSwitch { .. } | Kind::Stop(_) => &[],
        }
    }

    /// Records the flag (`value` is `""` when it takes none).
    pub fn record(&self, request: &mut Request, value: &str) -> Result<(), String> {
        match &self.kind {
            Kind::Switch(on, _) | Kind::LocalSwitch { on } => on(&mut request.settings),
            Kind::Stop(action) => request.action = action.clone(),
            Kind::Valued { record, .. } => record(request, value)?,
        }
        Ok(())
    }

    /// The arguments that give a child process the same setting.
    fn pass_on(&self, settings: &Settings) -> Vec<String> {
        match self.kind {
            Kind::Switch(_, is_on) if is_on(settings) => vec![format!("--{}", self.name)],
            Kind::Valued { pass_on, .. } => pass_on(settings),
            Kind::Switch(..) | Kind::LocalSwitch { .. } | Kind::Stop(_) => Vec::new(),
        }
    }
}

/// What the command line asked for, before the lesson resolves it.
pub(crate) struct Request {
    /// The settings so far.
    pub settings: Settings,
    /// `--time-scale`, which wins over `--quick`'s scale.
    pub scale: Option<Scale>,
    /// What to do.
    pub action: Action,
}

/// What the lesson binary is asked to do.
#[derive(Clone)]
pub(crate) enum Action {
    /// Narrate the lesson.
    Run,
    /// Print `--help` (parsing stops there).
    Help,
    /// Print the sections (parsing stops there).
    List,
    /// Run as the helper process of this mode.
    Child(String),
}

impl Action {
    /// Whether the rest of the command line no longer matters.
    pub fn stops_parsing(&self) -> bool {
        matches!(self, Action::Help | Action::List)
    }
}

/// The flags every lesson takes, in `--help` order (`--child` is not shown).
pub(crate) static COMMON: &[Common] = &[
    Common {
        name: "quick",
        short: None,
        help: Some("Sleep 10× less and shrink workloads (projector, tests)"),
        kind: Kind::Switch(|s| s.quick = true, |s| s.quick),
    },
    Common {
        name: "list",
        short: None,
        help: Some("List the sections and exit"),
        kind: Kind::Stop(Action::List),
    },
    Common {
        name: "section",
        short: None,
        help: Some("Run only this section: a name or number (repeatable)"),
        kind: Kind::Valued {
            value: "NAME",
            invalid: &["no-such-section", "0"],
            record: add_section,
            // A child process runs a mode, not sections.
            pass_on: |_| Vec::new(),
        },
    },
    Common {
        name: "time-scale",
        short: None,
        help: Some("Multiply every sleep by X (above 0, at most 10)"),
        kind: Kind::Valued {
            value: "X",
            invalid: &["fast", "-1", "0", "11"],
            record: |request, factor| {
                let scale = factor.parse().ok().and_then(Scale::new);
                request.scale = Some(scale.ok_or("expects a number above 0 and at most 10")?);
                Ok(())
            },
            pass_on: |settings| vec!["--time-scale".into(), settings.scale.factor().to_string()],
        },
    },
    Common {
        name: "pause",
        short: None,
        help: Some(
            "Wait for Enter after each section (q, Enter stops); only when stdin is a terminal",
        ),
        // Helper processes never wait for anyone.
        kind: Kind::LocalSwitch {
            on: |settings| settings.pause = true,
        },
    },
    Common {
        name: "more-follow",
        short: None,
        // `cargo xtask all` passes it with --pause; not for people.
        help: None,
        kind: Kind::LocalSwitch {
            on: |settings| settings.more_follow = true,
        },
    },
    Common {
        name: "color",
        short: None,
        help: Some("Colour the output: auto (a terminal, unless NO_COLOR is set), always or never"),
        kind: Kind::Valued {
            value: "WHEN",
            invalid: &["sometimes", ""],
            record: |request, when| {
                request.settings.color = ColorChoice::parse(when)?;
                Ok(())
            },
            // A child's output comes back through a pipe to the lesson, which
            // does the colouring.
            pass_on: |_| Vec::new(),
        },
    },
    Common {
        name: "child",
        short: None,
        // The lesson starts its own helper processes with it; not for people.
        help: None,
        kind: Kind::Valued {
            value: "MODE",
            invalid: &["no-such-mode"],
            record: |request, mode| {
                request.action = Action::Child(mode.to_owned());
                Ok(())
            },
            pass_on: |_| Vec::new(),
        },
    },
    Common {
        name: "compare-python",
        short: None,
        help: Some(
            "Also run the comparisons in real CPython, where there are any (python3, python or py -3)",
        ),
        kind: Kind::Switch(|s| s.compare_python = true, |s| s.compare_python),
    },
    Common {
        name: "pictures",
        short: None,
        help: Some("Also draw each timeline as an SVG picture in folder DIR"),
        kind: Kind::Valued {
            value: "DIR",
            invalid: &[""],
            record: |request, dir| {
                if dir.is_empty() {
                    return Err("expects a folder".into());
                }
                request.settings.pictures = Some(dir.into());
                Ok(())
            },
            // The lesson draws the pictures, not its helper processes.
            pass_on: |_| Vec::new(),
        },
    },
    Common {
        name: "help",
        short: Some('h'),
        help: Some("Show this help"),
        kind: Kind::Stop(Action::Help),
    },
];

/// Records `--section NAME` (repeatable). The names are checked once the
/// lesson's sections are known.
fn add_section(request: &mut Request, name: &str) -> Result<(), String> {
    request.settings.sections.push(name.to_owned());
    Ok(())
}

/// The row for `--name` or `-n`.
pub(crate) fn find(name: &str) -> Option<&'static Common> {
    COMMON.iter().find(|row| row.name == name)
}

/// The row for the one-letter form `-c`.
pub(crate) fn find_short(letter: char) -> Option<&'static Common> {
    COMMON.iter().find(|row| row.short == Some(letter))
}

/// The arguments that make a child process run with these settings: every
/// common flag's, then the lesson's own flags as they were given.
pub(crate) fn child_args(settings: &Settings) -> Vec<String> {
    let mut args: Vec<String> = COMMON
        .iter()
        .flat_map(|row| row.pass_on(settings))
        .collect();
    args.extend(settings.lesson_flag_args());
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, row) in COMMON.iter().enumerate() {
            assert!(
                COMMON[i + 1..].iter().all(|other| other.name != row.name),
                "--{} is in the table twice",
                row.name
            );
        }
    }

    #[test]
    fn a_child_gets_the_scale_and_the_switches() {
        let mut settings = Settings::live().quick();
        settings.compare_python = true;
        assert_eq!(
            child_args(&settings),
            ["--quick", "--time-scale", "0.1", "--compare-python"]
        );
        assert_eq!(child_args(&Settings::live()), ["--time-scale", "1"]);
    }
}
