//! The model checks of a lesson that has them (`tests/loom.rs`) pass under
//! loom on the reference solutions and the lesson's own primitives (see
//! [`crate::model_check`]).

use super::Problems;
use crate::exercise_tests::Against;
use crate::lessons::LessonCrate;
use crate::model_check::{self, Run};
use crate::project;

/// Runs every model check of a lesson, if it has any.
pub fn problems(lesson: &LessonCrate) -> Problems {
    let folder = &lesson.folder;
    if !model_check::has_model_checks(lesson) {
        return Ok(Vec::new());
    }
    println!(
        "{folder}: model-checking with loom ({}, release build in {}; \
         the first run builds loom: a minute or two)…",
        project::shown(&model_check::file(lesson)),
        project::shown(&project::loom_target_dir()?),
    );
    let started = std::time::Instant::now();
    let rerun = model_check::rerun_hint(lesson)?;
    let results = match model_check::run(lesson, &Against::Solutions, &[])?.0 {
        Run::Ran(results) => results,
        Run::DidNotBuild(errors) => {
            return Ok(vec![format!(
                "{folder}: the model checks do not build (rerun: {rerun}):\n{errors}"
            )]);
        }
        Run::TimedOut => {
            return Ok(vec![format!(
                "{folder}: the model checks were still running after {} s (rerun: {rerun})",
                model_check::LIMIT.as_secs()
            )]);
        }
    };
    let failing: Vec<String> = results
        .iter()
        .filter(|t| !t.passed)
        .map(|t| format!("{}: {}", t.name, t.message.as_deref().unwrap_or("")))
        .collect();
    if results.is_empty() {
        return Ok(vec![format!("{folder}: tests/loom.rs has no model checks")]);
    }
    if failing.is_empty() {
        println!(
            "  {} model checks passed ({:.1} s with the build)",
            results.len(),
            started.elapsed().as_secs_f64()
        );
        return Ok(Vec::new());
    }
    Ok(vec![format!(
        "{folder}: the loom model checks fail (rerun: {rerun}):\n    {}",
        failing.join("\n    ")
    )])
}
