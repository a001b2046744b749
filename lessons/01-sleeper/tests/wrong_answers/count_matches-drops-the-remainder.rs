// Wrong answer to `count_matches`: gives each thread `total / threads`
// numbers in a row, rounded down, so the last `total % threads` numbers
// are never tested.
// Caught by: never tested: [100, 101, 102]

pub use sleeper::solutions::*;

use std::sync::{Arc, Mutex};
use std::thread;

pub fn count_matches(total: u64, threads: u64, test: fn(u64) -> bool) -> u64 {
    let threads = threads.max(1);
    let size = total / threads;
    let matches = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let matches = Arc::clone(&matches);
            thread::spawn(move || {
                for n in t * size..(t + 1) * size {
                    if test(n) {
                        *matches.lock().unwrap() += 1;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    *matches.lock().unwrap()
}
