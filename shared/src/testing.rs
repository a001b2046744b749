//! Helpers for the lessons' tests: deadlines, transcripts for snapshots, and
//! checks that the code a lesson shows cannot drift from the code it runs.

use std::panic::{Location, resume_unwind};
use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use crate::lesson::{Lesson, Settings};
use crate::text::dedent;

/// How long [`deadline`] waits: generous on a loaded laptop, short enough
/// that a deadlock is reported while the learner is still looking.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// insta filters for lesson transcripts. Measured values are redacted where
/// they are produced (see [`Out`](crate::Out)), so this table only catches
/// what a lesson cannot redact itself; it must never hide what a lesson
/// shows.
pub const SNAPSHOT_FILTERS: &[(&str, &str)] = &[
    // Thread ids are numbered in creation order, which the test harness's
    // own threads disturb.
    (r"ThreadId\(\d+\)", "ThreadId([id])"),
];

/// The snapshot tests every lesson has, in its `tests/transcript.rs`: one
/// for the banner, and one snapshot per section (`--quick`, measured values
/// redacted; see [`Settings::snapshot`]). The lesson's crate must have
/// `insta` as a dev-dependency.
///
/// ```ignore
/// workshop::snapshot_tests!(sleeper::LESSON, env!("CARGO_BIN_EXE_sleeper"));
/// ```
#[macro_export]
macro_rules! snapshot_tests {
    ($lesson:path, $exe:expr) => {
        fn settings() -> $crate::Settings {
            $crate::Settings::snapshot().exe($exe)
        }

        #[test]
        fn banner() {
            insta::assert_snapshot!("banner", $lesson.banner(&settings()));
        }

        #[test]
        fn every_section() {
            for section in $lesson.sections {
                let text = $crate::testing::transcript(&$lesson, settings().section(section.name));
                insta::with_settings!({ filters => $crate::testing::SNAPSHOT_FILTERS.to_vec() }, {
                    insta::assert_snapshot!(section.name, text);
                });
            }
        }
    };
}

/// Runs `work` on its own thread and returns its result, or fails the test
/// within [`DEADLINE`] with a message saying a deadlock is likely, where.
///
/// A panic in `work` fails the test with that panic's message.
///
/// ```
/// let answer = workshop::testing::deadline(|| 6 * 7);
/// assert_eq!(answer, 42);
/// ```
#[track_caller]
pub fn deadline<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    within(DEADLINE, work)
}

/// [`deadline`] with a limit of your choice.
///
/// ```should_panic
/// use std::time::Duration;
/// // A thread waiting for a message that never comes: reported, not hung.
/// let (_keep_open, never) = std::sync::mpsc::channel::<()>();
/// workshop::testing::within(Duration::from_millis(50), move || never.recv());
/// ```
#[track_caller]
pub fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let caller = Location::caller();
    // libtest names each test's thread after the test.
    let test = thread::current().name().unwrap_or("a test").to_owned();
    let (done, result) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(test.clone())
        .spawn(move || {
            let _ = done.send(work());
        })
        .expect("the test could not start a thread");
    match result.recv_timeout(limit) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(RecvTimeoutError::Timeout) => panic!(
            "deadlock likely in `{test}` ({caller}): no result after {} — some thread is \
             waiting for something that never happens (a lock, a join, a message)",
            crate::units::duration(limit)
        ),
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => resume_unwind(panic),
            Ok(()) => panic!("`{test}` ended without a result"),
        },
    }
}

/// Runs `run` with each of `sizes` in turn until the CPU reading of the
/// measurement it gives is precise ([`Measurement::cpu_precise`]: many
/// ticks of this machine's CPU clock), and returns that run. On a clock that
/// ticks every 15.6 ms, as Windows' does, work of a few milliseconds reads 0
/// and a claim about its CPU time proves nothing; on a fine clock the first
/// size does.
///
/// ```
/// use workshop::{fib, measure, testing::sized_for_the_cpu_clock};
/// let (_, m) = sized_for_the_cpu_clock(&[20, 25, 30, 35], |n| measure(|| fib(n)), |r| &r.1);
/// assert!(m.cpu.is_none() || m.cpu_precise().is_some());
/// ```
///
/// [`Measurement::cpu_precise`]: crate::Measurement::cpu_precise
#[track_caller]
pub fn sized_for_the_cpu_clock<T>(
    sizes: &[u32],
    mut run: impl FnMut(u32) -> T,
    measurement: impl Fn(&T) -> &crate::Measurement,
) -> T {
    let mut tried = Vec::new();
    for &size in sizes {
        let result = run(size);
        let m = measurement(&result);
        if m.cpu.is_none() || m.cpu_precise().is_some() {
            return result;
        }
        tried.push(format!("{size}: {:?}", m.cpu_total().unwrap_or_default()));
    }
    panic!(
        "even the largest size is too short for this CPU clock ({} a tick): {}",
        crate::units::duration(crate::cpu_resolution().unwrap_or_default()),
        tried.join(", ")
    )
}

/// The transcript of a lesson (or of the sections `settings` names), within
/// a deadline; a section that fails fails the test with its message.
#[track_caller]
pub fn transcript(lesson: &'static Lesson, settings: Settings) -> String {
    let text = within(Duration::from_secs(60), move || {
        lesson.transcript(&settings)
    });
    text.unwrap_or_else(|error| panic!("{error}"))
}

/// Checks that every line of Rust a lesson shows beside the Python appears
/// in its sources (whitespace, including rustfmt's line breaks in method
/// chains, and trailing `//` comments aside), so the
/// lesson never shows code it does not run. Blank lines, comment lines and
/// `...` are skipped. The snippets themselves are string literals in those
/// sources, so they are cut out before searching: a line must be found in
/// the code, not in its own literal. Returns the lines that are missing.
pub fn check_rust_snippets(lesson: &Lesson, sources: &[&str]) -> Result<(), String> {
    let mut code = sources.join("\n");
    for section in lesson.sections.iter().filter(|s| !s.rust.trim().is_empty()) {
        code = code.replace(section.rust, "");
    }
    let haystack = squash(&code);
    let mut missing = Vec::new();
    for section in lesson.sections {
        for line in dedent(section.rust).lines() {
            let code = line.split(" //").next().unwrap_or("").trim();
            if code.is_empty() || code.starts_with("//") || code == "..." || code == "…" {
                continue;
            }
            if !haystack.contains(&squash(code)) {
                missing.push(format!("section `{}`: {code}", section.name));
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Rust shown by lesson {} but not in its sources:\n  {}",
            lesson.name,
            missing.join("\n  ")
        ))
    }
}

/// Checks with CPython (found by [`crate::python::find`]) that every Python
/// snippet of the lesson is valid Python (IPython's `%time` magics aside).
/// Returns `Ok(false)` when no Python is installed, so the caller can
/// decide whether that is acceptable.
pub fn check_python_snippets(lesson: &Lesson) -> Result<bool, String> {
    const CHECKER: &str = "
import ast, sys
failed = []
for chunk in sys.stdin.read().split('\\n#@@ ')[1:]:
    name, _, code = chunk.partition('\\n')
    try:
        ast.parse(code)
    except SyntaxError as e:
        failed.append(f'section `{name}`, line {e.lineno}: {e.msg}')
print('\\n'.join(failed))
";
    let mut program = String::new();
    for section in lesson.sections {
        let code: Vec<String> = dedent(section.python).lines().map(without_magic).collect();
        program.push_str(&format!("\n#@@ {}\n{}\n", section.name, code.join("\n")));
    }
    let Ok(python) = crate::python::find() else {
        return Ok(false);
    };
    let child = python
        .command()
        .args(["-c", CHECKER])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped()) // for the message if it fails
        .spawn();
    let mut child = child.map_err(|e| format!("could not start {}: {e}", python.name()))?;
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, program.as_bytes()).map_err(|e| e.to_string())?;
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let report = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    match (output.status.success(), report.is_empty()) {
        (true, true) => Ok(true),
        (true, false) => Err(format!(
            "Python shown by lesson {} does not parse:\n  {report}",
            lesson.name
        )),
        (false, _) => Err(format!(
            "{} failed: {}",
            python.name(),
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// The test every lesson runs on the code it shows: every line of Rust
/// shown is in the lesson's sources ([`check_rust_snippets`]) and every
/// Python snippet parses ([`check_python_snippets`]). Without Python the
/// Python check is skipped with a note, except under CI, which must have it.
#[track_caller]
pub fn check_snippets(lesson: &Lesson) {
    let sources = lesson_sources(lesson);
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    if let Err(missing) = check_rust_snippets(lesson, &sources) {
        panic!("{missing}");
    }
    match check_python_snippets(lesson) {
        Ok(true) => {}
        Ok(false) if std::env::var_os("CI").is_none() => {
            let why = crate::python::find().err().map(|e| e.to_string());
            eprintln!(
                "Python not found ({}): the Python snippets of {} were not checked",
                why.unwrap_or_default(),
                lesson.name
            );
        }
        Ok(false) => panic!("CI must have Python to check the Python snippets"),
        Err(problem) => panic!("{problem}"),
    }
}

/// The lesson's own sources (`src/*.rs`), without the exercises and their
/// solutions: the code a lesson may show beside the Python.
pub fn lesson_sources(lesson: &Lesson) -> Vec<String> {
    let src = std::path::Path::new(lesson.manifest_dir).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter(|path| !path.ends_with("exercises.rs") && !path.ends_with("solutions.rs"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap_or_default())
        .collect()
}

/// Runs the lesson binary with bad input of every kind and checks each is
/// refused with one line starting `error:` and exit code 2, never a panic;
/// then checks that `--help` and `--list` work.
#[track_caller]
pub fn check_command_line(exe: &str, lesson: &Lesson) {
    let mut bad: Vec<Vec<String>> = [
        &["--no-such-flag"][..],
        &["stray-argument"],
        &["--section", "no-such-section"],
        &["--section", "0"],
        &["--section"],
        &["--time-scale", "fast"],
        &["--time-scale", "-1"],
        &["--child", "no-such-mode"],
    ]
    .iter()
    .map(|args| args.iter().map(|a| a.to_string()).collect())
    .collect();
    for flag in lesson.flags.iter().filter(|f| f.value.is_some()) {
        bad.push(vec![format!("--{}", flag.name), "-1x".to_owned()]);
    }
    for args in &bad {
        let output = run_binary(exe, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "`{args:?}` should exit with 2; stderr: {stderr}"
        );
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "`{args:?}`: {stderr:?}"
        );
        assert!(output.stdout.is_empty(), "`{args:?}` printed to stdout");
    }
    let help =
        String::from_utf8_lossy(&run_binary(exe, &["--help".to_owned()]).stdout).into_owned();
    for flag in lesson.flags {
        assert!(
            help.contains(&format!("--{}", flag.name)),
            "--help does not mention --{}",
            flag.name
        );
    }
    let list =
        String::from_utf8_lossy(&run_binary(exe, &["--list".to_owned()]).stdout).into_owned();
    for section in lesson.sections {
        assert!(
            list.contains(section.name),
            "--list does not mention {}",
            section.name
        );
    }
}

/// Runs one section of the lesson binary alone, `--quick`, with the lesson's
/// own `extra` arguments, and checks that it succeeds, prints that section's
/// heading and no other section's, and writes nothing to stderr (a panic a
/// section causes on purpose is reported by the lesson, not by the panic
/// hook). Returns what it printed, for further checks.
#[track_caller]
pub fn run_one_section(exe: &str, lesson: &Lesson, section: &str, extra: &[&str]) -> String {
    let position = lesson
        .sections
        .iter()
        .position(|s| s.name == section)
        .unwrap_or_else(|| panic!("{} has no section `{section}`", lesson.name));
    let mut args = vec![
        "--quick".to_owned(),
        "--section".to_owned(),
        section.to_owned(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let output = run_binary(exe, &args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "`{args:?}` failed: {stderr}");
    assert!(stderr.is_empty(), "`{args:?}` wrote to stderr: {stderr}");
    let total = lesson.sections.len();
    for (i, other) in lesson.sections.iter().enumerate() {
        let heading = format!("{}/{total} {}", i + 1, other.title);
        assert_eq!(
            stdout.contains(&heading),
            i == position,
            "`--section {section}`: the heading `{heading}` is {} in:\n{stdout}",
            if i == position { "missing" } else { "present" }
        );
    }
    stdout
}

fn run_binary(exe: &str, args: &[String]) -> std::process::Output {
    let output = crate::process::output_with_limit(Command::new(exe).args(args), DEADLINE);
    match output {
        Ok(Some(output)) => output,
        Ok(None) => panic!(
            "deadlock likely: `{exe} {}` still running after {DEADLINE:?}",
            args.join(" ")
        ),
        Err(e) => panic!("cannot run {exe}: {e}"),
    }
}

/// `%time f(34)` is IPython for "time this line": keep the line, drop the magic.
fn without_magic(line: &str) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    match line.trim_start().strip_prefix('%') {
        Some(magic) => {
            let rest = magic
                .trim_start_matches('%')
                .split_once(' ')
                .map_or("", |(_, rest)| rest);
            format!("{indent}{}", if rest.is_empty() { "pass" } else { rest })
        }
        None => line.to_owned(),
    }
}

/// Removes all whitespace, so that `named.join()` matches rustfmt's
/// `named\n    .join()`.
fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Ctx, Outcome, Section};

    fn nothing(_: &Ctx) -> Outcome {
        Ok(())
    }

    static SHOWN: Lesson = Lesson {
        name: "shown",
        manifest_dir: "lessons/09-shown",
        title: "",
        intro: "",
        sections: &[Section {
            name: "s",
            title: "",
            explain: "",
            python: "
                %time f(34)
                t = threading.Thread(target=f, args=(5,))
            ",
            rust: "
                let t = thread::spawn(f);   // starts at once
                // a comment line is skipped
                t.join().unwrap();
            ",
            run: nothing,
        }],
        flags: &[],
        children: &[],
    };

    #[test]
    fn rust_snippets_must_appear_in_the_source() {
        let source = "fn main() {\n    let t =   thread::spawn(f);\n    t.join()\n        .expect(\"joined\");\n}";
        assert_eq!(check_rust_snippets(&SHOWN, &[source]), Err(
            "Rust shown by lesson shown but not in its sources:\n  section `s`: t.join().unwrap();".into()
        ));
        // rustfmt's line breaks in a method chain don't matter.
        assert_eq!(
            check_rust_snippets(
                &SHOWN,
                &["let t = thread::spawn(f);\n t.join()\n    .unwrap();"]
            ),
            Ok(())
        );
    }

    #[test]
    fn magics_become_plain_python() {
        assert_eq!(without_magic("  %time f(34)"), "  f(34)");
        assert_eq!(without_magic("%%time"), "pass");
        assert_eq!(without_magic("x = 1"), "x = 1");
    }

    #[test]
    fn python_snippets_are_parsed() {
        match check_python_snippets(&SHOWN) {
            Ok(checked) => assert!(checked || std::env::var_os("CI").is_none(), "CI has Python"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn deadline_passes_results_through() {
        assert_eq!(deadline(|| "done"), "done");
    }

    #[test]
    fn deadline_reports_a_likely_deadlock() {
        let caught = std::panic::catch_unwind(|| {
            let (_sender, receiver) = mpsc::channel::<()>();
            within(Duration::from_millis(50), move || receiver.recv())
        });
        let message = crate::panics::message(&*caught.unwrap_err());
        assert!(
            message.starts_with("deadlock likely in `testing::tests::deadline_reports"),
            "{message}"
        );
        // Windows writes the location with backslashes.
        let location = message.replace('\\', "/");
        assert!(location.contains("shared/src/testing.rs"), "{message}");
    }

    #[test]
    fn deadline_passes_panics_through() {
        let caught = std::panic::catch_unwind(|| deadline(|| panic!("boom")));
        assert_eq!(crate::panics::message(&*caught.unwrap_err()), "boom");
    }
}
