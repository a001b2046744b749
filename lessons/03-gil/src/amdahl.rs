//! Section `amdahl`: Amdahl's law, predicted and measured.

use workshop::bench::best_of;
use workshop::{Ctx, Outcome, Section, Table, Timeline};

use crate::gil::{Gil, py_fib, run_threads, run_threads_without_gil};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "amdahl",
    title: "Amdahl's law",
    explain: "
        The notebook's \"plot thickener\": if a fraction p of a program can
        run in parallel and the rest cannot, n workers speed it up by at most

            speedup = 1 / ((1 - p) + p / n)

        With p = 0.95, even infinitely many cores give at most 20×. Under the
        GIL, the part of pure Python code that can run in parallel is about
        zero, so p ≈ 0 and the speedup is 1 whatever n is.

        Below, the same work runs on one thread and on two, with and without
        the GIL. From each measured speedup S on 2 workers the lesson works
        out the parallel fraction, p = (1 - 1/S) / (1 - 1/2), and predicts
        what more cores would give.
    ",
    python: r#"
        def amdahl(p, n):
            return 1 / ((1 - p) + p / n)

        amdahl(0.95, 2)      # 1.90
        amdahl(0.95, 64)     # 15.4
    "#,
    rust: r#"
        pub fn amdahl(parallel: f64, workers: f64) -> f64 {
            1.0 / ((1.0 - parallel) + parallel / workers)
        }
    "#,
    run,
};

/// Amdahl's law: the speedup of `workers` workers on a program whose
/// fraction `parallel` (0 to 1) runs in parallel.
pub fn amdahl(parallel: f64, workers: f64) -> f64 {
    1.0 / ((1.0 - parallel) + parallel / workers)
}

/// The parallel fraction that explains a speedup `speedup` on `workers`
/// workers: Amdahl's law solved for p, kept between 0 and 1.
pub fn parallel_fraction(speedup: f64, workers: f64) -> f64 {
    ((1.0 - 1.0 / speedup) / (1.0 - 1.0 / workers)).clamp(0.0, 1.0)
}

/// Measured speedups of two threads over one doing the same total work:
/// `(with the GIL, without)`, each time the best of three runs.
pub fn measured_speedups(n: u32) -> (f64, f64) {
    let gil = Gil::new(crate::gil::DEFAULT_INTERVAL, Timeline::new());
    let best = |run: &dyn Fn()| best_of(3, run).wall.as_secs_f64();
    let one_gil = best(&|| {
        drop(run_threads(&gil, &["main"], |py, _| {
            (py_fib(py, n), py_fib(py, n))
        }))
    });
    let two_gil = best(&|| {
        drop(run_threads(&gil, &["thread-1", "thread-2"], |py, _| {
            py_fib(py, n)
        }))
    });
    let one_free = best(&|| {
        drop(run_threads_without_gil(&["main"], |rust, _| {
            (py_fib(rust, n), py_fib(rust, n))
        }))
    });
    let two_free = best(&|| {
        drop(run_threads_without_gil(
            &["thread-1", "thread-2"],
            |rust, _| py_fib(rust, n),
        ))
    });
    (one_gil / two_gil, one_free / two_free)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let (with_gil, without) = measured_speedups(crate::fib_size(ctx.quick()));
    let mut table = Table::new(["", "with the GIL", "without"]);
    table.push([
        "measured speedup, 2 threads".to_owned(),
        out.ratio(with_gil),
        out.ratio(without),
    ]);
    let (p_gil, p_free) = (
        parallel_fraction(with_gil, 2.0),
        parallel_fraction(without, 2.0),
    );
    let fraction = |p: f64| out.measured(format!("{p:.2}"), "[p]");
    table.push([
        "parallel fraction p".to_owned(),
        fraction(p_gil),
        fraction(p_free),
    ]);
    for workers in [4.0, 8.0, 64.0] {
        table.push([
            format!("predicted on {workers} cores"),
            out.ratio(amdahl(p_gil, workers)),
            out.ratio(amdahl(p_free, workers)),
        ]);
    }
    out.table(&table);
    workshop::bench::CpuShare::measure(2).report(out);
    out.line("With the GIL, more cores change nothing. Without it, the serial part (starting and joining");
    out.line("threads, waiting for the slower one) is what caps the speedup on many cores.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_law_at_its_edges() {
        assert_eq!(amdahl(0.0, 64.0), 1.0);
        assert_eq!(amdahl(1.0, 4.0), 4.0);
        assert!((amdahl(0.95, 64.0) - 15.42).abs() < 0.01);
    }

    #[test]
    fn the_fraction_inverts_the_law() {
        for p in [0.0, 0.3, 0.95, 1.0] {
            assert!((parallel_fraction(amdahl(p, 2.0), 2.0) - p).abs() < 1e-9);
        }
        assert_eq!(
            parallel_fraction(0.9, 2.0),
            0.0,
            "slower than one thread is clamped"
        );
    }
}
