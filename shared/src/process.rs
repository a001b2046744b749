//! Child processes with a time limit, that never outlive the program that
//! started them: a lesson that starts a copy of itself or CPython, a test
//! that runs a lesson binary, and `cargo xtask all` all need a child that
//! cannot hang them, and none may leave one running when it ends early.
//!
//! A child started with [`Tracked::spawn`] (or [`output_with_limit`]) is
//! kept in a list until it has been waited for. When the program must end
//! at once (its output was closed, as by `| head`; its watchdog gave up;
//! Ctrl-C), [`exit_now`] stops every child still on the list first. Only
//! the standard library is needed: the list holds each child's
//! [`std::process::Child`], and `Child::kill` works on every platform.

use std::io::{self, Read};
use std::process::Stdio;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Output};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How often a waiting parent looks at its child.
const POLL: Duration = Duration::from_millis(10);

/// The children started and not yet waited for, by process id.
static RUNNING: Mutex<Vec<(u32, Child)>> = Mutex::new(Vec::new());

fn running() -> MutexGuard<'static, Vec<(u32, Child)>> {
    // Nothing panics while holding the lock; if something did, the list is
    // still a list of children to stop.
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A child process on the list of those to stop if the program ends
/// early. Its pipes are taken out, as `Child`'s are; dropping it stops the
/// child if it is still running, so a child never outlives its handle.
#[derive(Debug)]
pub struct Tracked {
    id: u32,
    /// The child's stdin, if it was piped.
    pub stdin: Option<ChildStdin>,
    /// The child's stdout, if it was piped.
    pub stdout: Option<ChildStdout>,
    /// The child's stderr, if it was piped.
    pub stderr: Option<ChildStderr>,
    status: Option<ExitStatus>,
}

impl Tracked {
    /// Starts `command`, as [`Command::spawn`] does, and keeps it on the
    /// list. [`spawn`] also names the program in its error.
    pub fn spawn(command: &mut Command) -> io::Result<Tracked> {
        let mut child = command.spawn()?;
        let id = child.id();
        let tracked = Tracked {
            id,
            stdin: child.stdin.take(),
            stdout: child.stdout.take(),
            stderr: child.stderr.take(),
            status: None,
        };
        running().push((id, child));
        Ok(tracked)
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Waits for the child up to `limit`; past it, kills the child and
    /// returns `None`.
    pub fn wait_with_limit(&mut self, limit: Duration) -> io::Result<Option<ExitStatus>> {
        self.wait_until(limit, &|| false)
    }

    /// [`Tracked::wait_with_limit`], which also kills the child and returns
    /// `None` as soon as `stop()` says so (it is asked every few
    /// milliseconds).
    pub fn wait_until(
        &mut self,
        limit: Duration,
        stop: &dyn Fn() -> bool,
    ) -> io::Result<Option<ExitStatus>> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() >= deadline || stop() {
                self.kill()?;
                return Ok(None);
            }
            thread::sleep(POLL);
        }
    }

    /// Waits for the child however long it takes: for a child that keeps
    /// its own time limits, such as `cargo test`. (If [`exit_now`] stops it
    /// meanwhile, the program ends with it.)
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(status);
            }
            thread::sleep(POLL);
        }
    }

    /// The exit status, if the child has ended (it leaves the list then).
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        if self.status.is_some() {
            return Ok(self.status);
        }
        let mut running = running();
        let Some(index) = running.iter().position(|(id, _)| *id == self.id) else {
            return Ok(None);
        };
        let status = running[index].1.try_wait()?;
        if status.is_some() {
            running.swap_remove(index);
            self.status = status;
        }
        Ok(status)
    }

    /// Kills the child and waits for it to be gone.
    pub fn kill(&mut self) -> io::Result<()> {
        let child = {
            let mut running = running();
            let index = running.iter().position(|(id, _)| *id == self.id);
            index.map(|i| running.swap_remove(i).1)
        };
        if let Some(mut child) = child {
            // It may have ended by itself meanwhile; either way it is gone.
            let _ = child.kill();
            self.status = Some(child.wait()?);
        }
        Ok(())
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.kill();
        }
    }
}

/// Kills every child still on the list, and waits for each. Private: only
/// [`exit_now`] may, since a handle whose child is gone from the list would
/// wait for it for ever.
fn stop_all() {
    let children: Vec<(u32, Child)> = running().drain(..).collect();
    for (_, mut child) in children {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Ends the program at once with `code`, after stopping its children (see
/// the module docs). Other threads stop with the process.
pub fn exit_now(code: i32) -> ! {
    stop_all();
    std::process::exit(code)
}

/// Starts `command`, tracked (see the module docs); if it cannot start,
/// the error names the program (and keeps its kind, so that `NotFound`
/// still says "not installed").
pub fn spawn(command: &mut Command) -> io::Result<Tracked> {
    Tracked::spawn(command).map_err(|e| {
        let program = command.get_program().to_string_lossy().into_owned();
        io::Error::new(e.kind(), format!("cannot start {program}: {e}"))
    })
}

/// Runs `command` to completion with its stdout and stderr captured, or
/// kills it after `limit` and returns `None`. The child is tracked (see
/// the module docs).
///
/// Both pipes are drained on their own threads while the parent waits: a
/// child that fills a pipe nobody reads would block forever.
pub fn output_with_limit(command: &mut Command, limit: Duration) -> io::Result<Option<Output>> {
    output_until(command, limit, &|| false)
}

/// [`output_with_limit`], which also kills the child and returns `None` as
/// soon as `stop()` says so.
pub fn output_until(
    command: &mut Command,
    limit: Duration,
    stop: &dyn Fn() -> bool,
) -> io::Result<Option<Output>> {
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
    let status = child.wait_until(limit, stop)?;
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

    #[test]
    fn a_tracked_child_leaves_the_list_when_waited_for_or_dropped() {
        let on_list = |id: u32| running().iter().any(|(i, _)| *i == id);
        let mut quick = Tracked::spawn(&mut Command::new("true")).unwrap();
        let id = quick.id();
        assert!(on_list(id));
        let status = quick.wait_with_limit(Duration::from_secs(10)).unwrap();
        assert!(status.is_some_and(|s| s.success()));
        assert!(!on_list(id));
        let slow = Tracked::spawn(Command::new("sleep").arg("30")).unwrap();
        let id = slow.id();
        let start = Instant::now();
        drop(slow);
        assert!(!on_list(id), "dropped, killed and waited for");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_child_is_killed_when_told_to_stop() {
        let start = Instant::now();
        let stop = || start.elapsed() > Duration::from_millis(100);
        let output = output_until(
            Command::new("sleep").arg("30"),
            Duration::from_secs(30),
            &stop,
        )
        .unwrap();
        assert!(output.is_none());
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
