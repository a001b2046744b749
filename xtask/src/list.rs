//! `cargo xtask list`: the lessons in teaching order, with their exercises.

use std::process::ExitCode;

use workshop::Table;

use crate::failure::{CommandResult, no_arguments};
use crate::lessons;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    let mut table = Table::new(["lesson", "exercises", "what it covers"]);
    for lesson in lessons::all()? {
        let exercises = lesson
            .exercises()
            .map(|e| e.len().to_string())
            .unwrap_or_else(|_| "-".into());
        table.push([lesson.folder.clone(), exercises, lesson.description.clone()]);
    }
    print!("{}", table.render());
    println!(
        "\nRun one with `cargo xtask run LESSON` (or `cargo run -p LESSON`); check exercises with `cargo xtask check LESSON`."
    );
    Ok(ExitCode::SUCCESS)
}
