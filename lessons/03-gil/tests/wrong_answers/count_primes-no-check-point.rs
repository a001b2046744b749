// Wrong answer to `count_primes`: correct counts, but no check point, so
// under a GIL nobody else runs until it is done.
// Caught by: check point

pub use gil::solutions::*;

use gil::gil::CheckPoint;

pub fn count_primes(_py: &impl CheckPoint, limit: u64) -> u64 {
    (2..limit)
        .filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
        .count() as u64
}
