//! The serial fraction is measured in CPU time, which is counted for the
//! whole process: this claim has a test binary to itself, so that no other
//! test's threads add to it.

use pools::amdahl;
use workshop::testing::deadline;

#[test]
fn the_serial_part_is_measured_and_caps_the_prediction() {
    let measured = deadline(|| amdahl::measure(&amdahl::Workload::sized(22), &[1, 2])).unwrap();
    let p = measured.parallel_fraction;
    assert!(
        p > 0.6 && p < 0.98,
        "one fib(23) before sixteen fib(22) leaves about 91% of the work parallel, measured {p:.3}"
    );
    assert_eq!(measured.speedups.len(), 2);
    assert!(amdahl::predicted(p, 64.0) < 1.0 / (1.0 - p));
}
