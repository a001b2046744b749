//! `cargo xtask verify`: the maintainers' proof that the workshop holds
//! together. It fails, listing every problem, unless every check passes:
//!
//! - [`structure`]: the lesson folders, their package names, the docs
//!   index, the book's `SUMMARY.md` and the README agree on the lessons and
//!   their order, every relative link resolves, the book shows no Rust that
//!   the lessons do not contain, its Rosetta page names every Python
//!   construct the workshop uses, and every exercise has a non-empty hint
//!   and the same heading in the solutions file. Nothing is compiled, so
//!   this part also runs as a unit test, with `cargo test --workspace`.
//! - [`hints`]: no hint quotes two or more lines of its solution (also a
//!   unit test).
//! - [`exercises`]: every exercise's tests fail on the stub as shipped and
//!   pass on the reference solution.
//! - [`teaching`]: the learner's path: references by number name what they
//!   point at, every construct in the primer's table is introduced before it
//!   is used, core exercises use only what was introduced, no explanation
//!   runs past the word limit, every lesson has a recap, core exercises come
//!   before stretch ones. Nothing is compiled: it runs with the unit tests
//!   too.
//! - [`loom`]: the model checks of any lesson that has them
//!   (`tests/loom.rs`) pass under loom.
//! - [`deep_checks`]: the wrong answers that only Miri or loom can catch
//!   (kept in `tests/wrong_answers/`) fail `cargo xtask check`, citing
//!   them.
//!
//! A new check is a module with a function of the shape of those below,
//! and a row in [`WORKSHOP_CHECKS`] or [`LESSON_CHECKS`].

mod deep_checks;
mod exercises;
mod hints;
mod loom;
mod structure;
mod teaching;

use std::process::ExitCode;

use crate::failure::{CommandResult, Failure, no_arguments};
use crate::lessons::{self, LessonCrate};

/// What a check found wrong, one line (or a few) each.
pub type Problems = Result<Vec<String>, Failure>;

/// Checks of the whole workshop that need no compiling, in report order.
pub const WORKSHOP_CHECKS: &[fn(&[LessonCrate]) -> Problems] =
    &[structure::problems, hints::problems, teaching::problems];

/// Checks that build and run one lesson, each over every lesson in turn.
pub const LESSON_CHECKS: &[fn(&LessonCrate) -> Problems] =
    &[exercises::problems, loom::problems, deep_checks::problems];

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    let lessons = lessons::all()?;
    let mut problems = Vec::new();
    for check in WORKSHOP_CHECKS {
        problems.extend(check(&lessons)?);
    }
    for check in LESSON_CHECKS {
        for lesson in &lessons {
            problems.extend(check(lesson)?);
        }
    }
    if problems.is_empty() {
        println!("verify: everything holds.");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("verify found {} problem(s):", problems.len());
        for problem in &problems {
            println!("  - {problem}");
        }
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The part of `cargo xtask verify` that needs no compiling also runs
    /// with `cargo test --workspace`.
    #[test]
    fn lessons_docs_and_hints_agree() {
        let lessons = lessons::all().unwrap();
        assert!(!lessons.is_empty());
        for check in WORKSHOP_CHECKS {
            let problems = check(&lessons).unwrap();
            assert!(
                problems.is_empty(),
                "run `cargo xtask verify`:\n{}",
                problems.join("\n")
            );
        }
    }
}
