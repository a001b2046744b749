// Wrong answer to `count_matches`: each thread's `while` loop forgets to
// move on to its next number, so it never ends.
// Caught by: still running

pub use sleeper::solutions::*;

use std::sync::{Arc, Mutex};
use std::thread;

pub fn count_matches(total: u64, threads: u64, test: fn(u64) -> bool) -> u64 {
    let matches = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..threads.max(1))
        .map(|t| {
            let matches = Arc::clone(&matches);
            thread::spawn(move || {
                let n = t;
                while n < total {
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
