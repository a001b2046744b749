//! `cargo xtask list`: the lessons in teaching order, with how many core and
//! stretch exercises each has.

use std::process::ExitCode;

use workshop::Table;

use crate::failure::{CommandResult, no_arguments};
use crate::lessons;

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    print!("{}", listing()?);
    Ok(ExitCode::SUCCESS)
}

/// What the command prints.
fn listing() -> Result<String, crate::failure::Failure> {
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
    Ok(format!(
        "{}\n{}\n",
        table.render(),
        workshop::text::reflow(
            "Run one with `cargo xtask run LESSON` (or `cargo run -p LESSON`); check \
             exercises with `cargo xtask check LESSON`."
        )
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_names_every_lesson_in_80_columns() {
        let text = listing().unwrap();
        for lesson in lessons::all().unwrap() {
            assert!(text.contains(&lesson.folder), "{text}");
        }
        assert_eq!(workshop::testing::too_wide(&text), Vec::<String>::new());
    }
}
