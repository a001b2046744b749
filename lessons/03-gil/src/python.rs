//! `--compare-python` for the experiment: the notebook's experiment in real
//! CPython (`python/compare.py`), beside the simulation's figures.

use std::time::Duration;

use workshop::bench::CpuShare;
use workshop::python::{Python, Script};
use workshop::{Ctx, Outcome, Table};

use crate::experiment::Experiment;

/// The script, shipped with the lesson.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "compare.py")
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

/// Runs `python/compare.py n` with `python`.
pub fn run_python(python: &Python, n: u32) -> Result<PythonTimes, workshop::python::Error> {
    let report = python.run(&script().path, &[n.to_string()], Duration::from_secs(300))?;
    Ok(PythonTimes {
        sequential: report.number("sequential")?,
        threads: report.number("threads")?,
        processes: report.number("processes")?,
        threads_cpu_per_wall: report.number("threads_cpu_per_wall")?,
    })
}

/// CPython's fibonacci size: about as long per call as the simulation's.
pub fn python_fib_size(quick: bool) -> u32 {
    if quick { 26 } else { 28 }
}

/// With `--compare-python`, runs CPython and prints its ratios beside the
/// simulation's; otherwise says how.
pub fn compare_if_asked(ctx: &Ctx, simulated: &Experiment, share: &CpuShare) -> Outcome {
    workshop::python::compare(ctx, &script(), |python, _| {
        let out = &ctx.out;
        let n = python_fib_size(ctx.quick());
        let py = run_python(python, n)?;
        let free = 1.0 / simulated.free_speedup();
        let table = Table::new(["two calls", &format!("CPython, fib({n})"), "simulated GIL"])
            .row([
                "twice in a row",
                &out.seconds(py.sequential),
                &out.time(simulated.twice.wall),
            ])
            .row([
                "threads / in a row",
                &out.ratio(py.threads / py.sequential),
                &out.ratio(simulated.gil_ratio()),
            ])
            .row([
                "threads: CPU / wall",
                &out.ratio(py.threads_cpu_per_wall),
                &out.cpu_per_wall(&simulated.threads_gil),
            ])
            .row([
                "processes / in a row",
                &out.ratio(py.processes / py.sequential),
                "-",
            ])
            .row(["no GIL / in a row", "-", &out.ratio(free)]);
        out.table(&table);
        out.verdict(python_verdict(&py, share, python.gil_enabled));
        Ok(())
    })
}

/// Below this share of the in-a-row time, a variant was faster.
const GAINED: f64 = 0.85;

/// What CPython's figures say, in words that follow the figures.
pub fn python_verdict(python: &PythonTimes, share: &CpuShare, gil_enabled: bool) -> String {
    let threads = python.threads / python.sequential;
    let processes = python.processes / python.sequential;
    let threads_say = match (threads > GAINED, gil_enabled) {
        (true, true) => "CPython's threads gained nothing, like the simulation's under its GIL",
        (true, false) => "CPython's threads gained nothing, although this build runs without a GIL",
        (false, true) if share.busy() => {
            "CPython's threads came out faster than the calls in a row, which its GIL \
             cannot allow: the machine is busy, and the runs got different shares of it"
        }
        (false, true) => {
            "CPython's threads came out faster than the calls in a row, which its GIL \
             cannot allow: something else disturbed one of the runs"
        }
        (false, false) => "CPython's threads ran faster: this build runs without a GIL",
    };
    let processes_say = if processes < GAINED {
        "its processes, each with a GIL of its own, did gain"
    } else if share.busy() {
        "its processes gained nothing, but the machine is busy: two processes had no two free cores"
    } else if !share.parallel() {
        "its processes gained nothing: with one core, they can only take turns"
    } else {
        "its processes gained nothing at this size: starting a pool cost more than the work saved (try without --quick)"
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

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_follows_the_figures() {
        let idle = share(1.95);
        let gil_bound = python_verdict(&times(1.05, 0.6), &idle, true);
        assert!(
            gil_bound.starts_with("CPython's threads gained nothing, like"),
            "{gil_bound}"
        );
        assert!(gil_bound.contains("did gain"), "{gil_bound}");
        let disturbed = python_verdict(&times(0.84, 0.84), &idle, true);
        assert!(disturbed.contains("disturbed"), "{disturbed}");
        // The --quick run where two busy threads got 0.54 cores.
        let busy = python_verdict(&times(0.66, 1.62), &share(0.54), true);
        assert!(busy.contains("machine is busy, and the runs"), "{busy}");
        assert!(disturbed.contains("did gain"), "{disturbed}");
        let small = python_verdict(&times(0.86, 1.3), &idle, true);
        assert!(small.contains("gained nothing at this size"), "{small}");
        let busy = python_verdict(&times(1.0, 0.9), &share(1.1), true);
        assert!(busy.contains("machine is busy"), "{busy}");
        let free = python_verdict(&times(0.55, 0.6), &idle, false);
        assert!(free.contains("without a GIL"), "{free}");
    }
}
