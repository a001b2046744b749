//! Section `amdahl`: Amdahl's law, predicted and measured.

use workshop::bench::{CpuShare, best_of};
use workshop::{Ctx, Outcome, Section, Table, Timeline, units};

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
        what more cores would give. One measurement on two cores cannot pin
        p down finely, so the predictions keep two significant figures.
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
    let n = crate::fib_size(ctx.quick());
    let _measuring = out.progress(format!(
        "measuring: fib({n}) on 1 and 2 threads, with the GIL and without"
    ));
    let (with_gil, without) = measured_speedups(n);
    let share = CpuShare::measure(2);
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
    // Beyond the two cores measured, a prediction keeps two figures.
    let predicted =
        |p: f64, workers: f64| out.measured(units::approx_ratio(amdahl(p, workers)), "[ratio]");
    for workers in [4.0, 8.0, 64.0] {
        table.push([
            format!("predicted on {workers} cores"),
            predicted(p_gil, workers),
            predicted(p_free, workers),
        ]);
    }
    out.table(&table);
    share.report(out);
    out.verdict(verdict(p_gil, p_free, &share));
    Ok(())
}

/// Below this parallel fraction, more cores change nothing that matters.
const SERIAL: f64 = 0.1;

/// What the two parallel fractions say, given the CPU the machine gave.
pub fn verdict(p_gil: f64, p_free: f64, share: &CpuShare) -> String {
    if !share.parallel() {
        return "This machine lets the lesson use one core, so neither fraction \
                means anything: two threads could only take turns."
            .to_owned();
    }
    let gil = if p_gil < SERIAL {
        format!("With the GIL, p came out at {p_gil:.2}: more cores would change nothing.")
    } else {
        format!(
            "With the GIL, p came out at {p_gil:.2}, above zero, which one GIL \
             cannot allow: one of the runs was disturbed."
        )
    };
    let limit = if p_free < 1.0 {
        format!(
            "at most {} however many cores",
            units::approx_ratio(1.0 / (1.0 - p_free))
        )
    } else {
        "no limit in sight".to_owned()
    };
    let free = if share.busy() {
        format!(
            " Without it, p came out at {p_free:.2}, but the machine is busy: \
             the two threads did not have two cores, so this p, and every \
             prediction from it, is too low."
        )
    } else {
        format!(
            " Without it, p came out at {p_free:.2} ({limit}): the serial part \
             (starting and joining threads, waiting for the slower one) is what \
             caps the speedup on many cores."
        )
    };
    format!("{gil}{free}")
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

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn predictions_keep_two_significant_figures() {
        // The run that printed "32.92× on 64 cores" from one measurement.
        let p = parallel_fraction(1.97, 2.0);
        assert_eq!(format!("{:.2}", amdahl(p, 64.0)), "32.66");
        assert_eq!(units::approx_ratio(amdahl(p, 64.0)), "33×");
        assert_eq!(units::approx_ratio(amdahl(0.97, 64.0)), "22×");
        assert_eq!(units::approx_ratio(amdahl(0.66, 64.0)), "2.9×");
    }

    #[test]
    fn the_verdict_follows_the_fractions_and_the_machine() {
        let idle = share(1.97);
        let said = verdict(0.0, 0.66, &idle);
        assert!(
            said.starts_with("With the GIL, p came out at 0.00: more cores"),
            "{said}"
        );
        assert!(said.contains("at most 2.9× however many cores"), "{said}");
        assert!(verdict(0.12, 0.66, &idle).contains("disturbed"));
        assert!(verdict(0.09, 0.66, &idle).contains("change nothing"));
        assert!(verdict(0.0, 1.0, &idle).contains("no limit in sight"));
        let busy = verdict(0.0, 0.3, &share(1.1));
        assert!(busy.contains("machine is busy"), "{busy}");
        let one = CpuShare { cores: 1, ..idle };
        assert!(verdict(0.0, 0.0, &one).contains("one core"));
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
