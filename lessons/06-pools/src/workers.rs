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
        let squares = pool.map(&[Task::Square(1), Task::Square(2), Task::Square(3)])?;
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
    let squares = pool.map(&[Task::Square(1), Task::Square(2), Task::Square(3)])?;
    out.line(format!(
        "Four worker processes: map(square, [1, 2, 3]) → {squares:?}"
    ));
    drop(pool);
    out.line(
        "Dropping the pool closed each worker's input; each worker exited, and was waited for.",
    );
    out.blank();

    let costs = measure_costs(ctx.quick(), &|mode| ctx.child(mode))?;
    let table = Table::new(["what", "this run", "CPython 3.11, `spawn` start method"])
        .row([
            "start and join a thread",
            &out.seconds(costs.thread_start),
            "≈ 0.1 ms",
        ])
        .row([
            "start a process and wait for it",
            &out.seconds(costs.process_start),
            "≈ 75 ms",
        ])
        .row([
            "one empty task, thread pool",
            &out.seconds(costs.thread_pool_task),
            "-",
        ])
        .row([
            "one small task, process pool",
            &out.seconds(costs.process_pool_task),
            "-",
        ]);
    out.table(&table);
    out.line(format!(
        "A process costs {} a thread to start: worth it only for tasks far bigger than that.",
        out.ratio(costs.process_start / costs.thread_start)
    ));
    Ok(())
}
