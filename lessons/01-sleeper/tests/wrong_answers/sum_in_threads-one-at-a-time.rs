// Wrong answer to `sum_in_threads`: a scoped thread per part, but each is
// joined before the next starts, so the parts never overlap.
// Caught by: never more than one summing thread

pub use sleeper::solutions::*;

use std::thread;

pub fn sum_in_threads(numbers: &[u64], threads: usize) -> u64 {
    let chunk = numbers.len().div_ceil(threads.max(1)).max(1);
    thread::scope(|s| {
        numbers
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().sum::<u64>()).join().unwrap())
            .sum()
    })
}
