//! `cargo xtask book`: builds `docs/` into `book/` with mdBook.
//!
//! The book is optional: the pages read as plain Markdown in `docs/`, and CI
//! does not build it. The build goes to `book/` at the top of the repository
//! so that the pages' relative links to `../lessons/...` still find the
//! lessons' files.

use std::process::{Command, ExitCode};

use crate::failure::{CommandResult, no_arguments};
use crate::project::{self, Place};

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    let installed = Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        println!("mdbook is not installed. Install it with:");
        println!();
        println!("    cargo install mdbook --locked");
        println!();
        println!("(a few minutes), then run `cargo xtask book` again. Meanwhile the pages read as");
        println!("plain Markdown in docs/, starting at docs/README.md.");
        return Ok(ExitCode::FAILURE);
    }
    let output = project::output(
        Command::new("mdbook")
            .arg("build")
            .arg(project::path(Place::Docs))
            .current_dir(project::root()),
    )?;
    let log = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    if !output.status.success() || !warnings.is_empty() {
        eprint!("{log}");
        println!(
            "mdbook reported {} problem(s); the book must build cleanly.",
            warnings.len().max(1)
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "The book is in {}: open it in a browser.",
        project::shown(&project::path(Place::BookIndex))
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/book.toml` says where mdBook builds; the message after a build
    /// names [`project::book_dir`]: they must agree.
    #[test]
    fn the_book_is_built_where_we_say() {
        let config = project::read(&project::path(Place::BookConfig)).unwrap();
        let build_dir = config
            .lines()
            .find_map(|l| l.strip_prefix("build-dir = "))
            .map(|v| v.trim_matches('"'))
            .expect("docs/book.toml sets build-dir");
        let mut built = project::path(Place::Docs);
        for part in std::path::Path::new(build_dir).components() {
            match part {
                std::path::Component::ParentDir => {
                    built.pop();
                }
                other => built.push(other),
            }
        }
        assert_eq!(built, project::path(Place::Book));
    }
}
