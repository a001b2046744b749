//! What the check runs once an exercise's ordinary tests pass, to find the
//! bugs that no run can be sure to hit:
//!
//! - **Miri** ([`crate::miri`]) runs the tests of the exercises that use
//!   `unsafe` in an interpreter that checks every memory access, where the
//!   nightly toolchain has it; without it, the check says so, and how to
//!   install it.
//! - **loom** ([`crate::model_check`]) model-checks the exercises that
//!   `tests/loom.rs` has checks for: every interleaving of a few threads.
//!
//! They run only on exercises whose tests pass, and every exercise's before
//! them: a failing test is the learner's next step anyway, and these take
//! longer (a check that fails the first exercise answers in seconds, not
//! after a minute of Miri on the last). What they find is
//! added to the exercise's results, as one more failing test, so the check
//! shows it like any other failure.

use std::time::Duration;

use crate::exercise_tests::{Against, Progress};
use crate::failure::Failure;
use crate::lessons::LessonCrate;
use crate::miri::{self, Finding};
use crate::model_check::{self, Run};

/// What the deep checks cost.
pub struct Ran {
    /// How long Miri and loom ran, their builds aside.
    pub ran_for: Duration,
}

/// Runs Miri and loom on the exercises of `progress` whose tests all pass,
/// adding what they find to those exercises' results; `say` hears what is
/// being done, and what could not be checked.
pub fn run(
    lesson: &LessonCrate,
    against: &Against,
    progress: &mut [Progress],
    say: &mut dyn FnMut(&str),
) -> Result<Ran, Failure> {
    let mut ran_for = under_miri(lesson, against, progress, say)?;
    ran_for += model_checked(lesson, against, progress, say)?;
    Ok(Ran { ran_for })
}

/// The names of `wanted` whose exercises pass their tests, in order, up to
/// the first exercise that does not.
fn passing(progress: &[Progress], wanted: &[String]) -> Vec<String> {
    progress
        .iter()
        .take_while(|p| p.done())
        .filter(|p| wanted.contains(&p.exercise.name))
        .map(|p| p.exercise.name.clone())
        .collect()
}

/// `a`, `a and b`, `a, b and c`, each in backticks.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

fn add(progress: &mut [Progress], exercise: &str, result: crate::libtest::TestResult) {
    if let Some(p) = progress.iter_mut().find(|p| p.exercise.name == exercise) {
        p.tests.push(result);
    }
}

fn under_miri(
    lesson: &LessonCrate,
    against: &Against,
    progress: &mut [Progress],
    say: &mut dyn FnMut(&str),
) -> Result<Duration, Failure> {
    let exercises = passing(progress, &lesson.unsafe_exercises()?);
    if exercises.is_empty() {
        return Ok(Duration::ZERO);
    }
    let names = listed(&exercises);
    if !miri::installed() {
        say(&format!(
            "Miri is not installed, so the memory safety of {names} was not\n\
             checked: a use after free or a data race can pass the tests.\n\
             To install it: {}",
            miri::INSTALL
        ));
        return Ok(Duration::ZERO);
    }
    say(&if miri::first_run() {
        format!(
            "Checking {names} for memory errors with Miri (its first run\n\
             builds the standard library for it: a minute or two)…"
        )
    } else {
        format!("Checking {names} for memory errors with Miri…")
    });
    let mut ran_for = Duration::ZERO;
    for exercise in &exercises {
        let (finding, took) = miri::check(lesson, against, exercise)?;
        ran_for += took;
        match finding {
            Finding::Clean => {}
            Finding::Failed(result) => add(progress, exercise, result),
            Finding::NotChecked(why) => say(&format!("Miri could not check `{exercise}`: {why}")),
        }
    }
    Ok(ran_for)
}

fn model_checked(
    lesson: &LessonCrate,
    against: &Against,
    progress: &mut [Progress],
    say: &mut dyn FnMut(&str),
) -> Result<Duration, Failure> {
    let exercises = passing(progress, &model_check::checked_exercises(lesson)?);
    if exercises.is_empty() {
        return Ok(Duration::ZERO);
    }
    let names = listed(&exercises);
    say(&if model_check::first_run() {
        format!(
            "Model-checking {names} with loom (its first run builds it:\n\
             a minute or two)…"
        )
    } else {
        format!("Model-checking {names} with loom…")
    });
    let (run, took) = model_check::run(lesson, against, &exercises)?;
    match run {
        Run::Ran(results) => {
            for failure in results.iter().filter(|t| !t.passed) {
                add(
                    progress,
                    failure.exercise(),
                    model_check::explained(failure),
                );
            }
        }
        Run::DidNotBuild(errors) => {
            let first: Vec<&str> = errors
                .lines()
                .filter(|l| l.starts_with("error"))
                .take(3)
                .collect();
            say(&format!(
                "loom could not build your code, so it was not model-checked:\n{}",
                first.join("\n")
            ));
        }
        Run::TimedOut => say(&format!(
            "loom was still exploring after {} s and was stopped: {names}\n\
             not model-checked (an answer with more locking than it needs\n\
             gives loom more orders to try)",
            model_check::LIMIT.as_secs()
        )),
    }
    Ok(took)
}
