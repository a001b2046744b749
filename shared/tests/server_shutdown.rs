//! No thread of the slow service outlives it. The check counts this
//! process's threads by name, so it has a test binary to itself: another
//! test's service would be counted too.

use std::time::Duration;

use workshop::server::SlowService;
use workshop::testing::deadline;

#[test]
fn no_thread_outlives_the_service() {
    let during = deadline(|| {
        let service = SlowService::start(Duration::from_millis(200), 8).unwrap();
        let client = service.client();
        // Four requests under way while the threads are counted.
        let requests: Vec<_> = (0..4)
            .map(|i| std::thread::spawn(move || client.fetch(&format!("/{i}"))))
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        let during = workshop::server::service_threads();
        for request in requests {
            request.join().unwrap().unwrap();
        }
        during
    });
    // Where the platform does not name threads, the helper says it skipped.
    if let Some(during) = during {
        assert!(during >= 1, "the service's threads were not seen");
    }
    workshop::testing::check_no_service_threads("the service stopped");
}
