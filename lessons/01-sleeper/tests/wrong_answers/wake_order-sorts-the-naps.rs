// Wrong answer to `wake_order`: starts no thread; sorts the naps, sleeps
// the longest itself and writes the names out, which looks the same from
// outside.
// Caught by: no thread named sleeper-

pub use sleeper::solutions::*;

use std::thread;
use std::time::Duration;

pub fn wake_order(naps: &[Duration]) -> Vec<String> {
    let mut order: Vec<usize> = (0..naps.len()).collect();
    order.sort_by_key(|&i| naps[i]);
    if let Some(&longest) = naps.iter().max() {
        thread::sleep(longest);
    }
    order.into_iter().map(|i| format!("sleeper-{i}")).collect()
}
