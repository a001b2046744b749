//! `cargo xtask all` as the room uses it: in a terminal with `--pause`
//! (Enter goes on, q stops with the summary), interrupted with Ctrl-C (the
//! summary so far, exit code 130, no lesson left running), and piped, where
//! `--pause` is ignored with a note.
//!
//! Each test starts the real runner, which builds the lessons (already
//! built by `cargo test`, so cargo only checks) and runs them `--quick`.
//! They take turns: each checks that no lesson process is left when it
//! ends, which another test's lessons would spoil.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError, mpsc};
use std::time::Duration;

use workshop::terminal::{self, Run, Session};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

/// One runner at a time (see the module's docs).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `xtask all` with `args` in a pseudo-terminal, typing `keys`.
fn all_in_a_terminal(args: &[&str], keys: &[(&str, &str)]) -> Option<Session> {
    let args = [&["all"][..], args].concat();
    let session = terminal::run(&Run {
        program: Path::new(XTASK),
        args: &args,
        env: &[],
        keys,
        silences: None,
        limit: Duration::from_secs(240),
    });
    match session {
        Ok(session) => Some(session),
        Err(why) => {
            terminal::unavailable(&why);
            None
        }
    }
}

/// The lesson processes running now from this target directory (Linux
/// only: elsewhere the list is empty).
fn lessons_running() -> Vec<String> {
    let Some(binaries) = Path::new(XTASK).parent() else {
        return Vec::new();
    };
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    processes
        .flatten()
        .filter_map(|process| std::fs::read_link(process.path().join("exe")).ok())
        .filter(|exe| exe.parent() == Some(binaries) && exe != Path::new(XTASK))
        .map(|exe| exe.display().to_string())
        .collect()
}

/// An ending of `xtask all` in a terminal: its exit code and what it shows.
struct Ending<'a> {
    code: i32,
    shows: &'a [&'a str],
}

/// Runs `xtask all` with `args` in a pseudo-terminal, typing `keys`, and
/// checks that it ends as `expected` with no lesson left running; returns
/// what it showed (`None` where no pseudo-terminal is available).
fn all_ends(args: &[&str], keys: &[(&str, &str)], expected: Ending) -> Option<String> {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let session = all_in_a_terminal(args, keys)?;
    let shown = session.output;
    assert_eq!(session.code, Some(expected.code), "{shown}");
    for text in expected.shows {
        assert!(shown.contains(text), "no {text:?} in:\n{shown}");
    }
    assert_eq!(lessons_running(), Vec::<String>::new());
    Some(shown)
}

#[test]
fn pause_waits_for_enter_and_q_stops_with_the_summary() {
    let keys = [
        ("Enter: next section", "\n"),
        ("Enter: next section", "q\n"),
    ];
    // Enter goes on to the second section; q stops in the second pause.
    let stopped = Ending {
        code: 0,
        shows: &[
            "── 2/",
            "stopped at a pause (q)",
            "02-refcounting  not run",
            "Stopped at a pause in lesson 1 of ",
        ],
    };
    if let Some(shown) = all_ends(&["--quick", "--pause"], &keys, stopped) {
        assert!(!shown.contains("── 3/"), "{shown}");
    }
}

#[test]
fn ctrl_c_prints_the_summary_so_far_and_exits_130() {
    // Ctrl-C as soon as the second lesson starts.
    let keys = [("━━ Lesson 02", "\x03")];
    let interrupted = Ending {
        code: 130,
        shows: &[
            "01-sleeper      ok",
            "interrupted (Ctrl-C)",
            "03-gil          not run",
            "Interrupted (Ctrl-C) in lesson 2 of ",
        ],
    };
    all_ends(&["--quick"], &keys, interrupted);
}

#[test]
fn piped_pause_is_ignored_with_a_note_and_a_closed_pipe_ends_the_run() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let mut command = Command::new(XTASK);
    command
        .args(["all", "--quick", "--pause"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut runner = workshop::process::Tracked::spawn(&mut command).expect("xtask starts");
    let stdout = runner.stdout.take().expect("piped");
    let mut stderr = runner.stderr.take().expect("piped");
    let (lines, seen) = mpsc::channel();
    // Reads until the second section starts (nobody pressed Enter), then
    // closes the pipe, as `| head` does.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("── 2/") {
                let _ = lines.send(line);
                return;
            }
        }
    });
    let second = seen.recv_timeout(Duration::from_secs(120));
    assert!(
        second.is_ok(),
        "the first lesson did not go on to its second section"
    );
    let status = runner
        .wait_with_limit(Duration::from_secs(30))
        .expect("xtask is waited for");
    assert!(
        status.is_some(),
        "xtask went on for 30 s after its output was closed"
    );
    let mut errors = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut errors).expect("stderr is read");
    assert!(
        errors.contains(
            "note: --pause is ignored: stdin is not a terminal, so nobody can press Enter"
        ),
        "{errors}"
    );
    assert_eq!(lessons_running(), Vec::<String>::new());
}
