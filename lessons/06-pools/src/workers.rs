//! Section `processes`: `multiprocessing.Pool` with real worker processes, and what a
//! process costs against a thread.

use std::process::Command;

use workshop::bench::fastest_per_op;
use workshop::{Ctx, Outcome, Section, Table};

use crate::pool::ThreadPool;
use crate::processes::{NOOP_MODE, ProcessPool, Task, WORKER_MODE};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "processes",
    title: "multiprocessing.Pool: worker processes",
    explain: "
        Each Python process has its own interpreter and its own GIL, so a
        pool of processes runs Python code in parallel. The price: starting
        a process is much slower than starting a thread, and every task and
        every result is copied through a pipe, because processes share no
        memory.

        Rust threads need no such escape, but the mechanism is worth seeing.
        This lesson starts copies of its own binary as workers, sends each
        task as a line on a worker's stdin and reads the answer from its
        stdout; a thread per worker in the parent hands out tasks from one
        queue, so a fast worker takes more. Then the costs, measured here:
        starting a thread against starting a process, and one task through
        each kind of pool.
    ",
    python: r#"
        from multiprocessing import Pool

        def f(x):
            return x * x

        with Pool(processes=4) as p:
            print(p.map(f, [1, 2, 3]))    # [1, 4, 9]
    "#,
    rust: r#"
        let pool = ProcessPool::start(4, || ctx.child(WORKER_MODE))?;
        let tasks = [Task::Square(1), Task::Square(2), Task::Square(3)];
        let squares = pool.map(&tasks)?;
    "#,
    run,
};

/// Costs per operation, in seconds: each the fastest of a few batches, the
/// one the rest of the machine disturbed least.
pub struct Costs {
    /// `thread::spawn` of an empty closure, then `join`.
    pub thread_start: f64,
    /// Starting this binary as a process that exits at once, then waiting.
    pub process_start: f64,
    /// One empty job through the hand-built thread pool.
    pub thread_pool_task: f64,
    /// One small task through a worker process and back.
    pub process_pool_task: f64,
}

/// Measures each cost; `child` makes a command for this lesson's binary in
/// a given child mode.
pub fn measure_costs(quick: bool, child: &dyn Fn(&str) -> Command) -> std::io::Result<Costs> {
    let (threads, processes, tasks) = if quick {
        (200, 5, 2_000)
    } else {
        (1_000, 20, 20_000)
    };
    const BATCHES: usize = 5;
    let per_batch = threads / BATCHES as u64;
    let thread_start = fastest_per_op(BATCHES, per_batch, || {
        std::thread::spawn(|| ()).join().unwrap_or(());
    });
    let mut spawn_failed = None;
    let process_start = fastest_per_op(processes, 1, || {
        if let Err(e) = child(NOOP_MODE).status() {
            spawn_failed = Some(e);
        }
    });
    if let Some(e) = spawn_failed {
        return Err(e);
    }
    let pool = ThreadPool::new(2);
    let thread_pool_task = fastest_per_op(3, 1, || {
        for _ in 0..tasks {
            pool.execute(|| {});
        }
        pool.submit(|| ()).result().unwrap_or(());
    }) / tasks as f64;
    drop(pool);
    let workers = ProcessPool::start(2, || child(WORKER_MODE))?;
    let squares: Vec<Task> = (0..tasks / 10).map(Task::Square).collect();
    let mut failure = None;
    let process_pool_task = fastest_per_op(3, 1, || {
        if let Err(e) = workers.map(&squares) {
            failure = Some(e);
        }
    }) / squares.len() as f64;
    if let Some(e) = failure {
        return Err(std::io::Error::other(e));
    }
    Ok(Costs {
        thread_start,
        process_start,
        thread_pool_task,
        process_pool_task,
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let pool = ProcessPool::start(4, || ctx.child(WORKER_MODE))?;
    let tasks = [Task::Square(1), Task::Square(2), Task::Square(3)];
    let squares = pool.map(&tasks)?;
    out.line(format!(
        "Four worker processes: map(square, [1, 2, 3]) → {squares:?}"
    ));
    drop(pool);
    out.prose(
        "Dropping the pool closed each worker's input; each worker exited, and was waited for.",
    );
    out.blank();

    let costs = measure_costs(ctx.quick(), &|mode| ctx.child(mode))?;
    let table = Table::new(["what", "this run"])
        .row(["start and join a thread", &out.seconds(costs.thread_start)])
        .row([
            "start a process and wait for it",
            &out.seconds(costs.process_start),
        ])
        .row([
            "one empty task, thread pool",
            &out.seconds(costs.thread_pool_task),
        ])
        .row([
            "one small task, process pool",
            &out.seconds(costs.process_pool_task),
        ]);
    out.table(&table);
    let ratio = costs.process_start / costs.thread_start;
    out.line(format!(
        "A process cost {} a thread to start.",
        out.ratio(ratio)
    ));
    out.verdict(start_verdict(ratio));
    out.blank();
    workshop::python::compare(ctx, &start_script(), |python, script| {
        let (threads, processes) = if ctx.quick() { (20, 2) } else { (100, 5) };
        let args = [threads.to_string(), processes.to_string()];
        let report = python.run(&script.path, &args, std::time::Duration::from_secs(120))?;
        let thread = report.number("thread")?;
        let mut table = Table::new(["start and wait for", &python.describe(), "Rust"]).row([
            "a thread",
            &out.seconds(thread),
            &out.seconds(costs.thread_start),
        ]);
        let mut slowest = 0.0f64;
        for method in ["spawn", "fork"] {
            if let Ok(seconds) = report.number(method) {
                slowest = slowest.max(seconds);
                let what = format!("a process (`{method}`)");
                table.push([what, out.seconds(seconds), out.seconds(costs.process_start)]);
            }
        }
        out.table(&table);
        out.verdict(python_start_verdict(slowest / thread, ratio));
        Ok(())
    })
}

/// The CPython script: what starting a thread and a process costs there.
pub fn start_script() -> workshop::python::Script {
    workshop::python::Script::new(env!("CARGO_MANIFEST_DIR"), "start_costs.py")
}

/// What a process's start-up cost, as a multiple of a thread's, says.
pub fn start_verdict(ratio: f64) -> String {
    if ratio > 10.0 {
        format!(
            "Worth it only for tasks far bigger than a process's start-up: {} \
             thread starts' worth.",
            workshop::units::two_significant(ratio)
        )
    } else {
        format!(
            "Only {ratio:.1}× here: on this machine a process starts almost as \
             cheaply as a thread, so even small tasks could pay for one."
        )
    }
}

/// What CPython's slowest process start against its thread start says,
/// beside Rust's `rust` ratio.
pub fn python_start_verdict(python: f64, rust: f64) -> String {
    let python_shown = workshop::units::two_significant(python);
    let rust_shown = workshop::units::two_significant(rust);
    if python > rust {
        format!(
            "In CPython a process cost up to {python_shown}× a thread to start, \
             against {rust_shown}× for this lesson's binary: a new interpreter \
             has to start and import its modules before it can work."
        )
    } else {
        format!(
            "In CPython a process cost up to {python_shown}× a thread to start, \
             no more than the {rust_shown}× of this lesson's binary."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_verdicts_follow_the_ratios() {
        assert!(start_verdict(24.97).contains("25 thread starts' worth"));
        assert!(start_verdict(9.0).contains("Only 9.0×"));
        assert!(python_start_verdict(2100.0, 25.0).contains("up to 2100× a thread"));
        assert!(python_start_verdict(2100.0, 25.0).contains("new interpreter"));
        assert!(python_start_verdict(20.0, 25.0).contains("no more than"));
    }
}
