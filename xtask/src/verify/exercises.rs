//! Every exercise's tests pass on the reference solution and fail on the
//! stub as shipped, at its `todo!()` (so that the check says "not
//! started"): a test that passes on a stub tests nothing.

use super::Problems;
use crate::exercise_tests::{self, Against, Checked, Options, Progress, TestRun};
use crate::failure::Failure;
use crate::lessons::LessonCrate;
use crate::project;

/// Runs the exercise tests twice: on the solutions (all must pass) and on
/// the stubs (every test must fail).
pub fn problems(lesson: &LessonCrate) -> Problems {
    let mut problems = Vec::new();
    let folder = &lesson.folder;
    println!("{folder}: testing the reference solutions…");
    let solved = match test(lesson, Against::Solutions)? {
        Ok(checked) => checked,
        Err(errors) => {
            return Ok(vec![format!(
                "{folder}: the solutions do not build:\n{errors}"
            )]);
        }
    };
    for stray in &solved.stray {
        problems.push(format!(
            "{folder}: test `{}` belongs to no exercise (name its module after one)",
            stray.name
        ));
    }
    for p in &solved.exercises {
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
    let stubbed = match test(lesson, Against::Learner)? {
        Ok(checked) => checked,
        Err(errors) => return Ok(vec![format!("{folder}: the stubs do not build:\n{errors}")]),
    };
    let edited = project::has_local_changes(&lesson.exercises_file());
    for p in &stubbed.exercises {
        let failing = p.failures().count();
        println!(
            "  {} {}: {failing} of {} tests fail on the stub",
            p.exercise.number,
            p.exercise.name,
            p.tests.len()
        );
        if !edited {
            problems.extend(not_at_the_todo(folder, p));
        }
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

/// The tests of an untouched stub that fail other than at its `todo!()`
/// (a deadline waited out, another panic first): `cargo xtask check` would
/// show the exercise as failing instead of "not started".
fn not_at_the_todo(folder: &str, stub: &Progress) -> Vec<String> {
    stub.failures()
        .filter(|t| !t.hit_todo())
        .map(|t| {
            let said = t.message.as_deref().unwrap_or("(no message)");
            format!(
                "{folder}: `{}` fails on the stub before its `todo!()` is reached, so \
                 the check does not say \"not started\": {}",
                t.name,
                said.lines().next().unwrap_or_default()
            )
        })
        .collect()
}

/// The exercise tests against one implementation; `Err` is what the
/// compiler said when they do not build.
fn test(lesson: &LessonCrate, against: Against) -> Result<Result<Checked, String>, Failure> {
    match exercise_tests::run(lesson, &Options::new(against), &mut |_| {})? {
        TestRun::Ran(checked) => Ok(Ok(checked)),
        TestRun::DidNotBuild(failure) => {
            let rendered: Vec<&str> = failure
                .diagnostics
                .iter()
                .map(|d| d.rendered.as_str())
                .collect();
            let said = if rendered.is_empty() {
                failure.cargo_said
            } else {
                rendered.join("\n")
            };
            Ok(Err(said))
        }
        TestRun::Cancelled => Err(Failure::Broken("the exercise tests were cancelled".into())),
    }
}
