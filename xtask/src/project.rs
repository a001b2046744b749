//! Where things are and how they are run: every path of the repository,
//! every cargo and git invocation, and every read of a file or start of a
//! program goes through here, so each failure names its path or program.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use workshop::process::Tracked;

use crate::failure::Failure;
use crate::test_processes::Cancel;

/// The repository's root (the workspace): the one xtask was built in,
/// unless `XTASK_ROOT` names another copy of it. (xtask's own tests run it
/// on a scratch copy, where they can edit the exercises.)
pub fn root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_ROOT") {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// A file or folder of the repository; [`path`] says where it is.
#[derive(Clone, Copy, Debug)]
pub enum Place<'a> {
    /// `lessons/`: one folder per lesson, in teaching order.
    Lessons,
    /// `docs/`, which is also the mdBook.
    Docs,
    /// The README at the top.
    Readme,
    /// The docs' index page.
    DocsIndex,
    /// The book's table of contents.
    BookSummary,
    /// The Rosetta page: Python constructs beside their Rust counterparts.
    Rosetta,
    /// The primer: the Rust the lessons use, and the table of the section
    /// that introduces each construct.
    RustPrimer,
    /// The contributors' guide at the top.
    Contributing,
    /// mdBook's configuration (mdBook reads it; a test checks that its
    /// `build-dir` is [`Place::Book`]).
    #[cfg(test)]
    BookConfig,
    /// Where `cargo xtask book` builds the book: `book/` at the top (the
    /// pages name the lessons' files as plain paths, not links, which
    /// would leave the book when it is served).
    Book,
    /// The built book's first page.
    BookIndex,
    /// `docs/pictures/`: the pictures `cargo xtask book` draws from a run
    /// of the lessons (not in git: they are measured on each machine).
    BookPictures,
    /// The core crate's sources.
    SharedSources,
    /// A lesson's page: `docs/01-sleeper.md`, for the folder `01-sleeper`.
    LessonPage(&'a str),
    /// In a lesson's folder: its manifest.
    Manifest(&'a Path),
    /// In a lesson's folder: its sources, `src/`.
    Sources(&'a Path),
    /// In a lesson's folder: the file the learner edits.
    Exercises(&'a Path),
    /// In a lesson's folder: the reference solutions.
    Solutions(&'a Path),
    /// In a lesson's folder: one hint per exercise, under `## name`.
    Hints(&'a Path),
    /// In a lesson's folder: its loom model checks, if it has any.
    LoomTests(&'a Path),
    /// In a lesson's folder: wrong answers kept beside the tests, each a
    /// whole `src/exercises.rs` (see [`crate::wrong_answers`]).
    WrongAnswers(&'a Path),
}

/// Where a [`Place`] is.
pub fn path(place: Place<'_>) -> PathBuf {
    let in_root = |relative: &str| root().join(relative);
    match place {
        Place::Lessons => in_root("lessons"),
        Place::Docs => in_root("docs"),
        Place::Readme => in_root("README.md"),
        Place::DocsIndex => in_root("docs/README.md"),
        Place::BookSummary => in_root("docs/SUMMARY.md"),
        Place::Rosetta => in_root("docs/rosetta.md"),
        Place::RustPrimer => in_root("docs/rust-primer.md"),
        Place::Contributing => in_root("CONTRIBUTING.md"),
        #[cfg(test)]
        Place::BookConfig => in_root("docs/book.toml"),
        Place::Book => in_root("book"),
        Place::BookIndex => path(Place::Book).join("index.html"),
        Place::BookPictures => in_root("docs/pictures"),
        Place::SharedSources => in_root("shared/src"),
        Place::LessonPage(folder) => path(Place::Docs).join(format!("{folder}.md")),
        Place::Manifest(lesson) => lesson.join("Cargo.toml"),
        Place::Sources(lesson) => lesson.join("src"),
        Place::Exercises(lesson) => lesson.join("src/exercises.rs"),
        Place::Solutions(lesson) => lesson.join("src/solutions.rs"),
        Place::Hints(lesson) => lesson.join("hints.md"),
        Place::LoomTests(lesson) => lesson.join("tests/loom.rs"),
        Place::WrongAnswers(lesson) => lesson.join("tests/wrong_answers"),
    }
}

/// A `cargo +nightly` command run from the root, through rustup's `cargo`
/// on the `PATH` (the cargo that runs xtask is a stable one): for Miri.
pub fn nightly_cargo() -> Command {
    let mut command = Command::new("cargo");
    command.arg("+nightly").current_dir(root());
    command
}

/// A `cargo` command run from the root, with the cargo that runs xtask.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// The target directory, as cargo sees it (it may be moved by
/// `CARGO_TARGET_DIR` or a config file).
pub fn target_dir() -> Result<PathBuf, Failure> {
    let output = output(cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    if !output.status.success() {
        return Err(Failure::Broken(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let json = String::from_utf8_lossy(&output.stdout);
    json_string_field(&json, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| Failure::Broken("cargo metadata did not name a target directory".into()))
}

/// Where the loom build goes: `--cfg loom` changes every crate's build, so
/// it gets a directory of its own and never invalidates the normal build.
pub fn loom_target_dir() -> Result<PathBuf, Failure> {
    Ok(target_dir()?.join("loom"))
}

/// Where Miri builds (cargo miri's own choice: `miri/` in the target
/// directory); absent before the first run.
pub fn miri_target_dir() -> Result<PathBuf, Failure> {
    Ok(target_dir()?.join("miri"))
}

/// The executables a cargo build reported in its JSON messages
/// (`--message-format=json…`), wherever `--target`, `build.target` or
/// `CARGO_TARGET_DIR` made it put them.
pub fn executables(cargo_json: &str) -> Vec<PathBuf> {
    cargo_json
        .lines()
        .filter(|line| line.contains("\"reason\":\"compiler-artifact\""))
        .filter_map(|line| json_string_field(line, "executable"))
        .map(PathBuf::from)
        .collect()
}

/// The value of the first `"key":"value"` in a JSON text, unescaped. Enough
/// for cargo's flat string fields; not a JSON parser.
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
    None
}

/// A file's text, or a failure that names the file.
pub fn read(path: &Path) -> Result<String, Failure> {
    fs::read_to_string(path)
        .map_err(|e| Failure::Broken(format!("cannot read {}: {e}", shown(path))))
}

/// Writes a file, creating its folder; a failure names the file.
pub fn write(path: &Path, text: &str) -> Result<(), Failure> {
    path.parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(path, text))
        .map_err(|e| Failure::Broken(format!("cannot write {}: {e}", shown(path))))
}

/// Removes a file if it is there; a failure names the file.
pub fn remove(path: &Path) -> Result<(), Failure> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Failure::Broken(format!(
            "cannot remove {}: {e}",
            shown(path)
        ))),
        _ => Ok(()),
    }
}

/// The entries of a directory, sorted, or a failure that names it.
pub fn list(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let cannot = |e: std::io::Error| Failure::Broken(format!("cannot list {}: {e}", shown(dir)));
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(cannot)? {
        entries.push(entry.map_err(cannot)?.path());
    }
    entries.sort();
    Ok(entries)
}

/// Runs a program to the end, capturing what it prints.
pub fn output(command: &mut Command) -> Result<Output, Failure> {
    command.output().map_err(|e| cannot_run(command, &e))
}

/// Runs a program to the end, capturing what it prints, unless `cancel` is
/// set meanwhile: then it is killed, and the answer is `None`.
pub fn output_until(command: &mut Command, cancel: &Cancel) -> Result<Option<Output>, Failure> {
    // A build may take long on a fresh machine, but not this long.
    const AT_MOST: Duration = Duration::from_secs(60 * 60);
    let stop = || cancel.load(Relaxed);
    workshop::process::output_until(command, AT_MOST, &stop).map_err(|e| cannot_run(command, &e))
}

/// Runs a program to the end, capturing what it prints, unless it is still
/// running after `limit`: then it is killed and the answer is `None`.
pub fn output_within(command: &mut Command, limit: Duration) -> Result<Option<Output>, Failure> {
    workshop::process::output_with_limit(command, limit).map_err(|e| cannot_run(command, &e))
}

/// Starts a program, tracked: it is stopped if xtask has to end early
/// (see `workshop::process`).
pub fn spawn(command: &mut Command) -> Result<Tracked, Failure> {
    Tracked::spawn(command).map_err(|e| cannot_run(command, &e))
}

fn cannot_run(command: &Command, error: &std::io::Error) -> Failure {
    let program = Path::new(command.get_program());
    Failure::Broken(format!("cannot run {}: {error}", shown(program)))
}

/// A number that changes when a file is saved: from its modification time
/// and its contents (a save within the same second as the last, on a file
/// system that counts whole seconds, still changes it). `None` while the
/// file cannot be read, as during some editors' saves.
pub fn fingerprint(path: &Path) -> Option<u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok()?;
    let contents = fs::read(path).ok()?;
    let mut hasher = DefaultHasher::new();
    (modified, contents).hash(&mut hasher);
    Some(hasher.finish())
}

/// A `git` command run from the root.
fn git() -> Command {
    let mut git = Command::new("git");
    git.current_dir(root());
    git
}

/// The commits that changed a file, newest first (at most `most`).
pub fn git_history(path: &Path, most: usize) -> Result<Vec<String>, Failure> {
    let output = output(
        git()
            .args(["log", &format!("--max-count={most}"), "--format=%h", "--"])
            .arg(path),
    )?;
    git_said(&output, "git log", path)?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// A file as it was in a commit (`HEAD`, `3f2a1b0`), from git.
pub fn git_show(revision: &str, path: &Path) -> Result<String, Failure> {
    let spec = format!("{revision}:./{}", shown(path));
    let output = output(git().args(["show", &spec]))?;
    git_said(&output, "git show", path)?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn git_said(output: &Output, what: &str, path: &Path) -> Result<(), Failure> {
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    Err(Failure::Broken(format!(
        "{what} found no copy of {}: {}",
        shown(path),
        said.lines().next().unwrap_or_default()
    )))
}

/// Whether git reports local changes to a file (false without git).
pub fn has_local_changes(path: &Path) -> bool {
    let status = git().args(["diff", "--quiet", "--"]).arg(path).status();
    status.is_ok_and(|s| s.code() == Some(1))
}

/// A path relative to the root, with `/` separators, for messages.
pub fn shown(path: &Path) -> String {
    let relative = path.strip_prefix(root()).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_escaped_json_string() {
        let json = r#"{"packages":[],"target_directory":"C:\\work\\target","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some(r"C:\work\target")
        );
        assert_eq!(json_string_field(json, "missing"), None);
    }

    #[test]
    fn executables_come_from_the_artifact_messages() {
        let json = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"workshop"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"sleeper"},"executable":"/t/x86_64-unknown-linux-gnu/debug/sleeper"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executables(json),
            [PathBuf::from("/t/x86_64-unknown-linux-gnu/debug/sleeper")]
        );
    }

    #[test]
    fn a_program_that_cannot_start_is_named() {
        let missing = root().join("target/no-such-lesson-binary");
        let failure = output(&mut Command::new(&missing)).unwrap_err();
        assert!(
            failure
                .message()
                .starts_with("cannot run target/no-such-lesson-binary: "),
            "{failure:?}"
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_is_named() {
        let failure = read(&root().join("no-such-file.md")).unwrap_err();
        assert!(
            failure
                .message()
                .starts_with("cannot read no-such-file.md: "),
            "{failure:?}"
        );
        let failure = list(&root().join("no-such-dir")).unwrap_err();
        assert!(failure.message().starts_with("cannot list no-such-dir: "));
    }
}
