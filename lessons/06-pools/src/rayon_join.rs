//! Section `rayon`: rayon, `Pool.map` without the processes, and why the size of
//! a task matters.

use rayon::prelude::*;
use std::hint::black_box;

use workshop::bench::{best_of_each, usable_cores};
use workshop::{Ctx, Measurement, Outcome, Section, Table, fib};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "rayon",
    title: "rayon: parallel iterators and join",
    explain: "
        rayon is the pool most Rust programs use. Its workers steal work
        from each other, and its parallel iterators read like Python's
        `pool.map`: `par_iter().map(f).collect()` keeps the order, and
        borrows the data instead of copying it to other processes.

        `rayon::join(a, b)` offers two tasks that may run in parallel. A
        recursive fibonacci can offer both halves at every level, but near
        the leaves a task is a few nanoseconds of work and offering it costs
        more than doing it. The fix is a sequential cutoff: below a size,
        just compute. The table compares the plain recursion, join at every
        level, and join above a cutoff of 20, measured in this run.
    ",
    python: r#"
        with Pool(processes=4) as pool:
            squares = pool.map(square, range(10))
    "#,
    rust: r#"
        let squares: Vec<u64> = (0..10u64).into_par_iter().map(|x| x * x).collect();

        let (a, b) = rayon::join(|| fib_join(n - 1, cutoff), || fib_join(n - 2, cutoff));
        if n <= cutoff {
            return fib(n);
        }
    "#,
    run,
};

/// Fibonacci with `rayon::join` at every level above `cutoff`; below it,
/// plain recursion. A cutoff of 1 joins everywhere.
pub fn fib_join(n: u32, cutoff: u32) -> u64 {
    if n <= cutoff {
        return fib(n);
    }
    let (a, b) = rayon::join(|| fib_join(n - 1, cutoff), || fib_join(n - 2, cutoff));
    a + b
}

/// The three ways, sequential, join at every level, join above `cutoff`:
/// each one's best run of three interleaved rounds.
pub fn compare(n: u32, cutoff: u32) -> [Measurement; 3] {
    let measured = best_of_each(
        3,
        &mut [
            &mut || {
                black_box(fib(black_box(n)));
            },
            &mut || {
                black_box(fib_join(black_box(n), 1));
            },
            &mut || {
                black_box(fib_join(black_box(n), cutoff));
            },
        ],
    );
    [measured[0], measured[1], measured[2]]
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let squares: Vec<u64> = (0..10u64).into_par_iter().map(|x| x * x).collect();
    out.line(format!("(0..10).into_par_iter().map(square) → {squares:?}"));
    out.blank();

    let n = if ctx.quick() { 30 } else { 36 };
    let cutoff = 20;
    let [sequential, everywhere, with_cutoff] = compare(n, cutoff);
    let base = sequential.wall.as_secs_f64();
    let mut table = Table::new([
        format!("fib({n}), best of 3 rounds"),
        "wall".into(),
        "CPU/wall".into(),
        "speedup".into(),
    ]);
    for (how, m) in [
        ("plain recursion", &sequential),
        ("rayon::join at every level", &everywhere),
        (&*format!("rayon::join above n = {cutoff}"), &with_cutoff),
    ] {
        table.push([
            how.to_owned(),
            out.time(m.wall),
            out.cpu_per_wall(m),
            out.ratio(base / m.wall.as_secs_f64()),
        ]);
    }
    out.table(&table);
    if let Some(usable) = usable_cores(crate::cores(), std::time::Duration::from_millis(100)) {
        out.line(format!(
            "Cores: {} here, of which busy threads get {} right now.",
            out.measured(crate::cores(), "[cores]"),
            out.measured(format!("{usable:.2}"), "[cores]")
        ));
    }
    out.line("Offering every tiny task to other threads costs more than the tasks; big enough tasks pay off.");
    Ok(())
}
