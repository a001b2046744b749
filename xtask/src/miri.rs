//! Miri on the tests of the exercises whose answers use `unsafe`: an
//! interpreter that checks every memory access against Rust's rules, and
//! so finds what a normal run survives by luck (a use after free, a data
//! race, a leak, a count read and written in two steps).
//!
//! It needs the nightly toolchain with its `miri` component. The tests are
//! built for Miri with the same cfg as the ordinary run (`learner`, or
//! `wrong_answer`), given to the lesson's package alone through a profile
//! setting (`-Zprofile-rustflags`, nightly's), so that switching rebuilds
//! only the lesson. Miri runs with the host's clock
//! (`-Zmiri-disable-isolation`), so that the tests' deadlines are real
//! seconds. It stops at the first undefined behaviour it finds, so each
//! exercise gets a run of its own.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::exercise_tests::{Against, WRONG_ANSWER};
use crate::failure::Failure;
use crate::lessons::LessonCrate;
use crate::libtest::{self, TestResult};
use crate::project;

/// How to install Miri, for a learner who has not.
pub const INSTALL: &str = "rustup toolchain install nightly --component miri";

/// Longer than any run should take (the first builds the standard library
/// for Miri); past it, the run is stopped and reported as not checked.
const LIMIT: Duration = Duration::from_secs(900);

/// What a Miri run of one exercise's tests found.
#[derive(Debug, PartialEq)]
pub enum Finding {
    /// Every test passed, and Miri found nothing wrong.
    Clean,
    /// Miri, or a test under it, failed: this result says how.
    Failed(TestResult),
    /// Miri could not do its job (it did not build, or was stopped): why.
    NotChecked(String),
}

/// Whether `cargo +nightly miri` works here.
pub fn installed() -> bool {
    project::output(project::nightly_cargo().args(["miri", "--version"]))
        .is_ok_and(|output| output.status.success())
}

/// Whether Miri has never built anything here: the first run builds the
/// standard library and the lesson for Miri, which takes a while.
pub fn first_run() -> bool {
    project::miri_target_dir().is_ok_and(|dir| !dir.exists())
}

/// Runs one exercise's tests under Miri: what it found, and how long the
/// run took, its build aside.
pub fn check(
    lesson: &LessonCrate,
    against: &Against,
    exercise: &str,
) -> Result<(Finding, Duration), Failure> {
    let built = project::output_within(&mut command(lesson, against, &["--no-run"]), LIMIT)?;
    match built {
        Some(built) if built.status.success() => {}
        Some(built) => {
            let why = read(exercise, "", &String::from_utf8_lossy(&built.stderr), false);
            return Ok((why, Duration::ZERO));
        }
        None => return Ok((stopped(), Duration::ZERO)),
    }
    let started = Instant::now();
    let filter = format!("{exercise}::");
    let mut cargo = command(lesson, against, &["--", "--test-threads=1", &filter]);
    let Some(output) = project::output_within(&mut cargo, LIMIT)? else {
        return Ok((stopped(), started.elapsed()));
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let finding = read(exercise, &stdout, &stderr, output.status.success());
    Ok((finding, started.elapsed()))
}

fn stopped() -> Finding {
    Finding::NotChecked(format!(
        "Miri was still running after {} min, and was stopped",
        LIMIT.as_secs() / 60
    ))
}

/// `cargo +nightly miri test` of the lesson's exercise tests, built against
/// `against`, with `args` at the end.
fn command(lesson: &LessonCrate, against: &Against, args: &[&str]) -> Command {
    let mut cargo = project::nightly_cargo();
    cargo.args([
        "miri",
        "test",
        "--package",
        &lesson.package,
        "--test",
        "exercises",
    ]);
    if let Some((cfg, env)) = against.cfg() {
        let mut flags = format!("\"--cfg\", \"{cfg}\"");
        if let Some((name, value)) = env {
            cargo.env(name, value);
            // cargo miri does not rebuild when only the variable changes:
            // say which file in the flags too, which it does watch.
            let which = value.file_stem().unwrap_or_default().to_string_lossy();
            flags.push_str(&format!(", \"--cfg\", '{cfg}=\"{which}\"'"));
        }
        cargo.args([
            "-Zprofile-rustflags",
            "--config",
            &format!(
                "profile.dev.package.{}.rustflags = [{flags}]",
                lesson.package
            ),
        ]);
    } else {
        cargo.env_remove(WRONG_ANSWER);
    }
    let miriflags = match std::env::var("MIRIFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{flags} -Zmiri-disable-isolation"),
        _ => "-Zmiri-disable-isolation".to_owned(),
    };
    cargo
        .args(args)
        .env("MIRIFLAGS", miriflags)
        .env("RUST_BACKTRACE", "0");
    cargo
}

/// What a Miri run's output says.
fn read(exercise: &str, stdout: &str, stderr: &str, success: bool) -> Finding {
    let results = libtest::parse(stdout);
    if success && results.as_ref().is_some_and(|r| !r.is_empty()) {
        return Finding::Clean;
    }
    let name = format!("{exercise}::under_miri");
    if let Some(error) = miri_error(stderr) {
        // The test that was running when Miri stopped: its name is printed,
        // its outcome never was.
        let during = stdout
            .lines()
            .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... "))
            .next_back()
            .map_or(String::new(), |test| format!(" in `{test}`"));
        let found = if error.contains("memory leaked") {
            "memory that is never freed"
        } else if error.contains("deadlock") {
            "a deadlock"
        } else {
            "undefined behaviour"
        };
        let message = format!(
            "Miri found {found}{during}:\n{error}\n\
             A normal run can survive this by luck; another machine need not."
        );
        return Finding::Failed(failed(name, message));
    }
    if let Some(failure) = results.iter().flatten().find(|t| !t.passed) {
        let message = format!(
            "under Miri, `{}` fails:\n{}",
            failure.name,
            failure.message.as_deref().unwrap_or("(no message)")
        );
        return Finding::Failed(failed(name, message));
    }
    let said: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = said[said.len().saturating_sub(6)..].join("\n");
    Finding::NotChecked(format!("Miri could not run the tests:\n{tail}"))
}

fn failed(name: String, message: String) -> TestResult {
    TestResult {
        name,
        passed: false,
        message: Some(message),
    }
}

/// Miri's own report, cut to its first lines: what went wrong
/// (`error: Undefined Behavior: …`, `error: memory leaked: …`), and the
/// first two places in the workshop's code (not the standard library's) on
/// the stack.
fn miri_error(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|l| {
        l.starts_with("error: Undefined Behavior")
            || l.starts_with("error: memory leaked")
            || l.starts_with("error: the evaluated program")
    })?;
    let error = lines[start]
        .trim_start_matches("error: ")
        .trim_start_matches("Undefined Behavior: ");
    let mut report = format!("  {}", workshop::text::wrap(&unqualified(error), 70, "  "));
    let frames = lines[start..].windows(2).filter_map(|pair| {
        let function = pair[0].trim().split_once(": ")?.1;
        let place = pair[1].trim().strip_prefix("at ")?;
        // `file:line:column: line:column`: the file and the line.
        let place = place.split(": ").next().unwrap_or(place);
        let place = place
            .rsplit_once(':')
            .map_or(place, |(file_line, _)| file_line);
        let ours = !place.contains("/rustlib/") && !place.contains("/.cargo/");
        ours.then(|| (unqualified(function), project::shown(Path::new(place))))
    });
    for (function, place) in frames.take(2) {
        report.push_str(&format!("\n  in {function}\n    at {place}"));
    }
    Some(report)
}

/// Rust's names without the paths that say nothing to the learner:
/// `<refcounting::exercises::MyRc<u32> as std::ops::Drop>::drop` is
/// `<MyRc<u32> as Drop>::drop`.
fn unqualified(text: &str) -> String {
    let mut text = text.to_owned();
    for path in ["std::ops::", "answer::", "exercises::", "solutions::"] {
        text = text.replace(path, "");
    }
    // What is left of `refcounting::exercises::`: a lower-case crate name
    // right before a capitalized type.
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("::") {
        let (before, after) = rest.split_at(at);
        let word_start = before
            .rfind(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .map_or(0, |i| i + 1);
        let crate_name =
            word_start < before.len() && after[2..].starts_with(|c: char| c.is_ascii_uppercase());
        if crate_name {
            out.push_str(&before[..word_start]);
        } else {
            out.push_str(before);
            out.push_str("::");
        }
        rest = &after[2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const UB: &str = "\
error: Undefined Behavior: constructing invalid value: encountered a dangling reference (use-after-free)
   --> /root/.rustup/toolchains/nightly/lib/rustlib/src/rust/library/core/src/ptr/non_null.rs:441:18
    |
    = note: stack backtrace:
            0: std::ptr::NonNull::<RcInner<u32>>::as_ref::<'_>
                at /root/.rustup/toolchains/nightly/lib/rustlib/src/rust/library/core/src/ptr/non_null.rs:441:18: 441:46
            1: refcounting::exercises::MyRc::<u32>::inner
                at lessons/02-refcounting/src/exercises.rs:180:18: 180:37
            2: <refcounting::exercises::MyRc<u32> as std::ops::Drop>::drop
                at lessons/02-refcounting/src/exercises.rs:200:9: 200:21
            3: my_rc::two
                at lessons/02-refcounting/tests/exercises.rs:231:9: 231:16
";

    #[test]
    fn undefined_behaviour_is_reported_with_the_test_and_the_place() {
        let stdout = "running 2 tests\ntest my_rc::one ... ok\ntest my_rc::two ... ";
        let Finding::Failed(result) = read("my_rc", stdout, UB, false) else {
            panic!("not a failure");
        };
        assert_eq!(result.name, "my_rc::under_miri");
        let message = result.message.unwrap();
        assert!(
            message.starts_with("Miri found undefined behaviour in `my_rc::two`:\n"),
            "{message}"
        );
        assert!(message.contains("(use-after-free)"), "{message}");
        assert!(
            message.contains(
                "\n  in MyRc::<u32>::inner\n    at lessons/02-refcounting/src/exercises.rs:180\n  \
                 in <MyRc<u32> as Drop>::drop\n    at lessons/02-refcounting/src/exercises.rs:200\n"
            ),
            "{message}"
        );
        assert!(
            !message.contains("my_rc::two\n"),
            "two places at most: {message}"
        );
        assert!(
            message.lines().all(|l| l.chars().count() <= 74),
            "{message}"
        );
        assert!(message.lines().count() <= 8, "{message}");
    }

    #[test]
    fn names_lose_the_paths_that_say_nothing() {
        assert_eq!(
            unqualified("<refcounting::exercises::MyRc<u32> as std::ops::Drop>::drop"),
            "<MyRc<u32> as Drop>::drop"
        );
        assert_eq!(
            unqualified("value of type &answer::RcInner<DropCounter>"),
            "value of type &RcInner<DropCounter>"
        );
        assert_eq!(
            unqualified("std::ptr::drop_in_place"),
            "std::ptr::drop_in_place"
        );
    }

    #[test]
    fn a_clean_run_and_a_failed_build() {
        let stdout = "test my_rc::one ... ok\n\ntest result: ok. 1 passed; 0 failed;";
        assert_eq!(read("my_rc", stdout, "", true), Finding::Clean);
        let broken = read("my_rc", "", "error[E0308]: mismatched types\n", false);
        assert!(matches!(broken, Finding::NotChecked(why) if why.contains("E0308")));
    }

    #[test]
    fn a_leak_is_a_finding() {
        let stderr =
            "error: memory leaked: alloc99 (Rust heap, size: 16, align: 8), allocated here:\n";
        let stdout = "test my_rc::one ... ok\n\ntest result: ok. 1 passed; 0 failed;";
        let Finding::Failed(result) = read("my_rc", stdout, stderr, false) else {
            panic!("not a failure");
        };
        let message = result.message.unwrap();
        assert!(
            message.starts_with("Miri found memory that is never freed:"),
            "{message}"
        );
        assert!(message.contains("memory leaked"), "{message}");
    }
}
