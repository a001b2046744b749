//! The lessons, found from the files: `lessons/NN-topic/` sorted is the
//! teaching order, and each lesson's exercises are the `# Exercise N:`
//! headings of its `src/exercises.rs`. Nothing is listed twice, so nothing
//! can fall out of step.

use std::path::PathBuf;

use workshop::split_lesson_folder;

use crate::failure::Failure;
use crate::project::{self, Place};

/// One lesson crate, as found on disk (the lesson binary's own view of
/// itself is `workshop::Lesson`).
#[derive(Clone, Debug)]
pub struct LessonCrate {
    /// `01-sleeper`.
    pub folder: String,
    /// `sleeper`: the topic part of the folder name.
    pub topic: String,
    /// The package name from its Cargo.toml (must equal the topic).
    pub package: String,
    /// The package description: one line for `cargo xtask list`.
    pub description: String,
    /// The lesson's directory.
    pub dir: PathBuf,
}

/// One exercise: a heading `/// # Exercise 2: `name` (core)` in
/// `src/exercises.rs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// Its number in the heading.
    pub number: usize,
    /// Its name: the tests for it live in `mod <name>` of `tests/exercises.rs`.
    pub name: String,
    /// The heading's line in the file (1-based), to send the learner to.
    pub line: usize,
    /// `(core)` or `(stretch)` after the name, where the exercise is
    /// declared (`src/exercises.rs`; the solutions' headings leave it out).
    pub level: Option<Level>,
}

/// Where an exercise sits on the ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// For everybody, in class: uses only Rust the lessons have introduced.
    Core,
    /// Homework, or for the fast: may need more, and says what.
    Stretch,
}

impl Exercise {
    /// Whether it is a core exercise. One that says nothing counts as core
    /// (`cargo xtask verify` asks for the word).
    pub fn is_core(&self) -> bool {
        self.level != Some(Level::Stretch)
    }
}

impl LessonCrate {
    /// The file the learner edits.
    pub fn exercises_file(&self) -> PathBuf {
        project::path(Place::Exercises(&self.dir))
    }

    /// The exercises, in the order of the file.
    pub fn exercises(&self) -> Result<Vec<Exercise>, Failure> {
        Ok(parse_exercises(&project::read(&self.exercises_file())?))
    }

    /// The exercises as the solutions file heads them.
    pub fn solved_exercises(&self) -> Result<Vec<Exercise>, Failure> {
        Ok(parse_exercises(&project::read(&project::path(
            Place::Solutions(&self.dir),
        ))?))
    }

    /// The exercises whose answer needs `unsafe`: the reference solution's
    /// code uses it, or the learner's does. Their tests also run under
    /// Miri.
    pub fn unsafe_exercises(&self) -> Result<Vec<String>, Failure> {
        let learner = sections(&project::read(&self.exercises_file())?);
        let solved = sections(&project::read(&project::path(Place::Solutions(&self.dir)))?);
        Ok(self
            .exercises()?
            .into_iter()
            .map(|e| e.name)
            .filter(|name| {
                let uses = |sections: &[(String, String)]| {
                    sections
                        .iter()
                        .any(|(n, code)| n == name && uses_unsafe(code))
                };
                uses(&learner) || uses(&solved)
            })
            .collect())
    }

    /// The hints, by exercise name, in the order of the file.
    pub fn hints(&self) -> Result<Vec<(String, String)>, Failure> {
        Ok(parse_hints(&project::read(&project::path(Place::Hints(
            &self.dir,
        )))?))
    }

    /// The hint for one exercise, if there is one.
    pub fn hint(&self, exercise: &str) -> Option<String> {
        self.hints()
            .ok()?
            .into_iter()
            .find(|(name, _)| name == exercise)
            .map(|(_, hint)| hint)
    }
}

/// Every lesson, in teaching order.
pub fn all() -> Result<Vec<LessonCrate>, Failure> {
    let mut lessons = Vec::new();
    for dir in project::list(&project::path(Place::Lessons))? {
        let Some(folder) = dir.file_name().and_then(|f| f.to_str()).map(str::to_owned) else {
            continue;
        };
        let Some((_, topic)) = split_lesson_folder(&folder) else {
            continue;
        };
        let manifest = project::read(&project::path(Place::Manifest(&dir)))?;
        lessons.push(LessonCrate {
            topic: topic.to_owned(),
            package: manifest_field(&manifest, "name").unwrap_or_default(),
            description: manifest_field(&manifest, "description").unwrap_or_default(),
            folder,
            dir,
        });
    }
    lessons.sort_by(|a, b| a.folder.cmp(&b.folder));
    Ok(lessons)
}

/// The lesson a learner means: `sleeper`, `01-sleeper`, `01` or `1`.
pub fn find(wanted: &str) -> Result<LessonCrate, Failure> {
    let lessons = all()?;
    let number = |l: &LessonCrate| {
        split_lesson_folder(&l.folder)
            .map(|(n, _)| n.to_owned())
            .unwrap_or_default()
    };
    let found = lessons.iter().find(|l| {
        l.package == wanted
            || l.folder == wanted
            || wanted
                .parse::<u32>()
                .is_ok_and(|n| number(l).parse::<u32>() == Ok(n))
    });
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = lessons.iter().map(|l| l.package.as_str()).collect();
        let guess = workshop::suggest::hint_or_stop(wanted, names.iter().copied());
        Failure::Usage(format!(
            "no lesson `{wanted}`{guess} The lessons are: {}",
            names.join(", ")
        ))
    })
}

/// `name = "sleeper"` in the `[package]` table of a manifest.
fn manifest_field(manifest: &str, key: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let Some((name, value)) = line.split_once('=').filter(|_| in_package) {
            if name.trim() == key {
                return Some(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    None
}

/// Headings of the form `/// # Exercise 2: `nap_together` (core)`.
pub fn parse_exercises(source: &str) -> Vec<Exercise> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let heading = line.trim().strip_prefix("/// # Exercise ")?;
            let (number, rest) = heading.split_once(':')?;
            let rest = rest.trim();
            let (name, level) = match rest.rsplit_once(' ') {
                Some((name, "(core)")) => (name, Some(Level::Core)),
                Some((name, "(stretch)")) => (name, Some(Level::Stretch)),
                _ => (rest, None),
            };
            Some(Exercise {
                number: number.trim().parse().ok()?,
                name: name.trim().trim_matches('`').to_owned(),
                line: i + 1,
                level,
            })
        })
        .collect()
}

/// Each exercise's part of a source file (`src/exercises.rs` or
/// `src/solutions.rs`): from its heading to the next heading, or the end.
pub fn sections(source: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let headings = parse_exercises(source);
    headings
        .iter()
        .enumerate()
        .map(|(i, exercise)| {
            let end = headings
                .get(i + 1)
                .map_or(lines.len(), |next| next.line - 1);
            let text = lines[exercise.line - 1..end].join("\n");
            (exercise.name.clone(), text)
        })
        .collect()
}

/// Whether code (comments aside) says `unsafe`.
fn uses_unsafe(code: &str) -> bool {
    code.lines().any(|line| {
        let code = line.split("//").next().unwrap_or_default();
        code.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| word == "unsafe")
    })
}

/// `## name` headings and the text under each, trimmed.
pub fn parse_hints(markdown: &str) -> Vec<(String, String)> {
    let mut hints: Vec<(String, String)> = Vec::new();
    for line in markdown.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            hints.push((name.trim().trim_matches('`').to_owned(), String::new()));
        } else if let Some((_, text)) = hints.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    for (_, text) in &mut hints {
        *text = text.trim().to_owned();
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_headings_give_number_name_and_line() {
        let source = "//! intro\n\n/// # Exercise 1: `wake_order` (core)\npub fn wake_order() {}\n    /// # Exercise 2: nap\n/// # Exercise 3: `far` (stretch)\n";
        assert_eq!(
            parse_exercises(source),
            [
                Exercise {
                    number: 1,
                    name: "wake_order".into(),
                    line: 3,
                    level: Some(Level::Core),
                },
                Exercise {
                    number: 2,
                    name: "nap".into(),
                    line: 5,
                    level: None,
                },
                Exercise {
                    number: 3,
                    name: "far".into(),
                    line: 6,
                    level: Some(Level::Stretch),
                },
            ]
        );
    }

    #[test]
    fn sections_run_from_heading_to_heading() {
        let source = "use x;\n/// # Exercise 1: `a`\nfn a() {}\n\n/// # Exercise 2: `b`\n\
                      fn b() { unsafe { f() } }\n// unsafe in a comment\n";
        let found = sections(source);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0],
            (
                "a".to_owned(),
                "/// # Exercise 1: `a`\nfn a() {}\n".to_owned()
            )
        );
        assert!(found[1].1.ends_with("// unsafe in a comment"));
        assert!(!uses_unsafe(&found[0].1));
        assert!(uses_unsafe(&found[1].1));
        assert!(!uses_unsafe("// unsafe\nlet unsafely = 1;"));
    }

    #[test]
    fn the_refcounting_pointers_need_unsafe() {
        let lesson = find("refcounting").unwrap();
        assert_eq!(lesson.unsafe_exercises().unwrap(), ["my_rc", "my_arc"]);
        assert!(
            find("sleeper")
                .unwrap()
                .unsafe_exercises()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn hints_are_the_text_under_each_heading() {
        let hints = parse_hints(
            "# Hints\nignored\n\n## one\n\nFirst line.\nSecond.\n\n## `two`\n## three\nLast.\n",
        );
        assert_eq!(
            hints,
            [
                ("one".to_owned(), "First line.\nSecond.".to_owned()),
                ("two".to_owned(), String::new()),
                ("three".to_owned(), "Last.".to_owned()),
            ]
        );
    }

    #[test]
    fn manifest_fields_come_from_the_package_table() {
        let manifest = "[package]\nname = \"sleeper\"\n# a comment\ndescription = \"Threads\"\n\n[dependencies]\nname = \"x\"\n";
        assert_eq!(manifest_field(manifest, "name").as_deref(), Some("sleeper"));
        assert_eq!(
            manifest_field(manifest, "description").as_deref(),
            Some("Threads")
        );
        assert_eq!(manifest_field(manifest, "version"), None);
    }
}
