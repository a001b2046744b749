//! Section `way-out`: the way out — processes, each with its own GIL, and Python
//! without one.

use std::process::{Command, ExitCode};
use std::time::Duration;

use workshop::bench::CpuShare;
use workshop::process::output_with_limit;
use workshop::{Ctx, Measurement, Outcome, Section, Settings, Table, Timeline, measure};

use crate::gil::{Gil, py_fib, run_threads};

/// The `--child` mode: one process, one interpreter, one GIL.
pub const CHILD_MODE: &str = "interpreter";

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "way-out",
    title: "The way out",
    explain: "
        Python the language never required a GIL: Jython and IronPython ran
        without one, and removing it from CPython, the notebook says, \"has
        been done many times\".
        CPython kept it mostly for its memory manager, the reference counts
        of the refcounting lesson. Two ways out are open today.

        Processes: each Python process has its own interpreter and its own
        GIL, so two processes really run at once, at the price of starting
        them and copying data between them (`multiprocessing.Pool`, lesson
        06). Below, this lesson starts two copies of itself, each a simulated
        interpreter with its own GIL, against two threads sharing one.

        Free-threaded CPython (PEP 703, officially supported since 3.14)
        drops the GIL for finer locks and a cleverer reference count; its
        price on a single thread is roughly 5 to 10%, says Python 3.14's
        \"What's New\".
    ",
    python: r#"
        from multiprocessing import Pool

        with Pool(processes=2) as pool:
            pool.map(fibonacci, [34, 34])
    "#,
    rust: r#"
        let (first, second) = (ctx.child(CHILD_MODE), ctx.child(CHILD_MODE));
        let processes = two_processes(first, second)?;
        // each child runs:
        let gil = Gil::new(crate::switch_interval(settings), Timeline::new());
        let value = run_threads(&gil, &["main"], |py, _| py_fib(py, n))[0];
    "#,
    run,
};

/// The child: computes `fib(n)` under a GIL of its own.
pub fn child(settings: &Settings) -> ExitCode {
    let n = crate::fib_size(settings.quick);
    let gil = Gil::new(crate::switch_interval(settings), Timeline::new());
    let value = run_threads(&gil, &["main"], |py, _| py_fib(py, n))[0];
    println!("{value}");
    ExitCode::SUCCESS
}

/// Runs two child processes at once; returns the measurement.
pub fn two_processes(mut first: Command, mut second: Command) -> std::io::Result<Measurement> {
    let limit = Duration::from_secs(120);
    let (outputs, measured) = measure(|| {
        std::thread::scope(|s| {
            let one = s.spawn(|| output_with_limit(&mut first, limit));
            let two = output_with_limit(&mut second, limit);
            [
                one.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                two,
            ]
        })
    });
    for output in outputs {
        let output = output?
            .ok_or_else(|| std::io::Error::other("an interpreter process hung and was killed"))?;
        if !output.status.success() {
            return Err(std::io::Error::other("an interpreter process failed"));
        }
    }
    Ok(measured)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let n = crate::fib_size(ctx.quick());
    let gil = Gil::new(crate::switch_interval(ctx.settings()), Timeline::new());
    let measuring = out.progress(format!("measuring: two fib({n}) on two threads"));
    let (_, threads) =
        measure(|| run_threads(&gil, &["thread-1", "thread-2"], |py, _| py_fib(py, n)));
    measuring.update(format!("measuring: two fib({n}) in two processes"));
    let (first, second) = (ctx.child(CHILD_MODE), ctx.child(CHILD_MODE));
    let processes = two_processes(first, second)?;
    let table = Table::new([format!("two fib({n})"), "wall".into(), "CPU/wall".into()])
        .row([
            "two threads, one GIL".to_owned(),
            out.time(threads.wall),
            out.cpu_per_wall(&threads),
        ])
        .row([
            "two processes, a GIL each".to_owned(),
            out.time(processes.wall),
            "-".to_owned(),
        ]);
    out.table(&table);
    let ratio = processes.wall.as_secs_f64() / threads.wall.as_secs_f64();
    out.line(format!(
        "The processes took {} the threads' time, start-up included.",
        out.ratio(ratio)
    ));
    let share = CpuShare::measure(2);
    share.report(out);
    out.verdict(verdict(ratio, &share));
    Ok(())
}

/// Below this share of the threads' time, the processes were faster.
const FASTER: f64 = 0.85;

/// What the processes' time against the threads' says.
pub fn verdict(ratio: f64, share: &CpuShare) -> String {
    if ratio < FASTER {
        "Faster: two processes, two GILs, two cores at work.".to_owned()
    } else if !share.parallel() {
        "No faster: with one core, two processes can only take turns.".to_owned()
    } else if share.busy() {
        "No faster, but the machine is busy: the two processes did not get \
         two free cores."
            .to_owned()
    } else {
        "No faster: starting two processes cost as much as the second core \
         saved (try a full run instead of --quick)."
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_follows_the_ratio_and_the_machine() {
        assert!(verdict(0.64, &share(1.9)).starts_with("Faster"));
        assert!(verdict(0.86, &share(1.9)).contains("starting two processes"));
        assert!(verdict(0.86, &share(1.0)).contains("machine is busy"));
        let one = CpuShare {
            cores: 1,
            ..share(1.0)
        };
        assert!(verdict(1.0, &one).contains("one core"));
    }
}
