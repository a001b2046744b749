//! The command line every lesson shares: `--help`, `--quick`, `--list`,
//! `--section NAME`, `--time-scale X`, plus the lesson's own [`Flag`](crate::Flag)s.
//!
//! Bad input never panics: [`main`] prints one line starting with `error:`
//! and exits with code 2.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::lesson::{Child, Lesson, Settings};
use crate::time::Scale;

/// What the command line asked for.
pub enum Command {
    /// Run the lesson (or some sections) with these settings.
    Run(Settings),
    /// Print `--help`.
    Help,
    /// Print the sections.
    List,
    /// Run as a helper process of the lesson.
    Child(&'static Child, Settings),
}

/// The entry point of every lesson binary:
///
/// ```no_run
/// # static LESSON: workshop::Lesson = workshop::Lesson {
/// #     name: "demo", manifest_dir: "lessons/00-demo", title: "Demo", intro: "",
/// #     sections: &[], recap: "", flags: &[], children: &[],
/// # };
/// fn main() -> std::process::ExitCode {
///     workshop::cli::main(&LESSON)
/// }
/// ```
pub fn main(lesson: &'static Lesson) -> ExitCode {
    crate::panics::install_hook();
    match parse(lesson, std::env::args().skip(1)) {
        Ok(Command::Run(settings)) => lesson.run_live(&settings),
        Ok(Command::Help) => {
            print!("{}", help(lesson));
            ExitCode::SUCCESS
        }
        Ok(Command::List) => {
            print!("{}", list(lesson));
            ExitCode::SUCCESS
        }
        Ok(Command::Child(child, settings)) => (child.run)(&settings),
        Err(message) => usage_error(&message),
    }
}

/// Prints `error: <message>` and returns exit code 2.
pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Reads the arguments (without the program name).
pub fn parse(
    lesson: &'static Lesson,
    args: impl IntoIterator<Item = String>,
) -> Result<Command, String> {
    let mut settings = Settings::live();
    settings.color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut scale = None;
    let mut child = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.strip_prefix("--") {
            Some(rest) => match rest.split_once('=') {
                Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                None => (rest.to_owned(), None),
            },
            None if arg == "-h" => ("help".to_owned(), None),
            None => {
                return Err(format!(
                    "unexpected argument `{arg}` (flags start with --; see --help)"
                ));
            }
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("--{name} needs {what}"))
        };
        match name.as_str() {
            "help" => return Ok(Command::Help),
            "list" => return Ok(Command::List),
            "quick" => settings.quick = true,
            "section" => {
                let wanted = value("a section name or number (see --list)")?;
                if lesson.section(&wanted).is_none() {
                    let names: Vec<&str> = lesson.sections.iter().map(|s| s.name).collect();
                    return Err(format!(
                        "lesson {} has no section `{wanted}`; its sections are: {}",
                        lesson.name,
                        names.join(", ")
                    ));
                }
                settings.sections.push(wanted);
            }
            "time-scale" => {
                let given = value("a factor, such as 0.5")?;
                let parsed = given.parse().ok().and_then(Scale::new);
                scale = Some(parsed.ok_or_else(|| {
                    format!("--time-scale expects a number above 0 and at most 10, got `{given}`")
                })?);
            }
            "child" => {
                let mode = value("a mode")?;
                let found = lesson.children.iter().find(|c| c.name == mode);
                child =
                    Some(found.ok_or_else(|| {
                        format!("lesson {} has no child mode `{mode}`", lesson.name)
                    })?);
            }
            _ => {
                let flag = lesson
                    .flags
                    .iter()
                    .find(|f| f.name == name)
                    .ok_or_else(|| {
                        format!(
                            "unknown flag `--{name}` for lesson {} (see --help)",
                            lesson.name
                        )
                    })?;
                let given = match flag.value {
                    Some(placeholder) => value(&format!("a value ({placeholder})"))?,
                    None if inline.is_some() => return Err(format!("--{name} takes no value")),
                    None => String::new(),
                };
                (flag.check)(&given).map_err(|why| format!("--{name} {why}, got `{given}`"))?;
                settings.flags.push((name, given));
            }
        }
    }
    settings.scale = scale.unwrap_or(if settings.quick {
        Scale::QUICK
    } else {
        Scale::REAL
    });
    Ok(match child {
        Some(child) => Command::Child(child, settings),
        None => Command::Run(settings),
    })
}

/// A [`Flag::check`] for whole numbers from `MIN` to `MAX`.
///
/// ```
/// use workshop::cli::whole_number;
/// assert!(whole_number::<1, 32>("3").is_ok());
/// assert_eq!(whole_number::<1, 32>("0").unwrap_err(), "expects a whole number from 1 to 32");
/// ```
pub fn whole_number<const MIN: u64, const MAX: u64>(value: &str) -> Result<(), String> {
    match value.parse::<u64>() {
        Ok(n) if (MIN..=MAX).contains(&n) => Ok(()),
        _ => Err(format!("expects a whole number from {MIN} to {MAX}")),
    }
}

/// The `--help` text.
pub fn help(lesson: &Lesson) -> String {
    let mut options: Vec<(String, &str)> = vec![
        (
            "--quick".into(),
            "Sleep 10× less and shrink workloads (projector, tests)",
        ),
        ("--list".into(), "List the sections and exit"),
        (
            "--section NAME".into(),
            "Run only this section: a name or number (repeatable)",
        ),
        (
            "--time-scale X".into(),
            "Multiply every sleep by X (above 0, at most 10)",
        ),
    ];
    for flag in lesson.flags {
        let usage = match flag.value {
            Some(placeholder) => format!("--{} {placeholder}", flag.name),
            None => format!("--{}", flag.name),
        };
        options.push((usage, flag.help));
    }
    options.push(("-h, --help".into(), "Show this help"));
    let width = options.iter().map(|(u, _)| u.len()).max().unwrap_or(0);
    let mut text = format!(
        "{}\n\nUsage: cargo run -p {} -- [OPTIONS]\n\nOptions:\n",
        lesson.heading(),
        lesson.name
    );
    for (usage, what) in options {
        text.push_str(&format!("  {usage:<width$}  {what}\n"));
    }
    text
}

/// The `--list` text: the sections, numbered.
pub fn list(lesson: &Lesson) -> String {
    let width = lesson
        .sections
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0);
    let mut text = format!("{}\n\n", lesson.heading());
    for (i, section) in lesson.sections.iter().enumerate() {
        text.push_str(&format!(
            "  {:>2}  {:<width$}  {}\n",
            i + 1,
            section.name,
            section.title
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Ctx, Flag, Outcome, Section};

    fn nothing(_: &Ctx) -> Outcome {
        Ok(())
    }

    fn exit_now(_: &Settings) -> ExitCode {
        ExitCode::SUCCESS
    }

    static DEMO: Lesson = Lesson {
        name: "demo",
        manifest_dir: "/somewhere/lessons/07-demo",
        title: "A demo",
        intro: "",
        sections: &[
            Section {
                name: "one",
                title: "First",
                explain: "",
                python: "",
                rust: "",
                run: nothing,
            },
            Section {
                name: "two",
                title: "Second",
                explain: "",
                python: "",
                rust: "",
                run: nothing,
            },
        ],
        recap: "",
        flags: &[Flag {
            name: "threads",
            value: Some("N"),
            help: "How many",
            check: whole_number::<1, 8>,
        }],
        children: &[Child {
            name: "helper",
            run: exit_now,
        }],
    };

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(&DEMO, args.iter().map(|a| a.to_string()))
    }

    fn settings(args: &[&str]) -> Settings {
        match run(args) {
            Ok(Command::Run(settings)) => settings,
            _ => panic!("{args:?} should run the lesson"),
        }
    }

    #[test]
    fn no_arguments_run_everything_in_real_time() {
        let s = settings(&[]);
        assert!(!s.quick && s.sections.is_empty());
        assert_eq!(s.scale, Scale::REAL);
    }

    #[test]
    fn quick_scales_sleeps_unless_a_scale_is_given() {
        assert_eq!(settings(&["--quick"]).scale, Scale::QUICK);
        assert_eq!(
            settings(&["--time-scale", "0.5", "--quick"]).scale,
            Scale::new(0.5).unwrap()
        );
        assert_eq!(
            settings(&["--time-scale=2"]).scale,
            Scale::new(2.0).unwrap()
        );
    }

    #[test]
    fn sections_by_name_or_number() {
        assert_eq!(
            settings(&["--section", "two", "--section=1"]).sections,
            ["two", "1"]
        );
    }

    #[test]
    fn lesson_flags_are_checked_and_kept() {
        let s = settings(&["--threads", "4"]);
        assert_eq!(s.number("threads", 1), 4);
        assert_eq!(s.number("absent", 7), 7);
    }

    #[test]
    fn bad_input_is_one_clear_line() {
        let cases: [(&[&str], &str); 8] = [
            (
                &["--frobnicate"],
                "unknown flag `--frobnicate` for lesson demo (see --help)",
            ),
            (
                &["extra"],
                "unexpected argument `extra` (flags start with --; see --help)",
            ),
            (
                &["--section", "nine"],
                "lesson demo has no section `nine`; its sections are: one, two",
            ),
            (
                &["--section", "3"],
                "lesson demo has no section `3`; its sections are: one, two",
            ),
            (
                &["--section"],
                "--section needs a section name or number (see --list)",
            ),
            (
                &["--threads", "many"],
                "--threads expects a whole number from 1 to 8, got `many`",
            ),
            (
                &["--time-scale", "0"],
                "--time-scale expects a number above 0 and at most 10, got `0`",
            ),
            (&["--child", "nope"], "lesson demo has no child mode `nope`"),
        ];
        for (args, expected) in cases {
            match run(args) {
                Err(message) => {
                    assert_eq!(message, expected, "for {args:?}");
                    assert!(!message.contains('\n'));
                }
                Ok(_) => panic!("{args:?} should be refused"),
            }
        }
    }

    #[test]
    fn help_and_list_stop_parsing() {
        assert!(matches!(run(&["--quick", "-h"]), Ok(Command::Help)));
        assert!(matches!(run(&["--list"]), Ok(Command::List)));
        assert!(
            matches!(run(&["--child", "helper"]), Ok(Command::Child(c, _)) if c.name == "helper")
        );
    }

    #[test]
    fn help_lists_the_lesson_flags() {
        let text = help(&DEMO);
        assert!(text.starts_with("Lesson 07 · demo: A demo\n"));
        assert!(text.contains("  --threads N     How many\n"), "{text}");
        assert!(!text.contains("--child"));
    }

    #[test]
    fn list_numbers_the_sections() {
        assert_eq!(
            list(&DEMO),
            "Lesson 07 · demo: A demo\n\n   1  one  First\n   2  two  Second\n"
        );
    }
}
