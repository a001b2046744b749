//! Sleeping costs wall time, not CPU time. CPU time is counted for the whole
//! process, so this claim has a test binary to itself: no other test may
//! burn CPU beside it.

use std::time::Duration;

use sleeper::many;
use workshop::{Out, testing::deadline};

#[test]
fn sleeping_threads_use_almost_no_cpu() {
    let nap = Duration::from_millis(300);
    let comparison = deadline(move || many::compare(3, nap, &Out::capture(true))).unwrap();
    for (version, (measured, _)) in [
        ("one after another", comparison.one_after_another),
        ("all at once", comparison.all_at_once),
    ] {
        let Some(cpu) = measured.cpu else { return }; // not reported on this platform
        assert!(
            cpu.total() < measured.wall / 4,
            "{version}: {:?} of CPU in {:?} of wall time, for threads that only sleep",
            cpu.total(),
            measured.wall
        );
    }
}
