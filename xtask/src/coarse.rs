//! `cargo xtask coarse-clock`: the workshop on a CPU clock that ticks like
//! Windows'.
//!
//! Windows counts a process's CPU time in ticks of about 15.6 ms, so work of
//! a few milliseconds reads as 0 there. This command sets
//! `WORKSHOP_CPU_TICK_MS=16`, which rounds every CPU reading down to whole
//! 16 ms ticks, and then runs every lesson (`--quick` and full length) and
//! every test. A lesson fails it by ending badly or by printing a CPU figure
//! of zero or an infinite or undefined number (what a ratio of a zero
//! reading gives); a test fails it by failing.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use workshop::process::output_with_limit;
use workshop::{COARSE_CLOCK_VAR, units};

use crate::failure::{CommandResult, Failure, no_arguments};
use crate::{launch, lessons, project};

/// The tick: a little coarser than Windows' usual 15.6 ms.
const TICK_MS: &str = "16";

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    no_arguments(args)?;
    let lessons = lessons::all()?;
    let binaries = launch::build(&lessons)?;
    println!(
        "Every lesson with CPU readings in whole {TICK_MS} ms ticks ({COARSE_CLOCK_VAR}={TICK_MS}):"
    );
    let mut failed = 0;
    for (lesson, binary) in lessons.iter().zip(&binaries) {
        for args in [&["--quick"][..], &[]] {
            let what = format!("{} {}", lesson.package, args.join(" "));
            let start = Instant::now();
            let problems = run_lesson(binary, args)?;
            let took = units::duration(start.elapsed());
            if problems.is_empty() {
                println!("  {:<22} ok ({took})", what.trim_end());
            } else {
                failed += 1;
                println!("  {:<22} FAILED ({took}):", what.trim_end());
                for problem in problems {
                    println!("      {problem}");
                }
            }
        }
    }
    println!("\nEvery test, on the same clock:");
    let mut tests = project::cargo();
    tests
        .args(["test", "--workspace"])
        .env(COARSE_CLOCK_VAR, TICK_MS);
    let tests = project::spawn(&mut tests)?
        .wait()
        .map_err(|e| Failure::Broken(format!("lost track of cargo test: {e}")))?;
    if !tests.success() {
        failed += 1;
        println!("The tests failed on a coarse clock (cargo's messages are above).");
    }
    if failed == 0 {
        println!("Every lesson and every test holds on a {TICK_MS} ms CPU clock.");
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Runs one lesson on the coarse clock; what went wrong, if anything.
fn run_lesson(binary: &Path, args: &[&str]) -> Result<Vec<String>, Failure> {
    let limit = launch::limit(args.contains(&"--quick"));
    let mut command = Command::new(binary);
    command
        .args(args)
        .current_dir(project::root())
        .env(COARSE_CLOCK_VAR, TICK_MS);
    let output = output_with_limit(&mut command, limit)
        .map_err(|e| Failure::Broken(format!("could not run {}: {e}", project::shown(binary))))?;
    let Some(output) = output else {
        return Ok(vec![format!(
            "still running after {}: killed",
            units::duration(limit)
        )]);
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let mut problems = problems(&text);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        problems.push(format!(
            "ended with {}: {}",
            output.status,
            stderr
                .trim()
                .lines()
                .last()
                .unwrap_or("(nothing on stderr)")
        ));
    }
    Ok(problems)
}

/// What in a lesson's output betrays a CPU reading taken for more than the
/// clock can tell: a zero CPU figure on a line about CPU or in a column
/// headed CPU, a share of 0%, or an infinite or undefined number.
pub fn problems(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let undefined = words(line).any(|w| {
            let w = w.trim_end_matches(['×', '%']);
            w == "inf" || w == "-inf" || w == "NaN"
        });
        let zero_share = figures(line).any(|f| f.ends_with('%') && is_zero(&f));
        let zero_cpu = line.contains("CPU") && figures(line).any(|f| is_zero(&f));
        if undefined || zero_share || zero_cpu {
            found.push(format!("line {}: {}", i + 1, line.trim()));
        }
    }
    for (i, cell) in cpu_cells(&lines) {
        if is_zero(&cell) {
            found.push(format!("line {}: a CPU column reads {cell}", i + 1));
        }
    }
    found
}

/// The words of a line, without the punctuation around figures.
fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split_whitespace()
        .map(|w| w.trim_matches(|c: char| "(),:;=".contains(c)))
        .map(|w| w.strip_suffix('.').unwrap_or(w))
}

/// The figures of a line: `0.00`, `12%`, `1.5×`, and numbers followed by a
/// unit of time (`0 s`, `3.2 ms`), each as one string.
fn figures(line: &str) -> impl Iterator<Item = String> + '_ {
    let words: Vec<&str> = words(line).collect();
    (0..words.len()).filter_map(move |i| {
        let word = words[i];
        let number = word.trim_end_matches(['×', '%']);
        if number.parse::<f64>().is_err() {
            return None;
        }
        let unit = words
            .get(i + 1)
            .filter(|u| ["s", "ms", "µs", "ns"].contains(u));
        match unit {
            Some(unit) => Some(format!("{word} {unit}")),
            None if number != word || word.contains('.') => Some(word.to_owned()),
            None => None, // a plain count: `0 lost`
        }
    })
}

/// Whether a figure is zero.
fn is_zero(figure: &str) -> bool {
    let number = figure
        .split_whitespace()
        .next()
        .unwrap_or(figure)
        .trim_end_matches(['×', '%']);
    number.parse::<f64>().is_ok_and(|n| n == 0.0)
}

/// The cells of every table column whose heading mentions CPU, with their
/// line indices. A table is a heading line, a rule of `─` runs (one per
/// column) and rows indented like the rule.
fn cpu_cells(lines: &[&str]) -> Vec<(usize, String)> {
    let mut cells = Vec::new();
    for (r, rule) in lines.iter().enumerate().skip(1) {
        let rule: Vec<char> = rule.chars().collect();
        if !rule.contains(&'─') || rule.iter().any(|&c| c != '─' && c != ' ') {
            continue;
        }
        let indent = rule.iter().take_while(|&&c| c == ' ').count();
        let heading: Vec<char> = lines[r - 1].chars().collect();
        let columns = runs(&rule);
        let cpu_columns: Vec<(usize, usize)> = columns
            .iter()
            .copied()
            .filter(|&(start, end)| text(&heading, start, end).contains("CPU"))
            .collect();
        let rows = lines[r + 1..].iter().enumerate().take_while(|(_, row)| {
            row.len() > indent && row.chars().take(indent).all(|c| c == ' ')
        });
        for (offset, row) in rows {
            let row: Vec<char> = row.chars().collect();
            for &(start, end) in &cpu_columns {
                cells.push((r + 1 + offset, text(&row, start, end)));
            }
        }
    }
    cells
}

/// The runs of `─` in a rule, as `(start, end)` character positions.
fn runs(rule: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &c) in rule.iter().chain([' '].iter()).enumerate() {
        match (c == '─', start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// The text between two character positions, trimmed.
fn text(line: &[char], start: usize, end: usize) -> String {
    let end = end.min(line.len());
    let start = start.min(end);
    line[start..end]
        .iter()
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_cpu_figures_are_found() {
        let output = "\
Multiplying two 150×150 matrices (CPU-bound):
  CPU times: user 0 s, sys 0 s, total 0 s
  Wall time: 13.9 ms  (CPU/wall 0.00)
";
        let found = problems(output);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("line 2:"), "{found:?}");
        assert!(found[1].contains("CPU/wall 0.00"), "{found:?}");
    }

    #[test]
    fn readings_below_the_resolution_are_not_zeros() {
        let output = "  CPU times: below the clock's resolution (16.0 ms)
  Wall time: 50.9 ms  (CPU/wall < 0.32)
  CPU times: user 96.0 ms, sys < 16.0 ms, total 96.0 ms
Two busy threads got 0.7 cores' worth of CPU just now.
   +0.004s thread-2   │ working, then sleeping 0 s
    0.0× │●····
";
        assert_eq!(problems(output), Vec::<String>::new());
    }

    #[test]
    fn infinite_ratios_and_zero_shares_are_found() {
        let found = problems(
            "the serial part took 0.0% of the time on one worker.\n\
             On any number of cores, at most 1 / s = inf×.\n\
             a count of 0 lost updates, 0.5% spare\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].contains("inf×"), "{found:?}");
    }

    #[test]
    fn zero_cells_in_cpu_columns_are_found() {
        // (A `\` at the end of a line would eat the next line's indent.)
        let output = "  fib(32)                 wall      CPU  CPU/wall  notebook
  ───────────────────  ───────  ───────  ────────  ────────
  once, GIL            12.2 ms      0 s      0.00    2.38 s
  twice in a row, GIL  24.1 ms  15.6 ms  0.6–1.9     4.89 s
Under the GIL, two threads took 0.00 s of nothing.
";
        let found = problems(output);
        assert_eq!(
            found,
            [
                "line 3: a CPU column reads 0 s",
                "line 3: a CPU column reads 0.00"
            ]
        );
    }
}
