//! `cargo xtask book`: builds `docs/` into `book/` with mdBook.
//!
//! The book is optional: the pages read as plain Markdown in `docs/`, and CI
//! does not build it. Before building, it draws the book's pictures from a
//! `--quick` run of the lessons on this machine (into `docs/pictures/`,
//! which git ignores), each labelled as measured here. After building, it
//! takes mdBook's configuration out of the book and checks that every link
//! and picture of every page resolves inside `book/`, as `mdbook serve`
//! serves it: a link that leaves the book would 404.

use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::failure::{CommandResult, Failure, no_arguments};
use crate::launch;
use crate::lessons;
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
    draw_pictures()?;
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
    let book = project::path(Place::Book);
    // The pages' folder is mdBook's source, so it copies its own
    // configuration into the book; a reader has no use for it.
    project::remove(&book.join("book.toml"))?;
    let broken = broken_links(&book)?;
    if !broken.is_empty() {
        println!("{} link(s) in the built book lead nowhere:", broken.len());
        for link in &broken {
            println!("  {link}");
        }
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "The book is in {}: open it in a browser.",
        project::shown(&project::path(Place::BookIndex))
    );
    Ok(ExitCode::SUCCESS)
}

/// The line the pools lesson's `amdahl` section prints just before the
/// path of the SVG it wrote (the path has a line of its own).
const AMDAHL_SVG: &str = "The same chart as an SVG:";

/// Runs the pools lesson's `amdahl` section `--quick` and puts the chart it
/// drew into `docs/pictures/amdahl.svg`, labelled with this machine.
fn draw_pictures() -> Result<(), Failure> {
    let pools = lessons::all()?
        .into_iter()
        .find(|lesson| lesson.package == "pools")
        .ok_or_else(|| Failure::Broken("no pools lesson to draw the Amdahl chart".into()))?;
    let binaries = launch::build(std::slice::from_ref(&pools))?;
    println!("Drawing the pictures: pools --quick --section amdahl…");
    let ran = project::output(Command::new(&binaries[0]).args(["--quick", "--section", "amdahl"]))?;
    let printed = String::from_utf8_lossy(&ran.stdout);
    let mut lines = printed.lines();
    let drawn = lines
        .by_ref()
        .find(|line| *line == AMDAHL_SVG)
        .and_then(|_| lines.next())
        .map(str::trim)
        .filter(|_| ran.status.success())
        .ok_or_else(|| {
            Failure::Broken(format!(
                "pools --section amdahl wrote no SVG:\n{printed}{}",
                String::from_utf8_lossy(&ran.stderr)
            ))
        })?;
    let svg = project::read(Path::new(drawn))?;
    let label = format!(
        "<text x=\"10\" y=\"392\" font-size=\"11\" fill=\"gray\">{}</text>\n</svg>",
        measured_here()
    );
    let labelled = svg
        .trim_end()
        .strip_suffix("</svg>")
        .map(|body| format!("{body}{label}\n"));
    let labelled =
        labelled.ok_or_else(|| Failure::Broken(format!("{drawn} is not an SVG document")))?;
    project::write(
        &project::path(Place::BookPictures).join("amdahl.svg"),
        &labelled,
    )
}

/// Where a picture was measured: `measured with --quick on the machine that
/// built this book: 4 cores, linux x86_64`.
fn measured_here() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "measured with --quick on the machine that built this book: {cores} cores \
         (as the OS reports them), {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Every `href` and `src` of the book's pages that does not lead to a file
/// inside `book`: `page: target`. External links and `#anchors` are not
/// followed.
fn broken_links(book: &Path) -> Result<Vec<String>, Failure> {
    let mut broken = Vec::new();
    for page in project::list(book)? {
        if page.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = project::read(&page)?;
        for target in link_targets(&html) {
            if !resolves_inside(book, &page, target) {
                broken.push(format!("{}: {target}", project::shown(&page)));
            }
        }
    }
    Ok(broken)
}

/// The values of `href="…"` and `src="…"` that point at a file.
fn link_targets(html: &str) -> Vec<&str> {
    let external = [
        "http:",
        "https:",
        "mailto:",
        "data:",
        "javascript:",
        "//",
        "#",
    ];
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|attribute| html.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .filter(|target| !target.is_empty() && !external.iter().any(|e| target.starts_with(e)))
        .collect()
}

/// Whether `target`, linked from `page`, is a file inside `book`.
fn resolves_inside(book: &Path, page: &Path, target: &str) -> bool {
    let path = target.split(['#', '?']).next().unwrap_or("");
    // `/` is the book's root when it is served, as `mdbook serve` does.
    let mut resolved: PathBuf = match path.strip_prefix('/') {
        Some(_) => book.to_owned(),
        None => page.parent().unwrap_or(book).to_owned(),
    };
    for part in Path::new(path).components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    if resolved.is_dir() {
        resolved.push("index.html");
    }
    resolved.starts_with(book) && resolved.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_that_leave_the_book_or_lead_nowhere_are_found() {
        let book = std::env::temp_dir().join(format!("xtask-book-{}", std::process::id()));
        project::write(&book.join("index.html"), "").unwrap();
        project::write(&book.join("rosetta.html"), "").unwrap();
        let page = book.join("index.html");
        let html = r##"<a href="rosetta.html#threads">x</a> <a href="https://a.b/">y</a>
            <img src="../lessons/01-sleeper/src/lib.rs"> <a href="missing.html">z</a> <a href="#top">t</a>"##;
        let targets = link_targets(html);
        assert_eq!(
            targets,
            [
                "rosetta.html#threads",
                "missing.html",
                "../lessons/01-sleeper/src/lib.rs"
            ]
        );
        assert!(resolves_inside(&book, &page, "rosetta.html#threads"));
        assert!(
            resolves_inside(&book, &page, "/"),
            "the root, where the book is served"
        );
        assert!(!resolves_inside(&book, &page, "missing.html"));
        assert!(
            !resolves_inside(&book, &page, "../lessons/01-sleeper/src/lib.rs"),
            "a file outside the book 404s when the book is served"
        );
        std::fs::remove_dir_all(&book).unwrap();
    }

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
