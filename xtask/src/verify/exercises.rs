//! Every exercise's tests pass on the reference solution and fail on the
//! stub as shipped: a test that passes on a stub tests nothing.

use super::Problems;
use crate::exercise_tests::{self, Against, TestRun};
use crate::lessons::LessonCrate;
use crate::project;

/// Runs the exercise tests twice: on the solutions (all must pass) and on
/// the stubs (every test must fail).
pub fn problems(lesson: &LessonCrate) -> Problems {
    let mut problems = Vec::new();
    let exercises = lesson.exercises()?;
    let folder = &lesson.folder;
    println!("{folder}: testing the reference solutions…");
    let solved = match exercise_tests::run(lesson, &Against::Solutions)? {
        TestRun::Ran(results) => results,
        TestRun::DidNotBuild(errors) => {
            return Ok(vec![format!(
                "{folder}: the solutions do not build:\n{errors}"
            )]);
        }
    };
    for stray in solved
        .iter()
        .filter(|t| !exercises.iter().any(|e| e.name == t.exercise()))
    {
        problems.push(format!(
            "{folder}: test `{}` belongs to no exercise (name its module after one)",
            stray.name
        ));
    }
    for p in exercise_tests::progress(&exercises, solved) {
        if p.tests.is_empty() {
            problems.push(format!(
                "{folder}: exercise `{}` has no tests",
                p.exercise.name
            ));
        }
        for failure in p.failures() {
            let message = failure.message.as_deref().unwrap_or("");
            problems.push(format!(
                "{folder}: `{}` fails on the reference solution: {message}",
                failure.name
            ));
        }
    }
    println!("{folder}: testing the stubs as shipped…");
    let stubbed = match exercise_tests::run(lesson, &Against::Learner)? {
        TestRun::Ran(results) => results,
        TestRun::DidNotBuild(errors) => {
            return Ok(vec![format!("{folder}: the stubs do not build:\n{errors}")]);
        }
    };
    let edited = project::has_local_changes(&lesson.exercises_file());
    for p in exercise_tests::progress(&exercises, stubbed) {
        let failing = p.failures().count();
        println!(
            "  {} {}: {failing} of {} tests fail on the stub",
            p.exercise.number,
            p.exercise.name,
            p.tests.len()
        );
        for passing in p.tests.iter().filter(|t| t.passed) {
            let why = if edited {
                " (src/exercises.rs has local changes: is it solved?)"
            } else {
                ""
            };
            problems.push(format!(
                "{folder}: `{}` passes on the stub, so it does not test the exercise{why}",
                passing.name
            ));
        }
    }
    Ok(problems)
}
