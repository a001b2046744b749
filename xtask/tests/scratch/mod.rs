//! A scratch copy of the workspace for the tests that edit exercises: the
//! repository's files (those git tracks, and new ones it does not ignore),
//! copied into cargo's test scratch directory and committed to a git
//! repository of its own, so that `reset` finds its stubs there. Only
//! files that changed are copied again, so cargo rebuilds only what
//! changed; the copy builds into a target directory of its own, beside
//! it. (Not the repository's: cargo names a workspace member's build after
//! its path relative to the workspace, the same in the copy, so the two
//! would overwrite each other's builds, and each could run the other's.)
//!
//! Tests that use it take turns (each starts from a fresh copy of the
//! files), and run `cargo xtask` on it with `XTASK_ROOT`.

#![allow(dead_code)] // each test binary uses a part of it

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use workshop::process::output_with_limit;

/// The copy, held by one test at a time.
pub struct Scratch {
    /// Its root.
    pub root: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

/// What a command did.
pub struct Ran {
    /// Its exit status.
    pub status: ExitStatus,
    /// What it printed.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
    /// How long it took.
    pub took: Duration,
}

/// The repository the tests run in.
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=xtask tests",
            "-c",
            "user.email=xtask@tests",
        ])
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::inherit())
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?} in {}", dir.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

impl Scratch {
    /// The copy, up to date with the repository's files, and this test's
    /// turn to use it.
    pub fn new() -> Scratch {
        static TURN: Mutex<()> = Mutex::new(());
        let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workspace");
        let repository = repository();
        let files = git(
            &repository,
            &[
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
        );
        for file in files.split('\0').filter(|f| !f.is_empty()) {
            let Ok(text) = fs::read(repository.join(file)) else {
                continue; // deleted, not yet committed
            };
            let copy = root.join(file);
            if fs::read(&copy).ok().as_ref() != Some(&text) {
                fs::create_dir_all(copy.parent().unwrap()).unwrap();
                fs::write(&copy, text).unwrap();
            }
        }
        if !root.join(".git").exists() {
            git(&root, &["init", "-q"]);
        }
        if !git(&root, &["status", "--porcelain"]).is_empty() {
            git(&root, &["add", "-A"]);
            git(&root, &["commit", "-q", "-m", "the repository's files"]);
        }
        Scratch { root, _turn: turn }
    }

    /// `cargo xtask ARGS` on the copy (the xtask under test), with no
    /// terminal.
    pub fn xtask(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("XTASK_ROOT", &self.root)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("NO_COLOR", "1")
            .env_remove("RUSTC_WORKSPACE_WRAPPER");
        command
    }

    /// Runs `cargo xtask ARGS` on the copy to the end (within ten
    /// minutes: a first build on a busy machine is slow).
    pub fn run(&self, args: &[&str]) -> Ran {
        let began = Instant::now();
        let output = output_with_limit(&mut self.xtask(args), Duration::from_secs(600))
            .unwrap()
            .unwrap_or_else(|| panic!("cargo xtask {args:?} did not finish in ten minutes"));
        Ran {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            took: began.elapsed(),
        }
    }

    /// A lesson's folder in the copy: `01-sleeper` for `sleeper`.
    pub fn lesson(&self, package: &str) -> PathBuf {
        let lessons = fs::read_dir(self.root.join("lessons")).unwrap();
        lessons
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .ends_with(&format!("-{package}"))
            })
            .unwrap_or_else(|| panic!("no lesson {package}"))
    }

    /// A lesson's exercises file in the copy.
    pub fn exercises_file(&self, package: &str) -> PathBuf {
        self.lesson(package).join("src/exercises.rs")
    }

    /// The exercises of a lesson, in the order of the file.
    pub fn exercise_names(&self, package: &str) -> Vec<String> {
        let source = fs::read_to_string(self.exercises_file(package)).unwrap();
        regions(&source).into_iter().map(|(name, _)| name).collect()
    }

    /// Replaces an exercise's code (everything under its heading, up to the
    /// next) with `code`.
    pub fn write_exercise(&self, package: &str, exercise: &str, code: &str) {
        let path = self.exercises_file(package);
        let source = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        let range = region(&source, exercise);
        let mut new: Vec<&str> = lines[..=range.start].to_vec();
        new.extend(code.lines());
        new.extend(&lines[range.end..]);
        fs::write(&path, new.join("\n") + "\n").unwrap();
    }

    /// The code under an exercise's heading, as the file has it now.
    pub fn exercise_code(&self, package: &str, exercise: &str) -> String {
        let source = fs::read_to_string(self.exercises_file(package)).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        let range = region(&source, exercise);
        lines[range.start + 1..range.end].join("\n")
    }

    /// Solves an exercise as a learner would: every function of it whose
    /// body is a `todo!()` gets the reference solution's body.
    pub fn solve(&self, package: &str, exercise: &str) {
        let solutions = fs::read_to_string(self.lesson(package).join("src/solutions.rs")).unwrap();
        let solved = lines_of(&solutions, region(&solutions, exercise));
        let path = self.exercises_file(package);
        let mut source = fs::read_to_string(&path).unwrap();
        let mut functions = 0;
        while let Some((name, body)) = stub_function(&source, exercise) {
            let answer = function_body(&solved, &name)
                .unwrap_or_else(|| panic!("the solution of {exercise} has no fn {name}"));
            let answer = solved[answer].to_owned();
            let at = offset(&source, region(&source, exercise).start);
            let body = at + body.start..at + body.end;
            source.replace_range(body, &answer);
            functions += 1;
        }
        assert!(functions > 0, "{exercise} has no stub to solve");
        fs::write(&path, source).unwrap();
    }

    /// Replaces the body of the stub function `function` (the first of
    /// that name) in the exercises file with `body`.
    pub fn replace_body(&self, package: &str, function: &str, body: &str) {
        let path = self.exercises_file(package);
        let mut source = fs::read_to_string(&path).unwrap();
        let range = function_body(&source, function)
            .unwrap_or_else(|| panic!("no fn {function} in {package}"));
        source.replace_range(range, &format!("\n{body}\n"));
        fs::write(&path, source).unwrap();
    }

    /// The body of a function of an exercise's reference solution.
    pub fn solution_body(&self, package: &str, exercise: &str, function: &str) -> String {
        let solutions = fs::read_to_string(self.lesson(package).join("src/solutions.rs")).unwrap();
        let solved = lines_of(&solutions, region(&solutions, exercise));
        let body = function_body(&solved, function)
            .unwrap_or_else(|| panic!("the solution of {exercise} has no fn {function}"));
        solved[body].to_owned()
    }

    /// Processes still running in the copy (Linux: their working
    /// directory is a lesson of the copy).
    pub fn processes_left(&self) -> Vec<String> {
        let mut left = Vec::new();
        let Ok(entries) = fs::read_dir("/proc") else {
            return left;
        };
        for entry in entries.flatten() {
            let Ok(cwd) = fs::read_link(entry.path().join("cwd")) else {
                continue;
            };
            if cwd.starts_with(&self.root) {
                let cmdline = fs::read_to_string(entry.path().join("cmdline")).unwrap_or_default();
                left.push(cmdline.replace('\0', " "));
            }
        }
        left
    }
}

/// The copy's own target directory (see the module's docs).
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("workspace-target")
}

/// The lines of an exercise: from its heading up to the next.
fn region(source: &str, exercise: &str) -> std::ops::Range<usize> {
    regions(source)
        .into_iter()
        .find(|(name, _)| name == exercise)
        .unwrap_or_else(|| panic!("no exercise {exercise}"))
        .1
}

fn lines_of(source: &str, lines: std::ops::Range<usize>) -> String {
    let all: Vec<&str> = source.lines().collect();
    all[lines].join("\n") + "\n"
}

/// Where line `line` starts, in bytes.
fn offset(source: &str, line: usize) -> usize {
    source.split_inclusive('\n').take(line).map(str::len).sum()
}

/// The first function of an exercise whose body is still a `todo!()`: its
/// name, and its body's bytes within the exercise's lines.
fn stub_function(source: &str, exercise: &str) -> Option<(String, std::ops::Range<usize>)> {
    let code = lines_of(source, region(source, exercise));
    let mut from = 0;
    while let Some(at) = code[from..].find("fn ") {
        let start = from + at + 3;
        let name: String = code[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if let Some(body) = function_body(&code[from..], &name) {
            let body = from + body.start..from + body.end;
            if code[body.clone()].contains("todo!(") {
                return Some((name, body));
            }
            from = body.end;
        } else {
            from = start;
        }
    }
    None
}

/// The bytes between the braces of the first `fn name(`'s body (string and
/// character literals skipped when counting braces).
fn function_body(source: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start = source.find(&format!("fn {name}("))?;
    let bytes = source.as_bytes();
    let open = start + source[start..].find('{')?;
    let mut depth = 0;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + 1..i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `(name, lines)` of each exercise: from its heading to the next.
fn regions(source: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let headings: Vec<(usize, String)> = source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let heading = line.trim().strip_prefix("/// # Exercise ")?;
            let name = heading.split('`').nth(1)?;
            Some((i, name.to_owned()))
        })
        .collect();
    let count = source.lines().count();
    headings
        .iter()
        .enumerate()
        .map(|(k, (start, name))| {
            let end = headings.get(k + 1).map_or(count, |(next, _)| *next);
            (name.clone(), *start..end)
        })
        .collect()
}
