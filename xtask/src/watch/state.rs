//! What `watch` knows, as a small state machine: every event (a key, a
//! save, a check's progress or result) is one [`Message`] to
//! [`State::update`], which says what to do next ([`Effect`]), and
//! [`State::render`] draws the whole screen from the state alone. Nothing
//! is stored anywhere else: which exercises pass comes from the last check
//! of the files, so a learner who edits, resets or moves exercises sees the
//! truth on the next save.

use workshop::style::{Colors, Style};

use crate::exercise_tests::{BuildFailure, Checked, Progress, Stage, TestRun};
use crate::failure::Failure;
use crate::lessons::{LessonCrate, Level};
use crate::project;
use crate::report;
use crate::terminal::Key;

/// How many compile errors the screen shows.
const SHOWN_ERRORS: usize = 2;

/// Something that happened.
pub enum Message {
    /// The learner pressed a key.
    Key(Key),
    /// The watched file changed.
    Saved,
    /// The running check got this far.
    Stage(Stage),
    /// The running check ended.
    Checked(Result<TestRun, Failure>),
}

/// What the event loop must do after an update.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Start a check of [`State::lesson`].
    Check,
    /// Stop watching.
    Quit,
}

/// What the screen shows under the current exercise.
#[derive(Clone, Copy, Debug, PartialEq)]
enum View {
    /// Its failures and warnings.
    Exercise,
    /// The same, and its hint.
    Hint,
    /// Every exercise of the lesson instead.
    List,
}

/// The last check's result.
enum Last {
    Checked(Checked),
    DidNotBuild(BuildFailure),
    Broken(String),
}

/// Everything `watch` shows is drawn from this.
pub struct State {
    lessons: Vec<LessonCrate>,
    /// The lesson watched.
    at: usize,
    /// No lesson was named: go on to the next while a lesson is all done.
    searching: bool,
    /// The exercise the learner chose (`n`, a number); `None` follows the
    /// check's next exercise.
    chosen: Option<String>,
    last: Option<Last>,
    /// The exercises that passed in the last check of this lesson.
    known_done: Option<Vec<String>>,
    /// Exercises that have just passed, to congratulate.
    passed: Vec<String>,
    /// A check is running, this far.
    checking: Option<Stage>,
    /// Something changed while it ran: check again when it ends.
    again: bool,
    view: View,
    /// One line about the last key, if it needs one.
    note: Option<String>,
    colors: Colors,
}

impl State {
    /// Watching lesson `at` of `lessons`; `searching` moves on from a lesson
    /// whose exercises all pass.
    pub fn new(lessons: Vec<LessonCrate>, at: usize, searching: bool, colors: Colors) -> Self {
        State {
            lessons,
            at,
            searching,
            chosen: None,
            last: None,
            known_done: None,
            passed: Vec::new(),
            checking: None,
            again: false,
            view: View::Exercise,
            note: None,
            colors,
        }
    }

    /// The lesson watched.
    pub fn lesson(&self) -> &LessonCrate {
        &self.lessons[self.at]
    }

    /// The first thing to do: check.
    pub fn start(&mut self) -> Vec<Effect> {
        self.check()
    }

    /// A check, unless one is running: then another once it ends.
    fn check(&mut self) -> Vec<Effect> {
        if self.checking.is_some() {
            self.again = true;
            return Vec::new();
        }
        self.checking = Some(Stage::Building);
        vec![Effect::Check]
    }

    /// Takes in one event.
    pub fn update(&mut self, message: Message) -> Vec<Effect> {
        match message {
            Message::Key(key) => self.key(key),
            Message::Saved => {
                self.note = None;
                self.check()
            }
            Message::Stage(stage) => {
                if self.checking.is_some() {
                    self.checking = Some(stage);
                }
                Vec::new()
            }
            Message::Checked(result) => self.checked(result),
        }
    }

    fn key(&mut self, key: Key) -> Vec<Effect> {
        self.note = None;
        match key {
            Key::Char('q') | Key::Interrupt => return vec![Effect::Quit],
            Key::Char('r') => return self.check(),
            Key::Char('n') => return self.next(),
            Key::Char('h') => self.toggle(View::Hint),
            Key::Char('l') => self.toggle(View::List),
            Key::Char(c) if self.view == View::List && c.is_ascii_digit() => self.choose(c),
            Key::Char(c) => {
                self.note = Some(format!("`{c}` does nothing here: the keys are below."));
            }
            Key::Other => {}
        }
        Vec::new()
    }

    fn toggle(&mut self, view: View) {
        self.view = if self.view == view {
            View::Exercise
        } else {
            view
        };
    }

    /// In the list, a number picks that exercise.
    fn choose(&mut self, digit: char) {
        let number = digit.to_digit(10).unwrap_or(0) as usize;
        let Some(Last::Checked(checked)) = &self.last else {
            return;
        };
        match checked
            .exercises
            .iter()
            .find(|p| p.exercise.number == number)
        {
            Some(p) => {
                self.chosen = Some(p.exercise.name.clone());
                self.view = View::Exercise;
                self.passed.clear();
            }
            None => self.note = Some(format!("There is no exercise {number} here.")),
        }
    }

    /// `n`: the next exercise, or, once the lesson is done, the next lesson.
    fn next(&mut self) -> Vec<Effect> {
        let Some(Last::Checked(checked)) = &self.last else {
            self.note = Some("Fix what the compiler says first, then save.".into());
            return Vec::new();
        };
        if checked.core_done() && self.chosen.is_none() && self.at + 1 < self.lessons.len() {
            return self.move_to_lesson(self.at + 1);
        }
        let names: Vec<&str> = checked
            .exercises
            .iter()
            .map(|p| p.exercise.name.as_str())
            .collect();
        let current = self.current().map(|p| p.exercise.name.as_str());
        let position = names.iter().position(|n| Some(*n) == current);
        let next = position.map_or(0, |i| (i + 1) % names.len().max(1));
        self.chosen = names.get(next).map(|n| (*n).to_owned());
        self.view = View::Exercise;
        self.passed.clear();
        Vec::new()
    }

    fn move_to_lesson(&mut self, at: usize) -> Vec<Effect> {
        self.at = at;
        self.chosen = None;
        self.last = None;
        self.known_done = None;
        self.passed.clear();
        self.view = View::Exercise;
        self.check()
    }

    fn checked(&mut self, result: Result<TestRun, Failure>) -> Vec<Effect> {
        self.checking = None;
        let last = match result {
            Ok(TestRun::Ran(checked)) => Last::Checked(checked),
            Ok(TestRun::DidNotBuild(failure)) => Last::DidNotBuild(failure),
            Ok(TestRun::Cancelled) => return self.check_again_if_asked(),
            Err(failure) => Last::Broken(failure.message().to_owned()),
        };
        if let Last::Checked(checked) = &last {
            let done: Vec<String> = checked
                .exercises
                .iter()
                .filter(|p| p.done())
                .map(|p| p.exercise.name.clone())
                .collect();
            if let Some(before) = &self.known_done {
                self.passed = done
                    .iter()
                    .filter(|n| !before.contains(n))
                    .cloned()
                    .collect();
            }
            if self.chosen.as_ref().is_some_and(|c| done.contains(c)) {
                self.chosen = None; // on to the check's next exercise
            }
            self.known_done = Some(done);
            if checked.core_done() && self.searching && self.at + 1 < self.lessons.len() {
                return self.move_to_lesson(self.at + 1);
            }
        }
        self.searching = false;
        self.last = Some(last);
        self.check_again_if_asked()
    }

    fn check_again_if_asked(&mut self) -> Vec<Effect> {
        if std::mem::take(&mut self.again) {
            self.check()
        } else {
            Vec::new()
        }
    }

    /// The exercise shown: the one chosen, or the check's next one.
    fn current(&self) -> Option<&Progress> {
        let Some(Last::Checked(checked)) = &self.last else {
            return None;
        };
        let chosen = self
            .chosen
            .as_deref()
            .and_then(|name| checked.exercise(name));
        chosen.or_else(|| checked.next())
    }

    /// The whole screen.
    pub fn render(&self) -> String {
        let mut lines = Vec::new();
        match &self.last {
            None => lines.push(format!(
                "Checking the {} exercises (the first build can take a minute)…",
                self.lesson().package
            )),
            Some(Last::Broken(message)) => lines.push(format!("error: {message}")),
            Some(Last::DidNotBuild(failure)) => {
                lines.extend(report::build_failure(self.lesson(), failure, SHOWN_ERRORS));
            }
            Some(Last::Checked(checked)) => lines.extend(self.checked_lines(checked)),
        }
        lines.push(String::new());
        if let Some(Last::Checked(checked)) = &self.last {
            lines.push(report::progress_bar(
                self.lesson(),
                &checked.exercises,
                self.colors,
            ));
        }
        lines.push(self.status());
        if let Some(note) = &self.note {
            lines.push(self.colors.paint(note, Style::Warning));
        }
        lines.push(self.keys());
        let mut screen = lines.join("\n");
        screen.push('\n');
        screen
    }

    fn checked_lines(&self, checked: &Checked) -> Vec<String> {
        let lesson = self.lesson();
        let mut lines = Vec::new();
        for name in &self.passed {
            let passes = format!("✔ `{name}` passes.");
            lines.push(self.colors.paint(&passes, Style::Good));
            lines.extend(report::solution_pointer(lesson, name));
            if let Some(passed) = checked.exercise(name) {
                lines.extend(report::diagnostic_lines(&passed.warnings, "    "));
            }
            lines.push(String::new());
        }
        if checked.core_done() && self.chosen.is_none() {
            let note = report::core_done_note(&lesson.package, &checked.exercises);
            for line in report::indented(&note.unwrap_or_default(), "") {
                lines.push(self.colors.paint(&line, Style::Good));
            }
            if checked.next().is_some() {
                lines.push("(l lists them; press its number to work on one.)".to_owned());
            }
            lines.push(match self.lessons.get(self.at + 1) {
                Some(next) => format!("Press n to go on with {}.", next.folder),
                None => "That was the last lesson. Well done!".to_owned(),
            });
            if self.view != View::List {
                return lines;
            }
        }
        if self.view == View::List {
            lines.extend(report::exercise_list(checked, None, self.colors));
            return lines;
        }
        let Some(current) = self.current() else {
            return lines;
        };
        lines.extend(self.exercise_lines(current));
        if self.view == View::Hint {
            lines.push(String::new());
            lines.extend(report::hint(lesson, &current.exercise.name, self.colors));
        }
        lines
    }

    /// The current exercise: where it is, and what its check said.
    fn exercise_lines(&self, current: &Progress) -> Vec<String> {
        let lesson = self.lesson();
        let e = &current.exercise;
        let level = match e.level {
            Some(Level::Core) => " (core)",
            Some(Level::Stretch) => " (stretch)",
            None => "",
        };
        let mut lines = vec![format!(
            "{} {}, `{}`{level}, at {}",
            self.colors.paint("Exercise", Style::Strong),
            e.number,
            e.name,
            report::place(lesson, e)
        )];
        if current.done() {
            lines.push(format!("  {} done", self.colors.paint("✔", Style::Good)));
            lines.extend(report::solution_pointer(lesson, &e.name));
        } else if current.not_started() {
            lines
                .push("  Not started: replace its `todo!()` with your code, then save.".to_owned());
        } else {
            lines.extend(report::failures(current, self.colors));
        }
        lines.extend(report::diagnostic_lines(&current.warnings, "    "));
        lines
    }

    fn status(&self) -> String {
        let file = project::shown(&self.lesson().exercises_file());
        let status = match self.checking {
            Some(Stage::Building) => "Checking: building the tests…".to_owned(),
            Some(Stage::Testing { done, total }) => {
                format!("Checking: {done} of {total} tests run…")
            }
            None => format!("Watching {file}: save it to check again."),
        };
        self.colors.paint(&status, Style::Dim)
    }

    /// Every key that does something now.
    fn keys(&self) -> String {
        let lesson_done =
            self.chosen.is_none() && matches!(&self.last, Some(Last::Checked(c)) if c.core_done());
        let hint = if self.view == View::Hint {
            "h hide hint"
        } else {
            "h hint"
        };
        let next = if lesson_done && self.at + 1 < self.lessons.len() {
            "n next lesson"
        } else {
            "n next exercise"
        };
        let list = if self.view == View::List {
            "l back"
        } else {
            "l list"
        };
        let mut keys = Vec::new();
        if self.view == View::List {
            keys.push("1-9 pick");
        }
        keys.extend([hint, next, list, "r re-check", "q quit"]);
        keys.into_iter()
            .map(|k| {
                let (key, what) = k.split_once(' ').unwrap_or((k, ""));
                format!("{} {what}", self.colors.paint(key, Style::Strong))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise_tests::group;
    use crate::lessons::{self, Exercise};
    use crate::libtest::{Ran, TestResult};

    fn sleeper() -> Vec<LessonCrate> {
        lessons::all().unwrap()
    }

    fn exercise(number: usize, name: &str) -> Exercise {
        Exercise {
            number,
            name: name.into(),
            line: number * 10,
            level: None,
        }
    }

    /// A check where the exercises named in `done` pass.
    fn checked(done: &[&str]) -> Message {
        let names = ["wake_order", "nap_together"];
        let results = names
            .iter()
            .map(|name| TestResult {
                name: format!("{name}::one"),
                passed: done.contains(name),
                message: (!done.contains(name)).then(|| "not yet implemented".to_owned()),
                ran: Ran::ToTheEnd,
            })
            .collect();
        let exercises = vec![exercise(1, names[0]), exercise(2, names[1])];
        Message::Checked(Ok(TestRun::Ran(group(exercises, results, Vec::new()))))
    }

    fn state() -> State {
        State::new(sleeper(), 0, false, Colors::new(false))
    }

    #[test]
    fn a_save_checks_and_a_save_during_a_check_checks_again() {
        let mut state = state();
        assert_eq!(state.start(), [Effect::Check]);
        assert!(state.render().contains("Checking the sleeper exercises"));
        assert_eq!(state.update(Message::Saved), []);
        assert_eq!(state.update(checked(&[])), [Effect::Check]);
        assert_eq!(state.update(checked(&[])), []);
        let screen = state.render();
        assert!(screen.contains("0 of 2 core exercises done"), "{screen}");
        assert!(screen.contains("Exercise 1, `wake_order`"), "{screen}");
        assert!(screen.contains("Watching lessons/01-sleeper/src/exercises.rs"));
    }

    #[test]
    fn a_passing_exercise_is_congratulated_and_the_next_one_shown() {
        let mut state = state();
        state.start();
        state.update(checked(&[]));
        state.update(Message::Saved);
        state.update(checked(&["wake_order"]));
        let screen = state.render();
        assert!(screen.contains("✔ `wake_order` passes."), "{screen}");
        assert!(screen.contains("Reference solution: lessons/01-sleeper/src/solutions.rs:"));
        assert!(screen.contains("Exercise 2, `nap_together`"), "{screen}");
        // Already passing at the first check: nothing to congratulate.
        let mut fresh = state_with(checked(&["wake_order"]));
        assert!(!fresh.render().contains("passes."));
        assert_eq!(fresh.update(Message::Key(Key::Char('q'))), [Effect::Quit]);
    }

    fn state_with(check: Message) -> State {
        let mut state = state();
        state.start();
        state.update(check);
        state
    }

    #[test]
    fn keys_show_the_hint_the_list_and_the_next_exercise() {
        let mut state = state_with(checked(&[]));
        state.update(Message::Key(Key::Char('h')));
        let screen = state.render();
        assert!(screen.contains("Hint:"), "{screen}");
        assert!(screen.contains("h hide hint"));
        state.update(Message::Key(Key::Char('n')));
        assert!(state.render().contains("Exercise 2, `nap_together`"));
        state.update(Message::Key(Key::Char('l')));
        let screen = state.render();
        assert!(
            screen.contains("  · 1 wake_order    not started"),
            "{screen}"
        );
        state.update(Message::Key(Key::Char('1')));
        assert!(state.render().contains("Exercise 1, `wake_order`"));
        state.update(Message::Key(Key::Char('x')));
        assert!(state.render().contains("`x` does nothing here"));
        assert_eq!(state.update(Message::Key(Key::Interrupt)), [Effect::Quit]);
    }

    #[test]
    fn a_finished_lesson_offers_the_next() {
        let mut state = state_with(checked(&["wake_order", "nap_together"]));
        let screen = state.render();
        assert!(
            screen.contains("sleeper: every core exercise passes, and every stretch one."),
            "{screen}"
        );
        assert!(screen.contains("Press n to go on with 02-"), "{screen}");
        assert_eq!(state.update(Message::Key(Key::Char('n'))), [Effect::Check]);
        assert_eq!(state.lesson().folder, sleeper()[1].folder);
        // Without a lesson named, a finished lesson is skipped at once.
        let mut searching = State::new(sleeper(), 0, true, Colors::new(false));
        searching.start();
        let effects = searching.update(checked(&["wake_order", "nap_together"]));
        assert_eq!(effects, [Effect::Check]);
        assert_eq!(searching.at, 1);
    }

    #[test]
    fn every_line_fits_80_columns() {
        let mut state = state_with(checked(&[]));
        for key in ['h', 'n', 'l'] {
            state.update(Message::Key(Key::Char(key)));
            let screen = state.render();
            for line in screen.lines() {
                assert!(line.chars().count() <= 80, "{line}");
            }
        }
    }
}
