//! `cargo xtask book`: builds `docs/` into `book/` with mdBook.
//!
//! The book is optional: the pages read as plain Markdown in `docs/`, and CI
//! does not build it. Before building, it draws the book's pictures
//! (`PICTURES`: three timelines and the Amdahl chart) from a `--quick` run
//! of the lessons on this machine (into `docs/pictures/`, which git
//! ignores), each labelled as measured here; a section that draws none
//! fails the build. After building, it takes mdBook's configuration out of
//! the book, checks that every link and picture of every page resolves
//! inside `book/`, as `mdbook serve` serves it (a link that leaves the book
//! would 404), and that each picture is on its page.
//!
//! `xtask/scripts/check_book.py` checks the built book in a browser as
//! well (tables that overflow, links under `mdbook serve`); it needs
//! Chromium, so it is optional tooling (see CONTRIBUTING.md).

use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

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
    let problems = [
        (
            "link(s) in the built book lead nowhere",
            broken_links(&book)?,
        ),
        ("picture(s) are not on their page", missing_pictures(&book)?),
    ];
    for (what, found) in problems.iter().filter(|(_, found)| !found.is_empty()) {
        println!("{} {what}:", found.len());
        for one in found {
            println!("  {one}");
        }
    }
    if problems.iter().any(|(_, found)| !found.is_empty()) {
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "The book is in {}: open it in a browser.",
        project::shown(&project::path(Place::BookIndex))
    );
    Ok(ExitCode::SUCCESS)
}

/// A picture of the book: the lesson section that draws it in a `--quick`
/// run on this machine, and the page that shows it.
struct Picture {
    lesson: &'static str,
    section: &'static str,
    /// The page, as mdBook names it in the book: `01-sleeper.html`.
    page: &'static str,
}

impl Picture {
    /// Its file in `docs/pictures/`, named as `--pictures` names it.
    fn file(&self) -> String {
        workshop::svg::picture_file(self.lesson, self.section, 1)
    }
}

/// Every picture of the book. The timelines are drawn by the lessons
/// themselves (`--pictures`), captioned with the machine; the Amdahl chart
/// is the SVG the pools lesson writes anyway, labelled here.
const PICTURES: &[Picture] = &[
    Picture {
        lesson: "sleeper",
        section: "many",
        page: "01-sleeper.html",
    },
    Picture {
        lesson: "gil",
        section: "watch",
        page: "03-gil.html",
    },
    Picture {
        lesson: "locks",
        section: "semaphore",
        page: "04-locks.html",
    },
    Picture {
        lesson: "pools",
        section: AMDAHL,
        page: "06-pools.html",
    },
];

/// The pools lesson's section that writes the Amdahl chart.
const AMDAHL: &str = "amdahl";

/// The line the pools lesson's `amdahl` section prints just before the
/// path of the SVG it wrote (the path has a line of its own).
const AMDAHL_SVG: &str = "The same chart as an SVG:";

/// How long one `--quick` section may take to draw its picture.
const SECTION_LIMIT: Duration = Duration::from_secs(120);

/// Runs each picture's section `--quick` and puts its picture into
/// `docs/pictures/`; fails if one draws none (a stale picture from an
/// earlier build is removed first, so it cannot stand in).
fn draw_pictures() -> Result<(), Failure> {
    let lessons = lessons::all()?;
    let wanted: Vec<_> = lessons
        .into_iter()
        .filter(|lesson| PICTURES.iter().any(|p| p.lesson == lesson.package))
        .collect();
    let binaries = launch::build(&wanted)?;
    let folder = project::path(Place::BookPictures);
    for picture in PICTURES {
        let binary = wanted
            .iter()
            .zip(&binaries)
            .find_map(|(lesson, binary)| (lesson.package == picture.lesson).then_some(binary))
            .ok_or_else(|| {
                Failure::Broken(format!("no lesson {} to draw a picture", picture.lesson))
            })?;
        let file = folder.join(picture.file());
        project::remove(&file)?;
        println!(
            "Drawing a picture: {} --quick --section {}…",
            picture.lesson, picture.section
        );
        let mut command = Command::new(binary);
        command.args(["--quick", "--section", picture.section, "--pictures"]);
        command.arg(&folder);
        let ran = project::output_within(&mut command, SECTION_LIMIT)?.ok_or_else(|| {
            Failure::Broken(format!(
                "{} --section {} ran past {} s",
                picture.lesson,
                picture.section,
                SECTION_LIMIT.as_secs()
            ))
        })?;
        let printed = String::from_utf8_lossy(&ran.stdout);
        let failed = || {
            Failure::Broken(format!(
                "{} --section {} drew no picture ({}):\n{printed}{}",
                picture.lesson,
                picture.section,
                project::shown(&file),
                String::from_utf8_lossy(&ran.stderr)
            ))
        };
        if !ran.status.success() {
            return Err(failed());
        }
        if picture.section == AMDAHL {
            let chart = amdahl_chart(&printed).ok_or_else(failed)?;
            project::write(&file, &chart?)?;
        }
        if !file.is_file() {
            return Err(failed());
        }
    }
    Ok(())
}

/// The Amdahl chart the pools lesson wrote (its path follows
/// [`AMDAHL_SVG`] in what it printed), labelled with this machine; `None`
/// if it printed no path.
fn amdahl_chart(printed: &str) -> Option<Result<String, Failure>> {
    let mut lines = printed.lines();
    let drawn = lines
        .by_ref()
        .find(|line| *line == AMDAHL_SVG)
        .and_then(|_| lines.next())
        .map(str::trim)?;
    let labelled = project::read(Path::new(drawn)).and_then(|svg| {
        let label = format!(
            "<text x=\"10\" y=\"392\" font-size=\"11\" fill=\"gray\">{}</text>\n</svg>",
            workshop::svg::escape(&measured_here())
        );
        svg.trim_end()
            .strip_suffix("</svg>")
            .map(|body| format!("{body}{label}\n"))
            .ok_or_else(|| Failure::Broken(format!("{drawn} is not an SVG document")))
    });
    Some(labelled)
}

/// Where the Amdahl chart was measured: `measured with --quick on the
/// machine that built this book: 4 cores (as the OS reports them), linux
/// x86_64`.
fn measured_here() -> String {
    format!(
        "measured with --quick on the machine that built this book: {}",
        workshop::svg::machine()
    )
}

/// The pictures that the built book's pages do not show: `page: file`.
fn missing_pictures(book: &Path) -> Result<Vec<String>, Failure> {
    let mut missing = Vec::new();
    for picture in PICTURES {
        let page = project::read(&book.join(picture.page))?;
        let shown = link_targets(&page)
            .iter()
            .any(|target| *target == format!("pictures/{}", picture.file()));
        if !shown {
            missing.push(format!("{}: pictures/{}", picture.page, picture.file()));
        }
    }
    Ok(missing)
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
    use workshop::testing::Scratch;

    #[test]
    fn links_that_leave_the_book_or_lead_nowhere_are_found() {
        let scratch = Scratch::new("xtask-book");
        let book = scratch.path();
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
        assert!(resolves_inside(book, &page, "rosetta.html#threads"));
        assert!(
            resolves_inside(book, &page, "/"),
            "the root, where the book is served"
        );
        assert!(!resolves_inside(book, &page, "missing.html"));
        assert!(
            !resolves_inside(book, &page, "../lessons/01-sleeper/src/lib.rs"),
            "a file outside the book 404s when the book is served"
        );
    }

    #[test]
    fn every_picture_is_on_its_page() {
        for picture in PICTURES {
            let page = picture.page.replace(".html", ".md");
            let markdown = project::read(&project::path(Place::Docs).join(&page)).unwrap();
            assert!(
                markdown.contains(&format!("src=\"pictures/{}\"", picture.file())),
                "docs/{page} shows no pictures/{}",
                picture.file()
            );
        }
    }

    #[test]
    fn a_page_without_its_picture_is_found() {
        let scratch = Scratch::new("xtask-pictures");
        let book = scratch.path();
        for picture in PICTURES {
            let html = format!("<p><img src=\"pictures/{}\" alt=\"a\"></p>", picture.file());
            project::write(&book.join(picture.page), &html).unwrap();
        }
        assert_eq!(missing_pictures(book).unwrap(), Vec::<String>::new());
        project::write(&book.join("03-gil.html"), "<p>no picture</p>").unwrap();
        assert_eq!(
            missing_pictures(book).unwrap(),
            ["03-gil.html: pictures/gil-watch.svg"]
        );
    }

    #[test]
    fn the_amdahl_chart_is_found_after_its_line_and_labelled() {
        let scratch = Scratch::new("xtask-amdahl");
        let drawn = scratch.join("amdahl.svg");
        project::write(&drawn, "<svg>\n<circle/>\n</svg>\n").unwrap();
        let printed = format!("a table\n{AMDAHL_SVG}\n  {}\n\nmore", drawn.display());
        let chart = amdahl_chart(&printed).unwrap().unwrap();
        assert!(chart.starts_with("<svg>\n<circle/>\n<text"), "{chart}");
        assert!(
            chart.contains("on the machine that built this book: "),
            "{chart}"
        );
        assert!(chart.trim_end().ends_with("</svg>"));
        assert!(amdahl_chart("no chart here").is_none());
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
