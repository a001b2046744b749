//! Section `semaphore`: a semaphore, built from a `Mutex` and a `Condvar` because the
//! standard library has none; N workers, at most k at once.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

use crate::sync::{Condvar, Mutex, lock, wait};
use workshop::{Ctx, Out, Outcome, Section, Timeline};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "semaphore",
    title: "Semaphore: at most k at once",
    explain: "
        A semaphore holds k permits. `acquire` takes one, waiting while none
        is free; giving it back lets one waiter in. Python's
        `threading.Semaphore(3)` lets three threads into a `with` block at
        once: three downloads, three database connections.

        The standard library has no semaphore, so the lesson builds one, and it
        is the classic use of a condition variable. The count of free permits
        lives in a `Mutex<usize>`. `acquire` locks it and, while the count is
        0, waits on a `Condvar`: the wait gives the lock up while asleep and
        takes it back before returning, so the count is checked again under
        the lock. The permit is a guard, like a `MutexGuard`: dropping it puts
        the permit back and wakes one waiter, so a permit cannot be forgotten,
        even by a panic.

        Below, 8 workers share 3 permits. Each one records how many workers
        are inside at that moment. The first three in wait for each other (a
        `Barrier` of 3, the `barrier` section), so the semaphore is seen full once for
        sure; the semaphore alone guarantees that it is never seen fuller.
        (For a crate that has one: `tokio::sync::Semaphore`, async.)
    ",
    python: r#"
        downloads = threading.Semaphore(3)

        def worker():
            with downloads:          # acquire() ... release()
                download()
    "#,
    rust: r#"
        let _permit = downloads.acquire(); // given back when dropped
        while *free == 0 {
            free = wait(&self.returned, free);
        }
        *free -= 1;
    "#,
    run,
};

/// A counting semaphore: at most `permits` holders of a [`Permit`] at once.
///
/// ```
/// use locks::semaphore::Semaphore;
///
/// let pool = Semaphore::new(2);
/// let first = pool.acquire();
/// let _second = pool.acquire();
/// assert!(pool.try_acquire().is_none(), "both permits are taken");
/// drop(first);
/// assert!(pool.try_acquire().is_some(), "one came back");
/// ```
pub struct Semaphore {
    /// How many permits are free.
    free: Mutex<usize>,
    /// Notified each time a permit comes back.
    returned: Condvar,
}

/// One permit of a [`Semaphore`]; dropping it gives the permit back.
#[must_use = "the permit goes back as soon as it is dropped"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    pub fn new(permits: usize) -> Self {
        Semaphore {
            free: Mutex::new(permits),
            returned: Condvar::new(),
        }
    }

    /// Takes a permit, waiting as long as none is free.
    pub fn acquire(&self) -> Permit<'_> {
        let mut free = lock(&self.free);
        // `while`, not `if`: between the notification and this thread
        // getting the lock back, another thread may have taken the permit
        // (and a condition variable may also wake a thread for no reason).
        while *free == 0 {
            free = wait(&self.returned, free);
        }
        *free -= 1;
        Permit { semaphore: self }
    }

    /// Takes a permit if one is free right now.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut free = lock(&self.free);
        if *free == 0 {
            return None;
        }
        *free -= 1;
        Some(Permit { semaphore: self })
    }

    /// How many permits are free right now (already stale when it returns,
    /// unless nobody else uses the semaphore).
    pub fn available(&self) -> usize {
        *lock(&self.free)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *lock(&self.semaphore.free) += 1;
        // One permit is back, so one waiter can use it: `notify_one`.
        self.semaphore.returned.notify_one();
    }
}

/// What [`crowd`] observed.
#[derive(Clone)]
pub struct Crowd {
    /// The most workers that were inside at the same moment.
    pub highest: usize,
    /// How many workers got in, in all.
    pub served: usize,
    /// Who waited for a permit and who held one, when.
    pub timeline: Timeline,
}

/// `workers` threads (`worker-1`…) each take a permit of a `permits`-permit
/// semaphore, stay inside for `hold`, and leave. Each counts how many are
/// inside as it enters. The first `permits` to enter wait for each other at
/// a barrier, so the semaphore is seen full at least once by design.
pub fn crowd(workers: usize, permits: usize, hold: Duration, out: &Out) -> std::io::Result<Crowd> {
    let downloads = Semaphore::new(permits);
    let first_wave = std::sync::Barrier::new(permits);
    let timeline = Timeline::with_labels(&["waits", "inside"]);
    // SeqCst on these counters: they are statistics, read after the joins,
    // and SeqCst keeps the reasoning simple. The semaphore's own mutex is
    // what orders the workers.
    let (inside, highest, entered) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    thread::scope(|s| {
        let mut handles = Vec::new();
        for n in 1..=workers {
            let (downloads, first_wave, timeline) = (&downloads, &first_wave, &timeline);
            let (inside, highest, entered) = (&inside, &highest, &entered);
            let handle = thread::Builder::new()
                .name(format!("worker-{n}"))
                .spawn_scoped(s, move || {
                    let waiting = timeline.span("waits");
                    let _permit = downloads.acquire(); // given back when dropped
                    drop(waiting);
                    let _inside = timeline.span("inside");
                    let now_inside = inside.fetch_add(1, SeqCst) + 1;
                    highest.fetch_max(now_inside, SeqCst);
                    out.say("got a permit");
                    if entered.fetch_add(1, SeqCst) < permits {
                        first_wave.wait();
                    }
                    thread::sleep(hold);
                    inside.fetch_sub(1, SeqCst);
                    out.say("giving it back");
                })?;
            handles.push(handle);
        }
        for handle in handles {
            workshop::join(handle)?;
        }
        Ok::<_, std::io::Error>(())
    })?;
    Ok(Crowd {
        highest: highest.into_inner(),
        served: entered.into_inner(),
        timeline,
    })
}

/// How many workers and permits the section uses.
pub const WORKERS: usize = 8;
/// See [`WORKERS`].
pub const PERMITS: usize = 3;

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    out.line(format!(
        "{WORKERS} workers, {PERMITS} permits, each worker inside for {}:",
        workshop::units::duration(ctx.secs(0.2))
    ));
    let crowd = out.concurrently(|| crowd(WORKERS, PERMITS, ctx.secs(0.2), out))?;
    out.blank();
    out.timeline(&crowd.timeline);
    out.blank();
    if crowd.highest != PERMITS || crowd.served != WORKERS {
        return Err(format!(
            "{} workers served, at most {} inside at once: expected {WORKERS} and {PERMITS}",
            crowd.served, crowd.highest
        )
        .into());
    }
    out.line(format!(
        "All {WORKERS} served; the most inside at once was {}: exactly the {PERMITS} permits.",
        crowd.highest
    ));
    out.line("Each row waits (█) until a permit comes back, then is inside (▒); never more");
    out.line("than three ▒ rows overlap.");
    Ok(())
}
