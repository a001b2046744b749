// Wrong answer to `worker_pool`: each worker polls the queue with
// `try_recv` and goes round again whatever it says, so when the queue is
// closed it never stops, and `drop`, joining, waits for ever beside
// workers burning the CPU.
// Caught by: still running

pub use pools::solutions::*;

use crossbeam_channel::{Sender, unbounded};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread::{self, JoinHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct WorkerPool {
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = unbounded::<Job>();
        let workers = (0..workers.max(1))
            .map(|_| {
                let queue = queue.clone();
                thread::spawn(move || loop {
                    if let Ok(job) = queue.try_recv() {
                        let _ = catch_unwind(AssertUnwindSafe(job));
                    }
                })
            })
            .collect();
        WorkerPool {
            jobs: Some(jobs),
            workers,
        }
    }

    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            jobs.send(Box::new(job)).unwrap();
        }
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            worker.join().unwrap();
        }
    }
}
