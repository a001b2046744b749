//! `cargo xtask watch [LESSON]`: the learner's loop. Checks the lesson
//! (without one named, the first with work left), then checks again each
//! time its `src/exercises.rs` is saved, and redraws the screen: the
//! current exercise, what failed, its warnings, the progress bar and the
//! keys (`h` hint, `n` next, `l` list, `r` check again, `q` quit).
//!
//! The loop follows rustlings' watch mode: three sources of events (the
//! keys, on a thread of their own; the file, polled here; the check, on a
//! thread while it runs) become [`state::Message`]s, and [`state::State`]
//! decides and draws. The file is polled (its modification time, size and
//! contents, four times a second) rather than watched with a crate such as
//! `notify`: one file, a few reads a second, no CPU to speak of, and the same
//! on every platform, inside containers and on network drives, with no
//! dependency to build; a file watcher would save at most a quarter of a
//! second after a save, on a check that takes one or two.

mod state;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use workshop::style::Colors;

use crate::arguments::Arguments;
use crate::exercise_tests::{self, Against, Options};
use crate::failure::{CommandResult, Failure};
use crate::lessons::{self, LessonCrate};
use crate::project;
use crate::terminal::{self, CLEAR, Key, RawMode};
use crate::test_processes::Cancel;
use state::{Effect, Message, State};

/// How often the file is looked at.
const POLL: Duration = Duration::from_millis(250);

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let arguments = Arguments::parse("watch", args, &[])?;
    let named = match arguments.positional[..] {
        [] => None,
        [name] => Some(lessons::find(name)?),
        [_, extra, ..] => return Err(Failure::Usage(format!("unexpected argument `{extra}`"))),
    };
    if !terminal::someone_can_answer() {
        return Err(Failure::Usage(
            "watch needs a terminal (it reads keys); elsewhere use `cargo xtask check`".into(),
        ));
    }
    let lessons = lessons::all()?;
    let at = named
        .and_then(|n| lessons.iter().position(|l| l.folder == n.folder))
        .map_or((0, true), |at| (at, false));
    let colors = Colors::for_stdout();
    let state = State::new(lessons, at.0, at.1, colors);
    let raw = RawMode::enter()
        .map_err(|e| Failure::Broken(format!("cannot read keys from this terminal: {e}")))?;
    let watched = watch(state, colors);
    drop(raw);
    watched?;
    println!(
        "\nStopped watching. Your work is in the files: `cargo xtask watch` goes on from there."
    );
    Ok(ExitCode::SUCCESS)
}

/// A check running on its own thread.
struct Running {
    cancel: Cancel,
    thread: JoinHandle<()>,
}

/// The event loop, until the learner quits.
fn watch(mut state: State, colors: Colors) -> Result<(), Failure> {
    let (events, messages) = mpsc::channel();
    read_keys(events.clone());
    let mut running: Option<Running> = None;
    let mut watched = state.lesson().exercises_file();
    let mut seen = project::fingerprint(&watched);
    let mut effects = state.start();
    let mut shown = String::new();
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Check => running = Some(check(state.lesson(), colors, &events)),
                Effect::Quit => {
                    stop(running.take());
                    return Ok(());
                }
            }
        }
        let screen = state.render();
        if screen != shown {
            // Clearing is what makes a screen flicker: only for a change.
            draw(&screen);
            shown = screen;
        }
        let message = loop {
            match messages.recv_timeout(POLL) {
                Ok(message) => break message,
                Err(RecvTimeoutError::Timeout) => {
                    if watched != state.lesson().exercises_file() {
                        watched = state.lesson().exercises_file();
                        seen = project::fingerprint(&watched);
                    }
                    let now = project::fingerprint(&watched);
                    if now != seen {
                        seen = now;
                        break Message::Saved;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        };
        if matches!(message, Message::Checked(_)) {
            running = None;
        }
        effects = state.update(message);
    }
}

/// Keys, read on a thread of their own for as long as the program runs.
fn read_keys(events: Sender<Message>) {
    thread::spawn(move || {
        loop {
            let key = terminal::read_key().unwrap_or(Key::Interrupt);
            if events.send(Message::Key(key)).is_err() || key == Key::Interrupt {
                break;
            }
        }
    });
}

/// Starts a check of `lesson` on its own thread; its progress and its
/// result come back as messages.
fn check(lesson: &LessonCrate, colors: Colors, events: &Sender<Message>) -> Running {
    let cancel = Cancel::default();
    let options = Options {
        colors: colors.on(),
        cancel: cancel.clone(),
        ..Options::new(Against::Learner)
    };
    let (lesson, events) = (lesson.clone(), events.clone());
    let thread = thread::spawn(move || {
        let progress = events.clone();
        let result = exercise_tests::run(&lesson, &options, &mut |stage| {
            let _ = progress.send(Message::Stage(stage));
        });
        let _ = events.send(Message::Checked(result));
    });
    Running { cancel, thread }
}

/// Stops a running check: it kills what it started, within milliseconds.
fn stop(running: Option<Running>) {
    let Some(running) = running else {
        return;
    };
    running.cancel.store(true, Relaxed);
    let asked = Instant::now();
    while !running.thread.is_finished() && asked.elapsed() < Duration::from_secs(3) {
        thread::sleep(Duration::from_millis(10));
    }
}

fn draw(screen: &str) {
    let mut stdout = io::stdout().lock();
    let _ = write!(stdout, "{CLEAR}{screen}");
    let _ = stdout.flush();
}
