//! Two threads racing on one count lose updates; `fetch_add` never does.
//! Updates are lost when the threads run at the same moment on two cores,
//! or when one is interrupted between its read and its write while the
//! other runs. On a machine whose cores are busy with other work, a short
//! run gets neither: each thread does all its work within one time slice.
//! So the runs here are long enough to span many time slices (tens of
//! milliseconds each), and a few tries are allowed. The two tests take
//! turns, and have a test binary to themselves.

use refcounting::race::{self, Verdict};
use workshop::testing::deadline;

/// The two tests race one at a time: each needs both cores.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn read_then_write_loses_updates_and_fetch_add_never_does() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    const PER_THREAD: u64 = 20_000_000;
    let mut lost = Vec::new();
    for _ in 0..10 {
        let race = deadline(|| race::racy_increments(PER_THREAD));
        assert!(
            race.count <= 2 * PER_THREAD,
            "updates invented: {}",
            race.count
        );
        let lost_now = 2 * PER_THREAD - race.count;
        assert!(
            race.overlapped || lost_now == 0,
            "threads that ran one after the other lost {lost_now} updates"
        );
        lost.push(lost_now);
        if lost_now > 0 {
            break;
        }
    }
    assert!(
        lost.iter().any(|&n| n > 0),
        "no update lost in {} tries of 2 × {PER_THREAD}",
        lost.len()
    );
    for _ in 0..3 {
        let race = deadline(|| race::atomic_increments(2_000_000));
        assert_eq!(race.count, 4_000_000, "fetch_add lost an update");
    }
}

#[test]
fn a_racy_refcount_ends_off_the_truth() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut finals = Vec::new();
    for _ in 0..10 {
        let race = deadline(|| race::simulated_refcount(10_000_000));
        finals.push(race.count);
        if race.count != 1 {
            break;
        }
    }
    assert!(
        finals.iter().any(|&c| Verdict::of(c, 1) != Verdict::Right),
        "the racy count came out right every time: {finals:?}"
    );
}
