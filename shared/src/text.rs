//! Text layout for narration: paragraphs reflowed to the page width, code
//! dedented, and the Python idiom set beside its Rust counterpart.

/// Width that explanations are wrapped to: fits a projector's terminal of
/// 80 columns, with a margin.
pub const PAGE_WIDTH: usize = 78;
/// Widest a side-by-side comparison may get before it is stacked instead:
/// the terminal's 80 columns.
const SIDE_BY_SIDE_WIDTH: usize = 80;

/// Reflows prose to [`PAGE_WIDTH`]. Paragraphs are separated by blank lines;
/// lines starting with `- ` are bullets and keep a hanging indent; lines
/// indented four spaces deeper than the text around them (a formula, a
/// command) are kept as they are. The common indentation is removed first,
/// so explanations can be indented string literals.
///
/// ```
/// let text = workshop::text::reflow("
///     One short
///     paragraph.
///
///     - a bullet
/// ");
/// assert_eq!(text, "One short paragraph.\n\n- a bullet");
///
/// let formula = workshop::text::reflow("
///     Amdahl says
///
///         speedup = 1 / ((1 - p) + p / n)
/// ");
/// assert_eq!(formula, "Amdahl says\n\n    speedup = 1 / ((1 - p) + p / n)");
/// ```
pub fn reflow(prose: &str) -> String {
    /// A paragraph, a bullet or a verbatim line, and whether a blank line
    /// came before it.
    struct Block {
        text: String,
        bullet: bool,
        verbatim: bool,
        after_gap: bool,
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut gap = false;
    for line in dedent(prose).lines() {
        if line.trim().is_empty() {
            gap = true;
            continue;
        }
        let verbatim = line.starts_with("    ");
        let line = if verbatim {
            line.trim_end()
        } else {
            line.trim()
        };
        let bullet = !verbatim && line.starts_with("- ");
        match blocks.last_mut() {
            Some(block) if !bullet && !verbatim && !block.verbatim && !gap => {
                block.text.push(' ');
                block.text.push_str(line);
            }
            _ => {
                let after_gap = gap && !blocks.is_empty();
                blocks.push(Block {
                    text: line.to_owned(),
                    bullet,
                    verbatim,
                    after_gap,
                });
            }
        }
        gap = false;
    }
    let mut text = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            text.push_str(if block.after_gap { "\n\n" } else { "\n" });
        }
        if block.verbatim {
            text.push_str(&block.text);
        } else {
            text.push_str(&wrap(
                &block.text,
                PAGE_WIDTH,
                if block.bullet { "  " } else { "" },
            ));
        }
    }
    text
}

/// Greedy word wrap to `width`; continuation lines start with `indent`.
/// A word longer than the width stays whole, on a line of its own.
///
/// ```
/// assert_eq!(workshop::text::wrap("one two three", 7, "  "), "one two\n  three");
/// ```
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut has_word = false;
    for word in text.split_whitespace() {
        if has_word && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, indent.to_owned()));
            has_word = false;
        }
        if has_word {
            line.push(' ');
        }
        line.push_str(word);
        has_word = true;
    }
    lines.push(line);
    lines.join("\n")
}

/// Removes the indentation common to all non-blank lines, and blank lines at
/// either end, so code can be written as an indented string literal.
///
/// ```
/// assert_eq!(workshop::text::dedent("
///         t.start()
///           t.join()
/// "), "t.start()\n  t.join()");
/// ```
pub fn dedent(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(first, |i| i + 1);
    let lines = &lines[first..last];
    let margin = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let dedented: Vec<&str> = lines
        .iter()
        .map(|l| l.get(margin..).unwrap_or("").trim_end())
        .collect();
    dedented.join("\n")
}

/// The Python idiom beside its Rust counterpart: two columns when both fit
/// in 80 columns, Python above Rust otherwise.
pub fn compare(python: &str, rust: &str) -> String {
    let (python, rust) = (dedent(python), dedent(rust));
    let width = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let left = width(&python).max("Python".len());
    if 2 + left + 3 + width(&rust) > SIDE_BY_SIDE_WIDTH {
        let indent = |code: &str| {
            let lines: Vec<String> = code
                .lines()
                .map(|l| format!("    {l}").trim_end().to_owned())
                .collect();
            lines.join("\n") + "\n"
        };
        return format!("  Python:\n{}\n  Rust:\n{}", indent(&python), indent(&rust));
    }
    let (py_lines, rs_lines): (Vec<&str>, Vec<&str>) =
        (python.lines().collect(), rust.lines().collect());
    let mut text = format!(
        "  {:<left$} │ Rust\n  {}─┼─{}\n",
        "Python",
        "─".repeat(left),
        "─".repeat(width(&rust).max(4))
    );
    for i in 0..py_lines.len().max(rs_lines.len()) {
        let py = py_lines.get(i).copied().unwrap_or("");
        let rs = rs_lines.get(i).copied().unwrap_or("");
        text.push_str(format!("  {py:<left$} │ {rs}").trim_end());
        text.push('\n');
    }
    text
}

/// A heading ruled out to the page width: `── 2/7 names · Named threads ───`.
pub fn ruled(heading: &str, rule: char) -> String {
    let used = heading.chars().count() + 4;
    let fill = PAGE_WIDTH.saturating_sub(used).max(3);
    format!("{rule}{rule} {heading} {}", rule.to_string().repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraphs_wrap_at_the_page_width() {
        let words = "word ".repeat(40);
        let text = reflow(&words);
        assert!(text.lines().all(|l| l.chars().count() <= PAGE_WIDTH));
        assert_eq!(text.split_whitespace().count(), 40);
    }

    #[test]
    fn bullets_wrap_with_a_hanging_indent_and_stay_together() {
        let text = reflow(&format!("Intro.\n\n- {}\n- second", "long ".repeat(20)));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Intro.");
        assert_eq!(lines[1], "");
        assert!(lines[2].starts_with("- long"));
        assert!(lines[3].starts_with("  long"));
        assert_eq!(*lines.last().unwrap(), "- second");
    }

    #[test]
    fn short_code_goes_side_by_side() {
        let text = compare("t.start()", "let t = thread::spawn(f);");
        assert_eq!(
            text,
            "  Python    │ Rust\n  ──────────┼──────────────────────────\n  t.start() │ let t = thread::spawn(f);\n"
        );
    }

    #[test]
    fn wide_code_is_stacked() {
        let wide = "x".repeat(60);
        let text = compare(&wide, &wide);
        assert!(text.starts_with("  Python:\n    xxx"));
        assert!(text.contains("xxx\n\n  Rust:\n    xxx"));
    }

    #[test]
    fn dedent_keeps_relative_indentation() {
        assert_eq!(dedent("\n    if x:\n        y()\n"), "if x:\n    y()");
    }
}
