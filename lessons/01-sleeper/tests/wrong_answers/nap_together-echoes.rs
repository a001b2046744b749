// Wrong answer to `nap_together`: the threads nap at once, but the answer
// returns the naps it was asked for instead of what each thread measured.
// Caught by: measure

pub use sleeper::solutions::*;

use std::thread;
use std::time::Duration;

pub fn nap_together(naps: &[Duration]) -> Vec<Duration> {
    let handles: Vec<_> = naps
        .iter()
        .map(|&nap| thread::spawn(move || thread::sleep(nap)))
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    naps.to_vec()
}
