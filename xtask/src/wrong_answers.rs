//! Wrong answers kept beside a lesson's tests, in `tests/wrong_answers/`:
//! the shortcuts a learner might take, answers that loop for ever or
//! deadlock, and the memory and ordering bugs that only Miri or loom can
//! see. Each is a file of Rust that the exercise tests (and the model
//! checks) `include!` as their `answer` module instead of the learner's
//! file (see [`crate::exercise_tests`]): it re-exports the reference
//! solutions and replaces one exercise's answer with the wrong one. It
//! starts with comments that say what it gets wrong, and what the check
//! must say about it:
//!
//! ```text
//! // Wrong answer to `wake_order`: joins each sleeper before starting the
//! // next, so the naps never overlap.
//! // Caught by: one after another
//!
//! pub use sleeper::solutions::*;
//!
//! pub fn wake_order(naps: &[Duration]) -> Vec<String> { … }
//! ```
//!
//! `cargo xtask wrong-answers` checks every one as `cargo xtask check`
//! checks a learner's file, and fails unless the check reports its
//! exercise unfinished, its report contains every `Caught by:` phrase, and
//! it takes at most [`LIMIT`]; `cargo xtask verify` does the same for the
//! ones caught by Miri or loom. These files are never in the learner's
//! file: they are the maintainers' proof that the tests catch what they
//! should.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::exercise_tests::{self, Against, Checked, Options, Progress, TestRun};
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, LessonCrate};
use workshop::style::Colors;

use crate::{deep_checks, project, report};

/// The longest the check of a wrong answer may take, its build aside: what
/// the learner waits for before being told what is wrong.
pub const LIMIT: Duration = Duration::from_secs(20);

/// The longest Miri's or loom's run may take to catch a wrong answer,
/// their builds aside: they are slower than the tests by nature (Miri
/// interprets every step), and run only once the tests pass.
pub const DEEP_LIMIT: Duration = Duration::from_secs(90);

/// One wrong answer, as its file describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct WrongAnswer {
    /// The file.
    pub path: PathBuf,
    /// The exercise it answers wrongly.
    pub exercise: String,
    /// What is wrong with it, one sentence.
    pub what: String,
    /// What the check's report of that exercise must contain (case aside).
    pub caught_by: Vec<String>,
}

impl WrongAnswer {
    /// Its name: the file's stem.
    pub fn name(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Whether Miri or loom, not the ordinary tests, must catch it.
    pub fn for_deep_checks(&self) -> bool {
        self.caught_by
            .iter()
            .any(|c| c.eq_ignore_ascii_case("miri") || c.eq_ignore_ascii_case("loom"))
    }
}

/// A lesson's wrong answers, in file order.
pub fn of(lesson: &LessonCrate) -> Result<Vec<WrongAnswer>, Failure> {
    let dir = project::path(project::Place::WrongAnswers(&lesson.dir));
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut answers = Vec::new();
    for path in project::list(&dir)? {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = project::read(&path)?;
            answers.push(parse(path.clone(), &text).ok_or_else(|| {
                Failure::Broken(format!(
                    "{} does not start with `// Wrong answer to `name`: …` and \
                     `// Caught by: …` lines",
                    project::shown(&path)
                ))
            })?);
        }
    }
    Ok(answers)
}

/// The header of a wrong answer: `// Wrong answer to `name`: what…`,
/// continued on `//` lines, then one or more `// Caught by: phrase`.
fn parse(path: PathBuf, text: &str) -> Option<WrongAnswer> {
    let mut comments = text
        .lines()
        .map_while(|line| line.strip_prefix("//"))
        .map(str::trim);
    let first = comments.next()?.strip_prefix("Wrong answer to `")?;
    let (exercise, what) = first.split_once("`:")?;
    let mut what = what.trim().to_owned();
    let mut caught_by = Vec::new();
    for line in comments {
        match line.strip_prefix("Caught by:") {
            Some(phrase) => caught_by.push(phrase.trim().to_owned()),
            None if caught_by.is_empty() && !line.is_empty() => {
                what.push(' ');
                what.push_str(line);
            }
            None => {}
        }
    }
    (!caught_by.is_empty()).then(|| WrongAnswer {
        path,
        exercise: exercise.to_owned(),
        what,
        caught_by,
    })
}

/// What checking one wrong answer showed.
pub struct Verdict {
    /// The exercise it answers.
    pub exercise: String,
    /// Every exercise's tests (and deep checks), as the check ran them.
    pub checked: Checked,
    /// What the deep checks said as they went.
    pub notes: Vec<String>,
    /// How long the check took, the build aside.
    pub took: Duration,
    /// The compiler's errors, if the tests did not build.
    pub did_not_build: Option<String>,
}

impl Verdict {
    /// Its exercise's results.
    pub fn exercise(&self) -> Option<&Progress> {
        self.checked
            .exercises
            .iter()
            .find(|p| p.exercise.name == self.exercise)
    }

    /// Other exercises that did not pass: a wrong answer replaces one only.
    pub fn others_failing(&self) -> Vec<&str> {
        self.checked
            .exercises
            .iter()
            .filter(|p| p.exercise.name != self.exercise && !p.done())
            .map(|p| p.exercise.name.as_str())
            .collect()
    }

    /// Everything the check said about the exercise, one text.
    pub fn report(&self) -> String {
        let Some(progress) = self.exercise() else {
            return String::new();
        };
        progress
            .failures()
            .map(|t| format!("{}\n{}", t.name, t.message.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What is wrong with the verdict (empty when the wrong answer was
    /// caught as it should be).
    pub fn problems(&self, answer: &WrongAnswer) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(errors) = &self.did_not_build {
            return vec![format!("does not build:\n{errors}")];
        }
        match self.exercise() {
            None => problems.push(format!("no exercise `{}`", answer.exercise)),
            Some(p) if p.done() => problems.push("passes the check".to_owned()),
            Some(_) => {}
        }
        let report = self.report().to_lowercase();
        for phrase in &answer.caught_by {
            if !report.contains(&phrase.to_lowercase()) {
                problems.push(format!("the check does not say \"{phrase}\""));
            }
        }
        let others = self.others_failing();
        if !others.is_empty() {
            problems.push(format!("other exercises fail too: {}", others.join(", ")));
        }
        let limit = if answer.for_deep_checks() {
            DEEP_LIMIT
        } else {
            LIMIT
        };
        if self.took > limit {
            problems.push(format!(
                "the check took {:.1} s, more than {} s",
                self.took.as_secs_f64(),
                limit.as_secs()
            ));
        }
        problems
    }
}

/// Checks one wrong answer as `cargo xtask check` checks a learner's file:
/// the exercise tests, then Miri and loom where they apply.
pub fn check(lesson: &LessonCrate, answer: &WrongAnswer) -> Result<Verdict, Failure> {
    let against = Against::WrongAnswer(answer.path.clone());
    let options = Options::new(against.clone());
    // The build is not the learner's wait for a verdict: leave it out.
    let Some(build) = exercise_tests::build(lesson, &options)? else {
        return Err(Failure::Broken("the check was cancelled".into()));
    };
    let started = Instant::now();
    let mut checked = match exercise_tests::run_built(lesson, &options, build, &mut |_| {})? {
        TestRun::Ran(checked) => checked,
        TestRun::DidNotBuild(failure) => {
            return Ok(Verdict {
                exercise: answer.exercise.clone(),
                checked: exercise_tests::group(Vec::new(), Vec::new(), Vec::new()),
                notes: Vec::new(),
                took: Duration::ZERO,
                did_not_build: Some(report::build_failure(lesson, &failure, 10).join("\n")),
            });
        }
        TestRun::Cancelled => return Err(Failure::Broken("the check was cancelled".into())),
    };
    let tests_took = started.elapsed();
    let mut notes = Vec::new();
    let deep = deep_checks::run(lesson, &against, &mut checked.exercises, &mut |note| {
        notes.push(note.to_owned());
    })?;
    Ok(Verdict {
        exercise: answer.exercise.clone(),
        checked,
        notes,
        // Miri and loom build as they go: count their runs, not their builds.
        took: tests_took + deep.ran_for,
        did_not_build: None,
    })
}

/// `cargo xtask wrong-answers [LESSON [NAME]]`: every wrong answer of every
/// lesson (or of one), each checked as a learner's file would be; a table
/// of what the check said, and a failure unless every one was caught. With
/// a NAME, only that one, followed by what `cargo xtask check` would show.
pub fn run(args: &[String]) -> CommandResult {
    let (lessons, only) = match args {
        [] => (lessons::all()?, None),
        [lesson] => (vec![lessons::find(lesson)?], None),
        [lesson, name] => (vec![lessons::find(lesson)?], Some(name.as_str())),
        [_, _, extra, ..] => {
            return Err(Failure::Usage(format!("unexpected argument `{extra}`")));
        }
    };
    let mut escaped = 0;
    let mut checked = 0;
    for lesson in &lessons {
        let mut answers = of(lesson)?;
        if let Some(name) = only {
            answers.retain(|a| a.name() == name);
            if answers.is_empty() {
                return Err(Failure::Usage(format!(
                    "{} has no wrong answer `{name}` in {}",
                    lesson.package,
                    project::shown(&project::path(project::Place::WrongAnswers(&lesson.dir)))
                )));
            }
        }
        if answers.is_empty() {
            continue;
        }
        println!("{}: {} wrong answers", lesson.package, answers.len());
        let exercise_width = answers.iter().map(|a| a.exercise.len()).max().unwrap_or(0);
        let name_width = answers.iter().map(|a| a.name().len()).max().unwrap_or(0);
        for answer in &answers {
            let verdict = check(lesson, answer)?;
            let problems = verdict.problems(answer);
            checked += 1;
            let failing = verdict.exercise().map_or(0, |p| p.failures().count());
            let mark = if problems.is_empty() { "✔" } else { "✘" };
            println!(
                "  {mark} {:<exercise_width$} {:<name_width$} {failing:>2} failing {:>5.1} s",
                answer.exercise,
                answer.name(),
                verdict.took.as_secs_f64()
            );
            if only.is_some() {
                show(lesson, answer, &verdict);
            }
            if !problems.is_empty() {
                escaped += 1;
                for problem in problems {
                    println!("      {problem}");
                }
                for line in verdict.report().lines().take(12) {
                    println!("      | {line}");
                }
            }
        }
    }
    if escaped == 0 {
        println!("wrong-answers: the check caught all {checked}.");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("wrong-answers: {escaped} of {checked} were not caught as they should be.");
        Ok(ExitCode::FAILURE)
    }
}

/// What `cargo xtask check` would have shown for this wrong answer.
fn show(lesson: &LessonCrate, answer: &WrongAnswer, verdict: &Verdict) {
    println!();
    let what = format!("{}: {}", answer.name(), answer.what);
    println!("{}", workshop::text::wrap(&what, 78, ""));
    println!();
    for note in &verdict.notes {
        println!("{note}");
    }
    let colors = Colors::for_stdout();
    let checked = &verdict.checked;
    println!(
        "{}",
        report::progress_bar(lesson, &checked.exercises, colors)
    );
    let next = checked.next();
    for line in report::exercise_list(checked, next.map(|p| p.exercise.name.as_str()), colors) {
        println!("{line}");
    }
    if let Some(next) = next {
        println!();
        for line in report::next_exercise(lesson, next, colors) {
            println!("{line}");
        }
    }
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_says_what_is_wrong_and_what_catches_it() {
        let text = "// Wrong answer to `wake_order`: joins each sleeper\n\
                    // before starting the next.\n\
                    // Caught by: one after another\n\
                    // Caught by: Miri\n\
                    \n\
                    pub use sleeper::solutions::*;\n";
        let answer = parse(PathBuf::from("joins.rs"), text).unwrap();
        assert_eq!(answer.exercise, "wake_order");
        assert_eq!(answer.what, "joins each sleeper before starting the next.");
        assert_eq!(answer.caught_by, ["one after another", "Miri"]);
        assert!(answer.for_deep_checks());
        assert_eq!(answer.name(), "joins");
        assert_eq!(parse(PathBuf::from("x.rs"), "pub fn f() {}"), None);
        assert_eq!(
            parse(PathBuf::from("x.rs"), "// Wrong answer to `x`: no phrase\n"),
            None,
            "a wrong answer must say what catches it"
        );
    }

    /// Every lesson's wrong answers can be read, and answer an exercise of
    /// that lesson.
    #[test]
    fn every_wrong_answer_names_an_exercise_of_its_lesson() {
        for lesson in lessons::all().unwrap() {
            let exercises = lesson.exercises().unwrap();
            for answer in of(&lesson).unwrap() {
                assert!(
                    exercises.iter().any(|e| e.name == answer.exercise),
                    "{}: no exercise `{}`",
                    project::shown(&answer.path),
                    answer.exercise
                );
            }
        }
    }
}
