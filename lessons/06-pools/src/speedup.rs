//! Section `speedup`: one CPU-bound workload, five ways, against the cores.

use std::process::Command;

use rayon::prelude::*;
use std::cell::RefCell;

use workshop::bench::{CpuShare, best_of_each};
use workshop::python::Script;
use workshop::{Ctx, Measurement, Outcome, Section, Table, fib, units};

use crate::pool::ThreadPool;
use crate::processes::{ProcessPool, Task, WORKER_MODE};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "speedup",
    title: "The speedup table",
    explain: "
        The same CPU-bound work, several fibonacci calls, run five ways:
        one after another; one plain thread per call; the hand-built pool
        with one worker per core; rayon; and the worker processes. For each,
        the wall time, the CPU time (worker processes count theirs in their
        own processes, so it is not shown), the speedup over sequential, and
        the efficiency: speedup divided by the number of cores, 100% when
        every core does useful work all the time.

        The physical limit is the number of cores. Without a GIL, on a
        machine with its cores free, every parallel way usually gets close
        to it; the processes pay for their pipes, the threads for nothing
        much. With --compare-python, CPython runs the same calls in a
        `ThreadPoolExecutor` and in a `multiprocessing.Pool`.
    ",
    python: r#"
        with ThreadPoolExecutor(max_workers=cores) as ex:   # no faster: GIL
            list(ex.map(fibonacci, calls))
        with Pool(processes=cores) as pool:                 # faster
            pool.map(fibonacci, calls)
    "#,
    rust: r#"
        let pool = ThreadPool::new(cores);
        pool.map(fib, calls.to_vec())
        calls.par_iter().map(|&n| fib(n)).collect::<Vec<_>>()
        workers.map(&tasks)
    "#,
    run,
};

/// The five ways, in the order of the table.
pub const WAYS: [&str; 5] = [
    "one after another",
    "a thread per call",
    "the hand-built pool",
    "rayon",
    "worker processes",
];

/// One way of running the workload, measured.
pub struct Way {
    /// How it ran.
    pub name: &'static str,
    /// Its best run.
    pub measured: Measurement,
    /// Whether CPU time was counted (not for worker processes).
    pub cpu_counted: bool,
}

/// One plain thread per call, joined in order.
fn thread_per_call(calls: &[u32]) -> Vec<u64> {
    std::thread::scope(|s| {
        let handles: Vec<_> = calls.iter().map(|&n| s.spawn(move || fib(n))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    })
}

/// Runs `calls` (fibonacci arguments) five ways in `rounds` interleaved
/// rounds, keeps each way's best run, and checks every way's answers.
pub fn five_ways(
    rounds: usize,
    calls: &[u32],
    cores: usize,
    child: &dyn Fn() -> Command,
) -> Result<Vec<Way>, String> {
    let expected: Vec<u64> = calls.iter().map(|&n| fib(n)).collect();
    let pool = ThreadPool::new(cores);
    let workers = ProcessPool::start(cores, child).map_err(|e| e.to_string())?;
    let tasks: Vec<Task> = calls.iter().map(|&n| Task::Fib(n)).collect();
    let answers = RefCell::new(vec![Ok(Vec::new()); WAYS.len()]);
    let answer = |way: usize, got: Result<Vec<u64>, String>| answers.borrow_mut()[way] = got;
    let measured = best_of_each(
        rounds,
        &mut [
            &mut || answer(0, Ok(calls.iter().map(|&n| fib(n)).collect())),
            &mut || answer(1, Ok(thread_per_call(calls))),
            &mut || answer(2, pool.map(fib, calls.to_vec())),
            &mut || answer(3, Ok(calls.par_iter().map(|&n| fib(n)).collect::<Vec<_>>())),
            &mut || answer(4, workers.map(&tasks)),
        ],
    );
    for (name, got) in WAYS.iter().zip(answers.into_inner()) {
        if got? != expected {
            return Err(format!("{name}: wrong answers"));
        }
    }
    Ok(WAYS
        .iter()
        .zip(measured)
        .map(|(&name, measured)| Way {
            name,
            measured,
            cpu_counted: name != "worker processes",
        })
        .collect())
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let cores = crate::cores();
    let calls: Vec<u32> = vec![if ctx.quick() { 30 } else { 34 }; 8];
    // More rounds in a full run: the fastest of five is steadier on a
    // noisy machine, and a full run has the time.
    let rounds = if ctx.quick() { 3 } else { 5 };
    let measuring = out.progress(format!("measuring: 8 × fib({}), five ways", calls[0]));
    let ways = five_ways(rounds, &calls, cores, &|| ctx.child(WORKER_MODE))?;
    drop(measuring);
    let base = ways[0].measured.wall.as_secs_f64();
    let mut table = Table::new(["8 × fib(…)", "wall", "CPU", "speedup", "efficiency"]);
    for way in &ways {
        let m = &way.measured;
        let speedup = base / m.wall.as_secs_f64();
        let cpu = if way.cpu_counted {
            out.cpu_time(m)
        } else {
            "-".to_owned()
        };
        let efficiency = out.measured(format!("{:.0}%", 100.0 * speedup / cores as f64), "[%]");
        table.push([
            way.name.to_owned(),
            out.time(m.wall),
            cpu,
            out.ratio(speedup),
            efficiency,
        ]);
    }
    out.line(format!(
        "8 calls of fib({}), best of {rounds} interleaved rounds, {} cores:",
        calls[0],
        out.measured(cores, "[cores]")
    ));
    out.table(&table);
    let (pool, rayon) = (
        ways[2].measured.wall.as_secs_f64(),
        ways[3].measured.wall.as_secs_f64(),
    );
    out.line(format!(
        "The hand-built pool took {} rayon's time on these coarse tasks.",
        out.ratio(pool / rayon)
    ));
    let share = CpuShare::measure(cores);
    share.report(out);
    let speedups: Vec<f64> = ways
        .iter()
        .map(|w| base / w.measured.wall.as_secs_f64())
        .collect();
    out.verdict(verdict(&speedups, pool / rayon, &share));
    out.blank();
    compare_python(ctx, &speedups, cores, &share)
}

/// A way whose speedup reaches this share of the cores got close to them.
const CLOSE_TO_CORES: f64 = 0.8;
/// Within this factor, two times count as about the same.
const ABOUT: f64 = 1.15;

/// What the speedups (in the order of [`WAYS`]) and the pool's time
/// against rayon's say, given the CPU the machine gave.
pub fn verdict(speedups: &[f64], pool_vs_rayon: f64, share: &CpuShare) -> String {
    if !share.parallel() {
        return "With one core, no way can be faster than one after another.".to_owned();
    }
    let limit = share.possible();
    let close: Vec<&str> = WAYS
        .iter()
        .zip(speedups)
        .skip(1)
        .filter(|(_, s)| **s >= CLOSE_TO_CORES * limit)
        .map(|(name, _)| *name)
        .collect();
    let reach = match close.len() {
        4 => format!("Every parallel way came close to the {limit:.0}× that the cores allow."),
        0 => format!("No parallel way came close to the {limit:.0}× that the cores allow."),
        _ => format!(
            "Close to the {limit:.0}× that the cores allow: {}; the others fell short.",
            close.join(", ")
        ),
    };
    let why = if close.len() < 4 && share.busy() {
        " The machine is busy: the ways that fell short shared the cores with \
         other programs."
    } else {
        ""
    };
    let pool = if pool_vs_rayon < 1.0 / ABOUT {
        " The hand-built pool beat rayon here: on a few coarse tasks, rayon's \
         work stealing has nothing to steal."
    } else if pool_vs_rayon <= ABOUT {
        " The hand-built pool and rayon took about the same time: a few coarse \
         tasks leave a scheduler little to do."
    } else {
        " rayon beat the hand-built pool: its workers steal each other's work, \
         so none waits idle while another has two tasks queued."
    };
    format!("{reach}{why}{pool}")
}

/// The CPython script: the same calls one after another, in a
/// `ThreadPoolExecutor` and in a `multiprocessing.Pool`.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "speedup.py")
}

/// CPython's fibonacci size for the speedup table: a call of some tens of
/// milliseconds, so that the pools' start-up does not swamp it.
pub fn python_fib_size(quick: bool) -> u32 {
    if quick { 24 } else { 27 }
}

/// CPython's best times, in seconds, and the thread pool's CPU per wall.
#[derive(Clone, Copy, Debug)]
pub struct PythonWays {
    /// One after another.
    pub sequential: f64,
    /// `ThreadPoolExecutor`.
    pub threads: f64,
    /// `multiprocessing.Pool`.
    pub processes: f64,
    /// CPU seconds per wall second of the thread pool.
    pub threads_cpu_per_wall: f64,
}

/// Runs `speedup.py` with `count` calls of `fib(n)` on `workers` workers.
pub fn run_python(
    python: &workshop::python::Python,
    n: u32,
    count: usize,
    workers: usize,
) -> Result<PythonWays, workshop::python::Error> {
    let args = [n.to_string(), count.to_string(), workers.to_string()];
    let report = python.run(&script().path, &args, std::time::Duration::from_secs(300))?;
    Ok(PythonWays {
        sequential: report.number("sequential")?,
        threads: report.number("threads")?,
        processes: report.number("processes")?,
        threads_cpu_per_wall: report.number("threads_cpu_per_wall")?,
    })
}

fn compare_python(ctx: &Ctx, rust: &[f64], cores: usize, share: &CpuShare) -> Outcome {
    workshop::python::compare(ctx, &script(), |python, _| {
        let out = &ctx.out;
        let n = python_fib_size(ctx.quick());
        let py = run_python(python, n, 8, cores)?;
        let speedup = |t: f64| out.ratio(py.sequential / t);
        let table = Table::new([
            format!("8 × fib({n}), {cores} workers"),
            python.describe(),
            "speedup".to_owned(),
            "Rust, speedup".to_owned(),
        ])
        .row([
            "one after another".to_owned(),
            out.seconds(py.sequential),
            speedup(py.sequential),
            out.ratio(rust[0]),
        ])
        .row([
            "ThreadPoolExecutor / pool".to_owned(),
            out.seconds(py.threads),
            speedup(py.threads),
            out.ratio(rust[2]),
        ])
        .row([
            "multiprocessing.Pool / workers".to_owned(),
            out.seconds(py.processes),
            speedup(py.processes),
            out.ratio(rust[4]),
        ]);
        out.table(&table);
        out.line(format!(
            "CPython's thread pool used {} s of CPU per second of wall time.",
            out.measured(format!("{:.2}", py.threads_cpu_per_wall), "[ratio]")
        ));
        out.verdict(python_verdict(&py, share, python.gil_enabled));
        Ok(())
    })
}

/// Below this share of the one-after-another time, a way gained.
const GAINED: f64 = 0.85;

/// What CPython's two pools did against one after another.
pub fn python_verdict(py: &PythonWays, share: &CpuShare, gil_enabled: bool) -> String {
    let (threads, processes) = (py.threads / py.sequential, py.processes / py.sequential);
    let threads_say = match (threads < GAINED, gil_enabled) {
        (false, true) => format!(
            "CPython's ThreadPoolExecutor gained nothing ({:.2}× the time of one \
             after another): its threads take turns at the GIL.",
            threads
        ),
        (true, true) if share.busy() => format!(
            "CPython's ThreadPoolExecutor came out faster ({threads:.2}×), which \
             its GIL cannot allow: the machine is busy, and the runs got \
             different shares of it."
        ),
        (true, true) => format!(
            "CPython's ThreadPoolExecutor came out faster ({threads:.2}×), which \
             its GIL cannot allow: something disturbed the run one after another."
        ),
        (_, false) => format!(
            "This CPython runs without a GIL: its ThreadPoolExecutor took \
             {threads:.2}× the time of one after another."
        ),
    };
    let processes_say = if processes < GAINED {
        format!(
            " Its multiprocessing.Pool did gain ({}× as fast): each process has \
             an interpreter and a GIL of its own.",
            units::two_significant(1.0 / processes)
        )
    } else if !share.parallel() {
        " Its multiprocessing.Pool gained nothing: with one core, processes \
         only take turns."
            .to_owned()
    } else if share.busy() {
        " Its multiprocessing.Pool gained nothing, but the machine is busy: \
         its processes did not have free cores to run on."
            .to_owned()
    } else {
        " Its multiprocessing.Pool gained nothing at this size: starting the \
         processes cost more than they saved (try a full run)."
            .to_owned()
    };
    format!("{threads_say}{processes_say}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_follows_the_speedups() {
        let idle = share(1.95);
        let all = verdict(&[1.0, 1.71, 1.75, 1.61, 1.68], 0.92, &idle);
        assert!(all.starts_with("Every parallel way came close"), "{all}");
        assert!(all.contains("about the same time"), "{all}");
        let some = verdict(&[1.0, 1.59, 1.75, 1.61, 1.2], 1.16, &idle);
        assert!(
            some.contains("the hand-built pool, rayon; the others"),
            "{some}"
        );
        assert!(some.contains("rayon beat the hand-built pool"), "{some}");
        let none = verdict(&[1.0, 1.1, 1.0, 1.2, 0.9], 0.86, &share(1.0));
        assert!(none.starts_with("No parallel way"), "{none}");
        assert!(none.contains("machine is busy"), "{none}");
        assert!(none.contains("beat rayon"), "{none}");
        let one = CpuShare { cores: 1, ..idle };
        assert!(verdict(&[1.0; 5], 1.0, &one).contains("one core"));
    }

    #[test]
    fn the_python_verdict_follows_its_figures() {
        let idle = share(1.95);
        let ways = |threads, processes| PythonWays {
            sequential: 1.0,
            threads,
            processes,
            threads_cpu_per_wall: 1.0,
        };
        let usual = python_verdict(&ways(1.02, 0.55), &idle, true);
        assert!(usual.contains("gained nothing (1.02×"), "{usual}");
        assert!(usual.contains("did gain (1.8× as fast)"), "{usual}");
        // The loaded run: threads 0.78 s and processes 0.75 s against 0.49 s.
        let busy = python_verdict(&ways(1.58, 1.52), &share(0.9), true);
        assert!(busy.contains("machine is busy"), "{busy}");
        let faster = python_verdict(&ways(0.78, 0.75), &share(0.36), true);
        assert!(
            faster.contains("busy, and the runs got different shares"),
            "{faster}"
        );
        let small = python_verdict(&ways(1.1, 1.3), &idle, true);
        assert!(small.contains("at this size"), "{small}");
        assert!(python_verdict(&ways(0.84, 0.5), &idle, true).contains("disturbed"));
        assert!(python_verdict(&ways(0.6, 0.5), &idle, false).contains("without a GIL"));
    }
}
