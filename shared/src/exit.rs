//! The exit codes of the workshop's programs, named once: the lesson
//! binaries use them, and `cargo xtask` reads them back (a lesson that
//! exits with [`DEADLOCK`] was stopped by its own watchdog).

use std::process::ExitCode;

/// Something went wrong while running: a section failed, a check did not
/// pass.
pub const FAILED: u8 = 1;
/// Bad input: an unknown flag, a bad value, a section that does not exist.
/// Always with a one-line `error:` message.
pub const USAGE: u8 = 2;
/// A section ran far past its time limit and the watchdog ended the
/// process: a deadlock, most likely.
pub const DEADLOCK: u8 = 3;
/// The person at the keyboard stopped a run that more lessons follow (q at
/// a `--pause` prompt in `cargo xtask all`): the runner stops too. A lesson
/// run by itself exits with 0 instead.
pub const STOPPED: u8 = 4;
/// Ctrl-C stopped the run (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// The process exit code for one of the codes above.
pub fn code(code: u8) -> ExitCode {
    ExitCode::from(code)
}
