//! Worker processes: `multiprocessing.Pool` by hand.
//!
//! Each worker is a copy of this lesson's binary started in `--child
//! worker` mode. It reads one task per line on its stdin and answers one
//! line on its stdout. In the parent, one thread per worker owns the
//! worker's pipes and takes tasks from a shared channel, so a worker that
//! finishes early simply takes the next task, as `Pool.map` does.

use std::io::{self, BufRead, BufReader, Write};
use std::process::{ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};
use workshop::Settings;
use workshop::process::Tracked;

/// The `--child` mode of a pool worker.
pub const WORKER_MODE: &str = "worker";
/// The `--child` mode that exits at once: the cost of a process by itself.
pub const NOOP_MODE: &str = "noop";
/// How long `map` waits for any answer before it gives up on the workers.
const ANSWER_LIMIT: Duration = Duration::from_secs(60);

/// A task a worker process knows how to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Task {
    /// `x * x`, the blog post's `f`.
    Square(u64),
    /// The notebook's fibonacci.
    Fib(u32),
}

impl Task {
    /// Runs the task.
    pub fn run(self) -> u64 {
        match self {
            Task::Square(x) => x * x,
            Task::Fib(n) => workshop::fib(n),
        }
    }

    /// The task as one line of the pipe protocol: `square 7`, `fib 30`.
    pub fn to_line(self) -> String {
        match self {
            Task::Square(x) => format!("square {x}"),
            Task::Fib(n) => format!("fib {n}"),
        }
    }

    /// Reads a line of the pipe protocol.
    pub fn parse(line: &str) -> Option<Task> {
        match line.trim().split_once(' ')? {
            ("square", x) => x.parse().ok().map(Task::Square),
            ("fib", n) => n.parse().ok().filter(|&n| n <= 60).map(Task::Fib),
            _ => None,
        }
    }
}

/// A pool of worker processes.
pub struct ProcessPool {
    /// `None` once the pool is shutting down.
    tasks: Option<Sender<(usize, Task)>>,
    answers: Receiver<(usize, Result<u64, String>)>,
    feeders: Vec<JoinHandle<()>>,
}

impl ProcessPool {
    /// Starts `workers` processes, each from a command made by `command`.
    pub fn start(workers: usize, mut command: impl FnMut() -> Command) -> io::Result<Self> {
        let (tasks, queue) = unbounded();
        let (answer, answers) = unbounded();
        let mut feeders = Vec::new();
        for i in 1..=workers.max(1) {
            // Tracked: if the lesson has to end early, its workers end too.
            let child = workshop::process::spawn(
                command()
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::inherit()),
            )?;
            let (queue, answer) = (queue.clone(), answer.clone());
            let feeder = thread::Builder::new()
                .name(format!("process-{i}"))
                .spawn(move || feed(child, &queue, &answer))?;
            feeders.push(feeder);
        }
        Ok(ProcessPool {
            tasks: Some(tasks),
            answers,
            feeders,
        })
    }

    /// Runs every task on the workers; the answers come back in the order
    /// of the tasks: `pool.map(f, items)`.
    pub fn map(&self, tasks: &[Task]) -> Result<Vec<u64>, String> {
        let sender = self.tasks.as_ref().ok_or("the pool is shut down")?;
        for (index, &task) in tasks.iter().enumerate() {
            sender
                .send((index, task))
                .map_err(|_| "every worker process has stopped")?;
        }
        let mut answers = vec![None; tasks.len()];
        for _ in 0..tasks.len() {
            let (index, answer) = match self.answers.recv_timeout(ANSWER_LIMIT) {
                Ok(answer) => answer,
                Err(RecvTimeoutError::Timeout) => {
                    return Err("no worker process answered for 60 s".into());
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("every worker process has stopped".into());
                }
            };
            answers[index] = Some(answer?);
        }
        Ok(answers.into_iter().flatten().collect())
    }
}

impl Drop for ProcessPool {
    /// Closes the task queue: each feeder closes its worker's stdin, the
    /// worker sees the end of its input and exits, and the feeder waits
    /// for it. Like leaving `with Pool(...)`.
    fn drop(&mut self) {
        drop(self.tasks.take());
        for feeder in self.feeders.drain(..) {
            let _ = feeder.join();
        }
    }
}

/// One worker's go-between: sends it tasks, reads back answers.
fn feed(
    mut child: Tracked,
    queue: &Receiver<(usize, Task)>,
    answer: &Sender<(usize, Result<u64, String>)>,
) {
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return;
    };
    let mut stdout = BufReader::new(stdout);
    for (index, task) in queue.iter() {
        let result = ask(&mut stdin, &mut stdout, task);
        let failed = result.is_err();
        let _ = answer.send((index, result));
        if failed {
            break;
        }
    }
    drop(stdin); // end of input: the worker exits
    let _ = child.wait_with_limit(Duration::from_secs(10));
}

fn ask(
    stdin: &mut ChildStdin,
    stdout: &mut BufReader<ChildStdout>,
    task: Task,
) -> Result<u64, String> {
    writeln!(stdin, "{}", task.to_line())
        .and_then(|()| stdin.flush())
        .map_err(|e| format!("worker process: {e}"))?;
    let mut line = String::new();
    match stdout.read_line(&mut line) {
        Ok(0) => Err("a worker process exited mid-task".into()),
        Ok(_) => line
            .trim()
            .parse()
            .map_err(|_| format!("a worker process answered `{}`", line.trim())),
        Err(e) => Err(format!("worker process: {e}")),
    }
}

/// The worker process: answers tasks until its input ends.
pub fn worker(_: &Settings) -> ExitCode {
    let mut stdout = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let answer = match Task::parse(&line) {
            Some(task) => task.run().to_string(),
            None => format!("unknown task `{}`", line.trim()),
        };
        if writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break; // the parent has gone
        }
    }
    ExitCode::SUCCESS
}

/// The `noop` child: starts and exits.
pub fn noop(_: &Settings) -> ExitCode {
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_travel_as_lines() {
        for task in [Task::Square(7), Task::Fib(30)] {
            assert_eq!(Task::parse(&task.to_line()), Some(task));
        }
        assert_eq!(Task::parse("fib 99"), None, "too big to be sensible");
        assert_eq!(Task::parse("cube 3"), None);
        assert_eq!(Task::Square(12).run(), 144);
    }
}
