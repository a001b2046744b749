//! Finding and running CPython, for the lessons that run real Python beside
//! their Rust.
//!
//! Python goes by different names on different machines, so [`find`] tries
//! them in order: `python3`, then `python`, then (on Windows) the launcher
//! `py -3`. Each candidate is asked for its version; a candidate that is not
//! installed, that is Python 2, or that is one of Windows' Microsoft Store
//! aliases (a stand-in that only says "Python was not found" and exits with
//! code 9009) is skipped, and the reason is kept. The first that answers is
//! used for the rest of the run.
//!
//! With no Python at all, a comparison prints [`NotFound::line`], one line
//! saying so, and the lesson carries on: CPython is never required.
//!
//! ```no_run
//! use std::time::Duration;
//! match workshop::python::find() {
//!     Ok(python) => {
//!         let report = python.run("lessons/03-gil/python/convoy.py", &[],
//!             Duration::from_secs(60))?;
//!         println!("{}", report.number("alone")?);
//!     }
//!     Err(not_found) => println!("{}", not_found.line()),
//! }
//! # Ok::<(), workshop::python::Error>(())
//! ```

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::lesson::{Ctx, Outcome};
use crate::process::output_with_limit;

/// The exit code of a Microsoft Store alias for Python that is not
/// installed (`%LOCALAPPDATA%\Microsoft\WindowsApps\python3.exe`).
pub const STORE_ALIAS_EXIT: i32 = 9009;

/// How long a candidate may take to say its version (a cold start on a
/// laptop with an antivirus can take seconds).
const PROBE_LIMIT: Duration = Duration::from_secs(15);

/// Prints the version and whether the GIL is on, in a form that Python 2
/// also understands, so that a Python 2 can be recognised and skipped.
/// `sys._is_gil_enabled` exists from 3.13, where a build may have no GIL.
const PROBE: &str = "import sys; sys.stdout.write('%d.%d.%d %s\\n' % \
    (tuple(sys.version_info[:3]) + \
    (getattr(sys, '_is_gil_enabled', lambda: True)(),)))";

/// A way to start Python: a program and the arguments that come before the
/// script (`py` needs `-3`).
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The program, looked up on `PATH` unless it is a path.
    pub program: PathBuf,
    /// Arguments before the script.
    pub args: Vec<String>,
}

impl Candidate {
    /// A candidate started as `program args…`.
    pub fn new(program: impl Into<PathBuf>, args: &[&str]) -> Self {
        Candidate {
            program: program.into(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// How a learner would type it: `python3`, `py -3`.
    pub fn name(&self) -> String {
        let program = self.program.file_name().unwrap_or(self.program.as_os_str());
        let mut name = program.to_string_lossy().into_owned();
        for arg in &self.args {
            name.push(' ');
            name.push_str(arg);
        }
        name
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        // No `__pycache__` folders in the lessons' `python/` directories.
        command.env("PYTHONDONTWRITEBYTECODE", "1");
        command
    }
}

/// The candidates [`find`] tries, in order.
pub fn candidates() -> Vec<Candidate> {
    let mut candidates = vec![
        Candidate::new("python3", &[]),
        Candidate::new("python", &[]),
    ];
    if cfg!(windows) {
        candidates.push(Candidate::new("py", &["-3"]));
    }
    candidates
}

/// A Python 3 that answered.
#[derive(Clone, Debug)]
pub struct Python {
    candidate: Candidate,
    /// Its version: `3.11.2`.
    pub version: String,
    /// False on a free-threaded build running without its GIL (3.13 and
    /// later, `python3.13t`).
    pub gil_enabled: bool,
}

/// No candidate answered: each one tried, with the reason it was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct NotFound {
    /// Each candidate's name and why it was skipped.
    pub tried: Vec<(String, String)>,
}

impl NotFound {
    /// The one line a comparison prints instead of its figures:
    /// `CPython not found (python3, python: not on PATH); no comparison.`
    pub fn line(&self) -> String {
        format!("CPython not found ({self}); no comparison.")
    }
}

impl fmt::Display for NotFound {
    /// Candidates that failed for the same reason are named together.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut groups: Vec<(Vec<&str>, &str)> = Vec::new();
        for (name, reason) in &self.tried {
            match groups.iter_mut().find(|(_, r)| r == reason) {
                Some((names, _)) => names.push(name),
                None => groups.push((vec![name], reason)),
            }
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(names, reason)| format!("{}: {reason}", names.join(", ")))
            .collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for NotFound {}

/// The Python this run uses: the first of [`candidates`] that answers,
/// looked up once per process.
pub fn find() -> Result<&'static Python, &'static NotFound> {
    static FOUND: OnceLock<Result<Python, NotFound>> = OnceLock::new();
    FOUND.get_or_init(|| find_among(&candidates())).as_ref()
}

/// The first of `candidates` that answers as a Python 3.
pub fn find_among(candidates: &[Candidate]) -> Result<Python, NotFound> {
    find_with(candidates, ask)
}

/// [`find_among`], with `ask` standing in for running a candidate (tests
/// give answers that no real process can, such as exit code 9009 on Unix).
fn find_with(
    candidates: &[Candidate],
    ask: impl Fn(&Candidate) -> io::Result<Option<Answer>>,
) -> Result<Python, NotFound> {
    let mut tried = Vec::new();
    for candidate in candidates {
        match judge(ask(candidate)) {
            Ok((version, gil_enabled)) => {
                return Ok(Python {
                    candidate: candidate.clone(),
                    version,
                    gil_enabled,
                });
            }
            Err(reason) => tried.push((candidate.name(), reason)),
        }
    }
    Err(NotFound { tried })
}

/// What a candidate did when asked for its version.
struct Answer {
    /// Its exit code; `None` when a signal ended it.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the probe with `candidate`; `Ok(None)` if it did not answer in time.
fn ask(candidate: &Candidate) -> io::Result<Option<Answer>> {
    let output = output_with_limit(candidate.command().args(["-c", PROBE]), PROBE_LIMIT)?;
    Ok(output.map(|output| Answer {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }))
}

/// What a candidate's answer says: its version and whether its GIL is on,
/// or why it cannot be used.
fn judge(answer: io::Result<Option<Answer>>) -> Result<(String, bool), String> {
    let answer = match answer {
        Ok(Some(answer)) => answer,
        Ok(None) => {
            let limit = crate::units::duration(PROBE_LIMIT);
            return Err(format!("no answer within {limit}"));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err("not on PATH".to_owned()),
        Err(e) => return Err(format!("could not start: {e}")),
    };
    match answer.code {
        Some(0) => {}
        Some(STORE_ALIAS_EXIT) => {
            return Err(format!(
                "a Microsoft Store alias, not an installed Python \
                 (exit code {STORE_ALIAS_EXIT})"
            ));
        }
        Some(code) => return Err(format!("exit code {code}: {}", first_line(&answer.stderr))),
        None => {
            return Err(format!(
                "killed by a signal: {}",
                first_line(&answer.stderr)
            ));
        }
    }
    let mut words = answer.stdout.split_whitespace();
    let version = words.next().unwrap_or("").to_owned();
    let gil_enabled = words.next() != Some("False");
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(3..) => Ok((version, gil_enabled)),
        Some(_) => Err(format!("Python {version}; the lessons need Python 3")),
        None => Err(format!(
            "did not say its version: {}",
            first_line(&answer.stdout)
        )),
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(nothing)")
}

impl Python {
    /// How it is started: `python3`, `py -3`.
    pub fn name(&self) -> String {
        self.candidate.name()
    }

    /// `CPython 3.11.2`, with `, no GIL` on a free-threaded build.
    pub fn describe(&self) -> String {
        let gil = if self.gil_enabled { "" } else { ", no GIL" };
        format!("CPython {}{gil}", self.version)
    }

    /// A command that runs Python with these arguments.
    pub fn command(&self) -> Command {
        self.candidate.command()
    }

    /// Runs `script` with `args`, killed after `limit`, and returns what it
    /// printed, read as `name value` lines ([`Report`]). A script that
    /// fails gives an [`Error`] carrying what Python wrote on stderr.
    pub fn run(
        &self,
        script: impl AsRef<Path>,
        args: &[String],
        limit: Duration,
    ) -> Result<Report, Error> {
        let script = script.as_ref();
        let what = || format!("{} {}", self.name(), script.display());
        let mut command = self.command();
        command.arg(script).args(args);
        let output = match output_with_limit(&mut command, limit) {
            Ok(Some(output)) => output,
            Ok(None) => {
                return Err(Error::new(format!(
                    "{} ran past {} and was stopped",
                    what(),
                    crate::units::duration(limit)
                )));
            }
            Err(e) => return Err(Error::new(format!("could not start {}: {e}", what()))),
        };
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        if !output.status.success() {
            let code = output
                .status
                .code()
                .map_or("a signal".to_owned(), |c| format!("exit code {c}"));
            return Err(Error::new(format!("{} failed ({code}): {stderr}", what())));
        }
        Ok(Report {
            script: what(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        })
    }
}

/// Whether the run asked for CPython beside the lesson (`--compare-python`).
pub fn asked(ctx: &Ctx) -> bool {
    ctx.compare_python()
}

/// A lesson's comparison script: `lessons/NN-topic/python/NAME`.
#[derive(Clone, Debug)]
pub struct Script {
    /// Where it is.
    pub path: PathBuf,
}

impl Script {
    /// The script `name` in the `python/` folder of the lesson whose
    /// manifest directory is `manifest_dir` (`env!("CARGO_MANIFEST_DIR")`).
    pub fn new(manifest_dir: &str, name: &str) -> Self {
        Script {
            path: Path::new(manifest_dir).join("python").join(name),
        }
    }

    /// How the page names it: `03-gil/python/convoy.py`.
    pub fn name(&self) -> String {
        let parts: Vec<_> = self.path.iter().rev().take(3).collect();
        let parts: Vec<String> = parts
            .iter()
            .rev()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        parts.join("/")
    }

    /// The part of the script the page shows: the lines between a
    /// `# shown:` line and a `# end shown` line, dedented.
    pub fn shown(&self) -> Result<String, Error> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| Error::new(format!("cannot read {}: {e}", self.path.display())))?;
        let shown: Vec<&str> = text
            .lines()
            .skip_while(|l| l.trim() != "# shown:")
            .skip(1)
            .take_while(|l| l.trim() != "# end shown")
            .collect();
        if shown.is_empty() {
            return Err(Error::new(format!(
                "{} has no `# shown:` … `# end shown` part",
                self.path.display()
            )));
        }
        Ok(crate::text::dedent(&shown.join("\n")))
    }
}

/// Set once a comparison has been reached in this process.
static REACHED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The line a run with `--compare-python` ends with when none of the
/// sections that ran has a CPython comparison.
pub const NONE_RAN: &str =
    "(--compare-python: none of the sections that ran compares with CPython.)";

/// Prints [`NONE_RAN`] if `--compare-python` was given and no section that
/// ran reached [`compare`]: the flag works on every lesson, and says so
/// where it does nothing.
pub(crate) fn note_if_none_ran(out: &crate::Out, settings: &crate::Settings) {
    if settings.compare_python && !REACHED.load(std::sync::atomic::Ordering::Relaxed) {
        out.line(NONE_RAN);
    }
}

/// Runs a section's CPython comparison, when the run asked for one.
///
/// Without `--compare-python`, prints one line saying how to get it; with
/// it but no Python, prints [`NotFound::line`]; otherwise shows the part of
/// `script` that matters, says that CPython is running it, and calls
/// `compare`, which runs it and prints its figures beside the lesson's. In
/// every case but a failing script, the section carries on.
pub fn compare(
    ctx: &Ctx,
    script: &Script,
    compare: impl FnOnce(&Python, &Script) -> Outcome,
) -> Outcome {
    let out = &ctx.out;
    // Relaxed: the flag is read on the thread that ran the sections.
    REACHED.store(true, std::sync::atomic::Ordering::Relaxed);
    if !asked(ctx) {
        out.prose(format!(
            "(With --compare-python, CPython runs {} here too.)",
            script.name()
        ));
        return Ok(());
    }
    let python = match find() {
        Ok(python) => python,
        Err(not_found) => {
            out.line(not_found.line());
            return Ok(());
        }
    };
    out.line(format!(
        "{} ({}) runs {}:",
        python.describe(),
        python.name(),
        script.name()
    ));
    out.blank();
    for line in script.shown()?.lines() {
        out.line(if line.is_empty() {
            String::new()
        } else {
            format!("    {line}")
        });
    }
    out.blank();
    // CPython's run can take seconds; its first figure ends this line.
    let _running = out.progress(format!("running: {} in CPython", script.name()));
    compare(python, script)
}

/// What a comparison script printed: one `name value` pair per line.
#[derive(Clone, Debug)]
pub struct Report {
    script: String,
    stdout: String,
}

impl Report {
    /// A report read from text, for tests.
    pub fn from_text(text: &str) -> Self {
        Report {
            script: "a script".to_owned(),
            stdout: text.to_owned(),
        }
    }

    /// The value printed after `name` on the first line that starts with it.
    pub fn value(&self, name: &str) -> Result<&str, Error> {
        self.stdout
            .lines()
            .find_map(|line| {
                let (key, value) = line.trim().split_once(char::is_whitespace)?;
                (key == name).then(|| value.trim())
            })
            .ok_or_else(|| {
                Error::new(format!(
                    "{} printed no `{name}`: {:?}",
                    self.script,
                    beginning(self.stdout.trim())
                ))
            })
    }

    /// The number printed after `name`.
    pub fn number(&self, name: &str) -> Result<f64, Error> {
        let value = self.value(name)?;
        value.parse().map_err(|_| {
            Error::new(format!(
                "{} printed `{name} {value}`, not a number",
                self.script
            ))
        })
    }

    /// Everything the script printed.
    pub fn text(&self) -> &str {
        &self.stdout
    }
}

/// The first 200 characters of `text`, for an error message.
fn beginning(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// A comparison script that could not run, failed, or printed something
/// unexpected; the message names the script and includes Python's stderr.
#[derive(Clone, Debug, PartialEq)]
pub struct Error(String);

impl Error {
    fn new(message: String) -> Self {
        Error(message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge_exit(code: Option<i32>, stdout: &str, stderr: &str) -> Result<(String, bool), String> {
        judge(Ok(Some(Answer {
            code,
            stdout: stdout.to_owned(),
            stderr: stderr.to_owned(),
        })))
    }

    #[test]
    fn a_python_3_is_accepted_with_its_gil_state() {
        assert_eq!(
            judge_exit(Some(0), "3.11.2 True\n", ""),
            Ok(("3.11.2".into(), true))
        );
        assert_eq!(
            judge_exit(Some(0), "3.14.0 False\n", ""),
            Ok(("3.14.0".into(), false))
        );
    }

    #[test]
    fn a_store_alias_is_skipped_with_its_reason() {
        let reason = judge_exit(
            Some(STORE_ALIAS_EXIT),
            "",
            "Python was not found; run without arguments to install from the Microsoft Store",
        )
        .unwrap_err();
        assert!(reason.contains("Microsoft Store alias"), "{reason}");
        assert!(reason.contains("9009"), "{reason}");
    }

    #[test]
    fn python_2_and_failures_are_skipped_with_their_reasons() {
        let old = judge_exit(Some(0), "2.7.18 True\n", "").unwrap_err();
        assert!(old.contains("Python 2.7.18"), "{old}");
        let broken = judge_exit(Some(1), "", "Fatal Python error: init_fs_encoding\n").unwrap_err();
        assert_eq!(broken, "exit code 1: Fatal Python error: init_fs_encoding");
        let silent = judge_exit(Some(0), "", "").unwrap_err();
        assert!(silent.starts_with("did not say its version"), "{silent}");
    }

    #[test]
    fn a_store_alias_falls_through_to_the_next_candidate() {
        let answers = |c: &Candidate| -> io::Result<Option<Answer>> {
            let (code, stdout) = match c.name().as_str() {
                "python3" => return Err(io::ErrorKind::NotFound.into()),
                "python" => (STORE_ALIAS_EXIT, ""),
                _ => (0, "3.12.4 True"),
            };
            Ok(Some(Answer {
                code: Some(code),
                stdout: stdout.to_owned(),
                stderr: String::new(),
            }))
        };
        let all = [
            Candidate::new("python3", &[]),
            Candidate::new("python", &[]),
            Candidate::new("py", &["-3"]),
        ];
        let python = find_with(&all, answers).unwrap();
        assert_eq!(
            (python.name(), python.version),
            ("py -3".into(), "3.12.4".into())
        );
        let not_found = find_with(&all[..2], answers).unwrap_err();
        assert_eq!(not_found.tried[0], ("python3".into(), "not on PATH".into()));
        assert!(
            not_found.tried[1].1.contains("exit code 9009"),
            "{not_found}"
        );
    }

    #[test]
    fn each_candidate_is_tried_only_if_those_before_it_fail() {
        // Which candidates answer, and what `find_with` should settle on.
        let cases: [(&[&str], Option<&str>); 4] = [
            (&["python3", "python", "py -3"], Some("python3")),
            (&["python", "py -3"], Some("python")),
            (&["py -3"], Some("py -3")),
            (&[], None),
        ];
        let all = [
            Candidate::new("python3", &[]),
            Candidate::new("python", &[]),
            Candidate::new("py", &["-3"]),
        ];
        for (answering, expected) in cases {
            let asked = std::cell::RefCell::new(Vec::new());
            let answers = |c: &Candidate| -> io::Result<Option<Answer>> {
                asked.borrow_mut().push(c.name());
                if !answering.contains(&c.name().as_str()) {
                    return Err(io::ErrorKind::NotFound.into());
                }
                Ok(Some(Answer {
                    code: Some(0),
                    stdout: "3.12.4 True".to_owned(),
                    stderr: String::new(),
                }))
            };
            let found = find_with(&all, answers).ok().map(|p| p.name());
            assert_eq!(found.as_deref(), expected, "answering: {answering:?}");
            // Nobody after the one that answered is asked.
            let asked = asked.into_inner();
            assert_eq!(asked.last().map(String::as_str), expected.or(Some("py -3")));
        }
    }

    #[test]
    fn a_missing_program_is_not_on_path() {
        let missing = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(judge(Err(missing)), Err("not on PATH".to_owned()));
    }

    #[test]
    fn the_not_found_line_groups_candidates_by_reason() {
        let not_found = NotFound {
            tried: vec![
                ("python3".into(), "not on PATH".into()),
                ("python".into(), "not on PATH".into()),
                ("py -3".into(), "exit code 1: no Python 3 installed".into()),
            ],
        };
        assert_eq!(
            not_found.line(),
            "CPython not found (python3, python: not on PATH; \
             py -3: exit code 1: no Python 3 installed); no comparison."
        );
    }

    #[test]
    fn candidates_are_named_as_typed() {
        assert_eq!(Candidate::new("/usr/bin/python3", &[]).name(), "python3");
        assert_eq!(Candidate::new("py", &["-3"]).name(), "py -3");
        let names: Vec<String> = candidates().iter().map(Candidate::name).collect();
        assert_eq!(names[..2], ["python3", "python"]);
        assert_eq!(names.len(), if cfg!(windows) { 3 } else { 2 });
    }

    #[test]
    fn reports_are_read_by_name() {
        let report = Report::from_text("alone 0.00018\nbeside 0.0054\nnote hello world\n");
        assert_eq!(report.number("beside"), Ok(0.0054));
        assert_eq!(report.value("note"), Ok("hello world"));
        assert!(
            report
                .number("note")
                .unwrap_err()
                .to_string()
                .contains("not a number")
        );
        assert!(
            report
                .number("absent")
                .unwrap_err()
                .to_string()
                .contains("printed no `absent`")
        );
    }

    /// Fake interpreters: shell scripts in a folder of their own, tried in
    /// order like the real candidates.
    #[cfg(unix)]
    mod fakes {
        use super::super::*;
        use crate::testing::{Scratch, write_script};

        /// Candidates in a folder of their own (kept until the value is
        /// dropped): each a shell script with this body, or, for `None`, a
        /// name with no program behind it.
        fn candidates(scripts: &[(&str, Option<&str>)]) -> (Vec<Candidate>, Scratch) {
            let dir = Scratch::new("workshop-python");
            let script = |(name, body): &(&str, Option<&str>)| {
                let path = dir.join(name);
                if let Some(body) = body {
                    write_script(&path, body);
                }
                Candidate::new(path, &[])
            };
            (scripts.iter().map(script).collect(), dir)
        }

        const NO_ENCODINGS: Option<&str> = Some("echo 'no encodings module' >&2; exit 1");

        #[test]
        fn the_first_candidate_that_answers_is_used() {
            let (tried, _folder) = candidates(&[
                ("absent", None),
                ("python2", Some("echo '2.7.18 True'")),
                ("broken", NO_ENCODINGS),
                ("python", Some("echo '3.12.1 True'")),
                ("never-asked", Some("exit 1")),
            ]);
            let found = find_among(&tried).unwrap();
            assert_eq!(
                (found.name().as_str(), found.version.as_str()),
                ("python", "3.12.1")
            );
            assert_eq!(found.describe(), "CPython 3.12.1");
        }

        #[test]
        fn with_no_candidate_each_reason_is_kept() {
            let (tried, _folder) = candidates(&[("python3", None), ("python", NO_ENCODINGS)]);
            let not_found = find_among(&tried).unwrap_err();
            assert_eq!(
                not_found.tried,
                [
                    ("python3".to_owned(), "not on PATH".to_owned()),
                    (
                        "python".to_owned(),
                        "exit code 1: no encodings module".to_owned()
                    ),
                ]
            );
        }

        #[test]
        fn a_failing_script_reports_its_stderr() {
            let answers_then_fails = r#"case "$1" in -c) echo '3.11.2 True';; *) echo 'Traceback: boom' >&2; exit 1;; esac"#;
            let (tried, _folder) = candidates(&[("python3", Some(answers_then_fails))]);
            let python = find_among(&tried).unwrap();
            let error = python
                .run("script.py", &[], Duration::from_secs(10))
                .unwrap_err()
                .to_string();
            assert_eq!(
                error,
                "python3 script.py failed (exit code 1): Traceback: boom"
            );
        }
    }

    #[test]
    fn a_script_shows_its_marked_part() {
        let dir = crate::testing::Scratch::new("workshop-script");
        std::fs::create_dir_all(dir.join("python")).unwrap();
        std::fs::write(
            dir.join("python/demo.py"),
            "import sys\n# shown:\n    def f():\n        return 1\n# end shown\nf()\n",
        )
        .unwrap();
        let script = Script::new(dir.path().to_str().unwrap(), "demo.py");
        assert!(
            script.name().ends_with("/python/demo.py"),
            "{}",
            script.name()
        );
        assert_eq!(script.shown(), Ok("def f():\n    return 1".to_owned()));
        let missing = Script::new(dir.path().to_str().unwrap(), "absent.py");
        assert!(
            missing
                .shown()
                .unwrap_err()
                .to_string()
                .starts_with("cannot read")
        );
    }

    #[test]
    fn the_real_python_if_any_is_python_3() {
        match find() {
            Ok(python) => assert!(python.version.starts_with('3'), "{python:?}"),
            Err(not_found) => assert!(
                std::env::var_os("CI").is_none(),
                "CI has Python: {not_found}"
            ),
        }
    }
}
