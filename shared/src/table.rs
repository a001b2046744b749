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
    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|col| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|row| row[col].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        let mut text = String::new();
        for row in std::iter::once(&self.header)
            .chain(std::iter::once(&rule))
            .chain(&self.rows)
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
    fn wide_cells_widen_their_column() {
        let text = Table::new(["x", "n"]).row(["y", "1,000,000"]).render();
        assert_eq!(text.lines().nth(2).unwrap(), "  y  1,000,000");
    }
}
