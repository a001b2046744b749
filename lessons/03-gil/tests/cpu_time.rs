//! CPU time against wall time. CPU time is counted for the whole process,
//! so these claims have a test binary, and a single test, to themselves.
//!
//! A CPU reading is only as good as the clock: within one tick of the
//! truth, and Windows ticks every 15.6 ms. So the work measured here is
//! made long enough for this machine's clock (`sized_for_the_cpu_clock`),
//! and each claim is checked against the bounds of the reading
//! (`cpu_bounds`), never against the reading alone.

use std::time::Duration;

use gil::{experiment, kinds};
use workshop::server::SlowService;
use workshop::testing::{sized_for_the_cpu_clock, within};

#[test]
fn cpu_time_tells_the_kinds_of_work_and_the_gil_apart() {
    let (cpu_bound, io_bound) = within(Duration::from_secs(60), || {
        sized_for_the_cpu_clock(
            &[250, 500, 700],
            |size| {
                let service = SlowService::start(Duration::from_millis(300), 1).unwrap();
                kinds::both_kinds(size as usize, || kinds::query(&service.client())).unwrap()
            },
            |(cpu_bound, _)| cpu_bound,
        )
    });
    let (Some((_, io_most)), Some((cpu_least, _))) =
        (io_bound.cpu_bounds(), cpu_bound.cpu_bounds())
    else {
        return; // this platform reports no CPU time
    };
    // Waiting uses almost no CPU, however busy the machine: even the most
    // the reading allows is a small part of the wall time.
    let io_most_per_wall = io_most.as_secs_f64() / io_bound.wall.as_secs_f64();
    assert!(
        io_most_per_wall < 0.2,
        "a query over a socket used up to {io_most_per_wall:.2} s of CPU per second"
    );
    // The matrix product's CPU time is its work, which load does not
    // change (load stretches its wall time instead, so CPU/wall is the
    // lesson's to report, not this test's to assert).
    assert!(
        cpu_least > io_most * 10,
        "a matrix product used at least {cpu_least:?} of CPU (CPU/wall {:.2}), \
         a 300 ms query up to {io_most:?}",
        cpu_bound.cpu_per_wall().unwrap_or_default()
    );

    // Two fib(34) take about 60 ms in turns, 30 ms in parallel: on a clock
    // with 16 ms ticks, the least CPU/wall a reading allows is then within
    // 0.55 of the truth, so two threads running in parallel (2.0) would
    // still fail the claim.
    let e = within(Duration::from_secs(30), || {
        experiment::run_experiment(34, Duration::from_millis(5))
    });
    let (gil_least, _) = e.threads_gil.cpu_per_wall_bounds().unwrap_or_default();
    // One holder at a time: at most about one core's worth of CPU. (The
    // wall-time ratio to the sequential run is reported by the lesson, not
    // asserted: on a machine this busy, the same work takes anywhere from
    // one to two and a half times as long from one run to the next.)
    assert!(
        gil_least < 1.25,
        "two threads under the GIL used at least {gil_least:.2} cores"
    );
}
