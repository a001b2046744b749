//! Section `rayon`: rayon, `Pool.map` without the processes, and why the size of
//! a task matters.

use rayon::prelude::*;
use std::hint::black_box;

use workshop::bench::{CpuShare, best_of_each};
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

        let (a, b) = rayon::join(|| fib_join(n - 1, cutoff),
                                 || fib_join(n - 2, cutoff));
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
    let measuring = out.progress(format!("measuring: fib({n}) alone and with rayon::join"));
    let [sequential, everywhere, with_cutoff] = compare(n, cutoff);
    drop(measuring);
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
    let share = CpuShare::measure(crate::cores());
    share.report(out);
    let speedup = |m: &Measurement| base / m.wall.as_secs_f64();
    out.verdict(verdict(speedup(&everywhere), speedup(&with_cutoff), &share));
    Ok(())
}

/// Below this speedup, offering the tasks did not pay.
const PAID: f64 = 1.15;

/// What join at every level and join above the cutoff did, as speedups
/// over the plain recursion.
pub fn verdict(everywhere: f64, with_cutoff: f64, share: &CpuShare) -> String {
    let tiny = if everywhere < 1.0 {
        format!(
            "Offering every tiny task to other threads cost more than the tasks: \
             join at every level took {:.2}× the plain recursion's time.",
            1.0 / everywhere
        )
    } else {
        format!(
            "Join at every level still came out {everywhere:.2}× as fast: the \
             offers cost less than the second core gave."
        )
    };
    let big = if with_cutoff >= PAID {
        format!(" Above the cutoff, the tasks were big enough to pay off: {with_cutoff:.2}×.")
    } else if share.busy() || !share.parallel() {
        format!(
            " Even above the cutoff it gained little ({with_cutoff:.2}×): no free \
             core to run the offered half on."
        )
    } else {
        format!(
            " Even above the cutoff it gained little ({with_cutoff:.2}×), though \
             the cores were free just now: they were not while it ran."
        )
    };
    format!("{tiny}{big}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_follows_both_speedups() {
        let idle = share(2.0);
        let usual = verdict(0.42, 1.47, &idle);
        assert!(usual.contains("cost more than the tasks"), "{usual}");
        assert!(usual.contains("big enough to pay off: 1.47×"), "{usual}");
        assert!(verdict(1.05, 1.15, &idle).contains("still came out 1.05×"));
        assert!(verdict(0.5, 1.14, &idle).contains("though the cores were free"));
        assert!(verdict(0.5, 1.0, &share(1.0)).contains("no free core"));
    }
}
