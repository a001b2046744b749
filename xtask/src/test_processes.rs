//! Exercise tests, each in a process of its own, with a time limit: a test
//! that never ends is stopped and reported, and cannot keep the check
//! alive. (libtest runs every test of a binary on threads of one process,
//! and waits for all of them; a thread that loops for ever keeps that
//! process running, whatever its test's deadline said.)
//!
//! As many tests run at once as the machine has cores, as libtest would
//! run them. A test still running after [`Limits::slow`] gives up its
//! place, so that one stuck test does not hold up the others, and no other
//! test of its exercise starts until it ends. If it then turns out to be
//! stuck (it ran as long as a deadline, or was stopped at its limit), the
//! rest of that exercise's tests are not run: they would most likely hang
//! the same way, each costing another deadline. The whole run has a limit
//! too; what is left at that point is reported as not run.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use workshop::process::output_until;
use workshop::testing::{DEADLINE, EXERCISE_DEADLINE};
use workshop::units;

use crate::libtest::{self, Ran, TestResult};

/// Set to stop a run: its tests are killed and it returns at once.
/// (Only a flag, so `Relaxed` is enough.)
pub type Cancel = Arc<AtomicBool>;

/// The time limits of a run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How long one test may run before it is stopped: a deadline
    /// ([`DEADLINE`]), and time for its report to come out.
    pub per_test: Duration,
    /// A test that has run this long is stuck: its deadline fired, or it
    /// was stopped.
    pub stuck: Duration,
    /// A test that has run this long gives up its place (see the module
    /// docs).
    pub slow: Duration,
    /// How long the whole run may take.
    pub whole_run: Duration,
}

/// The limits of `cargo xtask check` and `verify`.
pub const LIMITS: Limits = Limits {
    per_test: DEADLINE.saturating_add(Duration::from_secs(2)),
    stuck: EXERCISE_DEADLINE,
    slow: Duration::from_secs(2),
    whole_run: Duration::from_secs(60),
};

/// One test to run: its full name, and the exercise it belongs to.
#[derive(Clone, Debug)]
pub struct Test {
    /// `wake_order::one`.
    pub name: String,
    /// `wake_order`.
    pub exercise: String,
}

/// Where the tests are: the test binary, and the directory to run it in.
#[derive(Clone, Debug)]
pub struct Binary {
    /// The test binary.
    pub path: PathBuf,
    /// Its working directory (the lesson's, as under `cargo test`).
    pub dir: PathBuf,
}

/// How one test process ended.
enum Ended {
    /// It exited; here is what it printed.
    Exited(Output),
    /// It was killed at its limit.
    Killed(Duration),
    /// It was killed because the run was cancelled.
    Cancelled,
    /// It could not be started.
    NotStarted(String),
}

/// A test that is running.
struct Running {
    index: usize,
    started: Instant,
    /// It has run past [`Limits::slow`] and gave up its place.
    slow: bool,
}

/// Runs every test, each in its own process, and returns their results in
/// the order given; `None` if `cancel` was set meanwhile.
/// `progress(done, total)` is called as tests end.
pub fn run(
    binary: &Binary,
    tests: &[Test],
    limits: Limits,
    cancel: &Cancel,
    progress: &mut dyn FnMut(usize, usize),
) -> Option<Vec<TestResult>> {
    let places = thread::available_parallelism().map_or(2, |n| n.get());
    let began = Instant::now();
    let (report, ended) = mpsc::channel();
    let mut results: Vec<Option<TestResult>> = tests.iter().map(|_| None).collect();
    let mut queue: VecDeque<usize> = (0..tests.len()).collect();
    let mut running: Vec<Running> = Vec::new();
    // Exercises with a slow test running: how many; and those found stuck:
    // the test that was.
    let mut held: HashMap<&str, usize> = HashMap::new();
    let mut stuck: HashMap<&str, &str> = HashMap::new();
    let mut reported = 0;
    loop {
        let done = results.iter().flatten().count();
        if done != reported {
            progress(done, tests.len());
            reported = done;
        }
        while running.iter().filter(|r| !r.slow).count() < places {
            let Some(position) = queue
                .iter()
                .position(|&i| !held.contains_key(tests[i].exercise.as_str()))
            else {
                break;
            };
            let index = queue.remove(position).unwrap_or_default();
            let test = &tests[index];
            let left = limits.whole_run.saturating_sub(began.elapsed());
            if let Some(culprit) = stuck.get(test.exercise.as_str()) {
                results[index] = Some(not_run(
                    test,
                    format!("not run: `{culprit}` got stuck, and these would likely hang too"),
                ));
            } else if left.is_zero() {
                results[index] = Some(not_run(
                    test,
                    format!(
                        "not run: the check's time limit ({}) was reached",
                        units::duration(limits.whole_run)
                    ),
                ));
            } else {
                start(
                    binary,
                    test,
                    index,
                    limits.per_test.min(left),
                    cancel,
                    &report,
                );
                running.push(Running {
                    index,
                    started: Instant::now(),
                    slow: false,
                });
            }
        }
        if running.is_empty() {
            progress(tests.len(), tests.len());
            break;
        }
        let next_slow = running
            .iter()
            .filter(|r| !r.slow)
            .map(|r| r.started + limits.slow)
            .min();
        let wait = next_slow.map_or(limits.per_test, |at| {
            at.saturating_duration_since(Instant::now())
        });
        match ended.recv_timeout(wait) {
            Ok((index, how)) => {
                let Some(position) = running.iter().position(|r| r.index == index) else {
                    continue;
                };
                let finished = running.swap_remove(position);
                let test = &tests[index];
                let took = finished.started.elapsed();
                if finished.slow {
                    release(&mut held, &test.exercise);
                }
                if took >= limits.stuck || matches!(how, Ended::Killed(_)) {
                    stuck.entry(&test.exercise).or_insert(&test.name);
                }
                if matches!(how, Ended::Cancelled) {
                    wait_for_the_rest(&ended, running.len());
                    return None;
                }
                results[index] = Some(result_of(test, how));
            }
            Err(_) => {
                for r in running.iter_mut().filter(|r| !r.slow) {
                    if r.started.elapsed() >= limits.slow {
                        r.slow = true;
                        *held.entry(&tests[r.index].exercise).or_default() += 1;
                    }
                }
            }
        }
    }
    if cancel.load(Relaxed) {
        return None;
    }
    results.into_iter().collect()
}

/// Starts one test on a thread of its own, which reports how it ended.
fn start(
    binary: &Binary,
    test: &Test,
    index: usize,
    limit: Duration,
    cancel: &Cancel,
    report: &mpsc::Sender<(usize, Ended)>,
) {
    let (binary, name) = (binary.clone(), test.name.clone());
    let (cancel, report) = (Arc::clone(cancel), report.clone());
    thread::spawn(move || {
        let mut command = Command::new(&binary.path);
        command
            .args(["--exact", &name, "--test-threads", "1"])
            .current_dir(&binary.dir)
            // Short panic messages: the backtrace of a todo!() helps nobody.
            .env("RUST_BACKTRACE", "0");
        let stop = || cancel.load(Relaxed);
        let how = match output_until(&mut command, limit, &stop) {
            Ok(Some(output)) => Ended::Exited(output),
            Ok(None) if stop() => Ended::Cancelled,
            Ok(None) => Ended::Killed(limit),
            Err(e) => Ended::NotStarted(format!(
                "cannot run {}: {e}",
                crate::project::shown(&binary.path)
            )),
        };
        let _ = report.send((index, how));
    });
}

fn release<'a>(held: &mut HashMap<&'a str, usize>, exercise: &'a str) {
    if let Some(count) = held.get_mut(exercise) {
        *count -= 1;
        if *count == 0 {
            held.remove(exercise);
        }
    }
}

/// After a cancel, each running test stops within milliseconds: wait for
/// them, so that none is left behind.
fn wait_for_the_rest(ended: &mpsc::Receiver<(usize, Ended)>, running: usize) {
    for _ in 0..running {
        if ended.recv_timeout(Duration::from_secs(5)).is_err() {
            break;
        }
    }
}

fn not_run(test: &Test, why: String) -> TestResult {
    TestResult::unfinished(&test.name, Ran::NotRun, why)
}

/// The test's result, from what its process printed or how it ended.
fn result_of(test: &Test, how: Ended) -> TestResult {
    let output = match how {
        Ended::Exited(output) => output,
        Ended::Killed(after) => {
            let message = format!(
                "did not finish: stopped after {}, still running.\n\
                 A loop that never ends, or a wait without a deadline?",
                units::duration(after)
            );
            return TestResult::unfinished(&test.name, Ran::Stopped(after), message);
        }
        Ended::NotStarted(why) => return not_run(test, why),
        Ended::Cancelled => return not_run(test, "not run: cancelled".to_owned()),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let found = libtest::parse(&stdout)
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.name == test.name);
    found.unwrap_or_else(|| {
        // It died before libtest could report: an abort, a stack overflow,
        // a `process::exit` in the code under test.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last: Vec<&str> = stderr.lines().rev().take(4).collect();
        let said: Vec<&str> = last.into_iter().rev().collect();
        let message = format!(
            "the test's process ended without a result ({}):\n{}",
            output.status,
            said.join("\n")
        );
        TestResult::unfinished(&test.name, Ran::ToTheEnd, message.trim_end().to_owned())
    })
}

/// The names of the tests in a test binary (`--list`).
pub fn list(binary: &Binary) -> Result<Vec<String>, String> {
    let mut command = Command::new(&binary.path);
    command.arg("--list").current_dir(&binary.dir);
    let shown = crate::project::shown(&binary.path);
    let output = match output_until(&mut command, Duration::from_secs(20), &|| false) {
        Ok(Some(output)) if output.status.success() => output,
        Ok(Some(output)) => {
            return Err(format!(
                "{shown} --list failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(None) => return Err(format!("{shown} --list did not finish")),
        Err(e) => return Err(format!("cannot run {shown}: {e}")),
    };
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use workshop::testing::{Scratch, write_script};

    #[test]
    fn a_missing_binary_is_named() {
        let binary = Binary {
            path: crate::project::root().join("target/no-such-test-binary"),
            dir: crate::project::root(),
        };
        let error = list(&binary).unwrap_err();
        assert!(
            error.starts_with("cannot run target/no-such-test-binary: "),
            "{error}"
        );
        let tests = [Test {
            name: "a::b".into(),
            exercise: "a".into(),
        }];
        let cancel = Cancel::default();
        let results = run(&binary, &tests, LIMITS, &cancel, &mut |_, _| {}).unwrap();
        assert!(!results[0].passed);
        assert!(
            results[0]
                .message
                .as_deref()
                .unwrap_or_default()
                .starts_with("cannot run target/no-such-test-binary: ")
        );
    }

    /// A stand-in for a test binary, in a folder that goes when the
    /// returned `Scratch` is dropped: `--list` lists four tests; a test
    /// named `…hang…` sleeps for ever, the others pass at once.
    #[cfg(unix)]
    fn fake_binary(name: &str) -> (Binary, Scratch) {
        let scratch = Scratch::new("xtask-test-processes");
        let path = scratch.join(format!("{name}.sh"));
        let script = r#"if [ "$1" = --list ]; then
  printf 'a::hang_one: test\na::hang_two: test\na::quick: test\nb::quick: test\n'
  exit 0
fi
case "$2" in
  *hang*) exec sleep 30 ;;
esac
printf 'running 1 test\ntest %s ... ok\n\ntest result: ok. 1 passed\n' "$2""#;
        write_script(&path, script);
        let dir = scratch.path().to_owned();
        (Binary { path, dir }, scratch)
    }

    #[cfg(unix)]
    #[test]
    fn a_stuck_test_is_stopped_and_the_rest_of_its_exercise_skipped() {
        let (binary, _folder) = fake_binary("stuck");
        let tests: Vec<Test> = list(&binary)
            .unwrap()
            .into_iter()
            .map(|name| Test {
                exercise: name.split("::").next().unwrap().to_owned(),
                name,
            })
            .collect();
        assert_eq!(tests.len(), 4);
        let limits = Limits {
            per_test: Duration::from_millis(1500),
            stuck: Duration::from_millis(1000),
            slow: Duration::from_millis(300),
            whole_run: Duration::from_secs(20),
        };
        let began = Instant::now();
        let mut seen = Vec::new();
        let results = run(
            &binary,
            &tests,
            limits,
            &Cancel::default(),
            &mut |done, total| seen.push((done, total)),
        )
        .unwrap();
        assert!(
            began.elapsed() < Duration::from_secs(10),
            "{:?}",
            began.elapsed()
        );
        let by_name = |name: &str| results.iter().find(|r| r.name == name).unwrap();
        assert!(by_name("b::quick").passed, "{results:?}");
        // The machine may have started both hanging tests at once (two
        // places) or one; at least one was stopped, and `a::quick`, which
        // comes after them, was not run or passed.
        let stopped: Vec<&TestResult> = results
            .iter()
            .filter(|r| matches!(r.ran, Ran::Stopped(_)))
            .collect();
        assert!(!stopped.is_empty(), "{results:?}");
        assert!(stopped.iter().all(|r| r.name.contains("hang")));
        let quick = by_name("a::quick");
        assert!(quick.passed || quick.ran == Ran::NotRun, "{quick:?}");
        assert_eq!(seen.last(), Some(&(4, 4)));
    }

    #[cfg(unix)]
    #[test]
    fn a_cancelled_run_returns_at_once() {
        let (binary, _folder) = fake_binary("cancelled");
        let tests = [Test {
            name: "a::hang_one".into(),
            exercise: "a".into(),
        }];
        let cancel = Cancel::default();
        let stopper = {
            let cancel = Arc::clone(&cancel);
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(200));
                cancel.store(true, Relaxed);
            })
        };
        let began = Instant::now();
        assert!(run(&binary, &tests, LIMITS, &cancel, &mut |_, _| {}).is_none());
        assert!(began.elapsed() < Duration::from_secs(5));
        stopper.join().unwrap();
    }
}
