//! Child processes with a time limit: a lesson that starts a copy of itself,
//! a test that runs a lesson binary, and `cargo xtask all` all need a child
//! that cannot hang them.

use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How often a waiting parent looks at its child.
const POLL: Duration = Duration::from_millis(10);

/// Waits for `child` up to `limit`; past it, kills the child and returns
/// `None`.
pub fn wait_with_limit(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            return Ok(None);
        }
        thread::sleep(POLL);
    }
}

/// Starts `command`; if it cannot start, the error names the program (and
/// keeps its kind, so that `NotFound` still says "not installed").
pub fn spawn(command: &mut Command) -> io::Result<Child> {
    command.spawn().map_err(|e| {
        let program = command.get_program().to_string_lossy().into_owned();
        io::Error::new(e.kind(), format!("cannot start {program}: {e}"))
    })
}

/// Runs `command` to completion with its stdout and stderr captured, or
/// kills it after `limit` and returns `None`.
///
/// Both pipes are drained on their own threads while the parent waits: a
/// child that fills a pipe nobody reads would block forever.
pub fn output_with_limit(command: &mut Command, limit: Duration) -> io::Result<Option<Output>> {
    let mut child = spawn(
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                // A read error leaves what was read so far; that is all there is.
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = wait_with_limit(&mut child, limit)?;
    let collect = |reader: thread::JoinHandle<Vec<u8>>| reader.join().unwrap_or_default();
    let (stdout, stderr) = (collect(stdout), collect(stderr));
    Ok(status.map(|status| Output {
        status,
        stdout,
        stderr,
    }))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_program_that_cannot_start_is_named() {
        let missing = "/nowhere/no-such-lesson";
        let error = output_with_limit(&mut Command::new(missing), Duration::from_secs(1))
            .expect_err("nothing to start");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert!(
            error
                .to_string()
                .starts_with("cannot start /nowhere/no-such-lesson: "),
            "{error}"
        );
    }

    #[test]
    fn a_quick_child_is_captured() {
        let output = output_with_limit(
            Command::new("sh").args(["-c", "echo out; echo err >&2"]),
            Duration::from_secs(10),
        )
        .unwrap()
        .expect("finished in time");
        assert!(output.status.success());
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
    }

    #[test]
    fn a_child_past_its_limit_is_killed() {
        let start = Instant::now();
        let output =
            output_with_limit(Command::new("sleep").arg("30"), Duration::from_millis(200)).unwrap();
        assert!(output.is_none());
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
