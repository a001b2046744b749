//! `cargo xtask verify`'s checks on the learner's path: what a learner
//! reads, in the order they read it. Everything here is a pure function of
//! the files' text, except [`problems`], which reads the files.
//!
//! - **References by number** ("lesson 03", "section 4", "exercise 2") must
//!   say what they point at, and be right: `lesson 03 · gil`,
//!   `section 4 (`send`)`. A number alone drifts the day the order changes,
//!   so it is reported: write the name instead.
//! - **Introduced before used**: the table in `docs/rust-primer.md` says,
//!   for every Rust construct, which section introduces it. That section's
//!   snippet shows it and its text names it, and no section before it in
//!   teaching order shows it in its snippet. Core exercises use only what
//!   their lesson and the lessons before it have introduced.
//! - **A live class**: no section explains for more than [`WORD_LIMIT`]
//!   words before its demonstration, and every lesson ends with a recap of
//!   three to five lines.
//!
//! The sections are read from the lessons' sources (`sections: &[..]` in
//! `src/lib.rs`, then `pub const SECTION` in each module), so these checks
//! need no build.

use std::path::PathBuf;

use workshop::text::reflow;

use super::Problems;
use crate::failure::Failure;
use crate::lessons::{LessonCrate, Level};
use crate::project::{self, Place, path, read};

/// The most words a section's explanation may run before its
/// demonstration starts: about two minutes read aloud.
pub const WORD_LIMIT: usize = 250;

/// The fewest and most lines of a lesson's recap, as printed.
const RECAP_LINES: std::ops::RangeInclusive<usize> = 3..=5;

/// The primer page, as messages name it.
const PRIMER: &str = "rust-primer.md";

/// A lesson as the learner meets it: its sections in order, its recap, and
/// its exercises with their reference solutions.
#[derive(Clone, Debug, Default)]
pub struct LessonText {
    /// `01-sleeper`.
    pub folder: String,
    /// `sleeper`.
    pub topic: String,
    /// `Threads that sleep`.
    pub title: String,
    /// The sections, in teaching order.
    pub sections: Vec<SectionText>,
    /// The `recap` the lesson ends with (empty if it has none).
    pub recap: String,
    /// The exercises, in the order of `src/exercises.rs`.
    pub exercises: Vec<ExerciseText>,
    /// Problems met while reading the sources.
    pub unreadable: Vec<String>,
}

/// One section, as its module declares it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SectionText {
    /// The module that declares it: `no_join`.
    pub module: String,
    /// `no-join`.
    pub name: String,
    /// `Forgetting to join, and daemon threads`.
    pub title: String,
    /// The explanation.
    pub explain: String,
    /// The Rust snippet shown beside the Python.
    pub rust: String,
}

/// One exercise and its reference solution.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseText {
    /// Its number in the heading.
    pub number: usize,
    /// `wake_order`.
    pub name: String,
    /// Core or stretch, if the heading says.
    pub level: Option<Level>,
    /// The solution: `src/solutions.rs` from this exercise's heading to the
    /// next one.
    pub solution: String,
}

/// One row of the primer's table: a construct and where it is introduced.
#[derive(Clone, Debug, PartialEq)]
pub struct Construct {
    /// The first cell, as written: `` `Arc` ``.
    pub rust: String,
    /// The topic of the introducing lesson: `sleeper`.
    pub lesson: String,
    /// The name of the introducing section: `shared`.
    pub section: String,
    /// What finds the construct in a snippet; any one of them will do.
    pub patterns: Vec<String>,
    /// Words one of which the introducing text must contain.
    pub named_as: Vec<String>,
}

/// Every problem of this module's kinds, reading the files.
pub fn problems(lessons: &[LessonCrate]) -> Problems {
    let texts: Vec<LessonText> = lessons.iter().map(read_lesson).collect::<Result<_, _>>()?;
    let mut problems: Vec<String> = texts.iter().flat_map(|l| l.unreadable.clone()).collect();
    for (path, context) in prose_files(lessons)? {
        let text = read(&path)?;
        let lesson = context.and_then(|folder| texts.iter().find(|l| l.folder == folder));
        problems.extend(reference_problems(
            &project::shown(&path),
            &text,
            lesson,
            &texts,
        ));
    }
    let primer_path = path(Place::RustPrimer);
    if primer_path.exists() {
        let constructs = parse_primer(&read(&primer_path)?);
        if constructs.is_empty() {
            problems.push(format!(
                "docs/{PRIMER}: no table with a `spotted by` column, so nothing says where \
                 each construct is introduced"
            ));
        }
        problems.extend(introduction_problems(&constructs, &texts));
        problems.extend(core_exercise_problems(&constructs, &texts));
    } else {
        problems.push(format!("docs/{PRIMER} is missing"));
    }
    problems.extend(length_problems(&texts));
    problems.extend(ladder_problems(&texts));
    Ok(problems)
}

// ---------------------------------------------------------------------------
// Reading the lessons' sources

/// Reads one lesson's sections, recap and exercises from its sources.
fn read_lesson(lesson: &LessonCrate) -> Result<LessonText, Failure> {
    let src = path(Place::Sources(&lesson.dir));
    let lib = read(&src.join("lib.rs"))?;
    let mut text = LessonText {
        folder: lesson.folder.clone(),
        topic: lesson.topic.clone(),
        ..LessonText::default()
    };
    let Some(body) = item_body(&lib, "pub static LESSON: Lesson = Lesson {") else {
        text.unreadable.push(format!(
            "{}: src/lib.rs has no `pub static LESSON`",
            lesson.folder
        ));
        return Ok(text);
    };
    text.title = field(body, "title").unwrap_or_default();
    text.recap = field(body, "recap").unwrap_or_default();
    for module in section_modules(body) {
        let file = [
            src.join(format!("{module}.rs")),
            src.join(&module).join("mod.rs"),
        ]
        .into_iter()
        .find(|f| f.exists());
        let section = file
            .map(|f| read(&f))
            .transpose()?
            .and_then(|source| parse_section(&module, &source));
        match section {
            Some(section) => text.sections.push(section),
            None => text.unreadable.push(format!(
                "{}: cannot read `{module}::SECTION` (src/{module}.rs)",
                lesson.folder
            )),
        }
    }
    text.unreadable.extend(
        module_list_problems(&lib, &text.sections)
            .into_iter()
            .map(|p| format!("{}/src/lib.rs: {p}", lesson.folder)),
    );
    if lesson.exercises_file().exists() {
        let solutions = read(&path(Place::Solutions(&lesson.dir)))?;
        text.exercises = lesson
            .exercises()?
            .into_iter()
            .map(|e| ExerciseText {
                solution: solution_of(&solutions, &e.name),
                number: e.number,
                name: e.name,
                level: e.level,
            })
            .collect();
    }
    Ok(text)
}

/// The text of the struct literal that follows `opening`, up to the end of
/// the file (fields are looked up in order, so what follows does no harm).
fn item_body<'a>(source: &'a str, opening: &str) -> Option<&'a str> {
    source.find(opening).map(|at| &source[at + opening.len()..])
}

/// The modules in `sections: &[start::SECTION, names::SECTION, ..]`.
fn section_modules(lesson_body: &str) -> Vec<String> {
    let Some(list) = lesson_body
        .split_once("sections: &[")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
    else {
        return Vec::new();
    };
    list.split(',')
        .filter_map(|item| item.trim().strip_suffix("::SECTION"))
        .map(str::to_owned)
        .collect()
}

/// A section module's `pub const SECTION: Section = Section { .. }`.
pub fn parse_section(module: &str, source: &str) -> Option<SectionText> {
    let body = item_body(source, "pub const SECTION: Section = Section {")?;
    Some(SectionText {
        module: module.to_owned(),
        name: field(body, "name")?,
        title: field(body, "title")?,
        explain: field(body, "explain")?,
        rust: field(body, "rust")?,
    })
}

/// The string value of the first field `key: "…"` (or `key: r#"…"#`) at
/// the start of a line of `body`.
fn field(body: &str, key: &str) -> Option<String> {
    let label = format!("{key}:");
    let mut rest = body;
    loop {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        if let Some(value) = line.trim_start().strip_prefix(&label) {
            let value_starts = line.len() - value.len();
            return string_literal(&rest[value_starts..]).map(|(value, _)| value);
        }
        if line_end == rest.len() {
            return None;
        }
        rest = &rest[line_end..];
    }
}

/// The Rust string literal at the start of `text` (after whitespace),
/// unescaped, and the text after it: `"…"` with escapes, or `r#"…"#`.
pub fn string_literal(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw[hashes..].strip_prefix('"')?;
        let close = format!("\"{}", "#".repeat(hashes));
        let end = inner.find(&close)?;
        return Some((inner[..end].to_owned(), &inner[end + close.len()..]));
    }
    let inner = text.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &inner[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                '\n' => {
                    while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

/// `//! 3. [`many`] — …` lines of a lesson's `lib.rs` must list the section
/// modules in the order the lesson runs them.
fn module_list_problems(lib: &str, sections: &[SectionText]) -> Vec<String> {
    let mut problems = Vec::new();
    for line in lib.lines() {
        let Some(item) = line.strip_prefix("//! ") else {
            continue;
        };
        let Some((number, rest)) = item.split_once(". [`") else {
            continue;
        };
        let (Ok(number), Some((module, _))) = (number.parse::<usize>(), rest.split_once('`'))
        else {
            continue;
        };
        let actual = number
            .checked_sub(1)
            .and_then(|i| sections.get(i))
            .map(|s| s.module.as_str());
        if actual != Some(module) {
            problems.push(format!(
                "the list of sections says {number} is `{module}`, but section {number} is {}",
                actual.map_or("missing".to_owned(), |m| format!("`{m}`"))
            ));
        }
    }
    problems
}

/// The code under one exercise's heading in `src/solutions.rs`, up to the
/// next heading.
fn solution_of(solutions: &str, name: &str) -> String {
    let mut code = String::new();
    let mut inside = false;
    for line in solutions.lines() {
        if line.trim_start().starts_with("/// # Exercise ") {
            inside = line.contains(&format!("`{name}`"));
            continue;
        }
        if inside {
            code.push_str(line);
            code.push('\n');
        }
    }
    code
}

/// The files whose prose may refer to lessons, sections and exercises, each
/// with the lesson folder it belongs to, if any.
fn prose_files(lessons: &[LessonCrate]) -> Result<Vec<(PathBuf, Option<String>)>, Failure> {
    let mut files = vec![
        (path(Place::Readme), None),
        (path(Place::Contributing), None),
    ];
    for path in project::list(&path(Place::Docs))? {
        if path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let lesson = lessons.iter().find(|l| l.folder == stem);
            files.push((path.clone(), lesson.map(|l| l.folder.clone())));
        }
    }
    for lesson in lessons {
        let mut dirs = vec![lesson.dir.clone()];
        while let Some(dir) = dirs.pop() {
            for path in project::list(&dir)? {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if path.is_dir() && name != "snapshots" && name != "target" {
                    dirs.push(path);
                } else if ["rs", "md", "py"]
                    .iter()
                    .any(|e| path.extension().is_some_and(|x| x == *e))
                {
                    files.push((path, Some(lesson.folder.clone())));
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

// ---------------------------------------------------------------------------
// References by number

/// What a reference by number points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Lesson,
    Section,
    Exercise,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Lesson => "lesson",
            Kind::Section => "section",
            Kind::Exercise => "exercise",
        }
    }
}

/// A reference by number: "section 4", "Lesson 02", "03 · gil".
#[derive(Debug, PartialEq)]
struct Reference<'a> {
    kind: Kind,
    number: usize,
    /// The text right after the number, up to the end of the line.
    claim: &'a str,
    /// 1-based.
    line: usize,
}

/// Every reference by number in `text`: a word (`lesson`, `section`,
/// `exercise`, any case, singular or plural) followed by a number, or a
/// two-digit number followed by ` · ` (`01 · sleeper`).
fn references(text: &str) -> Vec<Reference<'_>> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let boundary = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
            let mut matched = None;
            for kind in [Kind::Lesson, Kind::Section, Kind::Exercise] {
                if boundary && lower[at..].starts_with(kind.word()) {
                    let mut end = at + kind.word().len();
                    if bytes.get(end) == Some(&b's') {
                        end += 1;
                    }
                    let spaces = lower[end..].len() - lower[end..].trim_start_matches(' ').len();
                    if spaces > 0 {
                        matched = number_at(line, end + spaces).map(|(n, e)| (kind, n, e));
                    }
                }
            }
            if matched.is_none() && at > 0 && bytes[at - 1] == b'[' {
                // A link whose text is a number: `[02](02-refcounting.md)`.
                if let Some((number, end)) = number_at(line, at) {
                    if line[end..].starts_with("](") {
                        matched = Some((Kind::Lesson, number, end));
                    }
                }
            }
            if matched.is_none() && boundary && !preceded_by_lesson(&lower[..at]) {
                if let Some((number, end)) = number_at(line, at) {
                    if end == at + 2 && line[end..].starts_with(" · ") {
                        matched = Some((Kind::Lesson, number, end));
                    }
                }
            }
            match matched {
                Some((kind, number, end)) => {
                    found.push(Reference {
                        kind,
                        number,
                        claim: &line[end..],
                        line: index + 1,
                    });
                    at = end;
                }
                None => at += lower[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
    }
    found
}

/// Whether `before` ends with "lesson " (so "Lesson 01 · sleeper" counts
/// once).
fn preceded_by_lesson(before: &str) -> bool {
    before.trim_end_matches(' ').ends_with("lesson")
}

/// The whole number that starts at byte `at` of `line`, not followed by a
/// letter ("3rd" is not a reference), and where it ends.
fn number_at(line: &str, at: usize) -> Option<(usize, usize)> {
    let digits = line[at..].len()
        - line[at..]
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let end = at + digits;
    let followed_by_letter = line[end..].starts_with(|c: char| c.is_alphabetic());
    if digits == 0 || followed_by_letter {
        return None;
    }
    Some((line[at..end].parse().ok()?, end))
}

/// The name a reference gives after its number: `send` in "section 4
/// (`send`)", `sleeper` in "01 · sleeper", `wake_order` in
/// "Exercise 1: `wake_order`".
fn claimed_name(claim: &str) -> &str {
    let rest = claim.trim_start_matches(|c: char| " ·(,:*_`[".contains(c));
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether `claim` begins with `title` (after separators), case aside.
fn claims_title(claim: &str, title: &str) -> bool {
    let rest = claim.trim_start_matches(|c: char| " ·(,:*_`[".contains(c));
    !title.is_empty()
        && rest.len() >= title.len()
        && rest.is_char_boundary(title.len())
        && rest[..title.len()].eq_ignore_ascii_case(title)
}

/// Whether `claim` is the rest of a link's text that leads to the lesson's
/// page: `03 · A simulated GIL](03-gil.md)`.
fn links_to(claim: &str, folder: &str) -> bool {
    claim.split_once("](").is_some_and(|(text, target)| {
        !text.contains('[') && target.split(')').next().unwrap_or("").contains(folder)
    })
}

/// The lesson's number: `01-sleeper` → 1.
fn lesson_number(lesson: &LessonText) -> Option<usize> {
    workshop::split_lesson_folder(&lesson.folder).and_then(|(n, _)| n.parse().ok())
}

/// References by number in `text` (the file `file`, part of `context` if it
/// belongs to a lesson) that name nothing, or the wrong thing.
fn reference_problems(
    file: &str,
    text: &str,
    context: Option<&LessonText>,
    lessons: &[LessonText],
) -> Vec<String> {
    let mut problems = Vec::new();
    for reference in references(text) {
        let Reference {
            kind,
            number,
            claim,
            line,
        } = reference;
        let name = claimed_name(claim);
        let word = kind.word();
        let at = format!("{file}:{line}: `{word} {number}`");
        let verdict = match kind {
            Kind::Lesson => match lessons.iter().find(|l| lesson_number(l) == Some(number)) {
                None => Err(format!("there is no lesson {number}")),
                Some(l) if name == l.topic || claims_title(claim, &l.title) => Ok(()),
                Some(l) if links_to(claim, &l.folder) => Ok(()),
                Some(l) if claim.starts_with("](") => Err(format!(
                    "links to `{}`, but lesson {number} is {}",
                    claim[2..].split(')').next().unwrap_or(""),
                    l.folder
                )),
                Some(l) if name.is_empty() || name.parse::<usize>().is_ok() => Err(format!(
                    "says only the number: write `{} · {}`, or the lesson's name alone",
                    &l.folder[..2],
                    l.topic
                )),
                Some(l) => Err(format!(
                    "says `{name}`, but lesson {number} is {} ({:?})",
                    l.topic, l.title
                )),
            },
            Kind::Section | Kind::Exercise => {
                let Some(lesson) = context else {
                    problems.push(format!(
                        "{at}: a {word} by number outside its lesson's files: write it by name"
                    ));
                    continue;
                };
                let target: Option<(&str, &str)> = if kind == Kind::Section {
                    number
                        .checked_sub(1)
                        .and_then(|i| lesson.sections.get(i))
                        .map(|s| (s.name.as_str(), s.title.as_str()))
                } else {
                    lesson
                        .exercises
                        .iter()
                        .find(|e| e.number == number)
                        .map(|e| (e.name.as_str(), ""))
                };
                match target {
                    None => Err(format!("{} has no {word} {number}", lesson.topic)),
                    Some((n, title)) if name == n || claims_title(claim, title) => Ok(()),
                    Some((n, _)) if name.is_empty() || name.parse::<usize>().is_ok() => {
                        Err(format!("says only the number: write it by name (`{n}`)"))
                    }
                    Some((n, _)) => Err(format!(
                        "says `{name}`, but {word} {number} of {} is `{n}`",
                        lesson.topic
                    )),
                }
            }
        };
        if let Err(why) = verdict {
            problems.push(format!("{at} {why}"));
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// Introduced before used

/// The rows of the primer's table: the first Markdown table whose header
/// has the columns `first met`, `spotted by` and `named as`.
pub fn parse_primer(markdown: &str) -> Vec<Construct> {
    let mut columns: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for line in markdown.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            if columns.is_some() && !rows.is_empty() {
                break;
            }
            continue;
        }
        let cells = table_cells(line);
        match &columns {
            None => {
                let names: Vec<String> = cells.iter().map(|c| c.to_ascii_lowercase()).collect();
                if names.iter().any(|c| c == "spotted by") {
                    columns = Some(names);
                }
            }
            Some(names) => {
                if cells.iter().all(|c| c.chars().all(|c| "-: ".contains(c))) {
                    continue;
                }
                let cell = |title: &str| {
                    names
                        .iter()
                        .position(|n| n == title)
                        .and_then(|i| cells.get(i))
                        .map_or("", String::as_str)
                };
                let (lesson, section) = lesson_and_section(cell("first met"));
                let first = cells.first().map_or("", String::as_str);
                rows.push(Construct {
                    rust: first
                        .strip_prefix('[')
                        .and_then(|link| link.split_once("]("))
                        .map_or(first, |(text, _)| text)
                        .to_owned(),
                    lesson,
                    section,
                    patterns: code_spans(cell("spotted by")),
                    named_as: cell("named as")
                        .split([',', ';'])
                        .flat_map(|s| s.split(" or "))
                        .map(|s| s.trim().trim_matches('`').to_owned())
                        .filter(|s| !s.is_empty())
                        .collect(),
                });
            }
        }
    }
    rows
}

/// The cells of a table row, trimmed, with `\|` read as `|`.
fn table_cells(row: &str) -> Vec<String> {
    let row = row.trim().trim_start_matches('|');
    let row = row.strip_suffix('|').unwrap_or(row);
    let mut cells = vec![String::new()];
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                push_to_last(&mut cells, '|');
            }
            '|' => cells.push(String::new()),
            c => push_to_last(&mut cells, c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

fn push_to_last(cells: &mut [String], c: char) {
    if let Some(cell) = cells.last_mut() {
        cell.push(c);
    }
}

/// The contents of the `code spans` in a cell.
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `[sleeper · `shared`](01-sleeper.md)` → (`sleeper`, `shared`).
fn lesson_and_section(cell: &str) -> (String, String) {
    let text = cell.trim_start_matches('[');
    let text = text.split("](").next().unwrap_or(text);
    match text.split_once('·') {
        Some((lesson, section)) => (
            lesson.trim().to_owned(),
            section.trim().trim_matches(['`', ']']).to_owned(),
        ),
        None => (text.trim().to_owned(), String::new()),
    }
}

/// Rust code without its comments and the contents of its string and
/// character literals, so that `"{:?}"` shows no `?` and `// Ok(5)` no `Ok`.
pub fn code_only(rust: &str) -> String {
    let mut code = String::with_capacity(rust.len());
    let chars: Vec<char> = rust.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' {
            code.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            code.push('"');
            i += 1;
            continue;
        }
        if c == '\'' {
            // 'x' and '\n' are characters; 'static and 'a are lifetimes.
            let close = match chars.get(i + 1) {
                Some('\\') => chars[i + 2..]
                    .iter()
                    .position(|&c| c == '\'')
                    .map(|p| i + 2 + p),
                Some(_) if chars.get(i + 2) == Some(&'\'') => Some(i + 2),
                _ => None,
            };
            if let Some(close) = close {
                code.push_str("' '");
                i = close + 1;
                continue;
            }
        }
        code.push(c);
        i += 1;
    }
    code
}

/// Whether `pattern` occurs in `code` as a whole: a pattern that starts
/// (or ends) with a letter, digit or `_` must not continue a longer name
/// there, so `Rc` is not found in `Arc`.
pub fn shows(code: &str, pattern: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let starts_word = pattern.starts_with(word);
    let ends_word = pattern.ends_with(word);
    code.match_indices(pattern).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + pattern.len()..].chars().next();
        let continues_before = starts_word && before.is_some_and(word);
        let continues_after = ends_word && after.is_some_and(word);
        !continues_before && !continues_after
    })
}

/// The first of `construct`'s patterns that `rust` shows, if any.
fn spotted<'a>(construct: &'a Construct, code: &str) -> Option<&'a str> {
    construct
        .patterns
        .iter()
        .find(|p| shows(code, p))
        .map(String::as_str)
}

/// `sleeper · `shared``.
fn place(lesson: &str, section: &str) -> String {
    format!("{lesson} · `{section}`")
}

/// For each construct of the primer's table: its introducing section exists,
/// shows it and names it, and no section before it shows it.
pub fn introduction_problems(constructs: &[Construct], lessons: &[LessonText]) -> Vec<String> {
    let order: Vec<(&LessonText, &SectionText, String)> = lessons
        .iter()
        .flat_map(|l| l.sections.iter().map(move |s| (l, s, code_only(&s.rust))))
        .collect();
    let mut problems = Vec::new();
    for construct in constructs {
        let name = &construct.rust;
        let intro = place(&construct.lesson, &construct.section);
        if construct.patterns.is_empty() {
            problems.push(format!(
                "docs/{PRIMER}: the row for {name} has no `spotted by` pattern"
            ));
            continue;
        }
        let Some(at) = order
            .iter()
            .position(|(l, s, _)| l.topic == construct.lesson && s.name == construct.section)
        else {
            problems.push(format!(
                "docs/{PRIMER}: {name} is introduced in {intro}, which is not a section"
            ));
            continue;
        };
        for (lesson, section, code) in &order[..at] {
            if let Some(pattern) = spotted(construct, code) {
                problems.push(format!(
                    "{} shows {name} (`{pattern}` in its Rust snippet) before {intro} \
                     introduces it: explain it there first, or move it in the primer's table",
                    place(&lesson.topic, &section.name)
                ));
            }
        }
        let (_, section, code) = &order[at];
        if spotted(construct, code).is_none() {
            problems.push(format!(
                "{intro} introduces {name} (docs/{PRIMER}), but its Rust snippet shows none of {}",
                quoted(&construct.patterns)
            ));
        }
        let explain = section.explain.to_lowercase();
        if !construct
            .named_as
            .iter()
            .any(|word| explain.contains(&word.to_lowercase()))
        {
            problems.push(format!(
                "{intro} introduces {name} (docs/{PRIMER}), but its text never says {}",
                quoted(&construct.named_as)
            ));
        }
    }
    problems
}

/// Core exercises use only constructs that their own lesson, or one
/// before it, introduces.
pub fn core_exercise_problems(constructs: &[Construct], lessons: &[LessonText]) -> Vec<String> {
    let position = |topic: &str| lessons.iter().position(|l| l.topic == topic);
    let mut problems = Vec::new();
    for (index, lesson) in lessons.iter().enumerate() {
        for exercise in lesson
            .exercises
            .iter()
            .filter(|e| e.level == Some(Level::Core))
        {
            let code = code_only(&exercise.solution);
            for construct in constructs {
                let later = position(&construct.lesson).is_some_and(|at| at > index);
                if let Some(pattern) = spotted(construct, &code).filter(|_| later) {
                    problems.push(format!(
                        "{}: core exercise `{}` needs {} (`{pattern}` in its solution), which \
                         {} introduces later: make it a stretch exercise, or teach it first",
                        lesson.folder,
                        exercise.name,
                        construct.rust,
                        place(&construct.lesson, &construct.section)
                    ));
                }
            }
        }
    }
    problems
}

fn quoted(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    items.join(", ")
}

// ---------------------------------------------------------------------------
// A live class: short sections, a recap, a ladder of exercises

/// How many words a section explains before its demonstration.
pub fn explain_words(section: &SectionText) -> usize {
    section.explain.split_whitespace().count()
}

/// Explanations over [`WORD_LIMIT`], and recaps missing or of the wrong
/// length.
pub fn length_problems(lessons: &[LessonText]) -> Vec<String> {
    let mut problems = Vec::new();
    for lesson in lessons {
        for section in &lesson.sections {
            let words = explain_words(section);
            if words > WORD_LIMIT {
                problems.push(format!(
                    "{}: the explanation runs {words} words before the demonstration starts \
                     (at most {WORD_LIMIT}): split the section or trim it",
                    place(&lesson.topic, &section.name)
                ));
            }
        }
        let lines = reflow(&lesson.recap)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        if !RECAP_LINES.contains(&lines) {
            problems.push(format!(
                "{}: the recap (`recap` in src/lib.rs) prints {lines} lines; a lesson ends \
                 with {} to {}: what was shown, and the rule to remember",
                lesson.folder,
                RECAP_LINES.start(),
                RECAP_LINES.end()
            ));
        }
    }
    problems
}

/// Every exercise says whether it is core or stretch, and the core ones
/// come first.
pub fn ladder_problems(lessons: &[LessonText]) -> Vec<String> {
    let mut problems = Vec::new();
    for lesson in lessons {
        let mut stretch_seen: Option<&str> = None;
        for exercise in &lesson.exercises {
            match exercise.level {
                None => problems.push(format!(
                    "{}: exercise `{}` says neither `(core)` nor `(stretch)` after its name \
                     in src/exercises.rs",
                    lesson.folder, exercise.name
                )),
                Some(Level::Stretch) => stretch_seen = stretch_seen.or(Some(&exercise.name)),
                Some(Level::Core) => {
                    if let Some(stretch) = stretch_seen {
                        problems.push(format!(
                            "{}: core exercise `{}` comes after the stretch exercise `{stretch}`: \
                             core first",
                            lesson.folder, exercise.name
                        ));
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(name: &str, rust: &str, explain: &str) -> SectionText {
        SectionText {
            module: name.replace('-', "_"),
            name: name.to_owned(),
            title: format!("The {name} section"),
            explain: explain.to_owned(),
            rust: rust.to_owned(),
        }
    }

    fn lesson(folder: &str, sections: Vec<SectionText>) -> LessonText {
        LessonText {
            folder: folder.to_owned(),
            topic: folder[3..].to_owned(),
            title: format!("All about {}", &folder[3..]),
            sections,
            recap: "One.\n\nTwo.\n\nThree.".to_owned(),
            ..LessonText::default()
        }
    }

    /// Two lessons: sleeper (start, shared), refcounting (counting).
    fn workshop() -> Vec<LessonText> {
        vec![
            lesson(
                "01-sleeper",
                vec![
                    section("start", "thread::spawn(move || nap());", "A closure runs."),
                    section(
                        "shared",
                        "let total = Arc::new(Mutex::new(0));\nlet mine = Arc::clone(&total);",
                        "An `Arc` is a shared handle.",
                    ),
                ],
            ),
            lesson(
                "02-refcounting",
                vec![section(
                    "counting",
                    "let a = Rc::new(5);",
                    "`Rc` counts references.",
                )],
            ),
        ]
    }

    fn arc() -> Construct {
        Construct {
            rust: "`Arc`".into(),
            lesson: "sleeper".into(),
            section: "shared".into(),
            patterns: vec!["Arc::clone".into(), "Arc<".into(), "Arc::new".into()],
            named_as: vec!["Arc".into()],
        }
    }

    #[test]
    fn reads_string_literals_plain_and_raw() {
        assert_eq!(
            string_literal(r#"  "a \"b\" \\ c\n", rest"#),
            Some(("a \"b\" \\ c\n".to_owned(), ", rest"))
        );
        assert_eq!(
            string_literal("r#\"x \"y\" z\"#,"),
            Some(("x \"y\" z".to_owned(), ","))
        );
        assert_eq!(
            string_literal("\"one \\\n     two\""),
            Some(("one two".to_owned(), ""))
        );
        assert_eq!(string_literal("no literal"), None);
    }

    #[test]
    fn reads_a_section_declaration() {
        let source = r####"//! Section `many`: many.
pub const SECTION: Section = Section {
    name: "many",
    title: "Many threads at once",
    explain: "
        Start threads in a loop.
    ",
    python: r#"
        t.start()
    "#,
    rust: r#"
        let handles = (0..count).map(|i| start(i));
    "#,
    run,
};
fn other() { Flag { name: "nope" } }
"####;
        let section = parse_section("many", source).unwrap();
        assert_eq!(section.name, "many");
        assert_eq!(section.title, "Many threads at once");
        assert_eq!(section.explain.trim(), "Start threads in a loop.");
        assert!(section.rust.contains("(0..count)"));
    }

    #[test]
    fn reads_the_order_of_sections_and_checks_the_numbered_list() {
        let lib = "//! 1. [`start`] — a\n//! 2. [`many`] — b\npub static LESSON: Lesson = Lesson {\n    sections: &[\n        start::SECTION,\n        names::SECTION,\n    ],\n};";
        let body = item_body(lib, "pub static LESSON: Lesson = Lesson {").unwrap();
        assert_eq!(section_modules(body), ["start", "names"]);
        let sections = vec![section("start", "", ""), section("names", "", "")];
        assert_eq!(
            module_list_problems(lib, &sections),
            ["the list of sections says 2 is `many`, but section 2 is `names`"]
        );
    }

    #[test]
    fn finds_references_by_number() {
        let text = "See Lesson 02 · refcounting and sections 1, 2 and 4.\n\
                    [01 · Threads](01-sleeper.md), the 3rd section, exercise 2: `nap`.";
        let found: Vec<(Kind, usize, usize)> = references(text)
            .iter()
            .map(|r| (r.kind, r.number, r.line))
            .collect();
        assert_eq!(
            found,
            [
                (Kind::Lesson, 2, 1),
                (Kind::Section, 1, 1),
                (Kind::Lesson, 1, 2),
                (Kind::Exercise, 2, 2),
            ]
        );
    }

    #[test]
    fn a_reference_by_number_must_name_what_it_points_at() {
        let mut lessons = workshop();
        lessons[0].exercises.push(ExerciseText {
            number: 1,
            name: "nap_together".into(),
            level: Some(Level::Core),
            solution: String::new(),
        });
        let sleeper = Some(&lessons[0]);
        let check = |text: &str, context| reference_problems("f.md", text, context, &lessons);
        for fine in [
            "Lesson 01 · sleeper: threads",
            "02 · refcounting",
            "[01 · All about sleeper](01-sleeper.md)",
            "[02 · Counting](02-refcounting.md)",
            "| [02](02-refcounting.md) |",
            "section 2 (`shared`)",
            "section 2, The shared section",
            "/// # Exercise 1: `nap_together` (core)",
            "no number here: the `shared` section",
        ] {
            assert_eq!(check(fine, sleeper), Vec::<String>::new(), "{fine}");
        }
        assert_eq!(
            check("the recap of lesson 02.", sleeper),
            [
                "f.md:1: `lesson 2` says only the number: write `02 · refcounting`, or the lesson's name alone"
            ]
        );
        assert_eq!(
            check("lesson 02 · gil", sleeper),
            [
                "f.md:1: `lesson 2` says `gil`, but lesson 2 is refcounting (\"All about refcounting\")"
            ]
        );
        assert_eq!(
            check("see section 1 (`shared`)", sleeper),
            ["f.md:1: `section 1` says `shared`, but section 1 of sleeper is `start`"]
        );
        assert_eq!(
            check("sections 1, 2 and 4", sleeper),
            ["f.md:1: `section 1` says only the number: write it by name (`start`)"]
        );
        assert_eq!(
            check("section 9 (`gone`)", sleeper),
            ["f.md:1: `section 9` sleeper has no section 9"]
        );
        assert_eq!(
            check("TODO (exercise 1): do it", sleeper),
            ["f.md:1: `exercise 1` says only the number: write it by name (`nap_together`)"]
        );
        assert_eq!(
            check("see section 2", None),
            [
                "f.md:1: `section 2`: a section by number outside its lesson's files: write it by name"
            ]
        );
        assert_eq!(
            check("lesson 7 · demo", None),
            ["f.md:1: `lesson 7` there is no lesson 7"]
        );
        assert_eq!(
            check("| [01](02-refcounting.md) |", None),
            ["f.md:1: `lesson 1` links to `02-refcounting.md`, but lesson 1 is 01-sleeper"]
        );
        assert_eq!(
            check("[02 · Counting](01-sleeper.md)", None),
            [
                "f.md:1: `lesson 2` says `Counting`, but lesson 2 is refcounting (\"All about refcounting\")"
            ]
        );
    }

    #[test]
    fn the_primer_table_gives_patterns_and_places() {
        let page = "# Primer\n\n| Rust | Python | first met | spotted by | named as |\n\
                    |---|---|---|---|---|\n\
                    | closures, `move \\|\\|` | `lambda` | [sleeper · `start`](01-sleeper.md) | `move \\|\\|`, `\\|_\\|` | closure |\n\
                    | `Arc` | a reference | sleeper · `shared` | `Arc::clone` `Arc<` | `Arc` |\n\nafter\n| a | b |\n";
        let rows = parse_primer(page);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].lesson, "sleeper");
        assert_eq!(rows[0].section, "start");
        assert_eq!(rows[0].patterns, ["move ||", "|_|"]);
        assert_eq!(rows[0].named_as, ["closure"]);
        assert_eq!(
            rows[1],
            Construct {
                patterns: vec!["Arc::clone".into(), "Arc<".into()],
                ..arc()
            }
        );
    }

    #[test]
    fn code_without_comments_and_literals() {
        assert_eq!(
            code_only("format!(\"{:?}\", x)?; // Ok(5)\nlet c = '?'; f::<'static>"),
            "format!(\"\", x)?; \nlet c = ' '; f::<'static>"
        );
    }

    #[test]
    fn patterns_match_whole_names() {
        assert!(shows("Rc::clone(&a)", "Rc::clone"));
        assert!(!shows("Arc::clone(&a)", "Rc::clone"));
        assert!(!shows("let boxes = 1;", "Box"));
        assert!(shows("x.lock()?;", "?"));
        assert!(shows("Vec<u8>", "Vec"));
    }

    #[test]
    fn the_introducing_section_passes() {
        assert_eq!(
            introduction_problems(&[arc()], &workshop()),
            Vec::<String>::new()
        );
    }

    /// What the introduction check finds once sleeper's first section, which
    /// comes before `shared` introduces `Arc`, also shows `more`.
    fn problems_once_start_shows(more: &str) -> Vec<String> {
        let mut lessons = workshop();
        lessons[0].sections[0].rust.push_str(more);
        introduction_problems(&[arc()], &lessons)
    }

    /// The issue's own test: move `Arc::clone` into an earlier snippet and
    /// the check names the section and the construct.
    #[test]
    fn a_construct_shown_before_its_introduction_fails() {
        assert_eq!(
            problems_once_start_shows("\nlet theirs = Arc::clone(&total);"),
            [
                "sleeper · `start` shows `Arc` (`Arc::clone` in its Rust snippet) before \
              sleeper · `shared` introduces it: explain it there first, or move it in the \
              primer's table"
            ]
        );
    }

    #[test]
    fn a_mention_in_a_comment_or_string_is_no_use() {
        let mentions = "\n// an Arc::clone would do\nsay(\"Arc<\");";
        assert_eq!(problems_once_start_shows(mentions), Vec::<String>::new());
    }

    #[test]
    fn the_introducing_section_must_show_and_name_it() {
        let mut lessons = workshop();
        lessons[0].sections[1].rust = "let total = 0;".into();
        lessons[0].sections[1].explain = "A shared handle.".into();
        let problems = introduction_problems(&[arc()], &lessons);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("its Rust snippet shows none of `Arc::clone`"));
        assert!(problems[1].contains("its text never says `Arc`"));
        let nowhere = Construct {
            section: "gone".into(),
            ..arc()
        };
        assert_eq!(
            introduction_problems(&[nowhere], &workshop()),
            [
                "docs/rust-primer.md: `Arc` is introduced in sleeper · `gone`, which is not a section"
            ]
        );
    }

    #[test]
    fn core_exercises_use_only_what_was_introduced() {
        let rc = Construct {
            rust: "`Rc`".into(),
            lesson: "refcounting".into(),
            section: "counting".into(),
            patterns: vec!["Rc::new".into()],
            named_as: vec!["Rc".into()],
        };
        let mut lessons = workshop();
        let exercise = |name: &str, level, solution: &str| ExerciseText {
            number: 1,
            name: name.into(),
            level: Some(level),
            solution: solution.into(),
        };
        lessons[0].exercises = vec![
            exercise("early", Level::Core, "let a = Rc::new(1);"),
            exercise("fine", Level::Core, "let a = Arc::new(1); // not Rc::new"),
            exercise("far", Level::Stretch, "let a = Rc::new(1);"),
        ];
        lessons[1].exercises = vec![exercise("later", Level::Core, "Rc::new(Arc::new(1))")];
        assert_eq!(
            core_exercise_problems(&[rc, arc()], &lessons),
            [
                "01-sleeper: core exercise `early` needs `Rc` (`Rc::new` in its solution), which \
              refcounting · `counting` introduces later: make it a stretch exercise, or teach it first"
            ]
        );
    }

    #[test]
    fn long_explanations_and_missing_recaps_are_reported() {
        let mut lessons = workshop();
        lessons[0].sections[0].explain = "word ".repeat(WORD_LIMIT + 1);
        lessons[1].recap = "Only one line.".into();
        assert_eq!(
            length_problems(&lessons),
            [
                format!(
                    "sleeper · `start`: the explanation runs {} words before the demonstration \
                     starts (at most {WORD_LIMIT}): split the section or trim it",
                    WORD_LIMIT + 1
                ),
                "02-refcounting: the recap (`recap` in src/lib.rs) prints 1 lines; a lesson ends \
                 with 3 to 5: what was shown, and the rule to remember"
                    .to_owned(),
            ]
        );
    }

    #[test]
    fn core_comes_before_stretch_and_every_exercise_says_which() {
        let mut lessons = workshop();
        let exercise = |name: &str, level| ExerciseText {
            number: 1,
            name: name.into(),
            level,
            solution: String::new(),
        };
        lessons[0].exercises = vec![
            exercise("a", Some(Level::Core)),
            exercise("b", Some(Level::Stretch)),
            exercise("c", Some(Level::Core)),
            exercise("d", None),
        ];
        assert_eq!(
            ladder_problems(&lessons),
            [
                "01-sleeper: core exercise `c` comes after the stretch exercise `b`: core first",
                "01-sleeper: exercise `d` says neither `(core)` nor `(stretch)` after its name in \
                 src/exercises.rs",
            ]
        );
    }
}
