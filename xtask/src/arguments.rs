//! The arguments of the learner's commands: a lesson, maybe an exercise,
//! and switches (`--yes`), each refused in one line when it is not right.

use crate::failure::Failure;
use crate::lessons::{self, Exercise, LessonCrate};

/// A command's arguments, split.
pub struct Arguments<'a> {
    /// Everything that is not a switch, in order.
    pub positional: Vec<&'a str>,
    /// The switches given, each one of those the command takes.
    pub switches: Vec<&'a str>,
}

impl<'a> Arguments<'a> {
    /// Splits `args`; a switch the command does not take is bad input.
    pub fn parse(command: &str, args: &'a [String], takes: &[&str]) -> Result<Self, Failure> {
        let mut parsed = Arguments {
            positional: Vec::new(),
            switches: Vec::new(),
        };
        for arg in args.iter().map(String::as_str) {
            if !arg.starts_with("--") {
                parsed.positional.push(arg);
            } else if takes.contains(&arg) {
                parsed.switches.push(arg);
            } else if takes.is_empty() {
                return Err(Failure::Usage(format!(
                    "`{command}` takes no option like `{arg}`"
                )));
            } else {
                return Err(Failure::Usage(format!(
                    "`{command}` takes only {}, not `{arg}`",
                    takes.join(" and ")
                )));
            }
        }
        Ok(parsed)
    }

    /// Whether a switch was given.
    pub fn has(&self, switch: &str) -> bool {
        self.switches.contains(&switch)
    }

    /// `LESSON [EXERCISE]`: the lesson, and the exercise if one is named.
    pub fn lesson_and_exercise(
        &self,
        command: &str,
    ) -> Result<(LessonCrate, Option<Exercise>), Failure> {
        let (lesson, exercise) = match self.positional[..] {
            [] => {
                return Err(Failure::Usage(format!(
                    "which lesson? `cargo xtask {command} LESSON EXERCISE`"
                )));
            }
            [lesson] => (lesson, None),
            [lesson, exercise] => (lesson, Some(exercise)),
            [_, _, extra, ..] => {
                return Err(Failure::Usage(format!("unexpected argument `{extra}`")));
            }
        };
        let lesson = lessons::find(lesson)?;
        let exercise = exercise.map(|e| lesson.find_exercise(e)).transpose()?;
        Ok((lesson, exercise))
    }

    /// `LESSON EXERCISE`, both needed.
    pub fn lesson_with_exercise(&self, command: &str) -> Result<(LessonCrate, Exercise), Failure> {
        match self.lesson_and_exercise(command)? {
            (lesson, Some(exercise)) => Ok((lesson, exercise)),
            (lesson, None) => {
                let names: Vec<String> = lesson.exercises()?.into_iter().map(|e| e.name).collect();
                Err(Failure::Usage(format!(
                    "which exercise? one of: {}",
                    names.join(", ")
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn switches_are_split_from_the_rest() {
        let given = args(&["sleeper", "--yes", "wake_order"]);
        let parsed = Arguments::parse("reset", &given, &["--yes"]).unwrap();
        assert_eq!(parsed.positional, ["sleeper", "wake_order"]);
        assert!(parsed.has("--yes"));
        let unknown = args(&["sleeper", "--force"]);
        let refused = Arguments::parse("reset", &unknown, &["--yes"])
            .err()
            .unwrap();
        assert_eq!(refused.message(), "`reset` takes only --yes, not `--force`");
        assert_eq!(refused.exit_code(), workshop::exit::USAGE);
    }

    #[test]
    fn a_lesson_and_an_exercise_by_name_or_number() {
        let given = args(&["sleeper", "1"]);
        let parsed = Arguments::parse("hint", &given, &[]).unwrap();
        let (lesson, exercise) = parsed.lesson_with_exercise("hint").unwrap();
        assert_eq!(lesson.package, "sleeper");
        assert_eq!(exercise.number, 1);
        let by_name = args(&["sleeper", &exercise.name]);
        let parsed = Arguments::parse("hint", &by_name, &[]).unwrap();
        assert_eq!(parsed.lesson_with_exercise("hint").unwrap().1, exercise);
        for bad in [
            &["sleeper", "no_such"][..],
            &["sleeper"],
            &[],
            &["sleeper", "1", "2"],
        ] {
            let given = args(bad);
            let parsed = Arguments::parse("hint", &given, &[]).unwrap();
            let refused = parsed.lesson_with_exercise("hint").err().unwrap();
            assert_eq!(refused.exit_code(), workshop::exit::USAGE, "{bad:?}");
            assert!(!refused.message().contains('\n'), "{bad:?}");
        }
    }
}
