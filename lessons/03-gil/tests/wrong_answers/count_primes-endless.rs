// Wrong answer to `count_primes`: a `while` loop that forgets to move on
// to the next candidate, so it never ends.
// Caught by: still running

pub use gil::solutions::*;

use gil::gil::CheckPoint;

pub fn count_primes(py: &impl CheckPoint, limit: u64) -> u64 {
    let mut primes = 0;
    let candidate = 2;
    while candidate < limit {
        py.check();
        if (2..candidate).all(|d| candidate % d != 0) {
            primes += 1;
        }
    }
    primes
}
