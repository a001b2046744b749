// Wrong answer to `sum_in_threads`: adds everything up on the caller's
// thread; the sum is right.
// Caught by: no thread was summing

pub use sleeper::solutions::*;

pub fn sum_in_threads(numbers: &[u64], _threads: usize) -> u64 {
    numbers.iter().sum()
}
