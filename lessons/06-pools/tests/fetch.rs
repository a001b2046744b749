//! Fetching 16 pages of 100 ms: one after another about 1.6 s, a pool of 4
//! about 0.4 s, one thread per request about 0.1 s, and CPU time near zero
//! whichever way. CPU time is counted for the whole process, so this claim
//! has a test binary to itself; the wall-time margins are what a loaded
//! two-core laptop holds (it wakes sleepers late, never early).

use std::time::Duration;

use pools::fetch::{self, Source};
use workshop::server::SlowService;
use workshop::testing::within;

const LATENCY: Duration = Duration::from_millis(100);

#[test]
fn sixteen_pages_of_100_ms_take_their_latency_bound_and_no_cpu() {
    let (ways, served) = within(Duration::from_secs(60), || {
        let service = SlowService::start(LATENCY, 3 * fetch::REQUESTS).unwrap();
        let source = Source::Service(service.client());
        let ways = fetch::fetch_many(source, fetch::REQUESTS, fetch::WORKERS, LATENCY);
        (ways, service.stop())
    });
    assert_eq!(served.answered, 3 * fetch::REQUESTS, "{served:?}");
    let [sequential, threads, pool] = &ways[..] else {
        panic!("three ways expected")
    };
    for way in &ways {
        assert!(way.failed.is_none(), "{}: {:?}", way.name, way.failed);
    }
    let within = |way: &fetch::Way, low: u64, high: u64| {
        let wall = way.measured.wall;
        assert!(
            wall >= Duration::from_millis(low) && wall < Duration::from_millis(high),
            "{} took {wall:?}, expected {low} ms to {high} ms",
            way.name
        );
    };
    within(sequential, 1600, 3200);
    within(pool, 400, 1200);
    within(threads, 100, 700);
    // Waiting costs no CPU, however busy the machine: load can stretch the
    // wall time, never add work. Each way's CPU time, by the least the
    // reading allows on a CPU clock that may tick coarsely, is a small part
    // of the 1.6 s its requests waited. (The service runs in this process,
    // so its threads are counted too.)
    for way in &ways {
        if let Some(share) = way.cpu_per_wait() {
            assert!(
                share < fetch::NEAR_ZERO_CPU,
                "{} used {:?} of CPU, {share:.2} of the {:?} its requests waited",
                way.name,
                way.measured.cpu_total(),
                way.waited
            );
        }
    }
}
