//! The check's Miri and loom steps catch what they are there for: each
//! lesson with exercises that use `unsafe` keeps at least one wrong answer
//! that only Miri catches, each lesson with model checks one that only
//! loom catches (in `tests/wrong_answers/`, with `Caught by: Miri` or
//! `Caught by: loom`), and every such wrong answer fails `cargo xtask
//! check` as its file says it must (see [`crate::wrong_answers`]).

use super::Problems;
use crate::lessons::LessonCrate;
use crate::wrong_answers::{self, WrongAnswer};
use crate::{miri, model_check, project};

/// Checks the wrong answers of one lesson that Miri or loom must catch.
pub fn problems(lesson: &LessonCrate) -> Problems {
    let folder = &lesson.folder;
    let answers = wrong_answers::of(lesson)?;
    let mut problems = Vec::new();
    let mut wanted = Vec::new();
    if !lesson.unsafe_exercises()?.is_empty() {
        if miri::installed() {
            wanted.push("Miri");
        } else {
            println!(
                "{folder}: Miri is not installed, so verify cannot show that it catches \
                 the wrong answers meant for it ({})",
                miri::INSTALL
            );
        }
    }
    if !model_check::checked_exercises(lesson)?.is_empty() {
        wanted.push("loom");
    }
    for tool in wanted {
        let meant: Vec<&WrongAnswer> = answers
            .iter()
            .filter(|a| a.caught_by.iter().any(|c| c.eq_ignore_ascii_case(tool)))
            .collect();
        if meant.is_empty() {
            problems.push(format!(
                "{folder}: no wrong answer in {} says `Caught by: {tool}`: nothing shows \
                 that the check's {tool} step catches anything",
                project::shown(&project::path(project::Place::WrongAnswers(&lesson.dir)))
            ));
        }
        for answer in meant {
            println!("{folder}: {tool} must catch {}…", answer.name());
            let verdict = wrong_answers::check(lesson, answer)?;
            for problem in verdict.problems(answer) {
                problems.push(format!(
                    "{folder}: wrong answer {}: {problem}",
                    answer.name()
                ));
            }
        }
    }
    Ok(problems)
}
