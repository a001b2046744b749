//! Reference solutions to the exercises in [`crate::exercises`]: same
//! signatures, so any body here can be copied over a `todo!()` there.
//! `cargo test` runs the exercise tests against these; `cargo xtask verify`
//! proves the tests fail on the stubs and pass here.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender, unbounded};
use workshop::fib;

/// A job for the pool.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// # Exercise 1: `fib_in_parallel`
pub fn fib_in_parallel(n: u32, cutoff: u32) -> u64 {
    if n <= cutoff || n < 2 {
        return fib(n);
    }
    let (a, b) = rayon::join(
        || fib_in_parallel(n - 1, cutoff),
        || fib_in_parallel(n - 2, cutoff),
    );
    a + b
}

/// # Exercise 2: `ordered_map`
///
/// Items go out through a channel with their index, so any free worker
/// takes the next one; results come back with the index and are put back
/// in place.
pub fn ordered_map<T: Send, R: Send>(
    items: Vec<T>,
    workers: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let count = items.len();
    let (work, queue) = unbounded();
    for pair in items.into_iter().enumerate() {
        work.send(pair).expect("the queue is open");
    }
    drop(work);
    let (done, results) = unbounded();
    let f = &f;
    thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let (queue, done) = (queue.clone(), done.clone());
            s.spawn(move || {
                for (index, item) in queue.iter() {
                    let _ = done.send((index, f(item)));
                }
            });
        }
    });
    drop(done);
    let mut slots: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in results.iter() {
        slots[index] = Some(result);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every item was processed"))
        .collect()
}

/// # Exercise 3: `worker_pool`
pub struct WorkerPool {
    /// `None` once the pool is being dropped: that closes the queue.
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    /// Starts `workers` threads (at least one).
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = unbounded::<Job>();
        let workers = (0..workers.max(1))
            .map(|_| {
                let queue: Receiver<Job> = queue.clone();
                thread::spawn(move || {
                    // Ends when the queue is closed and empty.
                    for job in queue.iter() {
                        // A panicking job ends itself, not the worker.
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

    /// Queues `job`; some worker will run it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            jobs.send(Box::new(job))
                .expect("the workers are alive while the pool is");
        }
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            worker.join().expect("workers catch the jobs' panics");
        }
    }
}
