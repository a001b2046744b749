// Wrong answer to `fib_in_parallel`: joins at every level, ignoring the
// cutoff; on an idle two-core machine it is only 2 to 2.4 times slower
// than plain fib, but on one rayon thread 4 to 5 times.
// Caught by: stop joining at the cutoff

pub use pools::solutions::*;

pub fn fib_in_parallel(n: u32, cutoff: u32) -> u64 {
    if n < 2 {
        return u64::from(n);
    }
    let (a, b) = rayon::join(
        || fib_in_parallel(n - 1, cutoff),
        || fib_in_parallel(n - 2, cutoff),
    );
    a + b
}
