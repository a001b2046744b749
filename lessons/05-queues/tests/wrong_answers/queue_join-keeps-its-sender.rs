// Wrong answer to `queue_join`: reads the acknowledgements to the end
// without dropping its own sender first, so the channel never ends.
// Caught by: deadlock likely

pub use queues::solutions::*;

use crossbeam_channel::{Sender, unbounded};

pub fn queue_join(workers: &Sender<Task>, items: &[u64]) -> usize {
    let (done, acks) = unbounded();
    for &item in items {
        let _ = workers.send(Task { item, done: done.clone() });
    }
    acks.iter().count()
}
