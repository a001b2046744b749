//! What [`workshop::testing::within`] says when the work does not finish:
//! a loop that spins and a thread that waits are told apart by the CPU
//! time the process used. CPU time is counted per process, so these cases
//! have a test binary to themselves, and run one after the other.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use workshop::panics::message;
use workshop::process_cpu_times;
use workshop::testing::within;

const LIMIT: Duration = Duration::from_millis(500);

/// The deadline's message for `work`, which must not finish in time, and
/// the share of one core the process used meanwhile, as measured here.
fn stuck(work: impl FnOnce() + Send + 'static) -> (String, Option<f64>) {
    let began = (Instant::now(), process_cpu_times());
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| within(LIMIT, work)));
    let wall = began.0.elapsed().as_secs_f64();
    let cores = match (began.1, process_cpu_times()) {
        (Some(before), Some(now)) => Some((now.total() - before.total()).as_secs_f64() / wall),
        _ => None,
    };
    let panic = caught.expect_err("the work was meant to miss its deadline");
    (message(&*panic), cores)
}

#[test]
fn waiting_and_spinning_are_told_apart() {
    // A thread waiting for a message that never comes.
    let (_keep_open, never) = mpsc::channel::<()>();
    let (waiting, _) = stuck(move || {
        let _ = never.recv();
    });
    assert!(
        waiting.starts_with("deadlock likely: waiting for something that never happens"),
        "{waiting}"
    );
    assert!(
        waiting.contains("`waiting_and_spinning_are_told_apart`"),
        "{waiting}"
    );
    // Windows writes the location with backslashes.
    let location = waiting.replace('\\', "/");
    assert!(location.contains("shared/tests/deadline.rs"), "{waiting}");
    if process_cpu_times().is_some() {
        assert!(waiting.contains("of CPU time"), "{waiting}");
    }

    // A loop that runs past the deadline (and then stops, so that nothing
    // is left running).
    let (spinning, cores) = stuck(|| {
        let started = Instant::now();
        while started.elapsed() < LIMIT * 2 {
            std::hint::spin_loop();
        }
    });
    // A machine so busy that the loop got under a fifth of a core cannot
    // tell; anywhere else the loop must be seen.
    if cores.is_some_and(|c| c >= 0.2) {
        assert!(
            spinning.starts_with("still running: a loop that never ends, or far too slow"),
            "{spinning} (the process used {cores:?} of a core)"
        );
    }
}
