// Wrong answer to `nap_together`: joins each thread in the loop that
// starts it, so the naps run one after another.
// Caught by: one by one

pub use sleeper::solutions::*;

use std::thread;
use std::time::{Duration, Instant};

pub fn nap_together(naps: &[Duration]) -> Vec<Duration> {
    naps.iter()
        .map(|&nap| {
            thread::spawn(move || {
                let start = Instant::now();
                thread::sleep(nap);
                start.elapsed()
            })
            .join()
            .unwrap()
        })
        .collect()
}
