//! What safety costs: the orderings the lesson's tables rely on, and only
//! those that hold on any machine, with margins for a loaded one.
//! Micro-benchmarks suffer from anything else running at the same time, so
//! these have a test binary to themselves, and the tests in it take turns.

use std::sync::Mutex;

use refcounting::{biased, costs};
use workshop::testing::deadline;

/// The tests of this binary measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn ns(seconds: f64) -> String {
    format!("{:.1} ns", seconds * 1e9)
}

#[test]
fn an_arc_costs_more_than_an_rc() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let timings = deadline(|| costs::compare(100_000, 15));
    assert_eq!(timings.len(), costs::VARIANTS.len());
    let (rc, arc) = (&timings[0], &timings[1]);
    // An atomic read-modify-write against a plain add: several times the
    // cost on every processor we know of. Twice is a wide margin.
    assert!(
        arc.ratio_to(rc) > 2.0,
        "Arc clone+drop {}, Rc clone+drop {}",
        ns(arc.seconds_per_op),
        ns(rc.seconds_per_op)
    );
    // A lock and an unlock are at least one atomic read-modify-write
    // each, against one for an atomic count.
    let (mutex, atomic) = (&timings[3], &timings[7]);
    assert!(
        mutex.ratio_to(atomic) > 1.0,
        "a Mutex per object {}, atomic counts {}",
        ns(mutex.seconds_per_op),
        ns(atomic.seconds_per_op)
    );
}

#[test]
fn the_biased_owner_path_costs_less_than_an_arc() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let timings = deadline(|| biased::compare(100_000, 15));
    let (arc, owner) = (&timings[1], &timings[2]);
    // Plain loads and stores against atomic read-modify-writes. The owner
    // is handed its identity (`Me`) instead of reading a thread-local at
    // every operation, so this holds on every target, whatever its
    // thread-locals cost (on windows-gnu they are calls into the OS).
    assert!(
        owner.ratio_to(arc) < 1.0,
        "biased owner path {}, Arc {}",
        ns(owner.seconds_per_op),
        ns(arc.seconds_per_op)
    );
}
