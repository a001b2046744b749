// Wrong answer to `count_primes`: recites a table of the limits the tests
// used to try (with a check point per number, so the GIL test passes).
// Caught by: primes below

pub use gil::solutions::*;

use gil::gil::CheckPoint;

pub fn count_primes(py: &impl CheckPoint, limit: u64) -> u64 {
    for _ in 2..limit {
        py.check();
    }
    match limit {
        10 => 4,
        1000 => 168,
        500_000 => 41_538,
        _ => 0,
    }
}
