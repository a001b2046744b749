//! `cargo xtask list`: the lessons in teaching order, with how many core and
//! stretch exercises each has.

use std::process::ExitCode;

use workshop::Table;

use crate::failure::{CommandResult, no_arguments};
use crate::lessons;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    let mut table = Table::new(["lesson", "core", "stretch", "what it covers"]);
    for lesson in lessons::all()? {
        let (core, stretch) = match lesson.exercises() {
            Ok(exercises) => {
                let core = exercises.iter().filter(|e| e.is_core()).count();
                (core.to_string(), (exercises.len() - core).to_string())
            }
            Err(_) => ("-".into(), "-".into()),
        };
        table.push([
            lesson.folder.clone(),
            core,
            stretch,
            lesson.description.clone(),
        ]);
    }
    print!("{}", table.render());
    println!(
        "\nRun one with `cargo xtask run LESSON` (or `cargo run -p LESSON`); check exercises with `cargo xtask check LESSON`."
    );
    Ok(ExitCode::SUCCESS)
}
