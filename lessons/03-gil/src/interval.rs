//! Section `interval`: the switch interval, and what switching costs.

use std::time::Duration;

use workshop::bench::CpuShare;
use workshop::python::Script;
use workshop::{Ctx, Outcome, Section, Table, units};

use crate::watch::two_busy_threads;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "interval",
    title: "The switch interval knob",
    explain: "
        `sys.setswitchinterval()` sets how long a waiting thread is patient.
        A shorter interval makes threads take turns more often, which helps a
        thread that needs to respond quickly, but every hand-over costs time:
        waking a thread, passing a lock, refilling caches on another core.
        For two CPU-bound threads the switches are pure overhead.

        Below, two threads run the same fibonacci under several intervals
        in this run; compare the switch counts and the wall times. With
        --compare-python, CPython runs two threads at 5 ms and at 0.1 ms.
    ",
    python: r#"
        sys.setswitchinterval(0.0001)    # 0.1 ms instead of 5 ms
    "#,
    rust: r#"
        let (measured, stats, _) = two_busy_threads(n, interval);
    "#,
    run,
};

/// The intervals compared: CPython's default first.
pub const INTERVALS: [Duration; 4] = [
    Duration::from_millis(5),
    Duration::from_millis(1),
    Duration::from_micros(100),
    Duration::from_micros(20),
];

/// One row of the comparison.
pub struct Row {
    /// The interval.
    pub interval: Duration,
    /// Wall time for two threads computing `fib(n)` each.
    pub wall: Duration,
    /// How many times the GIL changed hands.
    pub switches: u64,
}

/// Runs two CPU-bound threads under each interval.
pub fn compare_intervals(n: u32, intervals: &[Duration]) -> Vec<Row> {
    intervals
        .iter()
        .map(|&interval| {
            let (measured, stats, _) = two_busy_threads(n, interval);
            Row {
                interval,
                wall: measured.wall,
                switches: stats.switches,
            }
        })
        .collect()
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let n = crate::fib_size(ctx.quick());
    let _measuring = out.progress(format!(
        "measuring: two threads computing fib({n}), at each interval"
    ));
    let rows = compare_intervals(n, &INTERVALS);
    let share = CpuShare::measure(2);
    let baseline = rows[0].wall.as_secs_f64();
    let mut table = Table::new([
        "switch interval",
        "switches",
        "per second",
        "wall",
        "vs 5 ms",
    ]);
    for row in &rows {
        let per_second = row.switches as f64 / row.wall.as_secs_f64();
        table.push([
            units::duration(row.interval),
            out.count(row.switches),
            out.measured(format!("{per_second:.0}"), "[rate]"),
            out.time(row.wall),
            out.ratio(row.wall.as_secs_f64() / baseline),
        ]);
    }
    out.line(format!("Two threads computing fib({n}) each:"));
    out.table(&table);
    share.report(out);
    out.verdict(verdict(&rows, &share));
    out.blank();
    compare_python(ctx, &rows, &share)
}

/// Within this of 1.00×, two wall times count as the same on this noisy
/// machine.
const NOISE: f64 = 0.10;

/// What the rows say about the switches and their cost: the first row is
/// the 5 ms baseline, the last the shortest interval.
pub fn verdict(rows: &[Row], share: &CpuShare) -> String {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return String::new();
    };
    let shortest = units::duration(last.interval);
    let switches = if last.switches > first.switches {
        format!(
            "At {shortest}, the GIL changed hands {} times against {} at 5 ms.",
            units::count(last.switches),
            units::count(first.switches)
        )
    } else {
        format!("At {shortest}, the GIL changed hands no more often than at 5 ms.")
    };
    let ratio = last.wall.as_secs_f64() / first.wall.as_secs_f64();
    let extra = last.switches.saturating_sub(first.switches).max(1) as f64;
    let cost = if ratio > 1.0 + NOISE {
        let per_switch = (last.wall.as_secs_f64() - first.wall.as_secs_f64()) / extra;
        format!(
            " The run took {ratio:.2}× as long: the switches cost about {} each.",
            units::seconds(per_switch)
        )
    } else if ratio >= 1.0 - NOISE {
        format!(
            " Yet the run took {ratio:.2}× the time at 5 ms, within this machine's \
             noise: each switch costs microseconds, too little to show here."
        )
    } else if share.busy() {
        format!(
            " The run came out faster ({ratio:.2}×), which switching cannot \
             explain: the machine is busy, and the runs got different shares of it."
        )
    } else {
        format!(
            " The run came out faster ({ratio:.2}×), which switching cannot \
             explain: the difference is noise from the rest of the machine."
        )
    };
    format!("{switches}{cost}")
}

/// The CPython script: two threads at 5 ms and at 0.1 ms.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "interval.py")
}

/// CPython's fibonacci size: a run of a few tenths of a second.
pub fn python_fib_size(quick: bool) -> u32 {
    if quick { 25 } else { 28 }
}

/// With --compare-python: CPython's two threads at 5 ms and 0.1 ms, beside
/// the simulation's.
fn compare_python(ctx: &Ctx, rows: &[Row], share: &CpuShare) -> Outcome {
    workshop::python::compare(ctx, &script(), |python, script| {
        let out = &ctx.out;
        let n = python_fib_size(ctx.quick());
        let args = [n.to_string(), "3".to_owned()];
        let report = python.run(&script.path, &args, std::time::Duration::from_secs(120))?;
        let (at_5ms, at_tenth) = (report.number("at_5ms")?, report.number("at_0.1ms")?);
        let simulated = |interval: Duration| {
            rows.iter()
                .find(|r| r.interval == interval)
                .map(|r| r.wall.as_secs_f64())
        };
        let sim_5 = simulated(Duration::from_millis(5)).unwrap_or(f64::NAN);
        let sim_tenth = simulated(Duration::from_micros(100)).unwrap_or(f64::NAN);
        let table = Table::new([
            "two threads".to_owned(),
            format!("CPython, fib({n})"),
            "simulated GIL".to_owned(),
        ])
        .row([
            "at 5 ms".to_owned(),
            out.seconds(at_5ms),
            out.seconds(sim_5),
        ])
        .row([
            "at 0.1 ms".to_owned(),
            out.seconds(at_tenth),
            out.seconds(sim_tenth),
        ])
        .row([
            "0.1 ms vs 5 ms".to_owned(),
            out.ratio(at_tenth / at_5ms),
            out.ratio(sim_tenth / sim_5),
        ]);
        out.table(&table);
        out.verdict(python_verdict(at_tenth / at_5ms, share));
        Ok(())
    })
}

/// What CPython's 0.1 ms against 5 ms says.
pub fn python_verdict(ratio: f64, share: &CpuShare) -> String {
    if share.busy() {
        format!(
            "CPython took {ratio:.2}× the time at 0.1 ms, but the machine is busy: \
             other programs may have done as much to that figure as the interval."
        )
    } else if ratio > 1.0 + NOISE {
        format!(
            "CPython took {ratio:.2}× as long at 0.1 ms: the extra hand-overs cost \
             it {:.0}% of the run.",
            (ratio - 1.0) * 100.0
        )
    } else if ratio >= 1.0 - NOISE {
        format!(
            "CPython took {ratio:.2}× the time at 0.1 ms: within this machine's \
             noise, the shorter interval cost nothing visible."
        )
    } else {
        format!(
            "CPython came out faster at 0.1 ms ({ratio:.2}×), which more \
             hand-overs cannot explain: noise from the rest of the machine."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(micros: u64, switches: u64, wall_ms: u64) -> Row {
        Row {
            interval: Duration::from_micros(micros),
            switches,
            wall: Duration::from_millis(wall_ms),
        }
    }

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_follows_the_wall_times() {
        let idle = share(1.95);
        let costly = verdict(&[row(5000, 71, 400), row(20, 3943, 480)], &idle);
        assert!(costly.contains("took 1.20× as long"), "{costly}");
        assert!(costly.contains("3,943 times against 71"), "{costly}");
        let same = verdict(&[row(5000, 71, 404), row(20, 3943, 407)], &idle);
        assert!(same.contains("within this machine's noise"), "{same}");
        assert!(!same.contains("eat"), "{same}");
        // The --quick run where 20 µs came out at 0.86× of 5 ms.
        let faster = verdict(&[row(5000, 7, 100), row(20, 900, 86)], &idle);
        assert!(faster.contains("faster (0.86×)"), "{faster}");
        assert!(faster.contains("noise from the rest"), "{faster}");
        let busy = verdict(&[row(5000, 7, 100), row(20, 900, 86)], &share(1.0));
        assert!(busy.contains("machine is busy"), "{busy}");
        let flat = verdict(&[row(5000, 7, 100), row(20, 7, 100)], &idle);
        assert!(flat.contains("no more often"), "{flat}");
    }

    #[test]
    fn the_python_verdict_follows_its_ratio() {
        let idle = share(1.95);
        assert!(python_verdict(1.40, &idle).contains("cost it 40% of the run"));
        assert!(python_verdict(1.11, &idle).contains("as long"));
        assert!(python_verdict(1.09, &idle).contains("within this machine's noise"));
        assert!(python_verdict(0.89, &idle).contains("faster"));
        assert!(python_verdict(1.28, &share(0.73)).contains("machine is busy"));
    }
}
