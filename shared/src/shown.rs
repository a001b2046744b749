//! The rule "the Rust shown is the Rust that runs", in one place: the lesson
//! tests check each section's snippet with it
//! ([`testing::check_rust_snippets`](crate::testing::check_rust_snippets)),
//! and `cargo xtask verify` checks the book's Rust blocks.
//!
//! - Only code lines count: blank lines, comment lines and `...` are
//!   skipped, and a trailing `// comment` is cut ([`code_lines`]).
//! - Code is searched without whitespace, so that `named.join()` matches
//!   rustfmt's `named\n    .join()`.
//! - Raw string literals (`r#"…"#`) are not code: every snippet is written
//!   as one, and a line must be found in the code, not in a quotation of it
//!   ([`Code::new`]).
//!
//! ```
//! use workshop::shown::{Code, code_lines};
//!
//! let code = Code::new(&["let t = thread::spawn(f);\nt.join()\n    .unwrap();"]);
//! let snippet = "
//!     let t = thread::spawn(f); // starts at once
//!     // a comment line is skipped
//!     t.join().unwrap();
//! ";
//! assert!(code_lines(snippet).iter().all(|line| code.contains(line)));
//! assert!(!code.contains("t.join().expect(\"joined\");"));
//! ```

/// The lines of a snippet that must be found in the code, trimmed.
pub fn code_lines(snippet: &str) -> Vec<&str> {
    snippet
        .lines()
        .map(|line| line.split(" //").next().unwrap_or("").trim())
        .filter(|code| !code.is_empty() && !code.starts_with("//"))
        .filter(|code| *code != "..." && *code != "…")
        .collect()
}

/// Source code, prepared for searching: raw string literals removed, and
/// no whitespace.
pub struct Code(String);

impl Code {
    /// The code of these source files.
    pub fn new(sources: &[&str]) -> Self {
        let code: Vec<String> = sources.iter().map(|s| without_raw_strings(s)).collect();
        Code(squash(&code.join("\n")))
    }

    /// Whether a line of a snippet is in the code, whitespace aside.
    pub fn contains(&self, line: &str) -> bool {
        self.0.contains(&squash(line))
    }
}

/// The text outside `r#"…"#` literals.
fn without_raw_strings(source: &str) -> String {
    let mut code = String::new();
    let mut rest = source;
    while let Some(open) = rest.find("r#\"") {
        code.push_str(&rest[..open]);
        rest = rest[open + 3..]
            .split_once("\"#")
            .map_or("", |(_, after)| after);
    }
    code.push_str(rest);
    code
}

/// Removes all whitespace.
fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_code_lines_count() {
        let snippet = "let x = 1; // why\n// a comment\n\n...\nfoo(x);\n  …";
        assert_eq!(code_lines(snippet), ["let x = 1;", "foo(x);"]);
    }

    #[test]
    fn raw_string_literals_are_not_code() {
        assert_eq!(without_raw_strings("a r#\"shown\"# b r#\"more\"#"), "a  b ");
        let code = Code::new(&["rust: r#\"t.join().unwrap();\"#"]);
        assert!(!code.contains("t.join().unwrap();"));
    }
}
