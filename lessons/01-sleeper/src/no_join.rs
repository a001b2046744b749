//! Section `no-join`: forgetting to join, for real, in a child process.

use std::io;
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use workshop::process::output_with_limit;
use workshop::python::{Python, Script};
use workshop::{Ctx, Measurement, Outcome, Section, Settings, measure, units};

/// The `--child` mode in which the lesson binary plays the forgetful program.
pub const CHILD_MODE: &str = "no-join";

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "no-join",
    title: "Forgetting to join, and daemon threads",
    explain: "
        Python keeps a program alive until every ordinary thread has finished:
        when the main code ends, the interpreter joins them for you. Only
        daemon threads (`daemon=True`) are abandoned at exit.

        Rust does the opposite. When `main` returns, the process exits and
        every other thread dies with it, wherever it was: all Rust threads
        behave like Python's daemon threads. To get Python's default, keep the
        handles and join them (or use a scope, next section).

        To show it for real, this lesson starts a copy of itself as a child
        process. The child starts a sleeper, waits until the sleeper has
        spoken (through a channel, so that its output is the same on every
        run), and returns from `main` without joining. Here is everything the
        child printed. With --compare-python, CPython then does the same
        with a daemon thread and with an ordinary one.
    ",
    python: r#"
        t = threading.Thread(target=sleeper, args=(2,))
        t.daemon = True   # abandon me at exit
        t.start()
        print("main: all done")
        # without daemon=True, Python waits for t here
    "#,
    rust: r#"
        thread::spawn(move || {
            println!("sleeper: going to sleep for {}", units::duration(nap));
            ...
            println!("sleeper: awake!");
        });
        println!("main: all done, returning without join");
        ExitCode::SUCCESS // the process ends, and the sleeper with it
    "#,
    run,
};

/// The child process: a sleeper that is never joined.
pub fn child(settings: &Settings) -> ExitCode {
    let nap = settings.scale.secs(2.0);
    let (spoke, has_spoken) = mpsc::channel();
    thread::spawn(move || {
        println!("sleeper: going to sleep for {}", units::duration(nap));
        let _ = spoke.send(());
        thread::sleep(nap);
        println!("sleeper: awake!");
    });
    // Wait for the sleeper's first line: without this, main might return
    // before the sleeper had printed anything at all.
    if has_spoken.recv_timeout(Duration::from_secs(10)).is_err() {
        eprintln!("error: the sleeper never started");
        return ExitCode::FAILURE;
    }
    println!("main: all done, returning without join");
    ExitCode::SUCCESS // the process ends, and the sleeper with it
}

/// What the child printed, and how long it ran.
pub struct ChildRun {
    /// Its stdout, line by line.
    pub lines: Vec<String>,
    /// Wall time from start to exit, seen from the parent.
    pub measured: Measurement,
}

impl ChildRun {
    /// Whether the sleeper got to say it woke up.
    pub fn sleeper_woke(&self) -> bool {
        self.lines.iter().any(|line| line.contains("awake"))
    }
}

/// Runs the child (see [`child`]) and collects its output; a child that
/// hangs is killed.
pub fn run_child(mut command: Command) -> io::Result<ChildRun> {
    let (output, measured) = measure(|| output_with_limit(&mut command, Duration::from_secs(30)));
    let output =
        output?.ok_or_else(|| io::Error::other("the child process hung and was killed"))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(io::Error::other(format!(
            "the child process failed: {}",
            why.trim()
        )));
    }
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    Ok(ChildRun { lines, measured })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let run = run_child(ctx.child(CHILD_MODE))?;
    for line in &run.lines {
        out.line(format!("  child │ {line}"));
    }
    out.blank();
    let nap = ctx.secs(2.0);
    out.line(format!(
        "The child exited after {}; its sleeper's nap was {}.",
        out.time(run.measured.wall),
        units::duration(nap)
    ));
    out.verdict(verdict("Rust", run.sleeper_woke(), run.measured.wall, nap));
    out.blank();
    workshop::python::compare(ctx, &script(), |python, script| {
        for (daemon, label) in [(true, "daemon=True"), (false, "daemon=False")] {
            let (lines, wall) = run_python(python, script, daemon, nap)?;
            out.line(format!("{label}:"));
            for line in &lines {
                out.line(format!("  python │ {line}"));
            }
            out.line(format!(
                "  (it exited {} after its main code started)",
                out.time(wall)
            ));
            let woke = lines.iter().any(|l| l.contains("awake"));
            let who = format!("CPython, {label}");
            out.verdict(verdict(&who, woke, wall, nap));
        }
        Ok(())
    })
}

/// The CPython script: a sleeper, daemon or not, never joined.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "no_join.py")
}

/// Runs `no_join.py` with a daemon or an ordinary sleeper of `nap`; returns
/// what it printed and how long it ran from the start of its main code to
/// its exit (the interpreter's own start-up left out).
pub fn run_python(
    python: &Python,
    script: &Script,
    daemon: bool,
    nap: Duration,
) -> Result<(Vec<String>, Duration), workshop::python::Error> {
    let mode = if daemon { "daemon" } else { "plain" };
    let args = [mode.to_owned(), nap.as_secs_f64().to_string()];
    let report = python.run(&script.path, &args, nap + Duration::from_secs(30))?;
    let ends = Duration::from_secs_f64(report.number("ends")?);
    let lines = report.text().lines().filter(|l| !l.starts_with("ends "));
    Ok((lines.map(str::to_owned).collect(), ends))
}

/// What happened to a sleeper nobody joined: whether it said it woke up,
/// and how long its process ran against the nap.
pub fn verdict(who: &str, woke: bool, exited_after: Duration, nap: Duration) -> String {
    match (woke, exited_after >= nap) {
        (false, false) => format!(
            "{who}: the sleeper never said it woke up. The process exited inside \
             its nap, and the exit ended it mid-nap: nothing joined it, so \
             nothing waited."
        ),
        (true, true) => format!(
            "{who}: the sleeper woke up and said so before the process exited: \
             the process waited out the whole nap for it."
        ),
        (true, false) => format!(
            "{who}: the sleeper said it woke up, yet the process ran for less \
             than its nap: the clock around the process is not to be trusted."
        ),
        (false, true) => format!(
            "{who}: the sleeper never said it woke up, although the process \
             ran longer than its nap: a busy machine held the process up, and \
             the exit still ended the sleeper first."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_output_and_the_clock() {
        let nap = Duration::from_millis(200);
        let short = Duration::from_millis(40);
        let long = Duration::from_millis(250);
        assert!(verdict("Rust", false, short, nap).contains("ended it mid-nap"));
        assert!(verdict("CPython", true, long, nap).contains("waited out the whole nap"));
        assert!(verdict("Rust", false, long, nap).contains("busy machine"));
        assert!(verdict("Rust", true, short, nap).contains("not to be trusted"));
        assert!(verdict("Rust", true, nap, nap).contains("waited out"));
    }
}
