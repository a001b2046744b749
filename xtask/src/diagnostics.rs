//! What the compiler (and clippy) said, read from cargo's JSON messages:
//! which of it is about the learner's file, and which of the errors a
//! beginner meets most has an entry in the Rust primer.

use crate::json::{self, Json};

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The code does not compile.
    Error,
    /// It compiles, but something looks wrong.
    Warning,
}

/// One compiler message.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// `E0277`, `unused_must_use`, `clippy::needless_return`, if it has one.
    pub code: Option<String>,
    /// The one-line message: ``unused `Result` that must be used``.
    pub message: String,
    /// The file of its primary span, as cargo names it (relative to the
    /// workspace, `/` or `\` as the platform has it).
    pub file: Option<String>,
    /// The first line of its primary span.
    pub line: Option<usize>,
    /// The message as the compiler prints it, with the code it points at.
    pub rendered: String,
}

impl Diagnostic {
    /// Whether it points into `file` (a path relative to the workspace,
    /// with `/`).
    pub fn is_in(&self, file: &str) -> bool {
        self.file
            .as_deref()
            .is_some_and(|f| f.replace('\\', "/") == file)
    }

    /// The primer's entry that explains this error, if it is one of those
    /// that beginners hit most in these exercises.
    pub fn primer_entry(&self) -> Option<&'static PrimerEntry> {
        PRIMER_ENTRIES.iter().find(|entry| (entry.matches)(self))
    }
}

/// The Rust primer, where the pointers below lead.
pub const PRIMER: &str = "docs/rust-primer.md";

/// A common error and the primer's section that explains it.
pub struct PrimerEntry {
    /// The section's anchor in [`PRIMER`].
    pub anchor: &'static str,
    /// The section's title, in a few words.
    pub about: &'static str,
    /// Whether a diagnostic is this error.
    matches: fn(&Diagnostic) -> bool,
}

/// The errors a learner meets most in these exercises, each with the
/// primer's section that explains it (`cargo xtask verify` checks that
/// each anchor is a heading of the primer).
pub const PRIMER_ENTRIES: &[PrimerEntry] = &[
    // A lesson's `?` copied into a function that returns no `Result`.
    PrimerEntry {
        anchor: "result",
        about: "`Result` and `?`",
        matches: |d| d.message.starts_with("the `?` operator can only be used"),
    },
    // `Relaxed` (or another ordering) without its `use` line.
    PrimerEntry {
        anchor: "atomics",
        about: "atomics and their orderings",
        matches: |d| {
            ["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"]
                .iter()
                .any(|o| d.message == format!("cannot find value `{o}` in this scope"))
        },
    },
    // A borrowed value in a closure given to `thread::spawn`.
    PrimerEntry {
        anchor: "ownership-and-move",
        about: "ownership and `move`",
        matches: |d| d.code.as_deref() == Some("E0373"),
    },
    PrimerEntry {
        anchor: "static",
        about: "`'static`",
        matches: |d| d.code.as_deref() == Some("E0521"),
    },
];

/// Every compiler message among cargo's JSON messages, in the order
/// given, without repeats (the same warning can come from rustc and from
/// clippy, or from two builds of one file).
pub fn from_cargo_json(stdout: &str) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = Vec::new();
    for line in stdout
        .lines()
        .filter(|l| l.contains("\"compiler-message\""))
    {
        let Some(diagnostic) = json::parse(line).as_ref().and_then(diagnostic) else {
            continue;
        };
        let same = |d: &Diagnostic| {
            (&d.code, &d.message, &d.file, d.line)
                == (
                    &diagnostic.code,
                    &diagnostic.message,
                    &diagnostic.file,
                    diagnostic.line,
                )
        };
        if !found.iter().any(same) {
            found.push(diagnostic);
        }
    }
    found
}

/// One `compiler-message`; `None` for the summaries ("2 warnings
/// emitted"), which have no span, and for notes of other levels.
fn diagnostic(json: &Json) -> Option<Diagnostic> {
    let message = json.get(&["message"])?;
    let text = |key: &str| message.get(&[key]).and_then(Json::as_str);
    let level = match text("level")? {
        "error" | "error: internal compiler error" => Level::Error,
        "warning" => Level::Warning,
        _ => return None,
    };
    let spans = message.get(&["spans"]).map(Json::items).unwrap_or_default();
    let primary = spans
        .iter()
        .find(|s| s.get(&["is_primary"]).is_some_and(Json::is_true))?;
    Some(Diagnostic {
        level,
        code: message
            .get(&["code", "code"])
            .and_then(Json::as_str)
            .map(str::to_owned),
        message: text("message")?.to_owned(),
        file: primary
            .get(&["file_name"])
            .and_then(Json::as_str)
            .map(str::to_owned),
        line: primary.get(&["line_start"]).and_then(Json::as_usize),
        rendered: text("rendered").unwrap_or_default().trim_end().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{self, Place};

    /// mdBook's anchor for a heading: lower case, spaces as `-`, other
    /// punctuation dropped.
    fn anchor(heading: &str) -> String {
        heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_primer_pointer_leads_to_a_heading_of_the_primer() {
        let primer = project::path(Place::RustPrimer);
        assert_eq!(project::shown(&primer), PRIMER);
        let text = project::read(&primer).unwrap();
        let anchors: Vec<String> = text
            .lines()
            .filter_map(|l| {
                l.trim_start_matches('#')
                    .strip_prefix(' ')
                    .filter(|_| l.starts_with('#'))
            })
            .map(anchor)
            .collect();
        for entry in PRIMER_ENTRIES {
            assert!(
                anchors.iter().any(|a| a == entry.anchor),
                "{PRIMER} has no heading for #{} ({})",
                entry.anchor,
                entry.about
            );
        }
    }

    fn message(level: &str, code: &str, text: &str, file: &str) -> String {
        let code = if code.is_empty() {
            "null".to_owned()
        } else {
            format!(r#"{{"code":"{code}","explanation":null}}"#)
        };
        format!(
            r#"{{"reason":"compiler-message","package_id":"x","message":{{"level":"{level}","code":{code},"message":"{text}","spans":[{{"file_name":"{file}","line_start":7,"is_primary":true}}],"rendered":"{level}: {text}\n"}}}}"#
        )
    }

    #[test]
    fn messages_are_read_once_each() {
        let warning = message(
            "warning",
            "unused_must_use",
            "unused `Result` that must be used",
            "lessons/01-sleeper/src/exercises.rs",
        );
        let summary = r#"{"reason":"compiler-message","message":{"level":"warning","code":null,"message":"1 warning emitted","spans":[],"rendered":"warning: 1 warning emitted\n"}}"#;
        let artifact = r#"{"reason":"compiler-artifact","executable":null}"#;
        let stdout = [warning.as_str(), summary, artifact, &warning].join("\n");
        let found = from_cargo_json(&stdout);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.level, Level::Warning);
        assert_eq!(d.code.as_deref(), Some("unused_must_use"));
        assert_eq!(d.line, Some(7));
        assert!(d.is_in("lessons/01-sleeper/src/exercises.rs"));
        assert!(!d.is_in("lessons/01-sleeper/src/solutions.rs"));
        assert_eq!(d.rendered, "warning: unused `Result` that must be used");
    }

    #[test]
    fn the_common_beginner_errors_point_at_the_primer() {
        let entry = |code: &str, text: &str| {
            let json = message("error", code, text, "src/exercises.rs");
            from_cargo_json(&json)[0].primer_entry().map(|e| e.anchor)
        };
        let question_mark = "the `?` operator can only be used in a function that returns \
            `Result` or `Option` (or another type that implements `FromResidual`)";
        assert_eq!(entry("E0277", question_mark), Some("result"));
        let relaxed = "cannot find value `Relaxed` in this scope";
        assert_eq!(entry("E0425", relaxed), Some("atomics"));
        let borrowed = "closure may outlive the current function, but it borrows `x`";
        assert_eq!(entry("E0373", borrowed), Some("ownership-and-move"));
        let escapes = "borrowed data escapes outside of function";
        assert_eq!(entry("E0521", escapes), Some("static"));
        assert_eq!(entry("E0308", "mismatched types"), None);
    }
}
