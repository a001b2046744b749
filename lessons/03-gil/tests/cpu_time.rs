//! CPU time against wall time. CPU time is counted for the whole process,
//! so these claims have a test binary, and a single test, to themselves.

use std::time::Duration;

use gil::{experiment, kinds};
use workshop::server::SlowService;
use workshop::testing::within;

#[test]
fn cpu_time_tells_the_kinds_of_work_and_the_gil_apart() {
    let (cpu_bound, io_bound) = within(Duration::from_secs(30), || {
        let service = SlowService::start(Duration::from_millis(300), 1).unwrap();
        kinds::both_kinds(250, || kinds::query(&service.client())).unwrap()
    });
    let (Some(cpu), Some(io)) = (cpu_bound.cpu_per_wall(), io_bound.cpu_per_wall()) else {
        return; // this platform reports no CPU time
    };
    // Waiting uses almost no CPU, however busy the machine.
    assert!(
        io < 0.2,
        "a query over a socket used {io:.2} s of CPU per second"
    );
    // The matrix product's CPU time is its work, which load does not
    // change (load stretches its wall time instead, so CPU/wall is the
    // lesson's to report, not this test's to assert).
    let (Some(cpu_time), Some(io_time)) = (cpu_bound.cpu, io_bound.cpu) else {
        return;
    };
    assert!(
        cpu_time.total() > io_time.total() * 10,
        "a 250×250 matrix product used {:?} of CPU (CPU/wall {cpu:.2}), a 300 ms query {:?}",
        cpu_time.total(),
        io_time.total()
    );

    let e = within(Duration::from_secs(30), || {
        experiment::run_experiment(32, Duration::from_millis(5))
    });
    let gil = e.threads_gil.cpu_per_wall().unwrap_or(0.0);
    // One holder at a time: at most about one core's worth of CPU. (The
    // wall-time ratio to the sequential run is reported by the lesson, not
    // asserted: on a machine this busy, the same work takes anywhere from
    // one to two and a half times as long from one run to the next.)
    assert!(gil < 1.25, "two threads under the GIL used {gil:.2} cores");
}
