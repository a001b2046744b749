// Wrong answer to `queue_join`: hands over the items, then sleeps a fixed
// half second instead of waiting for the acknowledgements.
// Caught by: fixed time

pub use queues::solutions::*;

use std::time::Duration;

use crossbeam_channel::{Sender, unbounded};

pub fn queue_join(workers: &Sender<Task>, items: &[u64]) -> usize {
    let (done, _acks) = unbounded();
    for &item in items {
        let _ = workers.send(Task { item, done: done.clone() });
    }
    std::thread::sleep(Duration::from_millis(500));
    items.len()
}
