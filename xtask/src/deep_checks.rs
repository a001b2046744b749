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
use workshop::testing::COLUMNS;

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
    let mut deep = DeepCheck {
        lesson,
        against,
        progress,
        say,
    };
    let mut ran_for = Duration::ZERO;
    // loom's list is taken after Miri's findings: an exercise Miri failed
    // no longer passes.
    let with_unsafe = deep.passing(&lesson.unsafe_exercises()?);
    if !with_unsafe.is_empty() {
        ran_for += deep.under_miri(&with_unsafe)?;
    }
    let modelled = deep.passing(&model_check::checked_exercises(lesson)?);
    if !modelled.is_empty() {
        ran_for += deep.model_checked(&modelled)?;
    }
    Ok(Ran { ran_for })
}

/// One lesson's deep checks, and where their findings go.
struct DeepCheck<'a> {
    lesson: &'a LessonCrate,
    against: &'a Against,
    progress: &'a mut [Progress],
    say: &'a mut dyn FnMut(&str),
}

/// `a`, `a and b`, `a, b and c`, each in backticks.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

impl DeepCheck<'_> {
    /// The names of `wanted` whose exercises pass their tests, in order, up
    /// to the first exercise that does not.
    fn passing(&self, wanted: &[String]) -> Vec<String> {
        self.progress
            .iter()
            .take_while(|p| p.done())
            .filter(|p| wanted.contains(&p.exercise.name))
            .map(|p| p.exercise.name.clone())
            .collect()
    }

    /// Says that a deep check starts: `doing`, and on the tool's first run
    /// (which builds `what` first) that it takes a while; wrapped to 80
    /// columns.
    fn starting(&mut self, doing: &str, first_run: bool, what: &str) {
        let sentence = if first_run {
            format!("{doing} (its first run builds {what}: a minute or two)…")
        } else {
            format!("{doing}…")
        };
        (self.say)(&workshop::text::wrap(&sentence, COLUMNS, ""));
    }

    /// Adds a finding to the exercise's results.
    fn add(&mut self, exercise: &str, result: crate::libtest::TestResult) {
        if let Some(p) = self
            .progress
            .iter_mut()
            .find(|p| p.exercise.name == exercise)
        {
            p.tests.push(result);
        }
    }

    fn under_miri(&mut self, exercises: &[String]) -> Result<Duration, Failure> {
        let names = listed(exercises);
        if !miri::installed() {
            (self.say)(&format!(
                "Miri is not installed, so the memory safety of {names} was not\n\
                 checked: a use after free or a data race can pass the tests.\n\
                 To install it: {}",
                miri::INSTALL
            ));
            return Ok(Duration::ZERO);
        }
        let doing = format!("Checking {names} for memory errors with Miri");
        self.starting(&doing, miri::first_run(), "the standard library for it");
        let mut ran_for = Duration::ZERO;
        for exercise in exercises {
            let (finding, took) = miri::check(self.lesson, self.against, exercise)?;
            ran_for += took;
            match finding {
                Finding::Clean => {}
                Finding::Failed(result) => self.add(exercise, result),
                Finding::NotChecked(why) => {
                    (self.say)(&format!("Miri could not check `{exercise}`: {why}"))
                }
            }
        }
        Ok(ran_for)
    }

    fn model_checked(&mut self, exercises: &[String]) -> Result<Duration, Failure> {
        let names = listed(exercises);
        let doing = format!("Model-checking {names} with loom");
        self.starting(&doing, model_check::first_run(), "it");
        let (run, took) = model_check::run(self.lesson, self.against, exercises)?;
        match run {
            Run::Ran(results) => {
                for failure in results.iter().filter(|t| !t.passed) {
                    self.add(failure.exercise(), model_check::explained(failure));
                }
            }
            Run::DidNotBuild(errors) => {
                let first: Vec<&str> = errors
                    .lines()
                    .filter(|l| l.starts_with("error"))
                    .take(3)
                    .collect();
                (self.say)(&format!(
                    "loom could not build your code, so it was not model-checked:\n{}",
                    first.join("\n")
                ));
            }
            Run::TimedOut => (self.say)(&format!(
                "loom had not finished after {} s and was stopped: {names}\n\
                 not model-checked (an answer with more locking than it needs\n\
                 gives loom more orders to try; one that waits on std::sync's\n\
                 own Barrier, Mutex or Condvar, which loom cannot see, stops it\n\
                 for good: build on the lesson's `sync` module)",
                model_check::LIMIT.as_secs()
            )),
        }
        Ok(took)
    }
}
