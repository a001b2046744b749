//! For tests: a lesson (or `cargo xtask`) run in a pseudo-terminal, as a
//! learner's terminal runs it, so that what only happens on a terminal can
//! be checked: progress lines, colour by default, `--pause` waiting for
//! Enter, Ctrl-C.
//!
//! The standard library cannot open a pseudo-terminal, and a crate for it
//! would be a heavy dependency for a few tests; CPython's `pty` module
//! (Linux and macOS) drives the program instead, found by
//! [`crate::python::find`]. Where there is none, [`run`] says so and the
//! test decides (the workshop's tests skip with a note, except under CI).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What a program printed in the terminal (stdout and stderr together, as
/// a terminal shows them, with `\r\n` line ends), and how it ended.
#[derive(Debug)]
pub struct Session {
    /// Everything the program wrote, as text.
    pub output: String,
    /// Its exit code (128 + the signal's number if a signal ended it).
    pub code: Option<i32>,
    /// Each silence longer than asked for ([`Run::silences`]): how long,
    /// and the last text before it.
    pub silences: Vec<String>,
}

/// How to run a program in a terminal: see [`run`].
pub struct Run<'a> {
    /// The program.
    pub program: &'a Path,
    /// Its arguments.
    pub args: &'a [&'a str],
    /// Environment variables to set for it (an empty value sets it empty).
    pub env: &'a [(&'a str, &'a str)],
    /// What to type, each once the output shows the text before it:
    /// `("Enter:", "\n")`. `"\x03"` is Ctrl-C.
    pub keys: &'a [(&'a str, &'a str)],
    /// Report every silence longer than this (no output at all: a
    /// progress line's clock counts as output).
    pub silences: Option<Duration>,
    /// The program is stopped after this long.
    pub limit: Duration,
}

/// The driver, in CPython: runs the program in a pseudo-terminal, types
/// the keys when their cue appears, and reports long silences on stderr.
const DRIVER: &str = r#"
import json, os, pty, select, signal, sys, time
keys, limit, silence = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[4], sys.argv[4:])
out, seen, last = bytearray(), 0, time.monotonic()
deadline = last + limit
def pump(cue):
    global seen, last
    while time.monotonic() < deadline:
        text = out.decode('utf-8', 'replace')
        if cue is not None and cue in text[seen:]:
            seen += text[seen:].index(cue) + len(cue)
            return True
        ready, _, _ = select.select([fd], [], [], 0.05)
        if fd not in ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b''
        if not chunk:
            return cue is None
        now = time.monotonic()
        if silence > 0 and now - last > silence:
            before = out.decode('utf-8', 'replace').rstrip().splitlines()[-1:] or ['']
            sys.stderr.write('SILENCE %.1f s after: %s\n' % (now - last, before[0].strip()[-70:]))
        last = now
        out.extend(chunk)
    return False
finished = all(pump(cue) and os.write(fd, key.encode()) for cue, key in keys) and pump(None)
if not finished:
    os.kill(pid, signal.SIGKILL)
    sys.stderr.write('TIMEOUT\n')
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
sys.exit(code if finished else 124)
"#;

/// Runs the program in a pseudo-terminal. `Err` says why that cannot be
/// done here (no CPython, or no `pty` module, as on Windows).
pub fn run(how: &Run<'_>) -> Result<Session, String> {
    let python = crate::python::find().map_err(|not_found| not_found.to_string())?;
    let keys: Vec<String> = how
        .keys
        .iter()
        .map(|(cue, key)| format!("[{},{}]", json(cue), json(key)))
        .collect();
    let mut command: Command = python.command();
    command
        .args(["-c", DRIVER])
        .arg(format!("[{}]", keys.join(",")))
        .arg(how.limit.as_secs_f64().to_string())
        .arg(how.silences.map_or(0.0, |s| s.as_secs_f64()).to_string())
        .arg(how.program)
        .args(how.args);
    for (name, value) in how.env {
        command.env(name, value);
    }
    let limit = how.limit + Duration::from_secs(10);
    let output = crate::process::output_with_limit(&mut command, limit)
        .map_err(|e| format!("cannot run {}: {e}", python.name()))?
        .ok_or("the terminal driver did not end")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("ModuleNotFoundError") || stderr.contains("No module named") {
        return Err(format!("{} has no pty module here", python.name()));
    }
    if stderr.contains("TIMEOUT") {
        return Err(format!(
            "still running after {} in the terminal; it printed:\n{}",
            crate::units::duration(how.limit),
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    Ok(Session {
        output: String::from_utf8_lossy(&output.stdout).into_owned(),
        code: output.status.code(),
        silences: stderr
            .lines()
            .filter_map(|l| l.strip_prefix("SILENCE "))
            .map(str::to_owned)
            .collect(),
    })
}

/// A JSON string literal: the driver's arguments.
fn json(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if (c as u32) < 0x20 => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A test that needs a terminal, where there is none: skipped with a
/// note, except under CI, which must have CPython.
#[track_caller]
pub fn unavailable(why: &str) {
    assert!(
        std::env::var_os("CI").is_none() || cfg!(windows),
        "CI must be able to run a pseudo-terminal: {why}"
    );
    eprintln!("not checked in a terminal: {why}");
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_program_sees_a_terminal_and_gets_its_keys() {
        let script = "test -t 0 && test -t 1 && echo tty; read answer; echo got $answer; exit 3";
        let session = run(&Run {
            program: Path::new("sh"),
            args: &["-c", script],
            env: &[],
            keys: &[("tty", "yes\n")],
            silences: None,
            limit: Duration::from_secs(20),
        });
        let session = match session {
            Ok(session) => session,
            Err(why) => return unavailable(&why),
        };
        assert!(session.output.contains("got yes"), "{session:?}");
        assert_eq!(session.code, Some(3));
    }

    #[test]
    fn long_silences_are_reported() {
        let session = run(&Run {
            program: Path::new("sh"),
            args: &["-c", "echo before; sleep 1; echo after"],
            env: &[],
            keys: &[],
            silences: Some(Duration::from_millis(500)),
            limit: Duration::from_secs(20),
        });
        match session {
            Ok(session) => {
                assert_eq!(session.silences.len(), 1, "{session:?}");
                assert!(
                    session.silences[0].ends_with("after: before"),
                    "{session:?}"
                );
            }
            Err(why) => unavailable(&why),
        }
    }

    #[test]
    fn keys_are_quoted_for_the_driver() {
        assert_eq!(json("a\"b\\\n\u{3}"), "\"a\\\"b\\\\\\u000a\\u0003\"");
    }
}
