//! Section `no-join`: forgetting to join, for real, in a child process.

use std::io;
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use workshop::process::output_with_limit;
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
        child printed:
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
    let nap = units::duration(ctx.secs(2.0));
    if run.sleeper_woke() {
        out.line("This time the sleeper finished before the process exited: it was faster than the exit.");
    } else {
        out.line(format!(
            "The sleeper never said it woke up: the child exited after {}, well inside its {nap} nap,",
            out.time(run.measured.wall)
        ));
        out.line("and the exit ended the sleeper mid-nap. Nothing joined it, so nothing waited.");
    }
    Ok(())
}
