//! What each design costs: the one claim about timing that the lesson
//! makes, checked with a wide margin. Micro-benchmarks suffer from anything
//! else running at the same time, so this has a test binary to itself.

use queues::costs;
use workshop::testing::deadline;

#[test]
fn a_message_to_an_owner_costs_more_than_an_atomic_increment() {
    let (timings, exact) = deadline(|| costs::compare(2, 200_000, 5));
    assert!(exact, "a design lost or invented an increment");
    let names: Vec<&str> = timings.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, costs::DESIGNS);
    let atomic = &timings[0];
    for owner in &timings[2..] {
        // Sending a message is itself a few atomic operations on the
        // channel, plus the owner's work to take it out: it cannot be
        // cheaper than one atomic increment.
        assert!(
            owner.ratio_to(atomic) > 1.0,
            "{} cost {:.1} ns per increment, the atomic {:.1} ns",
            owner.name,
            owner.seconds_per_op * 1e9,
            atomic.seconds_per_op * 1e9
        );
    }
}
