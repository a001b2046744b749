//! `--compare-python`: the same experiment in real CPython, beside the
//! simulation's figures.

use std::path::PathBuf;
use std::time::Duration;

use workshop::{Ctx, Outcome, Table};

use crate::experiment::Experiment;

/// The script, shipped with the lesson.
pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/compare.py")
}

/// CPython's figures: the best wall time of three interleaved rounds of
/// each variant, in seconds, and the CPU use of the threaded run.
#[derive(Debug, Clone, Copy)]
pub struct PythonTimes {
    /// `fibonacci(n)` twice in a row.
    pub sequential: f64,
    /// The two calls on two threads.
    pub threads: f64,
    /// The two calls in a pool of two processes.
    pub processes: f64,
    /// CPU seconds per wall second of the threaded run: about 1 under a
    /// GIL, whatever else the machine is doing; toward 2 without one.
    pub threads_cpu_per_wall: f64,
}

/// Runs `python/compare.py n` with the Python [`workshop::python::find`]
/// found. `Ok(None)` when there is none.
pub fn run_python(n: u32) -> Result<Option<PythonTimes>, String> {
    let Ok(python) = workshop::python::find() else {
        return Ok(None);
    };
    let report = python
        .run(script(), &[n.to_string()], Duration::from_secs(300))
        .map_err(|e| e.to_string())?;
    let time_of = |name: &str| report.number(name).map_err(|e| e.to_string());
    Ok(Some(PythonTimes {
        sequential: time_of("sequential")?,
        threads: time_of("threads")?,
        processes: time_of("processes")?,
        threads_cpu_per_wall: time_of("threads_cpu_per_wall")?,
    }))
}

/// CPython's fibonacci size: about as long per call as the simulation's.
fn python_fib_size(quick: bool) -> u32 {
    if quick { 26 } else { 28 }
}

/// With `--compare-python`, runs CPython and prints its ratios beside the
/// simulation's; otherwise says how.
pub fn compare_if_asked(ctx: &Ctx, simulated: &Experiment) -> Outcome {
    let out = &ctx.out;
    if !ctx.compare_python() {
        out.line(
            "Run with --compare-python to do the same experiment in real CPython on this machine.",
        );
        return Ok(());
    }
    let n = python_fib_size(ctx.quick());
    let python = match workshop::python::find() {
        Ok(_) => run_python(n)?.ok_or("Python vanished during the run")?,
        Err(not_found) => {
            out.line(not_found.line());
            return Ok(());
        }
    };
    let free = simulated.threads_free.wall.as_secs_f64() / simulated.twice.wall.as_secs_f64();
    let table = Table::new(["two calls", &format!("CPython, fib({n})"), "simulated GIL"])
        .row([
            "twice in a row",
            &out.seconds(python.sequential),
            &out.time(simulated.twice.wall),
        ])
        .row([
            "threads / in a row",
            &out.ratio(python.threads / python.sequential),
            &out.ratio(simulated.gil_ratio()),
        ])
        .row([
            "threads: CPU / wall",
            &out.ratio(python.threads_cpu_per_wall),
            &simulated
                .threads_gil
                .cpu_per_wall()
                .map_or("-".to_owned(), |r| out.ratio(r)),
        ])
        .row([
            "processes / in a row",
            &out.ratio(python.processes / python.sequential),
            "-",
        ])
        .row(["no GIL / in a row", "-", &out.ratio(free)]);
    out.table(&table);
    out.line(python_verdict(&python));
    Ok(())
}

/// What CPython's figures say, in words that follow the figures.
fn python_verdict(python: &PythonTimes) -> String {
    let threads = python.threads / python.sequential;
    let processes = python.processes / python.sequential;
    let threads_say = if threads > 0.85 {
        "CPython's threads gained nothing, like the simulation's under its GIL".to_owned()
    } else {
        format!("CPython's threads took only {threads:.2}× as long: is this a free-threaded build?")
    };
    let processes_say = if processes < 0.85 {
        "its processes, each with a GIL of its own, did gain".to_owned()
    } else {
        "its processes gained nothing at this size either: starting a pool costs more than the work \
         (try without --quick)"
            .to_owned()
    };
    format!("{threads_say}; {processes_say}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(threads: f64, processes: f64) -> PythonTimes {
        PythonTimes {
            sequential: 1.0,
            threads,
            processes,
            threads_cpu_per_wall: 1.0,
        }
    }

    #[test]
    fn the_verdict_follows_the_figures() {
        let gil_bound = python_verdict(&times(1.05, 0.6));
        assert!(
            gil_bound.starts_with("CPython's threads gained nothing"),
            "{gil_bound}"
        );
        assert!(gil_bound.contains("did gain"), "{gil_bound}");
        let free_threaded = python_verdict(&times(0.55, 1.3));
        assert!(
            free_threaded.contains("free-threaded build"),
            "{free_threaded}"
        );
        assert!(
            free_threaded.contains("gained nothing at this size"),
            "{free_threaded}"
        );
    }
}
