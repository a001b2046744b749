//! How a check reads, the same in `cargo xtask check` and in `watch`: the
//! progress bar, a line per exercise with its warnings under it, the
//! failures of the exercise to work on (the most telling first), compile
//! errors with a pointer to the primer, hints and where a solution is.
//!
//! Everything here returns lines (at most 80 columns of our own text;
//! the compiler's messages are shown as the compiler wrote them), so the
//! two commands only decide where the lines go.

use workshop::style::{Colors, Style};
use workshop::testing::COLUMNS;
use workshop::text;

use crate::diagnostics::{Diagnostic, Level, PRIMER};
use crate::exercise_tests::{BuildFailure, Checked, Progress};
use crate::lessons::{Exercise, LessonCrate};
use crate::libtest::{Ran, TestResult};
use crate::project::{self, Place};

/// Cells of the progress bar per exercise.
const CELLS: usize = 2;

/// How many failing tests are shown with their message.
const SHOWN_FAILURES: usize = 2;

/// How many lines of a failure's message are shown.
const MESSAGE_LINES: usize = 8;

/// `sleeper  ██░░░░ ░░░░  1 of 3 core exercises done · stretch 0 of 2`:
/// one segment of the bar per exercise, the stretch ones apart.
pub fn progress_bar(lesson: &LessonCrate, progress: &[Progress], colors: Colors) -> String {
    let (core, stretch): (Vec<&Progress>, Vec<&Progress>) =
        progress.iter().partition(|p| p.is_core());
    let done = |ps: &[&Progress]| ps.iter().filter(|p| p.done()).count();
    let bar = |ps: &[&Progress]| {
        let filled = "█".repeat(CELLS * done(ps));
        let empty = "░".repeat(CELLS * (ps.len() - done(ps)));
        format!(
            "{}{}",
            colors.paint(&filled, Style::Good),
            colors.paint(&empty, Style::Dim)
        )
    };
    let mut line = format!("{}  {}", lesson.package, bar(&core));
    if !stretch.is_empty() {
        line.push_str(&format!(" {}", bar(&stretch)));
    }
    line.push_str(&format!("  {}", summary(progress)));
    line
}

/// `2 of 3 core exercises done · stretch 0 of 2`.
pub fn summary(progress: &[Progress]) -> String {
    let count = |core: bool| {
        let level = progress.iter().filter(|p| p.is_core() == core);
        let done = level.clone().filter(|p| p.done()).count();
        (done, level.count())
    };
    let ((core_done, core), (stretch_done, stretch)) = (count(true), count(false));
    let mut line = format!("{core_done} of {core} core exercises done");
    if stretch > 0 {
        line.push_str(&format!(" · stretch {stretch_done} of {stretch}"));
    }
    line
}

/// Once every core exercise of a lesson passes, a line that says so and
/// names the stretch exercises still to do; `None` before that.
pub fn core_done_note(lesson: &str, progress: &[Progress]) -> Option<String> {
    if !progress.iter().filter(|p| p.is_core()).all(Progress::done) {
        return None;
    }
    let stretch: Vec<String> = progress
        .iter()
        .filter(|p| !p.is_core() && !p.done())
        .map(|p| format!("`{}`", p.exercise.name))
        .collect();
    Some(if stretch.is_empty() {
        format!("{lesson}: every core exercise passes, and every stretch one.")
    } else {
        format!(
            "{lesson}: every core exercise passes. Stretch, when you want more: {}.",
            stretch.join(", ")
        )
    })
}

/// A mark and a few words for where an exercise stands.
pub fn state(progress: &Progress, colors: Colors) -> (String, String) {
    let warned = match progress.warnings.len() {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        n => format!(", {n} warnings"),
    };
    let (mark, words) = if progress.done() {
        (colors.paint("✔", Style::Good), format!("done{warned}"))
    } else if progress.not_started() {
        (
            colors.paint("·", Style::Dim),
            format!("not started{warned}"),
        )
    } else if progress.tests.is_empty() {
        (colors.paint("✘", Style::Bad), "no tests found".to_owned())
    } else {
        let stopped = progress
            .failures()
            .filter(|t| matches!(t.ran, Ran::Stopped(_)))
            .count();
        let unfinished = match stopped {
            0 => String::new(),
            1 => " (1 did not finish)".to_owned(),
            n => format!(" ({n} did not finish)"),
        };
        let failing = progress.failures().count();
        let tests = progress.tests.len();
        (
            colors.paint("✘", Style::Bad),
            format!("{failing} of {tests} tests fail{unfinished}{warned}"),
        )
    };
    (mark, words)
}

/// A line per exercise, each with its warnings under it, and, for an
/// exercise begun but failing (other than `next`, which gets a section of
/// its own), its most telling failure; stretch exercises under a heading
/// of their own.
pub fn exercise_list(checked: &Checked, next: Option<&str>, colors: Colors) -> Vec<String> {
    let width = checked
        .exercises
        .iter()
        .map(|p| p.exercise.name.len())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    let mut in_stretch = false;
    for p in &checked.exercises {
        if !p.is_core() && !in_stretch {
            lines.push(format!("  {}", colors.paint("stretch:", Style::Dim)));
            in_stretch = true;
        }
        let (mark, words) = state(p, colors);
        let e = &p.exercise;
        lines.push(format!("  {mark} {} {:<width$}  {words}", e.number, e.name));
        if !p.done() && !p.not_started() && next != Some(e.name.as_str()) {
            lines.extend(most_telling(p));
        }
        lines.extend(diagnostic_lines(&p.warnings, "      "));
    }
    if !checked.outside.is_empty() {
        lines.push("  Above the exercises:".to_owned());
        lines.extend(diagnostic_lines(&checked.outside, "      "));
    }
    lines
}

/// Compiler messages as the compiler renders them, indented, each
/// followed by its pointer to the primer if it has one, without the notes
/// that only say which lint it was and where lints are documented.
pub fn diagnostic_lines(diagnostics: &[Diagnostic], indent: &str) -> Vec<String> {
    let noise = |line: &&str| {
        let plain = without_escapes(line);
        let line = plain.trim_start_matches([' ', '|']);
        [
            "= note: `#[warn(",
            "= note: `-W ",
            "= help: to override `-W ",
            "= help: for further information visit",
        ]
        .iter()
        .any(|noise| line.starts_with(noise))
    };
    let mut lines = Vec::new();
    for d in diagnostics {
        let rendered = d.rendered.lines().filter(|l| !noise(l));
        lines.extend(rendered.map(|l| format!("{indent}{l}").trim_end().to_owned()));
        if let Some(entry) = d.primer_entry() {
            lines.push(format!(
                "{indent}   = primer: {PRIMER}#{} ({})",
                entry.anchor, entry.about
            ));
        }
    }
    lines
}

/// A line without its terminal colour codes (`ESC [ … m`).
fn without_escapes(line: &str) -> String {
    let mut plain = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            plain.push(c);
        }
    }
    plain
}

/// `lessons/01-sleeper/src/exercises.rs:22`: where an exercise starts, as
/// editors and terminals open it.
pub fn place(lesson: &LessonCrate, exercise: &Exercise) -> String {
    format!(
        "{}:{}",
        project::shown(&lesson.exercises_file()),
        exercise.line
    )
}

/// The exercise to work on: where it is, and what failed (the most
/// telling failures first).
pub fn next_exercise(lesson: &LessonCrate, next: &Progress, colors: Colors) -> Vec<String> {
    let e = &next.exercise;
    let level = if e.is_core() { "core" } else { "stretch" };
    let mut lines = vec![
        format!(
            "{} {} exercise {} ({level}), `{}`",
            colors.paint("Next:", Style::Strong),
            lesson.package,
            e.number,
            e.name,
        ),
        format!("  edit {}", place(lesson, e)),
    ];
    if next.not_started() {
        lines.push(
            "  Its description is above the `todo!()`: replace the `todo!()` with your code."
                .to_owned(),
        );
        return lines;
    }
    lines.extend(failures(next, colors));
    lines
}

/// The failing tests of an exercise: the first few with their message,
/// the most telling first; the others by name.
pub fn failures(progress: &Progress, colors: Colors) -> Vec<String> {
    let mut failing: Vec<&TestResult> = progress.failures().collect();
    failing.sort_by_key(|t| telling(t));
    let mut lines = Vec::new();
    for failure in failing.iter().take(SHOWN_FAILURES) {
        lines.push(format!(
            "  {} {}",
            colors.paint("✘", Style::Bad),
            failure.name
        ));
        let message = failure.message.as_deref().unwrap_or("(no message)");
        lines.extend(message_lines(message, MESSAGE_LINES, "      "));
    }
    let rest = || failing.iter().skip(SHOWN_FAILURES);
    let names = |ran_at_all: bool| -> Vec<&str> {
        rest()
            .filter(|t| (t.ran != Ran::NotRun) == ran_at_all)
            .map(|t| t.name.as_str())
            .collect()
    };
    let (others, not_run) = (names(true), names(false));
    if !others.is_empty() {
        lines.extend(indented(
            &format!("Also failing: {}.", others.join(", ")),
            "  ",
        ));
    }
    if !not_run.is_empty() {
        let why = rest()
            .find(|t| t.ran == Ran::NotRun)
            .and_then(|t| t.message.as_deref())
            .and_then(|m| m.strip_prefix("not run: "))
            .unwrap_or_default();
        let said = format!("Not run: {} ({why}).", not_run.join(", "));
        lines.extend(indented(&said, "  "));
    }
    lines
}

/// The most telling failure of an exercise, in a few lines.
fn most_telling(progress: &Progress) -> Vec<String> {
    let Some(failure) = progress.failures().min_by_key(|t| telling(t)) else {
        return Vec::new();
    };
    let message = failure.message.as_deref().unwrap_or("(no message)");
    let mut lines = vec![format!("      {}:", failure.name)];
    lines.extend(message_lines(message, 4, "        "));
    lines
}

/// The first lines of a test's message, indented; a line too long for 80
/// columns is wrapped (shorter ones are kept as they are: an assertion's
/// `left:` and `right:` are aligned).
fn message_lines(message: &str, most: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in message.lines().take(most) {
        if indent.len() + line.chars().count() <= COLUMNS {
            lines.push(format!("{indent}{line}").trim_end().to_owned());
        } else {
            let width = COLUMNS - 2 - indent.len().min(40);
            let wrapped = workshop::text::wrap(line.trim(), width, "");
            lines.extend(wrapped.lines().map(|l| format!("{indent}{l}")));
        }
    }
    lines
}

/// How telling a failure is, most first: the test's own words (an
/// assertion that says what it saw, a panic in the answer), then a
/// process that died, a deadline's report, a test stopped at its limit, a
/// `todo!()`, a test not run.
fn telling(test: &TestResult) -> u8 {
    let message = test.message.as_deref().unwrap_or_default();
    match test.ran {
        Ran::NotRun => 5,
        Ran::Stopped(_) => 3,
        Ran::ToTheEnd if test.hit_todo() => 4,
        Ran::ToTheEnd if message.starts_with("deadlock likely") => 2,
        Ran::ToTheEnd if message.starts_with("still running") => 2,
        Ran::ToTheEnd if message.starts_with("the test's process ended") => 1,
        Ran::ToTheEnd => 0,
    }
}

/// The hint for an exercise, under a `Hint:` label.
pub fn hint(lesson: &LessonCrate, exercise: &str, colors: Colors) -> Vec<String> {
    let mut lines = vec![colors.paint("Hint:", Style::Strong)];
    match lesson.hint(exercise) {
        Some(hint) => lines.extend(indented(&hint, "  ")),
        None => {
            lines.push("  (none for this one: `cargo xtask verify` should have caught that)".into())
        }
    }
    lines
}

/// What the build said: the learner's file first, with a pointer to the
/// primer under the errors it explains; at most `errors` errors.
pub fn build_failure(lesson: &LessonCrate, failure: &BuildFailure, errors: usize) -> Vec<String> {
    let file = project::shown(&lesson.exercises_file());
    let shown: Vec<Diagnostic> = failure
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .take(errors)
        .cloned()
        .collect();
    let all = failure
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let mine = shown.iter().filter(|d| d.is_in(&file)).count();
    let mut lines = Vec::new();
    for d in &shown {
        lines.extend(diagnostic_lines(std::slice::from_ref(d), ""));
        lines.push(String::new());
    }
    if shown.is_empty() {
        // Not the compiler: cargo itself (a broken manifest, say).
        lines.extend(failure.cargo_said.lines().map(str::to_owned));
        lines.push(String::new());
    }
    let summary = match (mine, all) {
        (0, _) => format!(
            "{}: the tests do not build (the messages are above).",
            lesson.package
        ),
        (_, all) if all > shown.len() => format!(
            "{}: your code does not compile yet; the first {} of {all} errors are above.",
            lesson.package,
            shown.len()
        ),
        _ => format!(
            "{}: your code does not compile yet; the compiler's messages are above.",
            lesson.package
        ),
    };
    lines.extend(indented(&summary, ""));
    lines
}

/// Where the reference solution of an exercise is, and the first
/// sentence of its note: what to notice in it.
#[allow(dead_code, reason = "for watch, hint and solution, which come next")]
pub fn solution_pointer(lesson: &LessonCrate, exercise: &str) -> Vec<String> {
    let Ok(solved) = lesson.solved_exercises() else {
        return Vec::new();
    };
    let Some(solution) = solved.iter().find(|e| e.name == exercise) else {
        return Vec::new();
    };
    let file = project::shown(&project::path(Place::Solutions(&lesson.dir)));
    let mut lines = vec![format!("  Reference solution: {file}:{}", solution.line)];
    if let Some(note) = lesson.solution_note(exercise) {
        lines.extend(indented(&format!("Notice: {note}"), "  "));
    }
    lines
}

/// Prose reflowed to fit 80 columns after `indent`.
pub fn indented(prose: &str, indent: &str) -> Vec<String> {
    text::reflow(prose)
        .lines()
        .map(|l| format!("{indent}{l}").trim_end().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::exercise_tests::group;
    use crate::lessons::Level as Rung;

    fn lesson() -> LessonCrate {
        LessonCrate {
            folder: "01-sleeper".into(),
            topic: "sleeper".into(),
            package: "sleeper".into(),
            description: String::new(),
            dir: project::path(Place::Lessons).join("01-sleeper"),
        }
    }

    fn test(name: &str, passed: bool, message: &str, ran: Ran) -> TestResult {
        TestResult {
            name: name.into(),
            passed,
            message: (!passed).then(|| message.to_owned()),
            ran,
        }
    }

    fn checked() -> Checked {
        let exercise = |number, name: &str, level| Exercise {
            number,
            name: name.into(),
            line: number * 10,
            level: Some(level),
        };
        let warning = Diagnostic {
            level: Level::Warning,
            code: Some("unused_must_use".into()),
            message: "unused `Result` that must be used".into(),
            file: Some("lessons/01-sleeper/src/exercises.rs".into()),
            line: Some(12),
            rendered: "warning: unused `Result` that must be used\n  --> here".into(),
        };
        group(
            vec![
                exercise(1, "nap_together", Rung::Core),
                exercise(2, "count_matches", Rung::Core),
                exercise(3, "join_all", Rung::Stretch),
            ],
            vec![
                test("nap_together::one", true, "", Ran::ToTheEnd),
                test(
                    "count_matches::a_todo",
                    false,
                    "not yet implemented",
                    Ran::ToTheEnd,
                ),
                test(
                    "count_matches::hung",
                    false,
                    "did not finish",
                    Ran::Stopped(std::time::Duration::from_secs(12)),
                ),
                test(
                    "count_matches::many",
                    false,
                    "counted 3, not 4",
                    Ran::ToTheEnd,
                ),
                test("count_matches::skipped", false, "not run", Ran::NotRun),
                test("join_all::one", false, "not yet implemented", Ran::ToTheEnd),
            ],
            vec![warning],
        )
    }

    #[test]
    fn lint_notes_are_left_out_and_primer_pointers_added() {
        let d = Diagnostic {
            level: Level::Error,
            code: Some("E0373".into()),
            message: "closure may outlive the current function".into(),
            file: None,
            line: None,
            rendered: "error[E0373]: closure may outlive\n  \x1b[1m= note: `#[warn(x)]` on\x1b[0m\n  = help: do this".into(),
        };
        assert_eq!(
            diagnostic_lines(&[d], "  "),
            [
                "  error[E0373]: closure may outlive",
                "    = help: do this",
                "     = primer: docs/rust-primer.md#ownership-and-move (ownership and `move`)",
            ]
        );
    }

    #[test]
    fn long_message_lines_are_wrapped_short_ones_kept() {
        let long = "deadlock likely in `a::b` (tests/exercises.rs:1:2): no result after 10.0 s — some thread is waiting";
        let lines = message_lines(&format!("{long}\n  left: 1\n right: 2"), 8, "      ");
        assert!(lines.iter().all(|l| l.chars().count() <= 80), "{lines:?}");
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[2], "        left: 1");
    }

    #[test]
    fn the_bar_counts_core_and_stretch_apart() {
        let checked = checked();
        let bar = progress_bar(&lesson(), &checked.exercises, Colors::new(false));
        assert_eq!(
            bar,
            "sleeper  ██░░ ░░  1 of 2 core exercises done · stretch 0 of 1"
        );
        let only_core = &checked.exercises[..2];
        assert_eq!(
            progress_bar(&lesson(), only_core, Colors::new(false)),
            "sleeper  ██░░  1 of 2 core exercises done"
        );
    }

    #[test]
    fn a_lesson_whose_core_is_done_says_so_and_names_the_stretch() {
        let mut checked = checked();
        assert_eq!(core_done_note("sleeper", &checked.exercises), None);
        checked.exercises.remove(1);
        assert_eq!(
            core_done_note("sleeper", &checked.exercises).as_deref(),
            Some("sleeper: every core exercise passes. Stretch, when you want more: `join_all`.")
        );
        checked.exercises.remove(1);
        assert_eq!(
            core_done_note("sleeper", &checked.exercises).as_deref(),
            Some("sleeper: every core exercise passes, and every stretch one.")
        );
    }

    #[test]
    fn a_passing_exercise_that_warns_is_done_with_its_warnings() {
        let lines = exercise_list(&checked(), Some("count_matches"), Colors::new(false));
        assert_eq!(lines[0], "  ✔ 1 nap_together   done, 1 warning");
        assert_eq!(lines[1], "      warning: unused `Result` that must be used");
        assert_eq!(
            lines[3],
            "  ✘ 2 count_matches  4 of 4 tests fail (1 did not finish)"
        );
        assert_eq!(lines[4], "  stretch:");
        assert_eq!(lines[5], "  · 3 join_all       not started");
        // Not the next exercise: its most telling failure comes under it.
        let lines = exercise_list(&checked(), None, Colors::new(false));
        assert_eq!(lines[4], "      count_matches::many:");
        assert_eq!(lines[5], "        counted 3, not 4");
    }

    #[test]
    fn the_most_telling_failure_comes_first() {
        let checked = checked();
        let lines = next_exercise(&lesson(), &checked.exercises[1], Colors::new(false));
        assert_eq!(lines[0], "Next: sleeper exercise 2 (core), `count_matches`");
        assert_eq!(lines[1], "  edit lessons/01-sleeper/src/exercises.rs:20");
        assert_eq!(lines[2], "  ✘ count_matches::many");
        assert_eq!(lines[3], "      counted 3, not 4");
        assert_eq!(lines[4], "  ✘ count_matches::hung");
        assert_eq!(lines[6], "  Also failing: count_matches::a_todo.");
        assert_eq!(lines[7], "  Not run: count_matches::skipped ().");
    }
}
