//! A thread pool by hand: what `ThreadPoolExecutor` does, in about a
//! hundred lines.
//!
//! A fixed set of worker threads takes jobs from one shared channel. The
//! channel is the queue; a closed channel is the signal to stop. Dropping
//! the pool closes the channel and joins every worker, so leaving the
//! pool's scope waits for the work, like leaving a `with` block.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};

/// A job: any closure a worker can run once.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads running jobs from a shared queue.
pub struct ThreadPool {
    /// `None` once the pool is shutting down.
    jobs: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
    /// The messages of jobs that panicked; the pool survives them.
    panics: Arc<Mutex<Vec<String>>>,
}

/// The result of a job handed to [`ThreadPool::submit`]: Python's `Future`.
pub struct TaskHandle<T> {
    result: Receiver<thread::Result<T>>,
}

impl ThreadPool {
    /// Starts `workers` threads named `pool-1`, `pool-2`, …
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = unbounded::<Job>();
        let panics = Arc::new(Mutex::new(Vec::new()));
        let workers = (1..=workers.max(1))
            .map(|i| {
                let (queue, panics) = (queue.clone(), Arc::clone(&panics));
                thread::Builder::new()
                    .name(format!("pool-{i}"))
                    .spawn(move || work(&queue, &panics))
                    .expect("the system refused a thread")
            })
            .collect();
        ThreadPool {
            jobs: Some(jobs),
            workers,
            panics,
        }
    }

    /// How many worker threads the pool has.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Queues a job and returns at once; some worker will run it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(jobs) = &self.jobs {
            // Sending fails only when every worker has gone, which only
            // happens after shutdown has begun.
            let _ = jobs.send(Box::new(job));
        }
    }

    /// Queues a job and returns a handle to its result:
    /// `executor.submit(f, x)` and `future.result()`.
    pub fn submit<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> TaskHandle<T> {
        let (done, result) = bounded(1);
        let panics = Arc::clone(&self.panics);
        self.execute(move || {
            let outcome = catch_unwind(AssertUnwindSafe(job));
            if let Err(payload) = &outcome {
                record(&panics, workshop::panics::message(&**payload));
            }
            // The handle may have been dropped: nobody wants the result.
            let _ = done.send(outcome);
        });
        TaskHandle { result }
    }

    /// Applies `f` to every item on the pool; results come back in the
    /// order of the items, whichever worker finished first: `executor.map`.
    /// Like Python's, it fails with the first task's panic, once every task
    /// has run.
    pub fn map<T, R>(
        &self,
        f: impl Fn(T) -> R + Send + Sync + 'static,
        items: impl IntoIterator<Item = T>,
    ) -> Result<Vec<R>, String>
    where
        T: Send + 'static,
        R: Send + 'static,
    {
        let f = Arc::new(f);
        let handles: Vec<TaskHandle<R>> = items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(move || f(item))
            })
            .collect();
        handles.into_iter().map(TaskHandle::result).collect()
    }

    /// The messages of the jobs that panicked so far.
    pub fn panics(&self) -> Vec<String> {
        self.panics
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Finishes every queued job, then stops and joins the workers:
    /// `executor.shutdown(wait=True)`. Dropping the pool does the same.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        // Closing the queue: each worker finishes what is queued, then its
        // `recv` fails and it returns.
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.stop();
    }
}

impl<T> TaskHandle<T> {
    /// Waits for the job and returns its value, or the message of its panic.
    pub fn result(self) -> Result<T, String> {
        match self.result.recv() {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(payload)) => Err(workshop::panics::message(&*payload)),
            Err(_) => Err("the pool shut down before running the task".to_owned()),
        }
    }
}

/// A worker's life: run jobs until the queue is closed and empty. A job
/// that panics is caught, reported, and the worker carries on.
fn work(queue: &Receiver<Job>, panics: &Mutex<Vec<String>>) {
    for job in queue.iter() {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(job)) {
            record(panics, workshop::panics::message(&*payload));
        }
    }
}

fn record(panics: &Mutex<Vec<String>>, message: String) {
    panics
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    #[test]
    fn every_queued_job_runs_before_shutdown_returns() {
        let done = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(3);
        for _ in 0..100 {
            let done = Arc::clone(&done);
            pool.execute(move || {
                done.fetch_add(1, SeqCst);
            });
        }
        pool.shutdown();
        assert_eq!(done.load(SeqCst), 100);
    }

    #[test]
    fn map_keeps_the_order_of_the_items() {
        let pool = ThreadPool::new(4);
        let squares = pool.map(|x: u64| x * x, 0..20);
        assert_eq!(squares, Ok((0..20).map(|x| x * x).collect::<Vec<_>>()));
    }

    #[test]
    fn a_panicking_job_is_reported_and_the_pool_goes_on() {
        let pool = ThreadPool::new(2);
        let failed = pool.submit(|| -> u32 {
            workshop::panics::expect_panic();
            panic!("bad input")
        });
        assert_eq!(failed.result(), Err("bad input".to_owned()));
        assert_eq!(pool.submit(|| 6 * 7).result(), Ok(42));
        assert_eq!(pool.map(|x: u32| x, [1, 2]), Ok(vec![1, 2]));
        assert_eq!(pool.panics(), ["bad input"]);
    }

    #[test]
    fn map_fails_with_the_first_panic() {
        let pool = ThreadPool::new(2);
        let result = pool.map(
            |x: u32| {
                if x == 2 {
                    workshop::panics::expect_panic();
                    panic!("no twos");
                }
                x
            },
            [1, 2, 3],
        );
        assert_eq!(result, Err("no twos".to_owned()));
    }
}
