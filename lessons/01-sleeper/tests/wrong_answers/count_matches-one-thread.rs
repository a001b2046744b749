// Wrong answer to `count_matches`: starts a single thread that tests every
// number itself, whatever `threads` says: the count is right, nothing is
// shared.
// Caught by: 4 threads asked for, 1 did the testing

pub use sleeper::solutions::*;

use std::sync::{Arc, Mutex};
use std::thread;

pub fn count_matches(total: u64, _threads: u64, test: fn(u64) -> bool) -> u64 {
    let matches = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&matches);
    thread::spawn(move || {
        for n in 0..total {
            if test(n) {
                *counter.lock().unwrap() += 1;
            }
        }
    })
    .join()
    .unwrap();
    *matches.lock().unwrap()
}
