//! `cargo xtask`: the workshop runner.
//!
//! ```text
//! cargo xtask all [--quick] [--compare-python]
//!                                    every lesson in order, then a summary
//! cargo xtask list                   the lessons, with their exercises
//! cargo xtask run LESSON [ARGS...]   one lesson (ARGS go to the lesson)
//! cargo xtask check [LESSON]         check your exercises, get a hint
//! cargo xtask verify                 maintainers: prove every exercise
//! cargo xtask coarse-clock           maintainers: lessons and tests on a
//!                                    CPU clock with Windows-sized ticks
//! cargo xtask book                   build docs/ into book/ with mdBook
//! ```
//!
//! `main` only dispatches; each command is a module with a `run` function.
//! Everything about the layout of the repository is in [`project`].

mod book;
mod check;
mod coarse;
mod lessons;
mod libtest;
mod project;
mod run;
mod verify;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <COMMAND>

Commands:
  all [--quick] [--compare-python]
                         Run every lesson in order, then print a summary;
                         --compare-python runs CPython beside them
  list                   List the lessons and their exercises
  run LESSON [ARGS...]   Run one lesson; ARGS go to it (try --help)
  check [LESSON]         Check your exercises (all lessons, or one)
  verify                 Maintainers: exercises fail as shipped and pass
                         when solved; hints, docs and lesson order agree
  coarse-clock           Maintainers: every lesson and test with CPU time
                         counted in 16 ms ticks, as on Windows
  book                   Build the docs into book/ with mdBook
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        "all" => run::all(rest),
        "list" => no_arguments(rest).and_then(|()| run::list()),
        "run" => run::one(rest),
        "check" => check::run(rest),
        "verify" => no_arguments(rest).and_then(|()| verify::run()),
        "coarse-clock" => no_arguments(rest).and_then(|()| coarse::run()),
        "book" => no_arguments(rest).and_then(|()| book::run()),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Failure::Usage(format!(
            "unknown command `{other}` (try `cargo xtask help`)"
        ))),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Broken(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Why a command could not do its job.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: one line, exit code 2.
    Usage(String),
    /// Something went wrong while running: exit code 1.
    Broken(String),
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Broken(error.to_string())
    }
}

/// What every command returns.
pub type Outcome = Result<ExitCode, Failure>;

fn no_arguments(rest: &[String]) -> Result<(), Failure> {
    match rest.first() {
        Some(arg) => Err(Failure::Usage(format!("unexpected argument `{arg}`"))),
        None => Ok(()),
    }
}
