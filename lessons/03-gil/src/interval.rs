//! Section `interval`: the switch interval, and what switching costs.

use std::time::Duration;

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

        Published for orientation (CPython 3.9, two CPU-bound threads): 6.58 s
        at the default 5 ms, 9.20 s at 0.1 ms. Below, two threads run the
        same fibonacci under several intervals in this run; compare the
        switch counts and the wall times.
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
    let rows = compare_intervals(n, &INTERVALS);
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
    out.line("The shorter the interval, the more switches, and the more of the run they eat.");
    Ok(())
}
