// Wrong answer to `worker_pool`: `execute` waits until a worker has taken
// the job, so a caller blocks whenever every worker is busy. (Built on the
// reference pool: the job says when it starts.)
// Caught by: return at once

pub use pools::solutions::*;

use pools::solutions as reference;
use std::sync::mpsc;

pub struct WorkerPool(reference::WorkerPool);

impl WorkerPool {
    pub fn new(workers: usize) -> Self {
        WorkerPool(reference::WorkerPool::new(workers))
    }

    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        let (started, has_started) = mpsc::channel();
        self.0.execute(move || {
            let _ = started.send(());
            job();
        });
        let _ = has_started.recv();
    }
}
