//! The command line every lesson shares: the common flags of one table
//! (`--help`, `--quick`, `--list`, `--section NAME`, `--time-scale X`,
//! `--compare-python`), plus the lesson's own [`Flag`](crate::flag::Flag)s.
//!
//! Parsing is table-driven and by hand: the table is needed anyway (it also
//! writes `--help`, the arguments of child processes and the bad-input
//! tests), and what is left, splitting `--name=value`, is a few lines.
//!
//! Bad input never panics: [`main`] prints one line starting with `error:`
//! and exits with code 2.

use std::ffi::OsString;
use std::process::ExitCode;

use crate::common::{self, Action, COMMON, Common, Request};
use crate::flag::AnyFlag;
use crate::lesson::{Child, Lesson};
use crate::settings::Settings;
use crate::style::{Colors, Style};
use crate::text::{PAGE_WIDTH, wrap};
use crate::time::Scale;
use crate::{exit, runner, suggest};

/// What the command line asked for (the lesson binary's invocation).
pub enum Invocation {
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
    match parse(lesson, std::env::args_os().skip(1)) {
        Ok(Invocation::Run(settings)) => {
            crate::out::end_when_stdout_closes();
            settings.color.apply();
            match runner::run_live(lesson, &settings) {
                Ok(runner::Ran::Stopped) if settings.more_follow => exit::code(exit::STOPPED),
                Ok(_) => ExitCode::SUCCESS,
                Err(error) => {
                    let line = format!("error: {error}");
                    let colors = Colors::for_stream(&std::io::stderr());
                    eprintln!("{}", colors.paint(&line, Style::Warning));
                    exit::code(error.exit_code())
                }
            }
        }
        Ok(Invocation::Help) => {
            print!("{}", help(lesson));
            ExitCode::SUCCESS
        }
        Ok(Invocation::List) => {
            print!("{}", list(lesson));
            ExitCode::SUCCESS
        }
        Ok(Invocation::Child(child, settings)) => {
            crate::out::end_when_stdout_closes();
            (child.run)(&settings)
        }
        Err(message) => usage_error(&message),
    }
}

/// Prints `error: <message>` and returns [`exit::USAGE`].
pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    exit::code(exit::USAGE)
}

/// A flag of either table: the common one or the lesson's own.
enum Known {
    Common(&'static Common),
    Lesson(&'static dyn AnyFlag),
}

impl Known {
    fn value_name(&self) -> Option<&'static str> {
        match self {
            Known::Common(row) => row.value_name(),
            Known::Lesson(flag) => flag.value_name(),
        }
    }
}

/// Reads the arguments (without the program name). A pure function: it
/// looks at nothing but `args` and the lesson.
pub fn parse(
    lesson: &'static Lesson,
    args: impl IntoIterator<Item = impl Into<OsString>>,
) -> Result<Invocation, String> {
    let mut request = Request {
        settings: Settings::live(),
        scale: None,
        action: Action::Run,
    };
    let mut args = args.into_iter().map(|arg| {
        arg.into()
            .into_string()
            .map_err(|arg| format!("argument `{}` is not valid Unicode", arg.to_string_lossy()))
    });
    while let Some(arg) = args.next() {
        let arg = arg?;
        let (name, inline) = split_flag(&arg)?;
        let flag = find_flag(lesson, &name)?;
        let value = match (flag.value_name(), inline) {
            (Some(_), Some(value)) => value,
            (Some(placeholder), None) => args
                .next()
                .transpose()?
                .ok_or_else(|| format!("--{name} needs a value ({placeholder})"))?,
            (None, Some(_)) => return Err(format!("--{name} takes no value")),
            (None, None) => String::new(),
        };
        let recorded = match flag {
            Known::Common(row) => row.record(&mut request, &value),
            Known::Lesson(flag) => request.settings.set(flag, &value),
        };
        recorded.map_err(|why| format!("--{name} {why}, got `{value}`"))?;
        if request.action.stops_parsing() {
            break;
        }
    }
    resolve(lesson, request)
}

/// `--name=value`, `--name` or `-h` → the flag's name and any inline value.
fn split_flag(arg: &str) -> Result<(String, Option<String>), String> {
    if let Some(rest) = arg.strip_prefix("--") {
        return Ok(match rest.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (rest.to_owned(), None),
        });
    }
    let mut letters = arg.strip_prefix('-').unwrap_or("").chars();
    match (letters.next().and_then(common::find_short), letters.next()) {
        (Some(row), None) => Ok((row.name.to_owned(), None)),
        _ => Err(format!(
            "unexpected argument `{arg}` (flags start with --; see --help)"
        )),
    }
}

fn find_flag(lesson: &'static Lesson, name: &str) -> Result<Known, String> {
    if let Some(row) = common::find(name) {
        return Ok(Known::Common(row));
    }
    match lesson.flags.iter().find(|f| f.name() == name) {
        Some(flag) => Ok(Known::Lesson(*flag)),
        None => {
            let common = COMMON.iter().filter(|row| row.help.is_some());
            let names = common
                .map(|row| row.name)
                .chain(lesson.flags.iter().map(|f| f.name()));
            Err(format!(
                "unknown flag `--{name}` for lesson {}{} (see --help)",
                lesson.name,
                suggest::hint_with(name, names, "--")
            ))
        }
    }
}

/// What needs the lesson: the sections and the child mode named must exist.
fn resolve(lesson: &'static Lesson, request: Request) -> Result<Invocation, String> {
    let Request {
        mut settings,
        scale,
        action,
    } = request;
    for wanted in &settings.sections {
        lesson.find_section(wanted)?;
    }
    let quick_scale = if settings.quick {
        Scale::QUICK
    } else {
        Scale::REAL
    };
    settings.scale = scale.unwrap_or(quick_scale);
    Ok(match action {
        Action::Run => Invocation::Run(settings),
        Action::Help => Invocation::Help,
        Action::List => Invocation::List,
        Action::Child(mode) => Invocation::Child(lesson.child(&mode)?, settings),
    })
}

/// The `--help` text: the common flags, then the lesson's own.
pub fn help(lesson: &Lesson) -> String {
    let usage = |name: &str, short: Option<char>, value: Option<&str>| {
        let long = match value {
            Some(placeholder) => format!("--{name} {placeholder}"),
            None => format!("--{name}"),
        };
        match short {
            Some(letter) => format!("-{letter}, {long}"),
            None => long,
        }
    };
    let common: Vec<(String, String)> = COMMON
        .iter()
        .filter_map(|row| {
            Some((
                usage(row.name, row.short, row.value_name()),
                row.help?.to_owned(),
            ))
        })
        .collect();
    let own: Vec<(String, String)> = lesson
        .flags
        .iter()
        .map(|flag| (usage(flag.name(), None, flag.value_name()), flag.help()))
        .collect();
    let width = common
        .iter()
        .chain(&own)
        .map(|(u, _)| u.len())
        .max()
        .unwrap_or(0);
    let mut text = format!(
        "{}\n\nUsage: cargo run -p {} -- [OPTIONS]\n",
        lesson.heading(),
        lesson.name
    );
    for (heading, rows) in [("Options", &common), ("Options of this lesson", &own)] {
        if rows.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}:\n"));
        for (usage, what) in rows {
            text.push_str(&option_line(usage, what, width));
        }
    }
    text
}

/// `  --usage   what it does`, the description wrapped to the page.
fn option_line(usage: &str, what: &str, width: usize) -> String {
    let room = PAGE_WIDTH.saturating_sub(width + 4).max(30);
    let wrapped = wrap(what, room, "").replace('\n', &format!("\n{}", " ".repeat(width + 4)));
    format!("  {usage:<width$}  {wrapped}\n")
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
    use crate::flag::examples::{LOUD, THREADS};
    use crate::lesson::{Ctx, Outcome, Section};
    use crate::style::ColorChoice;

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
        flags: &[&THREADS, &LOUD],
        children: &[Child {
            name: "helper",
            run: exit_now,
        }],
    };

    fn run(args: &[&str]) -> Result<Invocation, String> {
        parse(&DEMO, args)
    }

    fn settings(args: &[&str]) -> Settings {
        match run(args) {
            Ok(Invocation::Run(settings)) => settings,
            _ => panic!("{args:?} should run the lesson"),
        }
    }

    #[test]
    fn no_arguments_run_everything_in_real_time() {
        let s = settings(&[]);
        assert!(!s.quick && s.sections.is_empty() && !s.compare_python);
        assert_eq!(s.color, ColorChoice::Auto);
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
    fn lesson_flags_are_parsed_once_and_typed() {
        let s = settings(&["--threads", "4", "--loud"]);
        assert_eq!(s.get(&THREADS), 4);
        assert!(s.is_on(&LOUD));
        let s = settings(&[]);
        assert_eq!(s.get(&THREADS), 4, "the default");
        assert!(!s.is_on(&LOUD));
    }

    #[test]
    fn color_is_common() {
        assert_eq!(settings(&["--color", "always"]).color, ColorChoice::Always);
        assert_eq!(settings(&["--color=never"]).color, ColorChoice::Never);
    }

    #[test]
    fn compare_python_is_common() {
        assert!(settings(&["--compare-python"]).compare_python);
    }

    #[test]
    fn bad_input_is_one_clear_line() {
        let cases: [(&[&str], &str); 16] = [
            (
                &["--frobnicate"],
                "unknown flag `--frobnicate` for lesson demo (see --help)",
            ),
            (
                &["extra"],
                "unexpected argument `extra` (flags start with --; see --help)",
            ),
            (
                &["-x"],
                "unexpected argument `-x` (flags start with --; see --help)",
            ),
            (
                &["--section", "nine"],
                "lesson demo has no section `nine`. Its sections are: one, two",
            ),
            (
                &["--section", "3"],
                "lesson demo has no section `3`. Its sections are: one, two",
            ),
            (&["--section"], "--section needs a value (NAME)"),
            (
                &["--threads", "many"],
                "--threads expects a whole number from 1 to 8, got `many`",
            ),
            (
                &["--time-scale", "0"],
                "--time-scale expects a number above 0 and at most 10, got `0`",
            ),
            (&["--child", "nope"], "lesson demo has no child mode `nope`"),
            (&["--quick=x"], "--quick takes no value"),
            (&["--loud=yes"], "--loud takes no value"),
            (&["--threads"], "--threads needs a value (N)"),
            (
                &["--sectoin", "one"],
                "unknown flag `--sectoin` for lesson demo; did you mean `--section`? (see --help)",
            ),
            (
                &["--thread", "2"],
                "unknown flag `--thread` for lesson demo; did you mean `--threads`? (see --help)",
            ),
            (
                &["--section", "tow"],
                "lesson demo has no section `tow`; did you mean `two`? Its sections are: one, two",
            ),
            (
                &["--color", "yes"],
                "--color expects auto, always or never, got `yes`",
            ),
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

    #[cfg(unix)]
    #[test]
    fn arguments_that_are_not_unicode_are_refused() {
        use std::os::unix::ffi::OsStringExt;
        let odd = OsString::from_vec(vec![b'-', b'-', 0xff]);
        match parse(&DEMO, [odd]) {
            Err(message) => assert_eq!(message, "argument `--\u{fffd}` is not valid Unicode"),
            Ok(_) => panic!("should be refused"),
        }
    }

    #[test]
    fn help_and_list_stop_parsing() {
        assert!(matches!(run(&["--quick", "-h"]), Ok(Invocation::Help)));
        assert!(matches!(
            run(&["--help", "--frobnicate"]),
            Ok(Invocation::Help)
        ));
        assert!(matches!(run(&["--list"]), Ok(Invocation::List)));
        assert!(
            matches!(run(&["--child", "helper"]), Ok(Invocation::Child(c, _)) if c.name == "helper")
        );
    }

    #[test]
    fn help_lists_the_common_flags_then_the_lesson_flags() {
        let text = help(&DEMO);
        assert!(text.starts_with("Lesson 07 · demo: A demo\n"), "{text}");
        assert!(text.contains("\nOptions:\n  --quick "), "{text}");
        assert!(text.contains("  -h, --help  "), "{text}");
        assert!(
            text.contains("\nOptions of this lesson:\n  --threads N  "),
            "{text}"
        );
        assert!(text.contains("How many (default 4)\n"), "{text}");
        assert!(!text.contains("--child"));
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    }

    #[test]
    fn list_numbers_the_sections() {
        assert_eq!(
            list(&DEMO),
            "Lesson 07 · demo: A demo\n\n   1  one  First\n   2  two  Second\n"
        );
    }
}
