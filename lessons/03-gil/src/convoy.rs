//! Section `convoy`: the convoy effect, an I/O thread stuck behind a CPU-bound one.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

use workshop::bench::CpuShare;
use workshop::python::Script;
use workshop::{Ctx, Outcome, Section, Table, Timeline, units};

use crate::gil::{Gil, PyThread, py_fib, run_threads};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "convoy",
    title: "The convoy effect",
    explain: "
        Releasing the GIL for a blocking call is cheap; getting it back may
        not be. When a short call returns, the thread needs the GIL again,
        and if a CPU-bound thread holds it, the returning thread waits a full
        switch interval before it even asks for it back. An I/O thread that
        makes many short calls pays that toll on every single one.

        Below, a thread makes many blocking calls of 100 µs each, first alone
        and then next to a CPU-bound thread, under the simulated GIL. With
        --compare-python, CPython runs the same loop on this machine.
    ",
    python: r#"
        def poll(device):
            for _ in range(100):
                time.sleep(0.0001)   # 100 µs, GIL released

        # alone, then beside a thread running pure Python
    "#,
    rust: r#"
        for _ in 0..calls {
            py.allow_threads(|| thread::sleep(call));
        }
    "#,
    run,
};

/// The length of each blocking call.
pub const CALL: Duration = Duration::from_micros(100);

/// An I/O thread's loop of short blocking calls; returns the time per call.
fn poll(py: &PyThread, calls: u32, call: Duration) -> Duration {
    let start = Instant::now();
    for _ in 0..calls {
        py.allow_threads(|| thread::sleep(call));
    }
    start.elapsed() / calls
}

/// Time per call of `calls` blocking calls, alone and beside a CPU-bound
/// thread that runs until the I/O thread is done.
pub fn convoy(calls: u32, call: Duration, interval: Duration) -> (Duration, Duration) {
    let gil = Gil::new(interval, Timeline::new());
    let alone = run_threads(&gil, &["io"], |py, _| poll(py, calls, call))[0];
    let io_done = AtomicBool::new(false);
    let results = run_threads(&gil, &["io", "cpu"], |py, index| {
        if index == 0 {
            let per_call = poll(py, calls, call);
            io_done.store(true, Relaxed);
            per_call
        } else {
            // Simulated Python, busy until the I/O thread has finished.
            while !io_done.load(Relaxed) {
                py_fib(py, 20);
            }
            Duration::ZERO
        }
    });
    (alone, results[0])
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let calls = if ctx.quick() { 20 } else { 100 };
    let interval = crate::switch_interval(ctx.settings());
    let (alone, beside) = convoy(calls, CALL, interval);
    let share = CpuShare::measure(2);
    out.line(format!(
        "{calls} blocking calls of 100 µs, switch interval {}:",
        units::duration(interval)
    ));
    let table = Table::new(["I/O thread", "time per 100 µs call"])
        .row(["alone", &out.time(alone)])
        .row(["beside a CPU-bound thread", &out.time(beside)]);
    out.table(&table);
    out.line(format!(
        "Each call took {} as long beside the CPU-bound thread.",
        out.ratio(beside.as_secs_f64() / alone.as_secs_f64())
    ));
    out.verdict(verdict(
        "Under the simulated GIL",
        alone,
        beside,
        interval,
        &share,
    ));
    out.blank();
    workshop::python::compare(ctx, &script(), |python, script| {
        let report = python.run(&script.path, &[calls.to_string()], Duration::from_secs(60))?;
        let seconds = |name| report.number(name).map(Duration::from_secs_f64);
        let (py_alone, py_beside) = (seconds("alone")?, seconds("beside")?);
        let py_interval = seconds("interval")?;
        let table = Table::new(["per 100 µs call", &python.describe(), "simulated GIL"])
            .row(["alone", &out.time(py_alone), &out.time(alone)])
            .row([
                "beside a CPU-bound thread",
                &out.time(py_beside),
                &out.time(beside),
            ]);
        out.table(&table);
        out.verdict(verdict("CPython", py_alone, py_beside, py_interval, &share));
        Ok(())
    })
}

/// The CPython script: the same loop, alone and beside a busy thread.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "convoy.py")
}

/// What the time per call alone and beside a CPU-bound thread says, given
/// the switch interval.
pub fn verdict(
    who: &str,
    alone: Duration,
    beside: Duration,
    interval: Duration,
    share: &CpuShare,
) -> String {
    let factor = beside.as_secs_f64() / alone.as_secs_f64();
    let waited = beside.saturating_sub(alone);
    let per_interval = waited.as_secs_f64() / interval.as_secs_f64();
    let (waited, interval) = (units::duration(waited), units::duration(interval));
    let said = if factor < 1.5 {
        format!(
            "{who}: each call took about as long beside the busy thread ({factor:.1}×): \
             no convoy this time."
        )
    } else if (0.5..=1.5).contains(&per_interval) {
        format!(
            "{who}: each call waited {waited} more, about one {interval} interval: \
             after every call, the I/O thread waited for the busy one to be asked \
             to let go of the GIL."
        )
    } else if per_interval < 0.5 {
        format!(
            "{who}: each call waited {waited} more, {factor:.1}× slower but less \
             than one {interval} interval: the busy thread often let go sooner."
        )
    } else {
        format!(
            "{who}: each call waited {waited} more, more than one {interval} \
             interval: the I/O thread also waited for a core."
        )
    };
    if share.busy() {
        format!("{said} (The machine is busy, which adds waiting of its own.)")
    } else {
        said
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS5: Duration = Duration::from_millis(5);

    fn us(n: u64) -> Duration {
        Duration::from_micros(n)
    }

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_verdict_follows_the_wait_per_call() {
        let idle = share(1.95);
        // The figures the lesson used to quote for CPython 3.11.
        let convoy = verdict("CPython", us(180), us(5400), MS5, &idle);
        assert!(convoy.contains("about one 5.00 ms interval"), "{convoy}");
        let none = verdict("CPython", us(180), us(250), MS5, &idle);
        assert!(none.contains("no convoy"), "{none}");
        let short = verdict("sim", us(160), us(1000), MS5, &idle);
        assert!(short.contains("less than one 5.00 ms interval"), "{short}");
        let long = verdict("sim", us(160), us(9000), MS5, &idle);
        assert!(long.contains("more than one 5.00 ms"), "{long}");
        let busy = verdict("sim", us(160), us(5300), MS5, &share(0.7));
        assert!(busy.contains("machine is busy"), "{busy}");
    }
}
