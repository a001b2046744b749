//! Why a command could not do its job, and what every command returns.
//!
//! There is no `From<io::Error>`: an error that reaches the learner must
//! say which file or program it is about, so each one is made where that is
//! known (see [`crate::project`]'s `read`, `list`, `output`).

use std::process::ExitCode;

use workshop::exit;

/// Why a command could not do its job.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// Bad input: one line, exit code [`exit::USAGE`].
    Usage(String),
    /// Something went wrong while running: exit code [`exit::FAILED`].
    Broken(String),
}

impl Failure {
    /// The message, one line or more.
    pub fn message(&self) -> &str {
        match self {
            Failure::Usage(message) | Failure::Broken(message) => message,
        }
    }

    /// The exit code it ends `cargo xtask` with.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::Broken(_) => exit::FAILED,
        }
    }
}

/// What every command returns: its exit code, or why it could not run.
pub type CommandResult = Result<ExitCode, Failure>;

/// For a command that takes no arguments.
pub fn no_arguments(args: &[String]) -> Result<(), Failure> {
    match args.first() {
        Some(arg) => Err(Failure::Usage(format!("unexpected argument `{arg}`"))),
        None => Ok(()),
    }
}
