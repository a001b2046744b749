//! How often two busy threads trade the GIL. The rate depends on how soon
//! the scheduler runs a thread that has timed out, so this test has a
//! binary to itself: other tests in the same process would take the cores.

use std::time::Duration;

use gil::watch;
use workshop::testing::deadline;

#[test]
fn switches_come_about_once_per_interval_and_never_faster() {
    let interval = Duration::from_millis(2);
    let (measured, stats, _) = deadline(move || watch::two_busy_threads(33, interval));
    let per_second = stats.switches as f64 / measured.wall.as_secs_f64();
    let once_per_interval = 1.0 / interval.as_secs_f64();
    // Every switch needs a waiter whose wait of one interval timed out, so
    // switching faster than that would mean the drop-request rule is broken.
    assert!(
        per_second < 1.5 * once_per_interval,
        "{per_second:.0} switches per second with a {interval:?} interval"
    );
    // Slower is the scheduler's doing: a busy machine runs the timed-out
    // waiter late, so the rate per wall-clock second says little under
    // load. What must hold is that drop requests are honoured at all: two
    // threads computing fib(33) keep the GIL busy for dozens of intervals,
    // so they trade it many times. A holder that ignored the requests would
    // hand it over once, when its work ends.
    assert!(
        stats.drop_requests > 0 && stats.switches >= 5,
        "{} switches after {} drop requests in {:?}: are drop requests honoured?",
        stats.switches,
        stats.drop_requests,
        measured.wall
    );
}
