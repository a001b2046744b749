//! `cargo xtask verify`: the maintainers' proof that the workshop holds
//! together. It fails, listing every problem, unless:
//!
//! - the lesson folders, their package names, the docs index, the book's
//!   `SUMMARY.md` and the README agree on the lessons and their order (see
//!   [`structure_problems`], also run as a unit test), and every relative
//!   link in them resolves;
//! - the book shows no Rust that the lessons do not contain, and its Rosetta
//!   page names every Python construct the workshop uses;
//! - every exercise has a non-empty hint and the same heading in the
//!   solutions file;
//! - every exercise's tests fail on the stub as shipped and pass on the
//!   reference solution;
//! - the model checks of any lesson that has them (`tests/loom.rs`) pass
//!   under loom.

use std::process::ExitCode;

use crate::check::{Against, TestRun, progress, test_exercises};
use crate::lessons::{self, Lesson};
use crate::{Failure, Outcome, project};

/// The command.
pub fn run() -> Outcome {
    let lessons = lessons::all()?;
    let mut problems = structure_problems(&lessons)?;
    for lesson in &lessons {
        problems.extend(exercise_problems(lesson)?);
    }
    for lesson in &lessons {
        problems.extend(model_check_problems(lesson)?);
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

/// Problems with the lesson order, the docs and the hints: everything that
/// can be checked without compiling a lesson.
pub fn structure_problems(lessons: &[Lesson]) -> Result<Vec<String>, Failure> {
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
        if !project::docs_dir()
            .join(format!("{}.md", lesson.folder))
            .exists()
        {
            problems.push(format!(
                "{}: no page docs/{}.md",
                lesson.folder, lesson.folder
            ));
        }
        problems.extend(hint_problems(lesson)?);
    }
    let order: Vec<&str> = lessons.iter().map(|l| l.folder.as_str()).collect();
    for (document, linked) in [
        (
            "docs/README.md",
            linked_lessons(&read(&project::docs_dir().join("README.md"))?, ""),
        ),
        (
            "docs/SUMMARY.md",
            linked_lessons(&read(&project::docs_dir().join("SUMMARY.md"))?, ""),
        ),
        (
            "README.md",
            linked_lessons(&read(&project::root().join("README.md"))?, "docs/"),
        ),
    ] {
        if linked != order {
            problems.push(format!(
                "{document} lists the lessons as {linked:?}, but lessons/ holds {order:?}"
            ));
        }
    }
    problems.extend(broken_links()?);
    problems.extend(book_problems()?);
    problems.extend(rosetta_problems()?);
    problems.extend(crate::teaching::problems(lessons)?);
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
fn rosetta_problems() -> Result<Vec<String>, Failure> {
    let page = read(&project::docs_dir().join("rosetta.md"))?;
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
fn book_problems() -> Result<Vec<String>, Failure> {
    let mut problems = Vec::new();
    let summary = read(&project::docs_dir().join("SUMMARY.md"))?;
    let listed = link_targets(&summary);
    let sources = squash(&rust_sources()?);
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
        for line in rust_block_lines(&text) {
            if !sources.contains(&squash(line)) {
                problems.push(format!(
                    "docs/{name} shows Rust that no lesson contains: {line}"
                ));
            }
        }
    }
    Ok(problems)
}

/// The Markdown pages of `docs/`, sorted.
fn docs_pages() -> Result<Vec<std::path::PathBuf>, Failure> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(project::docs_dir())? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}

/// Every Rust source of the lessons and the core, concatenated, without
/// the lessons' snippet literals (`r#"..."#`): a line shown in the docs must
/// be found in code, not in another page's quotation of it.
fn rust_sources() -> Result<String, Failure> {
    let mut text = String::new();
    let mut dirs = vec![project::root().join("shared/src")];
    for lesson in lessons::all()? {
        dirs.push(lesson.dir.join("src"));
    }
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&without_raw_strings(&read(&path)?));
                text.push('\n');
            }
        }
    }
    Ok(text)
}

/// The text outside `r#"..."#` literals.
fn without_raw_strings(source: &str) -> String {
    let mut code = String::new();
    let mut rest = source;
    while let Some(open) = rest.find("r#\"") {
        code.push_str(&rest[..open]);
        rest = rest[open + 3..]
            .split_once("\"#")
            .map_or("", |(_, after)| after);
    }
    code.push_str(rest);
    code
}

/// The code lines of fenced ```rust blocks: no blank lines, comments or
/// `...`, and without trailing `//` comments.
fn rust_block_lines(markdown: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_rust = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            in_rust = !in_rust
                && info
                    .split(',')
                    .next()
                    .is_some_and(|lang| lang.trim() == "rust");
            continue;
        }
        if in_rust {
            let code = trimmed.split(" //").next().unwrap_or("").trim();
            if !code.is_empty() && !code.starts_with("//") && code != "..." && code != "…" {
                lines.push(code);
            }
        }
    }
    lines
}

/// Removes all whitespace, so that a line shown in the docs matches the same
/// code however rustfmt broke it.
fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

/// Relative links in README.md and docs/*.md whose target does not exist.
fn broken_links() -> Result<Vec<String>, Failure> {
    let mut pages = vec![project::root().join("README.md")];
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

fn hint_problems(lesson: &Lesson) -> Result<Vec<String>, Failure> {
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
    for (name, _) in &hints {
        if !exercises.iter().any(|e| e.name == *name) {
            problems.push(format!(
                "{}: hints.md has a hint for `{name}`, which is not an exercise",
                lesson.folder
            ));
        }
    }
    let solved = lessons::parse_exercises(&read(&lesson.solutions_file())?);
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

/// Runs the exercise tests twice: on the solutions (all must pass) and on
/// the stubs (every test must fail).
fn exercise_problems(lesson: &Lesson) -> Result<Vec<String>, Failure> {
    let mut problems = Vec::new();
    let exercises = lesson.exercises()?;
    let folder = &lesson.folder;
    println!("{folder}: testing the reference solutions…");
    let solved = match test_exercises(lesson, Against::Solutions)? {
        TestRun::Ran(results) => results,
        TestRun::DidNotBuild(errors) => {
            return Ok(vec![format!(
                "{folder}: the solutions do not build:\n{errors}"
            )]);
        }
    };
    for stray in solved
        .iter()
        .filter(|t| !exercises.iter().any(|e| e.name == t.exercise()))
    {
        problems.push(format!(
            "{folder}: test `{}` belongs to no exercise (name its module after one)",
            stray.name
        ));
    }
    for p in progress(&exercises, solved) {
        if p.tests.is_empty() {
            problems.push(format!(
                "{folder}: exercise `{}` has no tests",
                p.exercise.name
            ));
        }
        for failure in p.failures() {
            let message = failure.message.as_deref().unwrap_or("");
            problems.push(format!(
                "{folder}: `{}` fails on the reference solution: {message}",
                failure.name
            ));
        }
    }
    println!("{folder}: testing the stubs as shipped…");
    let stubbed = match test_exercises(lesson, Against::Learner)? {
        TestRun::Ran(results) => results,
        TestRun::DidNotBuild(errors) => {
            return Ok(vec![format!("{folder}: the stubs do not build:\n{errors}")]);
        }
    };
    let edited = locally_edited(lesson);
    for p in progress(&exercises, stubbed) {
        let failing = p.failures().count();
        println!(
            "  {} {}: {failing} of {} tests fail on the stub",
            p.exercise.number,
            p.exercise.name,
            p.tests.len()
        );
        for passing in p.tests.iter().filter(|t| t.passed) {
            let why = if edited {
                " (src/exercises.rs has local changes: is it solved?)"
            } else {
                ""
            };
            problems.push(format!(
                "{folder}: `{}` passes on the stub, so it does not test the exercise{why}",
                passing.name
            ));
        }
    }
    Ok(problems)
}

/// Runs a lesson's loom model checks, `tests/loom.rs`, if it has any:
/// `cargo test --release --test loom` with `RUSTFLAGS="--cfg loom"`, so that
/// the lesson's primitives are built on loom's `Mutex` and `Condvar`. The
/// flag changes every crate's build, so it gets a target directory of its
/// own (`target/loom`) and never invalidates the normal build.
fn model_check_problems(lesson: &Lesson) -> Result<Vec<String>, Failure> {
    let folder = &lesson.folder;
    if !lesson.dir.join("tests/loom.rs").exists() {
        return Ok(Vec::new());
    }
    let target = project::target_dir()?.join("loom");
    println!(
        "{folder}: model-checking with loom (tests/loom.rs, release build in {}; \
         the first run builds loom: a minute or two)…",
        project::shown(&target)
    );
    let rustflags = match std::env::var("RUSTFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{flags} --cfg loom"),
        _ => "--cfg loom".to_owned(),
    };
    let started = std::time::Instant::now();
    let output = project::cargo()
        .args([
            "test",
            "--package",
            &lesson.package,
            "--release",
            "--test",
            "loom",
        ])
        .env("RUSTFLAGS", rustflags)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_TARGET_DIR", &target)
        .env("RUST_BACKTRACE", "0")
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let passed = stdout
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with(" ok"))
        .count();
    if output.status.success() && passed > 0 {
        println!(
            "  {passed} model checks passed ({:.1} s with the build)",
            started.elapsed().as_secs_f64()
        );
        return Ok(Vec::new());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
    let tail = report[report.len().saturating_sub(15)..].join("\n    ");
    Ok(vec![format!(
        "{folder}: the loom model checks fail (rerun: RUSTFLAGS=\"--cfg loom\" \
         CARGO_TARGET_DIR=target/loom cargo test -p {} --release --test loom):\n    {tail}",
        lesson.package
    )])
}

/// Whether git reports local changes to the lesson's exercise file.
fn locally_edited(lesson: &Lesson) -> bool {
    let file = lesson.exercises_file();
    let status = std::process::Command::new("git")
        .args(["diff", "--quiet", "--"])
        .arg(&file)
        .current_dir(project::root())
        .status();
    status.is_ok_and(|s| s.code() == Some(1))
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
        if lessons::split_folder(page).is_some() && !linked.iter().any(|l| l == page) {
            linked.push(page.to_owned());
        }
    }
    linked
}

fn read(path: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Broken(format!("cannot read {}: {e}", project::shown(path))))
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
        let problems = structure_problems(&lessons).unwrap();
        assert!(
            problems.is_empty(),
            "run `cargo xtask verify`:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn rust_blocks_are_read_line_by_line() {
        let page = "text\n```rust\nlet x = 1; // why\n// a comment\n\n...\nfoo(x);\n```\n```sh\nls\n```\n```rust,ignore\nbar()\n```";
        assert_eq!(rust_block_lines(page), ["let x = 1;", "foo(x);", "bar()"]);
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
    fn raw_string_literals_are_not_code() {
        assert_eq!(without_raw_strings("a r#\"shown\"# b r#\"more\"#"), "a  b ");
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
