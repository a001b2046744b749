//! Who did what, when: spans recorded per thread and drawn as a terminal
//! chart, one row per thread.
//!
//! ```text
//!             0                                              1.00 s
//! main        ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒
//! sleeper-0   ████████████████████████████████████████████████████████
//! sleeper-1   ████████████████████████████████████████████████████████
//!             █ sleep  ▒ join
//! ```
//!
//! Three rows of `sleep` stacked on top of each other are three threads
//! sleeping at once; the same spans end to end would be one after another.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::speakers::{natural_order, speaker_order, thread_label};
use crate::style::{Colors, Style};

mod picture;

/// The chart's width in columns, when the thread names leave room for it
/// in 80 columns (see [`chart_width`]).
const CHART_WIDTH: usize = 60;
/// The terminal's width, which a chart never goes past.
const COLUMNS: usize = 80;
/// Glyphs for labels, in the order labels are given glyphs.
const GLYPHS: [char; 8] = ['█', '▒', '░', '▓', '#', '=', '+', '~'];
/// A column where the thread did nothing recorded.
const IDLE: char = '·';

/// A cloneable record of spans; give a clone to every thread that records.
#[derive(Clone)]
pub struct Timeline {
    origin: Instant,
    preferred: &'static [&'static str],
    spans: Arc<Mutex<Vec<Span>>>,
}

/// One thing one thread did, from `start` to `end` (times since the
/// timeline was created).
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// The thread's name in the lesson's output (see [`thread_label`]).
    pub thread: String,
    /// What the thread was doing: `sleep`, `holds GIL`, `waits`…
    pub label: String,
    /// When it started.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
}

/// Records a span for the calling thread when dropped; see [`Timeline::span`].
#[must_use = "the span ends when this guard is dropped"]
pub struct SpanGuard {
    timeline: Timeline,
    thread: String,
    label: String,
    start: Instant,
}

impl Timeline {
    /// An empty timeline whose time zero is now.
    pub fn new() -> Self {
        Self::with_labels(&[])
    }

    /// An empty timeline that gives the first glyphs (`█`, `▒`, `░`…) to
    /// these labels, in this order; other labels follow alphabetically. The
    /// declared labels are also the legend a snapshot shows.
    pub fn with_labels(preferred: &'static [&'static str]) -> Self {
        Self {
            origin: Instant::now(),
            preferred,
            spans: Arc::default(),
        }
    }

    /// Starts a span for the calling thread; it ends when the guard drops.
    ///
    /// ```
    /// let timeline = workshop::Timeline::new();
    /// {
    ///     let _sleeping = timeline.span("sleep");
    ///     std::thread::sleep(std::time::Duration::from_millis(1));
    /// }
    /// assert_eq!(timeline.spans()[0].label, "sleep");
    /// ```
    pub fn span(&self, label: impl Into<String>) -> SpanGuard {
        SpanGuard {
            timeline: self.clone(),
            thread: thread_label(),
            label: label.into(),
            start: Instant::now(),
        }
    }

    /// Records a finished span for a named thread.
    pub fn record(&self, thread: &str, label: &str, start: Instant, end: Instant) {
        let since = |t: Instant| t.saturating_duration_since(self.origin);
        let span = Span {
            thread: thread.to_owned(),
            label: label.to_owned(),
            start: since(start),
            end: since(end.max(start)),
        };
        self.spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(span);
    }

    /// Every span so far, by thread (in [`Out::say`](crate::Out::say) order) then start time.
    pub fn spans(&self) -> Vec<Span> {
        let mut spans = self
            .spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        spans.sort_by(|a, b| speaker_order(&a.thread, &b.thread).then(a.start.cmp(&b.start)));
        spans
    }

    /// The spans of one thread, in time order.
    pub fn spans_of(&self, thread: &str) -> Vec<Span> {
        self.spans()
            .into_iter()
            .filter(|s| s.thread == thread)
            .collect()
    }

    /// The chart, one row per thread, time from left to right, with a
    /// legend (dimmed when `color` is on).
    pub fn chart(&self, color: bool) -> String {
        let spans = self.spans();
        let rows = row_names(&spans);
        let name_width = name_width(&rows);
        let legend = self.glyphs(&spans);
        let total = spans.iter().map(|s| s.end).max().unwrap_or_default();
        let glyph_of = |label: &str| {
            legend
                .iter()
                .find(|(l, _)| l == label)
                .map_or('?', |(_, g)| *g)
        };
        let pad = " ".repeat(name_width + 2);
        let end_label = crate::units::duration(total);
        let width = chart_width(name_width);
        let mut chart = format!("{pad}0{end_label:>right$}\n", right = width - 1);
        for row in &rows {
            let cells: String = (0..width)
                .map(|col| column_label(&spans, row, col, total, width).map_or(IDLE, glyph_of))
                .collect();
            chart.push_str(&format!("  {row:<name_width$}{cells}\n"));
        }
        let mut keys: Vec<String> = legend
            .iter()
            .map(|(label, glyph)| format!("{glyph} {label}"))
            .collect();
        keys.push(format!("{IDLE} idle"));
        for line in legend_lines(&pad, &keys) {
            chart.push_str(&Colors::new(color).paint(&line, Style::Dim));
            chart.push('\n');
        }
        chart
    }

    /// What a snapshot shows instead of the chart: span lengths, and even
    /// whether a short wait was recorded at all, depend on the scheduler, so
    /// only the rows and the labels the lesson declared (see
    /// [`Timeline::with_labels`]) are stable.
    pub fn outline(&self) -> String {
        let rows = row_names(&self.spans());
        let name_width = name_width(&rows);
        let mut text: String = rows
            .iter()
            .map(|row| format!("  {row:<name_width$}│ (drawn live)\n"))
            .collect();
        if !self.preferred.is_empty() {
            let pad = " ".repeat(name_width + 2);
            let keys: Vec<String> = self
                .preferred
                .iter()
                .zip(GLYPHS)
                .map(|(label, glyph)| format!("{glyph} {label}"))
                .collect();
            for line in legend_lines(&pad, &keys) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    }

    /// Labels with their glyphs: preferred labels first, the rest sorted.
    fn glyphs(&self, spans: &[Span]) -> Vec<(String, char)> {
        labels_in_order(self.preferred, spans)
            .into_iter()
            .zip(GLYPHS.iter().copied().cycle())
            .collect()
    }
}

impl Default for Timeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Span {
    /// How long the span lasted.
    pub fn len(&self) -> Duration {
        self.end - self.start
    }

    /// Whether the two spans share any moment.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl Drop for SpanGuard {
    fn drop(&mut self) {
        self.timeline
            .record(&self.thread, &self.label, self.start, Instant::now());
    }
}

/// The legend's keys after `pad`, three spaces apart, on as many lines as
/// 80 columns need.
fn legend_lines(pad: &str, keys: &[String]) -> Vec<String> {
    let mut lines = vec![pad.to_owned()];
    for key in keys {
        let line = lines.last_mut().expect("one line at least");
        let used = line.chars().count();
        if used > pad.len() && used + 3 + key.chars().count() > COLUMNS {
            lines.push(format!("{pad}{key}"));
        } else {
            if used > pad.len() {
                line.push_str("   ");
            }
            line.push_str(key);
        }
    }
    lines
}

/// The columns of time: [`CHART_WIDTH`], fewer if long thread names would
/// push the chart past 80 columns.
fn chart_width(name_width: usize) -> usize {
    CHART_WIDTH
        .min(COLUMNS.saturating_sub(name_width + 2))
        .max(20)
}

/// The width of the thread-name column: the longest name, and room after it.
fn name_width(rows: &[String]) -> usize {
    rows.iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0)
        .max(4)
        + 2
}

/// The labels of `spans`, each once: `preferred` ones first, in that order,
/// then the rest sorted. Their place in this list picks their glyph in the
/// terminal and their colour in a picture.
fn labels_in_order(preferred: &[&str], spans: &[Span]) -> Vec<String> {
    let mut labels: Vec<String> = spans.iter().map(|s| s.label.clone()).collect();
    labels.sort_by(|a, b| natural_order(a, b));
    labels.dedup();
    let rank = |l: &String| preferred.iter().position(|p| p == l).unwrap_or(usize::MAX);
    labels.sort_by_key(rank);
    labels
}

fn row_names(spans: &[Span]) -> Vec<String> {
    let mut rows: Vec<String> = spans.iter().map(|s| s.thread.clone()).collect();
    rows.dedup();
    rows
}

/// The label that covers most of column `col` of `row`, if any span touches it.
fn column_label<'a>(
    spans: &'a [Span],
    row: &str,
    col: usize,
    total: Duration,
    columns: usize,
) -> Option<&'a str> {
    let width = total.as_secs_f64() / columns as f64;
    let (from, to) = (col as f64 * width, (col + 1) as f64 * width);
    spans
        .iter()
        .filter(|s| s.thread == row)
        .map(|s| {
            let covered = s.end.as_secs_f64().min(to) - s.start.as_secs_f64().max(from);
            (covered, s)
        })
        // A span shorter than a column still shows, if nothing covers more.
        .filter(|(covered, s)| {
            *covered > 0.0
                || (s.start == s.end && s.start.as_secs_f64() >= from && s.start.as_secs_f64() < to)
        })
        .max_by(|(a, _), (b, _)| a.total_cmp(b))
        .map(|(_, s)| s.label.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline_with(spans: &[(&str, &str, u64, u64)]) -> Timeline {
        let timeline = Timeline::new();
        let at = |ms| timeline.origin + Duration::from_millis(ms);
        for &(thread, label, start, end) in spans {
            timeline.record(thread, label, at(start), at(end));
        }
        timeline
    }

    #[test]
    fn parallel_spans_stack_and_sequential_spans_follow() {
        let timeline = timeline_with(&[
            ("b", "sleep", 0, 300),
            ("a", "sleep", 0, 300),
            ("c", "work", 300, 600),
        ]);
        let chart = timeline.chart(false);
        let rows: Vec<&str> = chart.lines().skip(1).take(3).collect();
        let (half, full) = (CHART_WIDTH / 2, CHART_WIDTH);
        assert_eq!(
            rows[0],
            format!("  a     {}{}", "█".repeat(half), "·".repeat(full - half))
        );
        assert_eq!(
            rows[1],
            format!("  b     {}{}", "█".repeat(half), "·".repeat(full - half))
        );
        assert_eq!(
            rows[2],
            format!("  c     {}{}", "·".repeat(half), "▒".repeat(full - half))
        );
        assert!(chart.lines().next().unwrap().ends_with("600 ms"));
        assert!(chart.contains("█ sleep   ▒ work"));
    }

    #[test]
    fn a_span_shorter_than_a_column_still_shows() {
        let timeline = timeline_with(&[("a", "long", 0, 6000), ("b", "blip", 3000, 3001)]);
        let chart = timeline.chart(false);
        assert_eq!(
            chart.lines().nth(2).unwrap().matches('█').count(),
            1,
            "{chart}"
        );
    }

    #[test]
    fn snapshots_show_rows_and_declared_labels_only() {
        let timeline = Timeline::with_labels(&["runs", "waits"]);
        let at = |ms| timeline.origin + Duration::from_millis(ms);
        timeline.record("t-10", "waits", at(0), at(5));
        timeline.record("t-2", "runs", at(0), at(5));
        timeline.record("main", "join", at(0), at(12));
        let text = timeline.outline();
        assert_eq!(
            text,
            "  main  │ (drawn live)\n  t-2   │ (drawn live)\n  t-10  │ (drawn live)\n        █ runs   ▒ waits\n"
        );
    }

    #[test]
    fn a_long_legend_and_long_names_stay_in_80_columns() {
        let timeline = Timeline::with_labels(&["holds the GIL", "waits for it"]);
        let now = Instant::now();
        let later = now + Duration::from_millis(10);
        timeline.record("a-thread-with-a-long-name", "holds the GIL", now, later);
        timeline.record("x", "waits for it", now, later);
        timeline.record("x", "blocking call, GIL released", now, later);
        for text in [timeline.chart(false), timeline.outline()] {
            assert!(text.lines().all(|l| l.chars().count() <= COLUMNS), "{text}");
        }
        let chart = timeline.chart(false);
        assert!(
            chart
                .lines()
                .rev()
                .nth(1)
                .unwrap()
                .contains("█ holds the GIL"),
            "{chart}"
        );
    }

    #[test]
    fn preferred_labels_get_the_first_glyphs() {
        let timeline = Timeline::with_labels(&["waits", "holds"]);
        let now = Instant::now();
        timeline.record("x", "holds", now, now + Duration::from_millis(1));
        timeline.record("x", "waits", now, now + Duration::from_millis(1));
        let chart = timeline.chart(false);
        assert!(chart.contains("█ waits   ▒ holds"), "{chart}");
    }

    #[test]
    fn span_guards_record_the_calling_thread() {
        let timeline = Timeline::new();
        std::thread::Builder::new()
            .name("worker".into())
            .spawn({
                let timeline = timeline.clone();
                move || drop(timeline.span("busy"))
            })
            .unwrap()
            .join()
            .unwrap();
        let spans = timeline.spans();
        assert_eq!(
            (spans[0].thread.as_str(), spans[0].label.as_str()),
            ("worker", "busy")
        );
    }
}
