// Wrong answer to `worker_pool`: `drop` joins the workers while the pool
// still holds the queue's sender, so the queue never closes and every
// worker waits for another job for ever.
// Caught by: deadlock likely

pub use pools::solutions::*;

use crossbeam_channel::{Sender, unbounded};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread::{self, JoinHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct WorkerPool {
    jobs: Sender<Job>,
    workers: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = unbounded::<Job>();
        let workers = (0..workers.max(1))
            .map(|_| {
                let queue = queue.clone();
                thread::spawn(move || {
                    for job in queue.iter() {
                        let _ = catch_unwind(AssertUnwindSafe(job));
                    }
                })
            })
            .collect();
        WorkerPool { jobs, workers }
    }

    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs.send(Box::new(job)).unwrap();
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        // The sender is dropped only after this, with the struct's fields.
        for worker in self.workers.drain(..) {
            worker.join().unwrap();
        }
    }
}
