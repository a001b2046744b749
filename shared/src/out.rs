//! The narrator's output: every line a lesson prints goes through an [`Out`].
//!
//! One type serves three audiences. Live (`cargo run -p`), lines go straight
//! to stdout as they happen, so a learner sees a sleeper wake up five seconds
//! after it said it would. Captured (the snapshot tests), lines go into a
//! string, measured values are replaced by placeholders where they are
//! produced, and lines that threads print at the same time are grouped by
//! thread, because their order is up to the scheduler and a snapshot must not
//! depend on it.

use std::fmt::Display;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::speakers::{speaker_order, thread_label};
use crate::style::{Colors, Style};
use crate::table::Table;
use crate::time::Measurement;
use crate::timeline::Timeline;
use crate::units;

/// The width of the thread-name column in [`Out::say`] lines.
const SPEAKER_WIDTH: usize = 10;

/// A cloneable handle on the lesson's output; hand a clone to every thread
/// that should print. Each call writes whole lines, so lines from different
/// threads never tear.
#[derive(Clone)]
pub struct Out {
    inner: Arc<Inner>,
}

struct Inner {
    redact: bool,
    color: bool,
    state: Mutex<State>,
}

struct State {
    sink: Sink,
    /// When the current section started: [`Out::say`] stamps lines with the
    /// time since then.
    origin: Instant,
    /// While threads run side by side in capture mode, their lines wait
    /// here, tagged with the speaker, to be printed grouped by thread.
    held: Option<Vec<(String, String)>>,
}

enum Sink {
    Stdout,
    Capture(String),
}

impl Out {
    /// Output that goes to stdout, with colour when `color` is set.
    pub fn stdout(color: bool) -> Self {
        Self::new(Sink::Stdout, false, color)
    }

    /// Output captured in memory, with measured values redacted when
    /// `redact` is set. Read it back with [`Out::captured`].
    pub fn capture(redact: bool) -> Self {
        Self::new(Sink::Capture(String::new()), redact, false)
    }

    fn new(sink: Sink, redact: bool, color: bool) -> Self {
        let state = State {
            sink,
            origin: Instant::now(),
            held: None,
        };
        Self {
            inner: Arc::new(Inner {
                redact,
                color,
                state: Mutex::new(state),
            }),
        }
    }

    /// Everything captured so far (empty for stdout).
    pub fn captured(&self) -> String {
        match &self.state().sink {
            Sink::Capture(text) => text.clone(),
            Sink::Stdout => String::new(),
        }
    }

    /// Whether measured values are hidden behind placeholders (snapshots).
    pub fn redacted(&self) -> bool {
        self.inner.redact
    }

    /// Prints text as it is; each line of a multi-line text is written whole.
    pub fn line(&self, text: impl AsRef<str>) {
        let mut state = self.state();
        for line in text.as_ref().lines() {
            state.write(line);
        }
        if text.as_ref().is_empty() {
            state.write("");
        }
    }

    /// Prints an empty line.
    pub fn blank(&self) {
        self.line("");
    }

    /// Prints a [`Table`].
    pub fn table(&self, table: &Table) {
        self.line(table.render());
    }

    /// Prints a [`Timeline`]: drawn live; in a snapshot only its rows and
    /// declared labels, because the bars depend on the scheduler.
    pub fn timeline(&self, timeline: &Timeline) {
        if self.inner.redact {
            self.line(timeline.outline());
        } else {
            self.line(timeline.chart(self.inner.color));
        }
    }

    /// Prints a measurement the way `%time` does, plus CPU over wall time:
    ///
    /// ```text
    ///   CPU times: user 4.81 s, sys 50.0 ms, total 4.86 s
    ///   Wall time: 4.91 s  (CPU/wall 0.99)
    /// ```
    ///
    /// A CPU time under one tick of the clock prints as such (`sys < 15.6
    /// ms`), and so does a total: `CPU times: below the clock's resolution
    /// (15.6 ms)`. The ratio is printed as [`Out::cpu_per_wall`] does.
    pub fn timing(&self, m: &Measurement) {
        let cpu = match m.cpu {
            Some(cpu) => self.measured(
                crate::time::cpu_times_text(cpu, m.cpu_resolution),
                "user [time], sys [time], total [time]",
            ),
            None => "not reported on this platform".to_owned(),
        };
        self.line(format!("  CPU times: {cpu}"));
        let ratio = m
            .cpu
            .map(|_| format!("  (CPU/wall {})", self.cpu_per_wall(m)));
        self.line(format!(
            "  Wall time: {}{}",
            self.time(m.wall),
            ratio.unwrap_or_default()
        ));
    }

    /// A measurement's CPU time for a table cell: `1.23 s`, or `< 15.6 ms`
    /// when it is under one tick of the clock; `n/a` where CPU time is not
    /// reported. `[time]` in a snapshot.
    pub fn cpu_time(&self, m: &Measurement) -> String {
        match m.cpu_total() {
            Some(total) => {
                self.measured(crate::time::cpu_duration(total, m.cpu_resolution), "[time]")
            }
            None => "n/a".to_owned(),
        }
    }

    /// CPU over wall time with the digits the clock vouches for (see
    /// [`CpuPerWall`](crate::CpuPerWall)); `n/a` where CPU time is not
    /// reported; `[ratio]` in a snapshot.
    pub fn cpu_per_wall(&self, m: &Measurement) -> String {
        match m.cpu_per_wall_reading() {
            Some(reading) => self.measured(reading, "[ratio]"),
            None => "n/a".to_owned(),
        }
    }

    /// Prints a line spoken by the calling thread, stamped with the time since
    /// the section started and the thread's name:
    /// `  +0.501s sleeper-1  │ woke up`.
    ///
    /// The thread running the lesson speaks as `main`; other threads use
    /// their name (give them one with `thread::Builder::name`).
    pub fn say(&self, text: impl AsRef<str>) {
        let speaker = thread_label();
        let mut state = self.state();
        let stamp = self.stamp_at(state.origin.elapsed());
        let name = self.style(&format!("{speaker:<SPEAKER_WIDTH$}"), Style::Speaker);
        let line = format!("  {stamp} {name} │ {}", text.as_ref());
        match &mut state.held {
            Some(held) => held.push((speaker, line)),
            None => state.write(&line),
        }
    }

    /// Runs `work`, during which several threads print with [`Out::say`].
    ///
    /// Live, their lines appear as they happen, in whatever order the
    /// scheduler produced. In a snapshot, that order would change from run to
    /// run, so the lines are held back and printed grouped by thread (`main`
    /// first, then the others by name), each thread's lines in the order it
    /// said them. Give the threads distinct names.
    pub fn concurrently<R>(&self, work: impl FnOnce() -> R) -> R {
        let hold = self.inner.redact && self.state().held.is_none();
        if !hold {
            return work();
        }
        self.state().held = Some(Vec::new());
        // Release the held lines even if `work` panics, so that nothing the
        // threads said is lost from the report.
        struct Release<'a>(&'a Out);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.release_held();
            }
        }
        let _release = Release(self);
        work()
    }

    fn release_held(&self) {
        let mut state = self.state();
        let Some(mut held) = state.held.take() else {
            return;
        };
        // A stable sort keeps each thread's own lines in program order.
        held.sort_by(|(a, _), (b, _)| speaker_order(a, b));
        for (_, line) in held {
            state.write(&line);
        }
    }

    /// A measured duration, or `[time]` in a snapshot.
    pub fn time(&self, d: Duration) -> String {
        self.measured(units::duration(d), "[time]")
    }

    /// A measured time in seconds (for example per operation), or `[time]`.
    pub fn seconds(&self, s: f64) -> String {
        self.measured(units::seconds(s), "[time]")
    }

    /// A measured ratio such as a speedup, or `[ratio]` in a snapshot.
    pub fn ratio(&self, r: f64) -> String {
        self.measured(units::ratio(r), "[ratio]")
    }

    /// A measured count (lost updates, switches…), or `[count]`.
    pub fn count(&self, n: u64) -> String {
        self.measured(units::count(n), "[count]")
    }

    /// Any other measured value, or `placeholder` in a snapshot.
    pub fn measured(&self, value: impl Display, placeholder: &str) -> String {
        if self.inner.redact {
            placeholder.to_owned()
        } else {
            value.to_string()
        }
    }

    /// Prints a sentence chosen from this run's figures ("cheaper", "about
    /// twice", "the machine was busy"), reflowed to the page; `[verdict]` in
    /// a snapshot, because which sentence is chosen depends on the figures.
    /// Write the sentence with a function of the figures, and unit-test that
    /// function on both sides of every threshold it uses.
    pub fn verdict(&self, sentence: impl AsRef<str>) {
        let text = crate::text::reflow(sentence.as_ref());
        self.line(self.measured(text, "[verdict]"));
    }

    /// A time since the section started, as `+0.501s` (8 columns), or
    /// `+?.???s` in a snapshot.
    pub fn stamp_at(&self, since_start: Duration) -> String {
        let stamp = self.measured(format!("+{:.3}s", since_start.as_secs_f64()), "+?.???s");
        format!("{stamp:>8}")
    }

    /// The time since the current section started.
    pub fn elapsed(&self) -> Duration {
        self.state().origin.elapsed()
    }

    /// Restarts the clock that [`Out::say`] stamps lines with.
    pub(crate) fn restart_clock(&self) {
        self.state().origin = Instant::now();
    }

    /// `text` in `style`, if this output is coloured.
    pub(crate) fn style(&self, text: &str, style: Style) -> String {
        Colors::new(self.inner.color).paint(text, style)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Printing never panics while holding the lock, but a lesson thread
        // may panic elsewhere; the output must outlive it.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    fn write(&mut self, line: &str) {
        match &mut self.sink {
            Sink::Stdout => {
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (`| head`) is not worth a panic.
                let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
            }
            Sink::Capture(text) => {
                text.push_str(line.trim_end());
                text.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speakers::narrate_on_this_thread;
    use std::thread;

    #[test]
    fn capture_keeps_lines_and_trims_trailing_spaces() {
        let out = Out::capture(false);
        out.line("one  \ntwo");
        out.blank();
        assert_eq!(out.captured(), "one\ntwo\n\n");
    }

    #[test]
    fn redaction_hides_measured_values_only() {
        let out = Out::capture(true);
        assert_eq!(out.time(Duration::from_millis(3)), "[time]");
        assert_eq!(out.ratio(1.5), "[ratio]");
        assert_eq!(out.stamp_at(Duration::from_millis(501)), " +?.???s");
        out.verdict("cheaper, this time");
        assert_eq!(out.captured(), "[verdict]\n");
        let live = Out::capture(false);
        assert_eq!(live.time(Duration::from_millis(3)), "3.00 ms");
        assert_eq!(live.stamp_at(Duration::from_millis(501)), " +0.501s");
        live.verdict(format!("{} {}", "word ".repeat(20), "word ".repeat(5)));
        assert_eq!(live.captured().lines().count(), 2, "reflowed to the page");
    }

    #[test]
    fn the_lesson_thread_speaks_as_main() {
        let out = Out::capture(true);
        let _narrator = narrate_on_this_thread();
        out.say("hello");
        assert_eq!(out.captured(), "   +?.???s main       │ hello\n");
    }

    #[test]
    fn concurrent_lines_are_grouped_by_thread_in_snapshots() {
        let out = Out::capture(true);
        let _narrator = narrate_on_this_thread();
        out.concurrently(|| {
            thread::scope(|s| {
                for name in ["t-10", "t-2"] {
                    let out = out.clone();
                    thread::Builder::new()
                        .name(name.to_owned())
                        .spawn_scoped(s, move || {
                            out.say("first");
                            out.say("second");
                        })
                        .unwrap();
                }
                out.say("main speaks");
            });
        });
        let speakers: Vec<_> = out
            .captured()
            .lines()
            .map(|l| {
                l.split_whitespace()
                    .skip(1)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(speakers, ["main │", "t-2 │", "t-2 │", "t-10 │", "t-10 │"]);
        assert!(out.captured().lines().nth(1).unwrap().ends_with("first"));
    }
}
