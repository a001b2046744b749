//! Two threads racing on one count lose updates; `fetch_add` never does.
//! The race needs both threads running at the same moment, so this has a
//! test binary to itself: other tests beside it would take a core away, and
//! threads that run in turns lose nothing.

use refcounting::race::{self, Verdict};
use workshop::testing::deadline;

/// The two tests race one at a time: each needs both cores.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn read_then_write_loses_updates_and_fetch_add_never_does() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    const PER_THREAD: u64 = 2_000_000;
    // On a busy machine the two threads may run in turns on one core and
    // lose nothing; a few tries make a run that overlaps all but certain.
    let mut lost = Vec::new();
    for _ in 0..10 {
        let total = deadline(|| race::racy_increments(2, PER_THREAD));
        assert!(total <= 2 * PER_THREAD, "updates invented: {total}");
        lost.push(2 * PER_THREAD - total);
        if lost.last() > Some(&0) {
            break;
        }
    }
    assert!(
        lost.iter().any(|&n| n > 0),
        "no update lost in {} tries of 2 × {PER_THREAD}",
        lost.len()
    );
    for _ in 0..3 {
        let total = deadline(|| race::atomic_increments(2, PER_THREAD));
        assert_eq!(total, 2 * PER_THREAD, "fetch_add lost an update");
    }
}

#[test]
fn a_racy_refcount_ends_off_the_truth() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut finals = Vec::new();
    for _ in 0..10 {
        let count = deadline(|| race::simulated_refcount(2_000_000));
        finals.push(count);
        if count != 1 {
            break;
        }
    }
    assert!(
        finals.iter().any(|&c| Verdict::of(c, 1) != Verdict::Right),
        "the racy count came out right every time: {finals:?}"
    );
}
