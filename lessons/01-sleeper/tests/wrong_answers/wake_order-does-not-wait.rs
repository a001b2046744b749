// Wrong answer to `wake_order`: sorts the naps and answers at once, with
// no thread and no sleep.
// Caught by: before the 600 ms sleeper woke

pub use sleeper::solutions::*;

use std::time::Duration;

pub fn wake_order(naps: &[Duration]) -> Vec<String> {
    let mut order: Vec<usize> = (0..naps.len()).collect();
    order.sort_by_key(|&i| naps[i]);
    order.into_iter().map(|i| format!("sleeper-{i}")).collect()
}
