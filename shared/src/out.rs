//! The narrator's output: every line a lesson prints goes through an [`Out`].
//!
//! One type serves three audiences. Live (`cargo run -p`), lines go straight
//! to stdout as they happen, so a learner sees a sleeper wake up five seconds
//! after it said it would. Captured (the snapshot tests), lines go into a
//! string, measured values are replaced by placeholders where they are
//! produced, and lines that threads print at the same time are grouped by
//! thread, because their order is up to the scheduler and a snapshot must not
//! depend on it. Captured at their widest (the 80-column test), measured
//! values are printed as measured but padded to the widest they plausibly
//! get, so that a line that fits in the test fits in every run.
//!
//! Live on a terminal, a measurement that takes a while says what it is
//! doing on one line that updates in place ([`Out::progress`]); in a pipe, a
//! file or a snapshot nothing of it appears. If stdout is closed (`| head`),
//! the lesson ends quietly with exit code 0 and stops its child processes
//! ([`crate::process::exit_now`]).

use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use crate::speakers::{speaker_order, thread_label};
use crate::style::{Colors, Style};
use crate::svg;
use crate::table::Table;
use crate::text::PAGE_WIDTH;
use crate::time::Measurement;
use crate::timeline::Timeline;
use crate::units;

/// The width of the thread-name column in [`Out::say`] lines.
const SPEAKER_WIDTH: usize = 10;
/// How often a progress line's clock is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// How measured values are printed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Values {
    /// As measured: a live run.
    Live,
    /// As placeholders such as `[time]`: snapshots.
    Redacted,
    /// As measured, padded to the widest they plausibly print (see
    /// the table in `widest`): the test that every line fits in 80 columns.
    Widest,
}

/// The widest a measured value plausibly prints, by its placeholder: a
/// duration `88.8 ms`, a ratio `88.88×`, a count `8,888,888`… A value
/// measured wider keeps its own width.
fn widest(placeholder: &str) -> usize {
    match placeholder {
        "[time]" => "88.8 ms".chars().count(),
        "[ratio]" => "88.88×".chars().count(),
        "[count]" => "8,888,888".len(),
        "[cores]" => "88.88".len(),
        "[%]" => "100.0%".len(),
        "[rate]" => "8888888".len(),
        "[yes/no]" => "yes".len(),
        _ => 0,
    }
}

/// A cloneable handle on the lesson's output; hand a clone to every thread
/// that should print. Each call writes whole lines, so lines from different
/// threads never tear.
#[derive(Clone)]
pub struct Out {
    inner: Arc<Inner>,
}

struct Inner {
    values: Values,
    color: bool,
    /// Stdout is a terminal: progress lines may be drawn.
    terminal: bool,
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
    /// The progress line to show below the output, if any.
    progress: Option<Shown>,
    /// The number given to the last [`Progress`].
    last_progress: u64,
    /// Whether the clock that redraws progress lines runs.
    ticking: bool,
    /// Where `--pictures DIR` draws the current section's timelines.
    pictures: Option<Pictures>,
}

/// What `--pictures DIR` needs to draw a section's timelines: the runner
/// gives it to [`Out::start_section`].
pub(crate) struct Pictures {
    /// The folder to draw them in.
    pub dir: PathBuf,
    /// The lesson's name.
    pub lesson: &'static str,
    /// The section's name, for the file names.
    pub section: &'static str,
    /// The section's title, for the pictures' titles.
    pub title: &'static str,
    /// `--quick`, to say so in the caption.
    pub quick: bool,
    /// How many the section has drawn so far.
    pub drawn: usize,
}

/// What a progress line says, and since when.
struct Shown {
    id: u64,
    text: String,
    /// The round a benchmark helper is in (see [`step`]).
    step: Option<String>,
    since: Instant,
}

thread_local! {
    /// The progress line this thread opened last, for [`step`].
    static CURRENT: std::cell::RefCell<Option<(Weak<Inner>, u64)>> =
        const { std::cell::RefCell::new(None) };
}

/// Adds where a measurement is (`round 2 of 5`) to the progress line the
/// calling thread opened, if any: the benchmark helpers
/// ([`crate::bench`]) call it every round, so that a section only says
/// what it measures.
pub(crate) fn step(text: impl FnOnce() -> String) {
    let current = CURRENT.with_borrow(|current| current.clone());
    let Some((inner, id)) = current else {
        return;
    };
    let Some(inner) = inner.upgrade() else {
        return;
    };
    let mut state = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(shown) = state.progress.as_mut().filter(|p| p.id == id) {
        shown.step = Some(text());
        state.draw_progress(&inner);
    }
}

enum Sink {
    Stdout,
    Capture(String),
}

/// The columns of the progress line drawn on stdout now (0: none). One
/// per process, like stdout: a panic message must erase it first.
static DRAWN: AtomicUsize = AtomicUsize::new(0);

/// Erases the progress line from the terminal, if one is drawn, before
/// something else (a panic message, a watchdog's) is printed on stderr.
pub(crate) fn erase_progress() {
    let drawn = DRAWN.swap(0, Relaxed);
    if drawn > 0 {
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, "\r{}\r", " ".repeat(drawn)).and_then(|()| stdout.flush());
    }
}

/// A measurement's progress line: see [`Out::progress`]. It goes away when
/// dropped.
#[must_use = "the progress line goes away when this is dropped"]
pub struct Progress {
    out: Out,
    id: u64,
    since: Instant,
}

impl Progress {
    /// Says what the measurement is doing now: `round 3 of 5`.
    pub fn update(&self, text: impl Into<String>) {
        self.out.show_progress(self.id, text.into(), self.since);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        CURRENT.with_borrow_mut(|current| {
            if current.as_ref().is_some_and(|(_, id)| *id == self.id) {
                *current = None;
            }
        });
        let mut state = self.out.state();
        if state.progress.as_ref().is_some_and(|p| p.id == self.id) {
            state.progress = None;
            state.draw_progress(&self.out.inner);
        }
    }
}

impl Out {
    /// Output that goes to stdout, with colour when `color` is set, and
    /// progress lines if stdout is a terminal.
    pub fn stdout(color: bool) -> Self {
        let terminal = std::io::stdout().is_terminal();
        Self::new(Sink::Stdout, Values::Live, color, terminal)
    }

    /// Output captured in memory, with measured values redacted when
    /// `redact` is set. Read it back with [`Out::captured`].
    pub fn capture(redact: bool) -> Self {
        let values = if redact {
            Values::Redacted
        } else {
            Values::Live
        };
        Self::capture_values(values)
    }

    /// Output captured in memory, with measured values printed as `values`
    /// says.
    pub fn capture_values(values: Values) -> Self {
        Self::new(Sink::Capture(String::new()), values, false, false)
    }

    fn new(sink: Sink, values: Values, color: bool, terminal: bool) -> Self {
        let state = State {
            sink,
            origin: Instant::now(),
            held: None,
            progress: None,
            last_progress: 0,
            ticking: false,
            pictures: None,
        };
        Self {
            inner: Arc::new(Inner {
                values,
                color,
                terminal,
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
        self.inner.values == Values::Redacted
    }

    /// Prints text as it is; each line of a multi-line text is written
    /// whole. This is a result: it ends the progress line, if any.
    pub fn line(&self, text: impl AsRef<str>) {
        let mut state = self.state();
        state.progress = None;
        for line in text.as_ref().lines() {
            state.write(line, &self.inner);
        }
        if text.as_ref().is_empty() {
            state.write("", &self.inner);
        }
    }

    /// Shows what a measurement that takes a while is doing, on one line
    /// below the output that updates in place, with the time it has taken
    /// so far: `⋯ measuring: round 3 of 5, two threads under the GIL (4 s)`.
    ///
    /// Only live on a terminal: in a pipe, a file or a snapshot nothing of
    /// it appears, so it never changes what a lesson prints. Lines that
    /// threads [`say`](Out::say) scroll above it; the next other line (the
    /// result) ends it, and so does dropping the guard. Keep the text short
    /// (it is cut to fit 80 columns).
    ///
    /// ```
    /// let out = workshop::Out::capture(false);
    /// let progress = out.progress("measuring: round 1 of 3");
    /// for round in 2..=3 {
    ///     progress.update(format!("measuring: round {round} of 3"));
    /// }
    /// out.line("the result");
    /// assert_eq!(out.captured(), "the result\n");
    /// ```
    pub fn progress(&self, text: impl Into<String>) -> Progress {
        let id = {
            let mut state = self.state();
            state.last_progress += 1;
            state.last_progress
        };
        let progress = Progress {
            out: self.clone(),
            id,
            since: Instant::now(),
        };
        CURRENT.set(Some((Arc::downgrade(&self.inner), id)));
        progress.update(text);
        progress
    }

    fn show_progress(&self, id: u64, text: String, since: Instant) {
        if !self.inner.terminal {
            return;
        }
        let mut state = self.state();
        state.progress = Some(Shown {
            id,
            text,
            step: None,
            since,
        });
        state.draw_progress(&self.inner);
        if !state.ticking {
            state.ticking = true;
            start_ticking(Arc::downgrade(&self.inner));
        }
    }

    /// Prints a sentence or a paragraph reflowed to the page (78
    /// columns), so that a line with measured values in it still fits
    /// when they come out wide. See [`crate::text::reflow`].
    pub fn prose(&self, text: impl AsRef<str>) {
        self.line(crate::text::reflow(text.as_ref()));
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
    /// declared labels, because the bars depend on the scheduler. With
    /// `--pictures DIR`, also draws it as an SVG picture there (see
    /// [`Out::timelines`]).
    pub fn timeline(&self, timeline: &Timeline) {
        self.chart(timeline);
        self.picture(&[("", timeline)]);
    }

    /// Prints timelines one after another, each under its heading
    /// (`One after another:`), as [`Out::timeline`] does. With `--pictures
    /// DIR` they are drawn as one picture, on one time axis, so that the
    /// runs compare at a glance: `DIR/<lesson>-<section>.svg` (see
    /// [`svg::picture_file`]), captioned with the machine it was
    /// measured on.
    pub fn timelines(&self, panels: &[(&str, &Timeline)]) {
        for (i, (heading, timeline)) in panels.iter().enumerate() {
            if i > 0 {
                self.blank();
            }
            self.line(format!("{heading}:"));
            self.chart(timeline);
        }
        self.picture(panels);
    }

    fn chart(&self, timeline: &Timeline) {
        if self.redacted() {
            self.line(timeline.outline());
        } else {
            self.line(timeline.chart(self.inner.color));
        }
    }

    /// Draws the timelines as a picture, if `--pictures` asked for them, and
    /// says where (or why it could not).
    fn picture(&self, panels: &[(&str, &Timeline)]) {
        let (path, title, caption) = {
            let mut state = self.state();
            let Some(pictures) = state.pictures.as_mut() else {
                return;
            };
            pictures.drawn += 1;
            let file = svg::picture_file(pictures.lesson, pictures.section, pictures.drawn);
            let quick = if pictures.quick { " --quick" } else { "" };
            let caption = format!(
                "measured in this run of `{}{quick} --section {}`, on {}",
                pictures.lesson,
                pictures.section,
                svg::machine()
            );
            (pictures.dir.join(file), pictures.title, caption)
        };
        let picture = Timeline::picture(title, panels, &caption);
        let written = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .and_then(|()| std::fs::write(&path, picture));
        match written {
            Ok(()) => self.line(self.style(
                &format!("(drawn as a picture: {})", path.display()),
                Style::Dim,
            )),
            Err(error) => self.line(format!(
                "Could not draw the picture {} ({error}).",
                path.display()
            )),
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
            None => state.write(&line, &self.inner),
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
        let hold = self.redacted() && self.state().held.is_none();
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
            state.write(&line, &self.inner);
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

    /// Any other measured value, or `placeholder` in a snapshot. Use one
    /// of the placeholders of [`Values::Widest`]'s table where one fits
    /// (`[time]`, `[ratio]`, `[count]`, `[cores]`, `[%]`, `[rate]`,
    /// `[yes/no]`), so that the 80-column test sees its widest.
    pub fn measured(&self, value: impl Display, placeholder: &str) -> String {
        match self.inner.values {
            Values::Live => value.to_string(),
            Values::Redacted => placeholder.to_owned(),
            Values::Widest => {
                let width = widest(placeholder);
                format!("{value:>width$}")
            }
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

    /// A section's demonstration starts: restarts the clock that
    /// [`Out::say`] stamps lines with, and says where `--pictures` draws
    /// the section's timelines (`None`: nowhere).
    pub(crate) fn start_section(&self, pictures: Option<Pictures>) {
        let mut state = self.state();
        state.origin = Instant::now();
        state.pictures = pictures;
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
    /// Writes a line, above the progress line if there is one.
    fn write(&mut self, line: &str, inner: &Inner) {
        match &mut self.sink {
            Sink::Stdout => {
                let mut text = erasing();
                text.push_str(line);
                text.push('\n');
                text.push_str(&self.progress_text(inner));
                to_stdout(&text);
            }
            Sink::Capture(text) => {
                text.push_str(line.trim_end());
                text.push('\n');
            }
        }
    }

    /// Draws the progress line again, or erases it if there is none.
    fn draw_progress(&mut self, inner: &Inner) {
        if matches!(self.sink, Sink::Stdout) && inner.terminal {
            let text = erasing() + &self.progress_text(inner);
            to_stdout(&text);
        }
    }

    /// The progress line as it is drawn, and what it takes on the screen
    /// counted in [`DRAWN`]; empty without one.
    fn progress_text(&self, inner: &Inner) -> String {
        let Some(shown) = self.progress.as_ref().filter(|_| inner.terminal) else {
            return String::new();
        };
        let seconds = shown.since.elapsed().as_secs();
        let clock = if seconds > 0 {
            format!(" ({seconds} s)")
        } else {
            String::new()
        };
        let full = match &shown.step {
            Some(step) => format!("{}: {step}", shown.text),
            None => shown.text.clone(),
        };
        // One column short of the page, so the terminal never wraps it.
        let room = PAGE_WIDTH + 1 - "  ⋯ ".chars().count() - clock.chars().count();
        let mut text: String = full.chars().take(room).collect();
        if text.chars().count() < full.chars().count() {
            text.pop();
            text.push('…');
        }
        let line = format!("  ⋯ {text}{clock}");
        DRAWN.store(line.chars().count(), Relaxed);
        Colors::new(inner.color).paint(&line, Style::Dim)
    }
}

/// What erases the progress line drawn now: back to the start of the line,
/// spaces over it, back again. Only a carriage return, which every
/// terminal understands, Windows' console included.
fn erasing() -> String {
    match DRAWN.swap(0, Relaxed) {
        0 => String::new(),
        drawn => format!("\r{}\r", " ".repeat(drawn)),
    }
}

/// Writes to stdout, whole. If stdout is closed (`| head` has read what it
/// wanted), the lesson has no one left to talk to: it ends quietly.
fn to_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
        crate::process::exit_now(0);
    }
}

/// Ends the program quietly as soon as its stdout is closed, without
/// waiting for its next line: `cargo run -p pools | head` must not measure
/// for a minute for nobody. On Unix a thread waits in `poll(2)` for the
/// error a pipe reports once its reader is gone; elsewhere the next line
/// written ends it ([`to_stdout`]). A lesson's helper process ends the same
/// way when the lesson that reads it is gone.
pub fn end_when_stdout_closes() {
    #[cfg(unix)]
    {
        let watch = || {
            loop {
                let mut stdout = libc::pollfd {
                    fd: libc::STDOUT_FILENO,
                    events: 0,
                    revents: 0,
                };
                // SAFETY: one valid `pollfd`, and the count says one. Asking
                // for no events waits for errors and hang-ups only.
                let ready = unsafe { libc::poll(&mut stdout, 1, -1) };
                if ready > 0 && stdout.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
                    crate::process::exit_now(0);
                }
                if ready < 0 || stdout.revents & libc::POLLNVAL != 0 {
                    return; // no stdout to watch
                }
            }
        };
        // Without the watch the next line still ends the program.
        let _ = std::thread::Builder::new()
            .name("stdout".into())
            .spawn(watch);
    }
}

/// Redraws the progress line's clock while the output lives.
fn start_ticking(inner: Weak<Inner>) {
    let tick = move || {
        let mut last = (0, 0);
        while let Some(inner) = inner.upgrade() {
            {
                let mut state = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
                let now = state
                    .progress
                    .as_ref()
                    .map(|p| (p.id, p.since.elapsed().as_secs()));
                // Only when the clock moved: redrawing costs a flicker.
                if let Some(now) = now.filter(|&now| now != last) {
                    state.draw_progress(&inner);
                    last = now;
                }
            }
            drop(inner);
            std::thread::sleep(TICK);
        }
    };
    // Without the clock the progress line still shows, only not its time.
    let _ = std::thread::Builder::new()
        .name("progress".into())
        .spawn(tick);
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
