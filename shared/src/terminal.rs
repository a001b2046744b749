//! For tests: a lesson (or `cargo xtask`) run in a pseudo-terminal, as a
//! learner's terminal runs it, so that what only happens on a terminal can
//! be checked: progress lines, colour by default, `--pause` waiting for
//! Enter, Ctrl-C, `cargo xtask watch` answering a save and its keys.
//!
//! Two ways to drive it: [`run`] types a fixed list of keys, each when its
//! cue appears, and returns once the program ends; [`start`] leaves the
//! program running as a [`Live`] session, which the test reads and types
//! into as it goes, doing other things (saving a file) in between.
//!
//! The standard library cannot open a pseudo-terminal, and a crate for it
//! would be a heavy dependency for a few tests; CPython's `pty` module
//! (Linux and macOS) drives the program instead, found by
//! [`crate::python::find`]. Where there is none, [`run`] and [`start`] say
//! so and the test decides (the workshop's tests skip with a note, except
//! under CI).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::process::Tracked;

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
/// the keys when their cue appears and whatever arrives on its own stdin,
/// passes on what the program prints as it comes, reports long silences
/// on stderr, and ends with the program's exit code.
const DRIVER: &str = r#"
import json, os, pty, select, signal, sys, time
keys, limit, silence = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[4], sys.argv[4:])
sys.stderr.write('PID %d\n' % pid)
sys.stderr.flush()
out, seen, last = bytearray(), 0, time.monotonic()
deadline = last + limit
typed = [fd, 0]
def pump(cue):
    global seen, last
    while time.monotonic() < deadline:
        text = out.decode('utf-8', 'replace')
        if cue is not None and cue in text[seen:]:
            seen += text[seen:].index(cue) + len(cue)
            return True
        ready, _, _ = select.select(typed, [], [], 0.05)
        if 0 in ready:
            key = os.read(0, 1024)
            if key:
                os.write(fd, key)
            else:
                typed.remove(0)
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
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    return False
finished = all(pump(cue) and os.write(fd, key.encode()) for cue, key in keys) and pump(None)
if not finished:
    os.kill(pid, signal.SIGKILL)
    sys.stderr.write('TIMEOUT\n')
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
sys.exit(code if finished else 124)
"#;

/// The driver's command: `program` with `args`, in a pseudo-terminal,
/// typing `keys` on their cues, stopped after `limit`.
fn driver(
    program: &Path,
    args: &[&std::ffi::OsStr],
    keys: &[(&str, &str)],
    silences: Option<Duration>,
    limit: Duration,
) -> Result<Command, String> {
    let python = crate::python::find().map_err(|not_found| not_found.to_string())?;
    let keys: Vec<String> = keys
        .iter()
        .map(|(cue, key)| format!("[{},{}]", json(cue), json(key)))
        .collect();
    let mut command: Command = python.command();
    command
        .args(["-c", DRIVER])
        .arg(format!("[{}]", keys.join(",")))
        .arg(limit.as_secs_f64().to_string())
        .arg(silences.map_or(0.0, |s| s.as_secs_f64()).to_string())
        .arg(program)
        .args(args);
    Ok(command)
}

/// What the driver's stderr means when it could not run at all.
fn no_pty(stderr: &str) -> Option<String> {
    let missing = stderr.contains("ModuleNotFoundError") || stderr.contains("No module named");
    missing.then(|| match crate::python::find() {
        Ok(python) => format!("{} has no pty module here", python.name()),
        Err(_) => "no Python here".to_owned(),
    })
}

/// Runs the program in a pseudo-terminal. `Err` says why that cannot be
/// done here (no CPython, or no `pty` module, as on Windows).
pub fn run(how: &Run<'_>) -> Result<Session, String> {
    let args: Vec<&std::ffi::OsStr> = how.args.iter().map(|a| a.as_ref()).collect();
    let mut command = driver(how.program, &args, how.keys, how.silences, how.limit)?;
    for (name, value) in how.env {
        command.env(name, value);
    }
    let limit = how.limit + Duration::from_secs(10);
    let output = crate::process::output_with_limit(&mut command, limit)
        .map_err(|e| format!("cannot run the terminal driver: {e}"))?
        .ok_or("the terminal driver did not end")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if let Some(why) = no_pty(&stderr) {
        return Err(why);
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

/// A program running in a pseudo-terminal, started by [`start`]: the test
/// reads what it has printed so far, types into it when it likes, and
/// waits for it to end. Dropping it stops the driver, which hangs up the
/// terminal: the program gets its `SIGHUP`.
pub struct Live {
    driver: Tracked,
    keys: ChildStdin,
    /// Everything the program printed, as bytes (a character can span two
    /// reads).
    printed: Arc<Mutex<Vec<u8>>>,
    /// What the driver wrote on stderr, after the program's id.
    driver_said: Arc<Mutex<String>>,
    id: u32,
}

/// Starts `command` (its program, arguments, environment and folder) in a
/// pseudo-terminal, as a [`Live`] session; the driver stops it after
/// `limit`. `Err` says why that cannot be done here, as [`run`]'s does.
pub fn start(command: &Command, limit: Duration) -> Result<Live, String> {
    let args: Vec<&std::ffi::OsStr> = command.get_args().collect();
    let program = Path::new(command.get_program());
    let mut driver = driver(program, &args, &[], None, limit)?;
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => driver.env(name, value),
            None => driver.env_remove(name),
        };
    }
    if let Some(folder) = command.get_current_dir() {
        driver.current_dir(folder);
    }
    driver
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut tracked = crate::process::spawn(&mut driver)
        .map_err(|e| format!("cannot run the terminal driver: {e}"))?;
    let (keys, stdout, stderr) = match (
        tracked.stdin.take(),
        tracked.stdout.take(),
        tracked.stderr.take(),
    ) {
        (Some(keys), Some(stdout), Some(stderr)) => (keys, stdout, stderr),
        _ => return Err("the terminal driver's pipes are missing".into()),
    };
    let printed = Arc::new(Mutex::new(Vec::new()));
    let shown = Arc::clone(&printed);
    thread::spawn(move || keep_reading(stdout, &shown));
    let (id, driver_said) = program_id(stderr)?;
    Ok(Live {
        driver: tracked,
        keys,
        printed,
        driver_said,
        id,
    })
}

/// Appends everything `pipe` gives to `into`, until it closes.
fn keep_reading(mut pipe: impl Read, into: &Mutex<Vec<u8>>) {
    let mut bytes = [0; 4096];
    while let Ok(n @ 1..) = pipe.read(&mut bytes) {
        lock(into).extend_from_slice(&bytes[..n]);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A reader thread only appends: what it appended is still there.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The program's process id, the driver's first line on stderr; the rest
/// of its stderr is kept, to explain a driver that fails.
fn program_id(stderr: impl Read + Send + 'static) -> Result<(u32, Arc<Mutex<String>>), String> {
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let Some(id) = first.strip_prefix("PID ").and_then(|n| n.parse().ok()) else {
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        let said = format!("{first}\n{}", rest.join("\n"));
        return Err(no_pty(&said).unwrap_or(format!("the terminal driver failed: {said}")));
    };
    let said = Arc::new(Mutex::new(String::new()));
    let kept = Arc::clone(&said);
    thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            lock(&kept).push_str(&(line + "\n"));
        }
    });
    Ok((id, said))
}

impl Live {
    /// The program's process id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// How much it has printed so far, in bytes: a place to read from
    /// later ([`Live::since`]).
    pub fn printed(&self) -> usize {
        lock(&self.printed).len()
    }

    /// What it printed after `from` bytes, as text.
    pub fn since(&self, from: usize) -> String {
        let printed = lock(&self.printed);
        String::from_utf8_lossy(printed.get(from..).unwrap_or_default()).into_owned()
    }

    /// Types `keys` (`"q"`; `"\x03"` is Ctrl-C).
    pub fn press(&mut self, keys: &str) -> io::Result<()> {
        self.keys.write_all(keys.as_bytes())?;
        self.keys.flush()
    }

    /// Waits until what was printed after `from` contains every one of
    /// `wanted`, and says when that was first seen; `Err` (with what was
    /// printed) once `limit` has passed or the program has ended.
    pub fn wait_for(
        &mut self,
        from: usize,
        wanted: &[&str],
        limit: Duration,
    ) -> Result<Instant, String> {
        let what = format!("{wanted:?}");
        let all = |text: &str| wanted.iter().all(|w| text.contains(w));
        self.wait_until(from, &what, &all, limit)
    }

    /// Waits until `seen` holds for what was printed after `from` (a text
    /// that `what` describes, for the error); see [`Live::wait_for`].
    pub fn wait_until(
        &mut self,
        from: usize,
        what: &str,
        seen: &dyn Fn(&str) -> bool,
        limit: Duration,
    ) -> Result<Instant, String> {
        let began = Instant::now();
        loop {
            let text = self.since(from);
            if seen(&text) {
                return Ok(Instant::now());
            }
            let ended = self.driver.try_wait().ok().flatten();
            if ended.is_some() || began.elapsed() > limit {
                // The last of its output may still be in the pipe.
                thread::sleep(Duration::from_millis(100));
                let how = match ended {
                    Some(status) => format!("it ended ({status})"),
                    None => format!("{} passed", crate::units::duration(limit)),
                };
                return Err(format!(
                    "no {what} before {how}; it printed:\n{}{}",
                    self.since(from),
                    lock(&self.driver_said)
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits up to `limit` for the program to end, and returns its exit
    /// code; `Err` if it is still running then (it is stopped).
    pub fn wait(&mut self, limit: Duration) -> Result<Option<i32>, String> {
        match self.driver.wait_with_limit(limit) {
            Ok(Some(status)) => Ok(status.code()),
            Ok(None) => Err(format!(
                "still running after {}; it printed:\n{}",
                crate::units::duration(limit),
                self.since(0)
            )),
            Err(e) => Err(format!("cannot wait for the terminal driver: {e}")),
        }
    }
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
    fn a_live_session_is_read_and_typed_into_as_it_runs() {
        let mut command = Command::new("sh");
        command
            .args([
                "-c",
                "test -t 0 && echo \"tty in $PWD\"; read a; echo \"got $a $X\"; exit 4",
            ])
            .current_dir("/")
            .env("X", "x");
        let mut live = match start(&command, Duration::from_secs(20)) {
            Ok(live) => live,
            Err(why) => return unavailable(&why),
        };
        assert!(live.id() > 0);
        let limit = Duration::from_secs(10);
        live.wait_for(0, &["tty in /"], limit).unwrap();
        let from = live.printed();
        live.press("yes\n").unwrap();
        live.wait_for(from, &["got yes x"], limit).unwrap();
        assert_eq!(live.wait(limit), Ok(Some(4)));
        let waited = live.wait_for(from, &["never printed"], limit);
        assert!(waited.unwrap_err().contains("it ended"));
    }

    #[test]
    fn keys_are_quoted_for_the_driver() {
        assert_eq!(json("a\"b\\\n\u{3}"), "\"a\\\"b\\\\\\u000a\\u0003\"");
    }
}
