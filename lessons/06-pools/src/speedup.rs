//! Section `speedup`: one CPU-bound workload, five ways, against the cores.

use std::process::Command;

use rayon::prelude::*;
use std::cell::RefCell;

use workshop::bench::best_of_each;
use workshop::{Ctx, Measurement, Outcome, Section, Table, fib};

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

        The physical limit is the number of cores. Without a GIL every
        parallel way gets close to it; the processes pay for their pipes,
        the threads for nothing much.
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
    let ways = five_ways(rounds, &calls, cores, &|| ctx.child(WORKER_MODE))?;
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
    Ok(())
}
