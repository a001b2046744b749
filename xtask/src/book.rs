//! `cargo xtask book`: builds `docs/` into `book/` with mdBook.
//!
//! The book is optional: the pages read as plain Markdown in `docs/`, and CI
//! does not build it. The build goes to `book/` at the top of the repository
//! so that the pages' relative links to `../lessons/...` still find the
//! lessons' files.

use std::process::{Command, ExitCode};

use crate::{Outcome, project};

/// The command.
pub fn run() -> Outcome {
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
    let output = Command::new("mdbook")
        .arg("build")
        .arg(project::docs_dir())
        .current_dir(project::root())
        .output()?;
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
        project::shown(&project::root().join("book/index.html"))
    );
    Ok(ExitCode::SUCCESS)
}
