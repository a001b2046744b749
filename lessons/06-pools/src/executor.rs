//! Section `executor`: `ThreadPoolExecutor`, and the same thing built by hand.

use workshop::{Ctx, Outcome, Section, fib, panics};

use crate::pool::ThreadPool;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "executor",
    title: "ThreadPoolExecutor, built by hand",
    explain: "
        Starting a thread per task is wasteful and forgetting to join one is
        easy. A pool starts a few workers once; tasks go into a queue, and
        whichever worker is free takes the next one. Python's
        `ThreadPoolExecutor` used as a context manager also joins every
        worker when the `with` block ends, so nothing can be forgotten.

        The pool below is about a hundred lines (`src/pool.rs`): workers
        share one crossbeam channel as their queue; `execute` queues a job;
        `submit` returns a handle whose `result()` waits for the value (a
        `Future`); `map` keeps the order of its items whoever finishes
        first; and dropping the pool closes the queue and joins the workers,
        the Rust form of leaving the `with` block. A task that panics is
        caught and reported, and the pool carries on.
    ",
    python: r#"
        with ThreadPoolExecutor(max_workers=3) as executor:
            print(list(executor.map(square, range(5))))
            future = executor.submit(fibonacci, 25)
            print(future.result())
        # the end of the block joins every worker
    "#,
    rust: r#"
        let pool = ThreadPool::new(3);
        let squares = pool.map(|x: u64| x * x, 0..5)?;
        let future = pool.submit(|| fib(25));
        let value = future.result()?;
        drop(pool); // closes the queue and joins every worker
    "#,
    run,
};

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let pool = ThreadPool::new(3);
    out.line(format!(
        "A pool of {} workers: pool-1, pool-2, pool-3.",
        pool.workers()
    ));

    let squares = pool.map(|x: u64| x * x, 0..5)?;
    out.line(format!("map(square, range(5))      → {squares:?}"));
    let future = pool.submit(|| fib(25));
    let value = future.result()?;
    out.line(format!("submit(fibonacci, 25)      → {value}"));

    let doomed = pool.submit(|| -> u64 {
        panics::expect_panic(); // the pool reports it, below
        panic!("cannot square a negative number")
    });
    out.line(format!(
        "a task that panics         → {:?}",
        doomed.result()
    ));
    let again = pool.map(|x: u64| x * x, 5..8)?;
    out.line(format!(
        "map(square, range(5, 8))   → {again:?}: the pool is still working"
    ));
    out.line(format!("panics the pool caught: {:?}", pool.panics()));

    drop(pool); // closes the queue and joins every worker
    out.line("Dropping the pool joined its three workers, like the end of the `with` block.");
    Ok(())
}
