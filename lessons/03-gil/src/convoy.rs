//! Section `convoy`: the convoy effect, an I/O thread stuck behind a CPU-bound one.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

use workshop::{Ctx, Outcome, Section, Table, Timeline};

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
        and then next to a CPU-bound thread. Measured in CPython 3.11 on this
        machine, the same loop went from about 0.18 ms to about 5.4 ms per
        call. Compare the factor you get here.
    ",
    python: r#"
        def poll(device):
            for _ in range(100):
                time.sleep(0.0001)   # 100 µs, GIL released

        # alone: ~0.18 ms per call; beside a busy thread: ~5.4 ms
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
    let table = Table::new(["I/O thread", "time per 100 µs call", "CPython 3.11"])
        .row(["alone", &out.time(alone), "≈ 0.18 ms"])
        .row(["beside a CPU-bound thread", &out.time(beside), "≈ 5.4 ms"]);
    out.line(format!(
        "{calls} blocking calls of 100 µs, switch interval {}:",
        workshop::units::duration(interval)
    ));
    out.table(&table);
    out.line(format!(
        "Each call got {} slower: after every call, the I/O thread waited about one interval for the GIL.",
        out.ratio(beside.as_secs_f64() / alone.as_secs_f64())
    ));
    Ok(())
}
