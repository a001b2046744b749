//! A hint points at the mistake; it does not hand over the answer. So no
//! hint may contain two or more lines of its exercise's reference solution
//! (comments, and lines the learner's file already has, such as the
//! signature, aside). Lines are compared without their whitespace, so a
//! line quoted inside a sentence, or broken across two lines of the hint,
//! still counts; lines shorter than [`SHORTEST`] characters (`a + b`, `}`)
//! say too little to give anything away.

use super::Problems;
use crate::lessons::{self, LessonCrate};
use crate::project;

/// Solution lines shorter than this (without whitespace) do not count.
const SHORTEST: usize = 10;

/// The hints that quote two or more lines of their solution.
pub fn problems(lessons: &[LessonCrate]) -> Problems {
    let mut problems = Vec::new();
    for lesson in lessons {
        let solutions = project::read(&project::path(project::Place::Solutions(&lesson.dir)))?;
        let stubs = project::read(&lesson.exercises_file())?;
        let solved = lessons::sections(&solutions);
        for (name, hint) in lesson.hints()? {
            let Some((_, solution)) = solved.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let quoted = quoted_lines(&hint, solution, &stubs);
            if quoted.len() >= 2 {
                problems.push(format!(
                    "{}: the hint for `{name}` quotes {} lines of its solution \
                     (point at the mistake instead): {}",
                    lesson.folder,
                    quoted.len(),
                    quoted.join(" | ")
                ));
            }
        }
    }
    Ok(problems)
}

/// The lines of `solution`'s code that `hint` contains, whitespace aside;
/// comments, short lines and lines that `given` (the learner's file)
/// already has as they are (a signature, a field) do not count.
fn quoted_lines(hint: &str, solution: &str, given: &str) -> Vec<String> {
    let squeezed = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '`')
            .collect()
    };
    let hint = squeezed(hint);
    let given: Vec<String> = given.lines().map(|l| squeezed(l.trim())).collect();
    let mut quoted: Vec<String> = Vec::new();
    for line in solution.lines().map(str::trim) {
        if line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        let code = line.split(" // ").next().unwrap_or(line);
        let key = squeezed(code.trim_end_matches(['{', ';', ',', '(']));
        let said = key.chars().count() >= SHORTEST
            && hint.contains(&key)
            && !given
                .iter()
                .any(|g| squeezed(g.trim_end_matches(['{', ';', ',', '('])) == key);
        if said && !quoted.iter().any(|q| q == code) {
            quoted.push(code.to_owned());
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = "\
/// # Exercise 3: `sleep_without_gil`
pub fn sleep_without_gil(py: &PyThread, nap: Duration) {
    // Let the others run while this one sleeps.
    py.drop_gil();
    thread::sleep(nap);
    py.take_gil();
}";
    const STUB: &str = "\
/// # Exercise 3: `sleep_without_gil`
pub fn sleep_without_gil(py: &PyThread, nap: Duration) {
    todo!(\"drop the GIL, sleep, take it back\")
}";

    #[test]
    fn a_hint_that_quotes_two_lines_is_refused() {
        let hint = "Three lines: `py.drop_gil()`, then `thread::sleep(nap)`, then\n\
                    `py.take_gil()`.";
        assert_eq!(
            quoted_lines(hint, SOLUTION, STUB),
            ["py.drop_gil();", "thread::sleep(nap);", "py.take_gil();"]
        );
        // Broken across two lines of the hint, a line still counts.
        let broken = "first `py.drop_gil(\n)` and then `py.\ntake_gil()`";
        assert_eq!(quoted_lines(broken, SOLUTION, STUB).len(), 2);
    }

    #[test]
    fn naming_the_api_or_quoting_the_signature_is_fine() {
        let hint = "The test saw the GIL held for the whole nap: release it \
                    first (`drop_gil`), and take it back (`take_gil`) before \
                    returning. `pub fn sleep_without_gil(py: &PyThread, nap: Duration)`.";
        assert!(quoted_lines(hint, SOLUTION, STUB).is_empty());
        let one = "Call `py.drop_gil()` before you sleep.";
        assert_eq!(
            quoted_lines(one, SOLUTION, STUB).len(),
            1,
            "one line is allowed"
        );
    }

    /// `verify` refuses such a hint in a real lesson too: a hint with its
    /// solution pasted in is refused, for every exercise whose solution
    /// has two lines of its own (`amdahl_speedup`'s is one formula, which
    /// its brief gives anyway).
    #[test]
    fn every_lesson_refuses_its_solution_pasted_into_a_hint() {
        let mut refused = 0;
        for lesson in lessons::all().unwrap() {
            let solutions =
                project::read(&project::path(project::Place::Solutions(&lesson.dir))).unwrap();
            let stubs = project::read(&lesson.exercises_file()).unwrap();
            for (name, solution) in lessons::sections(&solutions) {
                let pasted = format!("Try this:\n\n```rust\n{solution}\n```\n");
                let quoted = quoted_lines(&pasted, &solution, &stubs).len();
                let lesson = &lesson.folder;
                assert!(
                    quoted >= 2 || name == "amdahl_speedup",
                    "{lesson}: a hint pasting the solution of `{name}` would pass"
                );
                refused += usize::from(quoted >= 2);
            }
        }
        assert!(refused > 10, "{refused}");
    }
}
