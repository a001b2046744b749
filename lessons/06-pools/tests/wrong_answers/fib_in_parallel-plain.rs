// Wrong answer to `fib_in_parallel`: plain `fib`, no rayon at all. Right
// and fast, but nothing runs in parallel.
// Caught by: rayon::join

pub use pools::solutions::*;

pub fn fib_in_parallel(n: u32, _cutoff: u32) -> u64 {
    workshop::fib(n)
}
