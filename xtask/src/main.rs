//! `cargo xtask`: the workshop runner. `cargo xtask help` lists the
//! commands, from [`COMMANDS`].
//!
//! `main` only dispatches; each command is a module with a `run` function
//! taking the command's arguments. Adding a command is a module and a row
//! of [`COMMANDS`]: the usage text comes from the table, and a test checks
//! that the crate's description in `Cargo.toml` names every command.
//! Everything about the layout of the repository is in [`project`].

mod all;
mod arguments;
mod book;
mod check;
mod coarse;
mod deep_checks;
mod diagnostics;
mod exercise_tests;
mod failure;
mod hint;
mod interrupt;
mod json;
mod launch;
mod lessons;
mod libtest;
mod list;
mod miri;
mod model_check;
mod options;
mod project;
mod report;
mod reset;
mod run;
mod solution;
mod terminal;
mod test_processes;
mod verify;
mod watch;
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
        name: "watch",
        args: "[LESSON]",
        about: "Check your exercises each time you save, with\nhints and progress (keys: h n l r q)",
        run: watch::run,
    },
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
        name: "hint",
        args: "LESSON [EXERCISE]",
        about: "An exercise's hint (default: the next to do)",
        run: hint::run,
    },
    Subcommand {
        name: "reset",
        args: "LESSON EXERCISE [--yes]",
        about: "Put back one exercise's stub as shipped",
        run: reset::run,
    },
    Subcommand {
        name: "solution",
        args: "LESSON EXERCISE [--show-anyway]",
        about: "The reference solution, once yours passes",
        run: solution::run,
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
        args: "[COMMAND]",
        about: "Show this list, or one command's usage\n(also `cargo xtask COMMAND --help`)",
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
    let command = find(name)?;
    if asks_for_help(command, rest) {
        print!("{}", command_usage(command));
        return Ok(ExitCode::SUCCESS);
    }
    (command.run)(rest)
}

/// The command called `name`, or a one-line error that suggests one.
fn find(name: &str) -> Result<&'static Subcommand, Failure> {
    let found = COMMANDS.iter().find(|command| command.name == name);
    found.ok_or_else(|| {
        Failure::Usage(format!(
            "unknown command `{name}`{} (try `cargo xtask help`)",
            suggest::hint(name, COMMANDS.iter().map(|c| c.name))
        ))
    })
}

/// `cargo xtask CMD --help` (or `-h`): asks for the command's usage. A
/// command that passes `ARGS...` on to a lesson (`run LESSON ARGS...`)
/// takes it as its own only before the lesson's name; after it, `--help`
/// goes to the lesson.
fn asks_for_help(command: &Subcommand, args: &[String]) -> bool {
    let own = if command.args.contains("[ARGS...]") {
        &args[..args.len().min(1)]
    } else {
        args
    };
    own.iter().any(|arg| arg == "--help" || arg == "-h")
}

/// `cargo xtask help`, or `cargo xtask help CMD`: that command's usage.
fn help(args: &[String]) -> CommandResult {
    match args {
        [name] => print!("{}", command_usage(find(name)?)),
        _ => {
            no_arguments(args)?;
            print!("{}", usage());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One command's usage: what to type, and what it does.
fn command_usage(command: &Subcommand) -> String {
    let usage = format!("cargo xtask {} {}", command.name, command.args);
    format!("Usage: {}\n\n{}\n", usage.trim_end(), command.about)
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
            text.lines().any(|l| l.starts_with("  run LESSON [ARGS...]")
                && l.ends_with("   Run one lesson; ARGS go to it (try --help)")),
            "{text}"
        );
        assert!(
            text.lines()
                .skip_while(|l| *l != "  all [--quick] [--compare-python] [--pause]")
                .nth(1)
                .is_some_and(|l| l.trim_start().starts_with("Run every")),
            "a long usage goes on a line of its own: {text}"
        );
    }

    #[test]
    fn every_command_answers_help_with_its_usage() {
        let args = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        for command in COMMANDS {
            for asked in [&["--help"][..], &["-h"], &["sleeper", "--help"]] {
                let passed_on = command.name == "run" && asked.len() == 2;
                assert_eq!(
                    asks_for_help(command, &args(asked)),
                    !passed_on,
                    "{} {asked:?}",
                    command.name
                );
            }
            assert!(!asks_for_help(command, &args(&["sleeper"])));
            let text = command_usage(command);
            let first = format!("Usage: cargo xtask {} {}", command.name, command.args);
            assert!(
                text.starts_with(&format!("{}\n\n", first.trim_end())),
                "{text}"
            );
            assert!(text.contains(command.about), "{text}");
            assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        }
        let verify = find("verify").unwrap();
        assert!(command_usage(verify).starts_with("Usage: cargo xtask verify\n\nMaintainers:"));
        let typo = find("verfy").err().map(|f| f.message().to_owned());
        assert!(typo.is_some_and(|m| m.contains("`verify`")));
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
