//! Section `amdahl`: Amdahl's law, with a serial part put there on purpose.

use std::path::{Path, PathBuf};

use std::cell::RefCell;
use std::hint::black_box;

use workshop::bench::CpuShare;
use workshop::bench::best_of_each;
use workshop::{Ctx, Out, Outcome, Section, Table, fib};

use crate::plot::{self, Point};
use crate::pool::ThreadPool;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "amdahl",
    title: "Amdahl's law, measured and drawn",
    explain: "
        Real programs have parts that cannot run in parallel: reading the
        input, combining the results. The workload below has one on purpose,
        a fibonacci computed alone before sixteen others are shared out to
        the workers. The lesson measures the share p of the time on one
        worker that can run in parallel (the serial part takes the rest,
        1 - p), predicts the speedup on n workers with Amdahl's law, as the
        gil lesson writes it,

            speedup = 1 / ((1 - p) + p / n)

        and measures it for every n up to the number of cores.

        The prediction goes on to 64 cores, drawn below and written as an
        SVG plot you can open in a browser. However many cores you buy, the
        speedup never passes 1 / (1 - p).
    ",
    python: r#"
        def run(workers):
            fibonacci(31)                          # serial: one core
            with Pool(processes=workers) as pool:
                pool.map(fibonacci, [30] * 16)     # parallel
    "#,
    rust: r#"
        let _serial = std::hint::black_box(fib(workload.serial));
        pool.map(fib, workload.calls.clone())
        1.0 / ((1.0 - parallel) + parallel / workers)
    "#,
    run,
};

/// The workload: one serial call, then parallel calls.
#[derive(Clone)]
pub struct Workload {
    /// The fibonacci computed alone first.
    pub serial: u32,
    /// The fibonaccis shared out to the workers.
    pub calls: Vec<u32>,
}

impl Workload {
    /// About 9% serial: one `fib(m + 1)` before sixteen `fib(m)`.
    pub fn sized(m: u32) -> Self {
        Workload {
            serial: m + 1,
            calls: vec![m; 16],
        }
    }
}

/// Amdahl's law: the speedup on `workers` when a fraction `parallel` of
/// the time can be shared out (the rest, `1 - parallel`, cannot).
pub fn predicted(parallel: f64, workers: f64) -> f64 {
    1.0 / ((1.0 - parallel) + parallel / workers)
}

/// The worker counts in the table: powers of two up to 64. Those up to the
/// number of cores are measured; the rest are only predicted.
pub const WORKERS: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];

/// The measurements: the parallel fraction, and the measured speedups.
pub struct Measured {
    /// The share of the work on one worker that can run in parallel: all
    /// but the serial part, between 0 and 1.
    pub parallel_fraction: f64,
    /// What the share is a share of: CPU time, or wall time and why.
    pub basis: Basis,
    /// `(workers, speedup)` for each worker count measured.
    pub speedups: Vec<Point>,
}

/// What the serial fraction was measured in.
#[derive(Clone, Debug, PartialEq)]
pub enum Basis {
    /// CPU time: a busy machine stretches the wall time of one run more
    /// than another's, but not the CPU time either of them needs.
    CpuTime,
    /// Wall time, and why not CPU time: the platform reports none, or its
    /// CPU clock ticks too coarsely for a reading this short.
    WallTime(String),
}

impl Basis {
    /// `CPU time`, or `wall time (why)`.
    pub fn describe(&self) -> String {
        match self {
            Basis::CpuTime => "CPU time".to_owned(),
            Basis::WallTime(why) => format!("wall time ({why})"),
        }
    }
}

/// Runs the serial part alone and the whole workload on each of
/// `worker_counts` (1 first), in three interleaved rounds, best of each.
pub fn measure(workload: &Workload, worker_counts: &[usize]) -> Result<Measured, String> {
    let pools: Vec<ThreadPool> = worker_counts.iter().map(|&w| ThreadPool::new(w)).collect();
    let failure = RefCell::new(None);
    let measured = {
        let mut serial_alone = || {
            black_box(fib(workload.serial));
        };
        let mut whole: Vec<Box<dyn FnMut() + '_>> = pools
            .iter()
            .map(|pool| {
                let failure = &failure;
                Box::new(move || {
                    let _serial = std::hint::black_box(fib(workload.serial));
                    if let Err(e) = pool.map(fib, workload.calls.clone()) {
                        *failure.borrow_mut() = Some(e);
                    }
                }) as Box<dyn FnMut() + '_>
            })
            .collect();
        let mut variants: Vec<&mut dyn FnMut()> = vec![&mut serial_alone];
        variants.extend(whole.iter_mut().map(|run| &mut **run as &mut dyn FnMut()));
        best_of_each(3, &mut variants)
    };
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    let seconds: Vec<f64> = measured.iter().map(|m| m.wall.as_secs_f64()).collect();
    let one = seconds[1];
    let speedups = worker_counts
        .iter()
        .zip(&seconds[1..])
        .map(|(&w, &t)| (w as f64, one / t))
        .collect();
    // The serial fraction is a share of the work, so it is measured in CPU
    // time where the clock can tell (on one worker only one thread
    // computes), and in wall time where it cannot.
    let (serial_fraction, basis) = match (measured[0].cpu_precise(), measured[1].cpu_precise()) {
        (Some(serial), Some(whole)) => (serial.as_secs_f64() / whole.as_secs_f64(), Basis::CpuTime),
        _ => (seconds[0] / one, Basis::WallTime(why_not_cpu(&measured[0]))),
    };
    if !(serial_fraction > 0.0 && serial_fraction < 1.0) {
        return Err(format!(
            "the serial part measured {:.1}% of the whole in {}: no prediction \
             can be made from that",
            100.0 * serial_fraction,
            basis.describe()
        ));
    }
    Ok(Measured {
        parallel_fraction: 1.0 - serial_fraction,
        basis,
        speedups,
    })
}

/// Why the serial part's CPU time cannot be used.
fn why_not_cpu(serial: &workshop::Measurement) -> String {
    let tick = workshop::units::duration(serial.cpu_resolution);
    match serial.cpu_total() {
        None => "this platform reports no CPU time".to_owned(),
        Some(_) if serial.cpu_below_resolution() => {
            format!("its CPU time is below the resolution of this platform's {tick} CPU clock")
        }
        Some(reading) => format!(
            "its CPU time, {}, is too few ticks of this platform's {tick} CPU clock",
            workshop::units::duration(reading)
        ),
    }
}

/// Where the SVG goes: `workshop/amdahl.svg` in cargo's target directory,
/// wherever `CARGO_TARGET_DIR` or a config put it (`target/` by default).
pub fn svg_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // The binary is target/debug/pools (target/<triple>/debug/pools with
    // --target), or target/debug/deps/pools-1234 in tests; cargo keeps a
    // lock file in the profile directory, target/debug.
    let profile_dir = exe.ancestors().find(|dir| dir.join(".cargo-lock").exists());
    match profile_dir.and_then(|dir| dir.parent()) {
        Some(target) => target.join("workshop").join("amdahl.svg"),
        None => std::env::temp_dir().join("workshop-amdahl.svg"),
    }
}

/// Within this factor of the prediction, a measured speedup agrees with it.
const AGREES: f64 = 1.15;

/// What the measured speedups (workers, speedup) say against Amdahl's
/// prediction from the parallel share `p`, given the CPU the machine gave.
pub fn verdict(p: f64, speedups: &[(f64, f64)], share: &CpuShare) -> String {
    let parallel: Vec<(f64, f64, f64)> = speedups
        .iter()
        .filter(|(w, _)| *w > 1.0)
        .map(|&(w, got)| (w, got, predicted(p, w)))
        .collect();
    if parallel.is_empty() {
        return "With one core, only one worker could be measured: the prediction \
                for more is all there is."
            .to_owned();
    }
    let below: Vec<String> = parallel
        .iter()
        .filter(|(_, got, want)| got * AGREES < *want)
        .map(|(w, got, want)| format!("{got:.2}× on {w} workers against {want:.2}×"))
        .collect();
    let above = parallel.iter().any(|(_, got, want)| *got > want * AGREES);
    if !below.is_empty() && share.busy() {
        format!(
            "Measured below the prediction ({}): the machine is busy, so the \
             workers did not get their cores, and this run cannot test the law.",
            below.join(", ")
        )
    } else if !below.is_empty() {
        format!(
            "Measured below the prediction ({}): the parallel part has costs the \
             law leaves out, such as handing out the tasks and waiting for the \
             slowest worker.",
            below.join(", ")
        )
    } else if above {
        "Measured above the prediction: the one-worker run that gave p was \
         slowed by something else, so p came out too small."
            .to_owned()
    } else {
        "The measured speedups agree with the prediction, within 15%.".to_owned()
    }
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let workload = Workload::sized(if ctx.quick() { 24 } else { 30 });
    let measurable: Vec<usize> = WORKERS
        .into_iter()
        .filter(|&w| w <= crate::cores())
        .collect();
    let measuring = out.progress(format!(
        "measuring: fib({}), then 16 × fib({}), on 1 to {} workers",
        workload.serial,
        workload.calls[0],
        measurable.iter().max().unwrap_or(&1)
    ));
    let measured = measure(&workload, &measurable)?;
    drop(measuring);
    let p = measured.parallel_fraction;
    out.prose(format!(
        "fib({}) alone, then 16 × fib({}): on one worker the serial part took \
         {} of the time, measured in {}, so p = {}.",
        workload.serial,
        workload.calls[0],
        out.measured(format!("{:.1}%", 100.0 * (1.0 - p)), "[%]"),
        out.measured(measured.basis.describe(), "[basis]"),
        out.measured(format!("{p:.3}"), "[p]")
    ));
    let mut table = Table::new(["workers", "predicted", "measured"]);
    for workers in WORKERS {
        let speedup = measured
            .speedups
            .iter()
            .find(|&&(w, _)| w == workers as f64);
        // Whether a row is measured depends on the machine's cores: in a
        // snapshot both kinds look the same.
        let cell = speedup.map_or("-".to_owned(), |&(_, s)| workshop::units::ratio(s));
        // Beyond the cores measured, a prediction keeps two figures.
        let prediction = predicted(p, workers as f64);
        let prediction = match speedup {
            Some(_) => workshop::units::ratio(prediction),
            None => workshop::units::approx_ratio(prediction),
        };
        table.push([
            workers.to_string(),
            out.measured(prediction, "[ratio]"),
            out.measured(cell, "[ratio]"),
        ]);
    }
    out.table(&table);
    out.line(format!(
        "(-: more workers than the {} cores this machine has.)",
        out.measured(crate::cores(), "[cores]")
    ));
    out.line(format!(
        "On any number of cores, at most 1 / (1 - p) = {}.",
        out.measured(workshop::units::approx_ratio(1.0 / (1.0 - p)), "[ratio]")
    ));
    let share = CpuShare::measure(crate::cores());
    share.report(out);
    out.verdict(verdict(p, &measured.speedups, &share));
    out.blank();

    let curve: Vec<Point> = (0..=60)
        .map(|i| 2f64.powf(f64::from(i) / 10.0))
        .map(|w| (w, predicted(p, w)))
        .collect();
    if out.redacted() {
        out.line("  (the chart is drawn live: it depends on the measurements)");
    } else {
        out.line(plot::terminal(&curve, &measured.speedups, 60, 12));
    }
    let path = svg_path();
    let written = std::fs::create_dir_all(path.parent().unwrap_or(&path)).and_then(|()| {
        std::fs::write(
            &path,
            plot::svg(
                "Amdahl's law: predicted and measured speedup",
                &curve,
                &measured.speedups,
                1.0 / (1.0 - p),
            ),
        )
    });
    report_svg(out, &path, written);
    Ok(())
}

/// Says where the SVG went, or why it could not be written. The path has a
/// line of its own: a Windows user's folder can make it long.
fn report_svg(out: &Out, path: &Path, written: std::io::Result<()>) {
    let lead = match written {
        Ok(()) => "The same chart as an SVG:",
        Err(_) => "Could not write the SVG to:",
    };
    out.line(lead);
    out.line(format!("  {}", out.measured(path.display(), "[path]")));
    if let Err(e) = written {
        out.prose(format!("The system said: {}.", out.measured(e, "[error]")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_path_has_a_line_of_its_own_and_the_error_fits() {
        let path = Path::new("C:/Users").join("a learner with a long name".repeat(4));
        let error = std::io::Error::other(
            "the folder is on a network drive that went away a moment ago, \
             and the system could not reach it again in time",
        );
        let path = path.join("amdahl.svg");
        let out = Out::capture(false);
        report_svg(&out, &path, Err(error));
        let text = out.captured();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Could not write the SVG to:");
        assert_eq!(lines[1], format!("  {}", path.display()));
        assert!(text.contains("went away a moment ago"), "{text}");
        let wide = workshop::testing::too_wide(&text);
        assert_eq!(wide.len(), 1, "only the path may be wide:\n{text}");
    }

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_compares_measured_with_predicted() {
        // p such that 2 workers are predicted 1.83×.
        let p = 2.0 - 2.0 / 1.83;
        assert_eq!(format!("{:.2}", predicted(p, 2.0)), "1.83");
        // The busy run that measured 0.95× on 2 workers and said nothing.
        let busy = verdict(p, &[(1.0, 1.0), (2.0, 0.95)], &share(1.0));
        assert!(busy.contains("0.95× on 2 workers against 1.83×"), "{busy}");
        assert!(busy.contains("machine is busy"), "{busy}");
        let short = verdict(p, &[(1.0, 1.0), (2.0, 1.56)], &share(1.95));
        assert!(short.contains("costs the law leaves out"), "{short}");
        let agrees = verdict(p, &[(1.0, 1.0), (2.0, 1.83 / 1.15 + 0.01)], &share(1.95));
        assert!(agrees.contains("agree"), "{agrees}");
        let above = verdict(p, &[(1.0, 1.0), (2.0, 1.83 * 1.16)], &share(1.95));
        assert!(above.contains("above the prediction"), "{above}");
        assert!(verdict(p, &[(1.0, 1.0)], &share(1.0)).contains("one core"));
    }

    #[test]
    fn the_prediction_is_capped_by_the_serial_part() {
        assert_eq!(predicted(1.0, 8.0), 8.0);
        assert_eq!(predicted(0.0, 8.0), 1.0);
        assert!(predicted(0.9, 1e9) < 10.0 + 1e-6);
    }
}
