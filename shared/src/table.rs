//! A results table for measured figures. The first column is a label;
//! a column whose cells all look like numbers (or redacted placeholders such
//! as `[time]`) aligns on the right, any other on the left.
//!
//! ```
//! let table = workshop::Table::new(["run", "wall", "speedup"])
//!     .row(["sequential", "4.89 s", "1.00×"])
//!     .row(["two threads", "2.51 s", "1.95×"]);
//! assert_eq!(table.render(), concat!(
//!     "  run            wall  speedup\n",
//!     "  ───────────  ──────  ───────\n",
//!     "  sequential   4.89 s    1.00×\n",
//!     "  two threads  2.51 s    1.95×\n",
//! ));
//! ```

use crate::text::{PAGE_WIDTH, wrap};

/// The narrowest a wrapped last column gets.
const MIN_WRAPPED: usize = 20;

/// Rows of cells under a header; see the module docs.
#[derive(Clone, Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Self {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are left blank, extra cells are dropped.
    #[must_use]
    pub fn row<S: Into<String>>(mut self, cells: impl IntoIterator<Item = S>) -> Self {
        self.push(cells);
        self
    }

    /// Adds a row to a table being filled in a loop.
    pub fn push<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut cells: Vec<String> = cells.into_iter().map(Into::into).collect();
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
    }

    /// The rows added so far (without the header).
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The rows, the last column's text wrapped if the table would be
    /// wider than the page.
    fn wrapped_rows(&self) -> Vec<Vec<String>> {
        let columns = self.header.len();
        let width = |col: usize| {
            std::iter::once(&self.header)
                .chain(&self.rows)
                .map(|row| row[col].chars().count())
                .max()
                .unwrap_or(0)
        };
        let Some(last) = columns.checked_sub(1).filter(|&last| last > 0) else {
            return self.rows.clone();
        };
        let before: usize = (0..last).map(|col| width(col) + 2).sum::<usize>() + 2;
        let room = PAGE_WIDTH.saturating_sub(before).max(MIN_WRAPPED);
        if before + width(last) <= PAGE_WIDTH || self.numeric(last) {
            return self.rows.clone();
        }
        let mut rows = Vec::new();
        for row in &self.rows {
            for (i, part) in wrap(&row[last], room, "").lines().enumerate() {
                let mut line = if i == 0 {
                    row.clone()
                } else {
                    vec![String::new(); columns]
                };
                line[last] = part.to_owned();
                rows.push(line);
            }
        }
        rows
    }

    /// Whether every non-empty cell of a column starts like a number.
    fn numeric(&self, col: usize) -> bool {
        let looks_numeric = |cell: &str| {
            let first = cell
                .trim_start_matches(['+', '-', '≈', '~', ' '])
                .chars()
                .next();
            first.is_some_and(|c| c.is_ascii_digit() || c == '[' || c == '.')
        };
        // "-" and "n/a" stand in for missing numbers and align with them.
        let filler = |cell: &str| cell.is_empty() || cell == "-" || cell == "n/a";
        self.rows
            .iter()
            .map(|row| row[col].as_str())
            .filter(|c| !filler(c))
            .all(looks_numeric)
    }

    /// The table as text, indented by two spaces, one line per row.
    ///
    /// A table wider than the page (78 columns) whose last column is text
    /// wraps that column's cells onto more lines, so that it still fits
    /// a projector's 80 columns:
    ///
    /// ```
    /// let long = "Start, name, join and forget threads; scoped threads; return values and panics";
    /// let table = workshop::Table::new(["lesson", "what it covers"]).row(["01-sleeper", long]);
    /// assert_eq!(table.render().lines().nth(3).unwrap(), "              values and panics");
    /// ```
    pub fn render(&self) -> String {
        let rows = self.wrapped_rows();
        let widths: Vec<usize> = (0..self.header.len())
            .map(|col| {
                std::iter::once(&self.header)
                    .chain(&rows)
                    .map(|row| row[col].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        let mut text = String::new();
        for row in std::iter::once(&self.header)
            .chain(std::iter::once(&rule))
            .chain(&rows)
        {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(col, (cell, &width))| match col > 0 && self.numeric(col) {
                    true => format!("{cell:>width$}"),
                    false => format!("{cell:<width$}"),
                })
                .collect();
            text.push_str("  ");
            text.push_str(cells.join("  ").trim_end());
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_rows_are_padded() {
        let table = Table::new(["a", "b"]).row(["only"]);
        assert_eq!(table.rows()[0], ["only", ""]);
        assert_eq!(table.render(), "  a     b\n  ────  ─\n  only\n");
    }

    #[test]
    fn text_columns_align_left_and_number_columns_right() {
        let text = Table::new(["lesson", "result", "wall"])
            .row(["sleeper", "ok", "1.2 s"])
            .row(["gil", "failed", "[time]"])
            .render();
        assert_eq!(text.lines().nth(2).unwrap(), "  sleeper  ok       1.2 s");
        assert_eq!(text.lines().nth(3).unwrap(), "  gil      failed  [time]");
        let text = Table::new(["run", "CPU"])
            .row(["a", "1.00"])
            .row(["b", "-"])
            .render();
        assert_eq!(
            text.lines().nth(3).unwrap(),
            "  b       -",
            "a dash stays in a number column"
        );
    }

    #[test]
    fn a_long_last_column_wraps_to_the_page() {
        let words = "word ".repeat(30);
        let text = Table::new(["n", "text"])
            .row(["1", &words])
            .row(["2", "short"])
            .render();
        assert!(
            text.lines().all(|l| l.chars().count() <= PAGE_WIDTH),
            "{text}"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[2].starts_with("  1  word"), "{text}");
        assert!(
            lines[3].starts_with("     word"),
            "continued under its column: {text}"
        );
        assert_eq!(*lines.last().unwrap(), "  2  short");
        assert_eq!(text.split_whitespace().filter(|w| *w == "word").count(), 30);
    }

    #[test]
    fn wide_cells_widen_their_column() {
        let text = Table::new(["x", "n"]).row(["y", "1,000,000"]).render();
        assert_eq!(text.lines().nth(2).unwrap(), "  y  1,000,000");
    }
}
