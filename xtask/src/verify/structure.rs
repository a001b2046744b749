//! The checks that need no compiling: the lessons' order as the docs and
//! the README give it, links, the book's pages and its Rust, the Rosetta
//! page, and the hints.

use std::path::PathBuf;

use workshop::shown::{Code, code_lines};

use super::Problems;
use crate::lessons::{self, LessonCrate};
use crate::project::{self, Place, read};

/// Problems with the lesson order, the docs and the hints: everything that
/// can be checked without compiling a lesson.
pub fn problems(lessons: &[LessonCrate]) -> Problems {
    let mut problems = Vec::new();
    for lesson in lessons {
        if lesson.package != lesson.topic {
            problems.push(format!(
                "{}: the package is named `{}`, not `{}`",
                lesson.folder, lesson.package, lesson.topic
            ));
        }
        if lesson.description.is_empty() {
            problems.push(format!(
                "{}: Cargo.toml has no description (cargo xtask list shows it)",
                lesson.folder
            ));
        }
        if !project::path(Place::LessonPage(&lesson.folder)).exists() {
            problems.push(format!(
                "{}: no page docs/{}.md",
                lesson.folder, lesson.folder
            ));
        }
        problems.extend(hint_problems(lesson)?);
    }
    let order: Vec<&str> = lessons.iter().map(|l| l.folder.as_str()).collect();
    for (document, prefix) in [
        (project::path(Place::DocsIndex), ""),
        (project::path(Place::BookSummary), ""),
        (project::path(Place::Readme), "docs/"),
    ] {
        let linked = linked_lessons(&read(&document)?, prefix);
        if linked != order {
            problems.push(format!(
                "{} lists the lessons as {linked:?}, but lessons/ holds {order:?}",
                project::shown(&document)
            ));
        }
    }
    problems.extend(broken_links()?);
    problems.extend(book_problems()?);
    problems.extend(rosetta_problems()?);
    Ok(problems)
}

/// Every Python construct the workshop uses, as `docs/rosetta.md` must
/// name it (in backticks, in its Python column).
const ROSETTA: &[&str] = &[
    "threading.Thread(target",
    "t.start()",
    "t.join()",
    "t.daemon",
    "current_thread().name",
    "threading.local()",
    "threading.Lock()",
    "threading.RLock()",
    "threading.Semaphore(",
    "threading.Event()",
    "threading.Condition()",
    "threading.Barrier(",
    "queue.Queue()",
    "q.put(",
    "q.get()",
    "q.task_done()",
    "q.join()",
    "ThreadPoolExecutor(",
    "ex.map(",
    "ex.submit(",
    "Future.result()",
    "ex.shutdown(",
    "multiprocessing.Pool(",
    "Pool.map(",
    "sys.getrefcount(",
    "sys.getswitchinterval()",
    "sys.setswitchinterval(",
    "weakref",
    "del a",
    "%time",
];

/// The Rosetta page names every construct in [`ROSETTA`].
fn rosetta_problems() -> Problems {
    let page = read(&project::path(Place::Rosetta))?;
    Ok(missing_constructs(&page)
        .into_iter()
        .map(|construct| format!("docs/rosetta.md: no row for the Python construct `{construct}`"))
        .collect())
}

/// The constructs of [`ROSETTA`] that no table row of `page` names in its
/// first column.
fn missing_constructs(page: &str) -> Vec<&'static str> {
    let first_cells: Vec<&str> = page
        .lines()
        .filter_map(|line| line.strip_prefix('|'))
        .filter_map(|row| row.split(" | ").next())
        .collect();
    ROSETTA
        .iter()
        .copied()
        .filter(|construct| !first_cells.iter().any(|cell| cell.contains(construct)))
        .collect()
}

/// The book's pages: every page in `SUMMARY.md`, no link that mdBook would
/// break, and no Rust in a page that the lessons do not contain.
fn book_problems() -> Problems {
    let mut problems = Vec::new();
    let summary = read(&project::path(Place::BookSummary))?;
    let listed = link_targets(&summary);
    let code = lesson_and_core_code()?;
    for page in docs_pages()? {
        let name = page
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = read(&page)?;
        if name != "SUMMARY.md" && !listed.contains(&name.as_str()) {
            problems.push(format!(
                "docs/{name} is not in docs/SUMMARY.md, so the book leaves it out"
            ));
        }
        for target in link_targets(&text) {
            let path = target.split('#').next().unwrap_or("");
            if path.starts_with("../") && path.ends_with(".md") {
                problems.push(format!(
                    "docs/{name}: the link to `{target}` breaks in the book (mdBook turns .md links into .html)"
                ));
            }
        }
        for block in rust_blocks(&text) {
            for line in code_lines(block) {
                if !code.contains(line) {
                    problems.push(format!(
                        "docs/{name} shows Rust that no lesson contains: {line}"
                    ));
                }
            }
        }
    }
    Ok(problems)
}

/// The Markdown pages of `docs/`, sorted.
fn docs_pages() -> Result<Vec<PathBuf>, crate::failure::Failure> {
    let entries = project::list(&project::path(Place::Docs))?;
    Ok(entries
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect())
}

/// The code of the lessons and the core, every Rust file of their `src/`
/// (by the rule of [`workshop::shown`]: a line shown in the docs must be
/// found in code, not in another page's quotation of it).
fn lesson_and_core_code() -> Result<Code, crate::failure::Failure> {
    let mut texts = Vec::new();
    let mut dirs = vec![project::path(Place::SharedSources)];
    for lesson in lessons::all()? {
        dirs.push(project::path(Place::Sources(&lesson.dir)));
    }
    while let Some(dir) = dirs.pop() {
        for path in project::list(&dir)? {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                texts.push(read(&path)?);
            }
        }
    }
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    Ok(Code::new(&texts))
}

/// The contents of the fenced ```rust blocks (```rust,ignore too).
fn rust_blocks(markdown: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut open: Option<usize> = None;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        if let Some(info) = line.trim().strip_prefix("```") {
            match open.take() {
                Some(start) => blocks.push(&markdown[start..offset]),
                None if info
                    .split(',')
                    .next()
                    .is_some_and(|lang| lang.trim() == "rust") =>
                {
                    open = Some(offset + line.len());
                }
                None => open = None,
            }
        }
        offset += line.len();
    }
    blocks
}

/// Relative links in README.md and docs/*.md whose target does not exist.
fn broken_links() -> Problems {
    let mut pages = vec![project::path(Place::Readme)];
    pages.extend(docs_pages()?);
    let mut problems = Vec::new();
    for page in pages {
        let dir = page.parent().unwrap_or(&page).to_owned();
        for target in link_targets(&read(&page)?) {
            let path = target.split('#').next().unwrap_or("");
            let external = target.contains("://") || target.starts_with("mailto:");
            if !external && !path.is_empty() && !dir.join(path).exists() {
                problems.push(format!(
                    "{}: the link to `{target}` leads nowhere",
                    project::shown(&page)
                ));
            }
        }
    }
    Ok(problems)
}

/// The targets of Markdown links `[text](target)`.
fn link_targets(markdown: &str) -> Vec<&str> {
    markdown
        .split("](")
        .skip(1)
        .filter_map(|piece| piece.split(')').next())
        .collect()
}

/// The widest a line of a hint may be: `cargo xtask check` indents it by
/// two spaces, and the whole fits in 80 columns.
const HINT_WIDTH: usize = 78;

fn hint_problems(lesson: &LessonCrate) -> Problems {
    let mut problems = Vec::new();
    let exercises = lesson.exercises()?;
    if exercises.is_empty() {
        problems.push(format!(
            "{}: src/exercises.rs has no `/// # Exercise N: `name`` headings",
            lesson.folder
        ));
    }
    let hints = lesson.hints()?;
    for exercise in &exercises {
        match hints.iter().find(|(name, _)| *name == exercise.name) {
            Some((_, hint)) if !hint.is_empty() => {}
            Some(_) => problems.push(format!(
                "{}: the hint for `{}` is empty",
                lesson.folder, exercise.name
            )),
            None => problems.push(format!(
                "{}: hints.md has no `## {}`",
                lesson.folder, exercise.name
            )),
        }
    }
    // `cargo xtask check` prints a hint indented by two spaces.
    for (name, hint) in &hints {
        if let Some(wide) = hint.lines().find(|l| l.chars().count() > HINT_WIDTH) {
            problems.push(format!(
                "{}: a line of the hint for `{name}` is wider than {HINT_WIDTH} columns: {wide}",
                lesson.folder
            ));
        }
    }
    for (name, _) in &hints {
        if !exercises.iter().any(|e| e.name == *name) {
            problems.push(format!(
                "{}: hints.md has a hint for `{name}`, which is not an exercise",
                lesson.folder
            ));
        }
    }
    let solved = lesson.solved_exercises()?;
    let names = |list: &[lessons::Exercise]| {
        list.iter()
            .map(|e| (e.number, e.name.clone()))
            .collect::<Vec<_>>()
    };
    if names(&solved) != names(&exercises) {
        problems.push(format!(
            "{}: src/solutions.rs has other exercise headings than src/exercises.rs",
            lesson.folder
        ));
    }
    Ok(problems)
}

/// The lesson pages a Markdown file links to, in order: `](01-sleeper.md)`.
fn linked_lessons(markdown: &str, prefix: &str) -> Vec<String> {
    let mut linked = Vec::new();
    for target in link_targets(markdown) {
        let Some(page) = target
            .strip_prefix(prefix)
            .and_then(|t| t.strip_suffix(".md"))
        else {
            continue;
        };
        if workshop::split_lesson_folder(page).is_some() && !linked.iter().any(|l| l == page) {
            linked.push(page.to_owned());
        }
    }
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_blocks_are_found_between_their_fences() {
        let page =
            "text\n```rust\nlet x = 1;\nfoo(x);\n```\n```sh\nls\n```\n```rust,ignore\nbar()\n```";
        assert_eq!(rust_blocks(page), ["let x = 1;\nfoo(x);\n", "bar()\n"]);
    }

    #[test]
    fn a_construct_counts_only_in_the_python_column() {
        let page = "| `t.join()` | `handle.join()` |\n| x | `%time` |\nq.get() in prose\n";
        let missing = missing_constructs(page);
        assert!(!missing.contains(&"t.join()"), "{missing:?}");
        assert!(missing.contains(&"%time"), "only in the Rust column");
        assert!(missing.contains(&"q.get()"), "only in prose");
    }

    #[test]
    fn links_to_lesson_pages_in_order() {
        let markdown =
            "[a](01-sleeper.md), [b](02-refcounting.md), [c](other.md), [d](01-sleeper.md#x)";
        assert_eq!(
            linked_lessons(markdown, ""),
            ["01-sleeper", "02-refcounting"]
        );
        assert_eq!(
            linked_lessons("[s](docs/01-sleeper.md)", "docs/"),
            ["01-sleeper"]
        );
    }
}
