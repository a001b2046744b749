//! The serial fraction is measured in CPU time, which is counted for the
//! whole process: this claim has a test binary to itself, so that no other
//! test's threads add to it.

use pools::amdahl::{self, Basis};
use workshop::testing::deadline;

#[test]
fn the_serial_part_is_measured_and_caps_the_prediction() {
    let measured = deadline(|| amdahl::measure(&amdahl::Workload::sized(22), &[1, 2])).unwrap();
    let p = measured.parallel_fraction;
    assert!(
        p > 0.6 && p < 0.98,
        "one fib(23) before sixteen fib(22) leaves about 91% of the work parallel, \
         measured {p:.3} in {}",
        measured.basis.describe()
    );
    assert_eq!(measured.speedups.len(), 2);
    assert!(amdahl::predicted(p, 64.0) < 1.0 / (1.0 - p));
    // fib(23) takes a fraction of a millisecond: many ticks of a clock
    // that counts microseconds, less than one of a clock that ticks every
    // few milliseconds (Windows: 15.6 ms), where wall time must stand in.
    match workshop::cpu_resolution() {
        Some(tick) if tick <= std::time::Duration::from_micros(5) => {
            assert_eq!(measured.basis, Basis::CpuTime)
        }
        Some(tick) if tick >= std::time::Duration::from_millis(1) => assert!(
            matches!(&measured.basis, Basis::WallTime(why) if why.contains("CPU clock")),
            "{}",
            measured.basis.describe()
        ),
        _ => {}
    }
}
