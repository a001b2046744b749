//! Reading the output of a libtest run (`cargo test`): which tests passed,
//! and what the failing ones said.

use std::time::Duration;

/// How far a test got.
#[derive(Clone, Debug, PartialEq)]
pub enum Ran {
    /// It ran to its end: it passed, or failed with a message.
    ToTheEnd,
    /// It was still running at its time limit and was stopped.
    Stopped(Duration),
    /// It was never started (its message says why).
    NotRun,
}

/// One test's result.
#[derive(Debug, PartialEq)]
pub struct TestResult {
    /// The test's path: `wake_order::no_naps_no_names`.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// For a failure, the panic message (without location or backtrace),
    /// or why it did not run to its end.
    pub message: Option<String>,
    /// How far it got.
    pub ran: Ran,
}

impl TestResult {
    /// The exercise the test belongs to: the first part of its path.
    pub fn exercise(&self) -> &str {
        self.name.split("::").next().unwrap_or(&self.name)
    }

    /// A failure that did not run to its end.
    pub fn unfinished(name: &str, ran: Ran, message: String) -> Self {
        TestResult {
            name: name.to_owned(),
            passed: false,
            message: Some(message),
            ran,
        }
    }

    /// Whether it failed on a `todo!()`: the exercise is not started.
    pub fn hit_todo(&self) -> bool {
        self.message
            .as_deref()
            .is_some_and(|m| m.starts_with("not yet implemented"))
    }
}

/// Every `test NAME ... ok|FAILED` line, with the failures' messages;
/// `None` when the output has no `test result:` line (the tests never ran,
/// usually because the code does not compile).
pub fn parse(stdout: &str) -> Option<Vec<TestResult>> {
    if !stdout.lines().any(|l| l.starts_with("test result:")) {
        return None;
    }
    let mut results: Vec<TestResult> = stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, outcome) = rest.rsplit_once(" ... ")?;
            let passed = match outcome.trim() {
                "ok" => true,
                "FAILED" => false,
                _ => return None, // ignored, bench
            };
            Some(TestResult {
                name: name.to_owned(),
                passed,
                message: None,
                ran: Ran::ToTheEnd,
            })
        })
        .collect();
    for (name, message) in failure_messages(stdout) {
        if let Some(result) = results.iter_mut().find(|r| r.name == name) {
            result.message = Some(message);
        }
    }
    Some(results)
}

/// The `---- NAME stdout ----` sections of the failures, reduced to the
/// panic message.
fn failure_messages(stdout: &str) -> Vec<(String, String)> {
    let mut messages = Vec::new();
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        let mut section = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("---- ") || *next == "failures:" {
                break;
            }
            section.push(lines.next().unwrap_or_default());
        }
        messages.push((name.to_owned(), panic_message(name, &section)));
    }
    messages
}

/// The message of the test thread's own panic: the lines after
/// `thread 'NAME' panicked at file:line:col:`, up to the note about
/// backtraces. Threads the test started may panic too (on purpose); the
/// test's thread, and the deadline helper's, carry the test's name.
fn panic_message(test: &str, section: &[&str]) -> String {
    let panics: Vec<usize> = (0..section.len())
        .filter(|&i| section[i].contains("panicked at "))
        .collect();
    let own = format!("thread '{test}'");
    let start = panics
        .iter()
        .rev()
        .find(|&&i| section[i].contains(&own))
        .or(panics.last());
    let Some(&start) = start else {
        return section.join("\n").trim().to_owned();
    };
    let message: Vec<&str> = section[start + 1..]
        .iter()
        .take_while(|l| {
            !l.starts_with("note: ")
                && !l.starts_with("stack backtrace:")
                && !l.contains("panicked at ")
        })
        .copied()
        .collect();
    message.join("\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "
running 3 tests
test join_all::nothing_to_join ... ok
test wake_order::one ... FAILED
test wake_order::two ... FAILED

failures:

---- wake_order::one stdout ----

thread 'wake_order::one' (123) panicked at lessons/01-sleeper/src/exercises.rs:31:5:
not yet implemented: start a thread
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

thread '<unnamed>' (124) panicked at tests/exercises.rs:99:5:
boom

---- wake_order::two stdout ----
thread 'wake_order::two' panicked at tests/exercises.rs:40:9:
assertion `left == right` failed: wake order
  left: [\"b\"]
 right: [\"a\"]
stack backtrace:
   0: somewhere

failures:
    wake_order::one
    wake_order::two

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";

    #[test]
    fn results_and_messages() {
        let results = parse(OUTPUT).unwrap();
        assert_eq!(results.len(), 3);
        assert!(results[0].passed && results[0].message.is_none());
        assert_eq!(results[1].exercise(), "wake_order");
        assert!(results[1].hit_todo());
        assert_eq!(
            results[1].message.as_deref(),
            Some("not yet implemented: start a thread")
        );
        assert_eq!(
            results[2].message.as_deref(),
            Some("assertion `left == right` failed: wake order\n  left: [\"b\"]\n right: [\"a\"]")
        );
        assert!(!results[2].hit_todo());
    }

    #[test]
    fn no_summary_means_the_tests_never_ran() {
        assert_eq!(parse("error[E0308]: mismatched types"), None);
    }
}
