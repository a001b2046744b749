//! `cargo xtask`: the workshop runner. `cargo xtask help` lists the
//! commands, from [`COMMANDS`].
//!
//! `main` only dispatches; each command is a module with a `run` function
//! taking the command's arguments. Adding a command is a module and a row
//! of [`COMMANDS`]: the usage text comes from the table, and a test checks
//! that the crate's description in `Cargo.toml` names every command.
//! Everything about the layout of the repository is in [`project`].

mod all;
mod book;
mod check;
mod coarse;
mod deep_checks;
mod exercise_tests;
mod failure;
mod interrupt;
mod launch;
mod lessons;
mod libtest;
mod list;
mod miri;
mod model_check;
mod options;
mod project;
mod run;
mod verify;
mod wrong_answers;

use std::process::ExitCode;

use failure::{CommandResult, Failure, no_arguments};
use workshop::{exit, suggest};

/// One `cargo xtask` command (not `std::process::Command`, which runs a
/// program).
struct Subcommand {
    /// What to type: `all`.
    name: &'static str,
    /// Its arguments, for the usage text: `[--quick]`.
    args: &'static str,
    /// What it does, for the usage text; `\n` continues on a new line.
    about: &'static str,
    /// Runs it with the arguments after its name.
    run: fn(&[String]) -> CommandResult,
}

/// Every command, in the order `cargo xtask help` lists them.
const COMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "all",
        args: "[--quick] [--compare-python] [--pause]",
        about: "Run every lesson in order, then print a summary;\n--compare-python runs CPython beside them;\n--pause waits for Enter after each section",
        run: all::run,
    },
    Subcommand {
        name: "list",
        args: "",
        about: "List the lessons and their exercises",
        run: list::run,
    },
    Subcommand {
        name: "run",
        args: "LESSON [ARGS...]",
        about: "Run one lesson; ARGS go to it (try --help)",
        run: run::run,
    },
    Subcommand {
        name: "check",
        args: "[LESSON]",
        about: "Check your exercises (all lessons, or one)",
        run: check::run,
    },
    Subcommand {
        name: "verify",
        args: "",
        about: "Maintainers: exercises fail as shipped and pass\nwhen solved; hints, docs and lesson order agree",
        run: verify::run,
    },
    Subcommand {
        name: "wrong-answers",
        args: "[LESSON [NAME]]",
        about: "Maintainers: the wrong answers kept beside the\ntests fail the check, saying what they should",
        run: wrong_answers::run,
    },
    Subcommand {
        name: "coarse-clock",
        args: "",
        about: "Maintainers: every lesson and test with CPU time\ncounted in 16 ms ticks, as on Windows",
        run: coarse::run,
    },
    Subcommand {
        name: "book",
        args: "",
        about: "Build the docs into book/ with mdBook",
        run: book::run,
    },
    Subcommand {
        name: "help",
        args: "",
        about: "Show this list",
        run: help,
    },
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = options::take_color(&args).and_then(|args| dispatch(&args));
    result.unwrap_or_else(|failure| {
        eprintln!("error: {}", failure.message());
        exit::code(failure.exit_code())
    })
}

/// Runs the command the arguments name.
fn dispatch(args: &[String]) -> CommandResult {
    let Some((name, rest)) = args.split_first() else {
        eprint!("{}", usage());
        return Ok(exit::code(exit::USAGE));
    };
    let name = match name.as_str() {
        "-h" | "--help" => "help",
        name => name,
    };
    match COMMANDS.iter().find(|command| command.name == name) {
        Some(command) => (command.run)(rest),
        None => Err(Failure::Usage(format!(
            "unknown command `{name}`{} (try `cargo xtask help`)",
            suggest::hint(name, COMMANDS.iter().map(|c| c.name))
        ))),
    }
}

/// `cargo xtask help`.
fn help(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    print!("{}", usage());
    Ok(ExitCode::SUCCESS)
}

/// The usage text, from [`COMMANDS`]. A usage too long for the first
/// column goes on a line of its own, its help under the others'.
fn usage() -> String {
    const WIDEST: usize = 24;
    let usages: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("{} {}", c.name, c.args).trim_end().to_owned())
        .collect();
    let width = usages
        .iter()
        .map(String::len)
        .filter(|&len| len <= WIDEST)
        .max()
        .unwrap_or(WIDEST);
    let indent = format!("\n  {:width$}   ", "");
    let mut text = "Usage: cargo xtask [--color WHEN] <COMMAND>\n\nCommands:\n".to_owned();
    for (usage, command) in usages.iter().zip(COMMANDS) {
        let about = command.about.replace('\n', &indent);
        if usage.len() > width {
            text.push_str(&format!("  {usage}{indent}{about}\n"));
        } else {
            text.push_str(&format!("  {usage:<width$}   {about}\n"));
        }
    }
    text.push_str(&format!(
        "\nOptions:\n  --color WHEN   {} (default auto: a terminal,\n                 unless NO_COLOR is set); passed on to lessons\n",
        workshop::style::ColorChoice::NAMES
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usage_lists_every_command_in_80_columns() {
        let text = usage();
        for command in COMMANDS {
            assert!(text.contains(&format!("\n  {} ", command.name)), "{text}");
        }
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(
            text.contains("\n  run LESSON [ARGS...]   Run one lesson"),
            "{text}"
        );
        assert!(
            text.contains(
                "\n  all [--quick] [--compare-python] [--pause]\n                         Run every"
            ),
            "a long usage goes on a line of its own: {text}"
        );
    }

    /// `cargo help`-style listings show the manifest's description: it
    /// must name the same commands as the table.
    #[test]
    fn the_manifest_description_names_every_command() {
        let commands: Vec<&str> = COMMANDS
            .iter()
            .map(|c| c.name)
            .filter(|&name| name != "help")
            .collect();
        assert_eq!(
            env!("CARGO_PKG_DESCRIPTION"),
            format!("The workshop runner: cargo xtask {}", commands.join(" | "))
        );
    }

    #[test]
    fn command_names_are_unique() {
        for (i, command) in COMMANDS.iter().enumerate() {
            assert!(COMMANDS[i + 1..].iter().all(|c| c.name != command.name));
        }
    }
}
