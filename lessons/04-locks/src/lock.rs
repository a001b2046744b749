//! Section `lock`: `threading.Lock` ↔ `Mutex`: the blog post's ten threads, and
//! the lock's fix for the racing counter of the refcounting lesson.
//!
//! Python lets two threads change one variable without a lock and leaves
//! the consequences to you. Rust refuses to compile it: two threads may not
//! both borrow `total` mutably.
//!
//! ```compile_fail,E0499
//! let mut total = 0u64;
//! std::thread::scope(|s| {
//!     s.spawn(|| total += 1);
//!     s.spawn(|| total += 1); // error[E0499]: cannot borrow `total` as mutable more than once
//! });
//! ```
//!
//! With a `Mutex` it compiles, because each thread borrows the mutex only
//! shared and gets `&mut` to the value through the lock:
//!
//! ```
//! let total = std::sync::Mutex::new(0u64);
//! std::thread::scope(|s| {
//!     s.spawn(|| *total.lock().unwrap() += 1);
//!     s.spawn(|| *total.lock().unwrap() += 1);
//! });
//! assert_eq!(total.into_inner().unwrap(), 2);
//! ```

use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use workshop::bench::thread_spans;
use workshop::{Ctx, Out, Outcome, Section, Timeline, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "lock",
    title: "Lock: one thread at a time",
    explain: "
        The blog post's example: ten threads, each announces itself, sleeps a
        random while (0 to 10 seconds there, 0 to 1 second here), takes one
        lock, reports, and lets go. `mutex.acquire()` waits while another
        thread holds the lock; `release()` lets the next one in. `with
        mutex:` does both, and releases even if the block raises.

        Rust's `Mutex<T>` (met in the sleeper lesson's `shared` section)
        makes the lock and its data one value: the data is reachable only
        through the guard that `lock()` returns, and dropping the guard
        releases the lock. There is no `release()` to forget, and no way to
        touch the data without the lock.

        Below, each thread holds the lock for 0.1 s. The sleeps come from a
        seeded generator (xorshift), so every run draws the same ones; several
        threads wake at once and queue at the lock, which the timeline shows:
        `waits` is time blocked in `lock()`. Then the lock's fix for the
        racing count of the refcounting lesson (its `race` section): the same
        two threads adding 1, now under a `Mutex`.
    ",
    python: r#"
        mutex = threading.Lock()

        def modify_resource():
            print('working on', threading.current_thread().name)
            time.sleep(randint(0, 10))
            with mutex:              # acquire() ... release()
                print('got the lock:', threading.current_thread().name)
    "#,
    rust: r#"
        out.say(format!("working, then sleeping {}", units::duration(nap)));
        thread::sleep(nap);
        let mut resource = lock.lock().unwrap();
        *resource += 1;
        out.say("got the lock");
        // the guard drops at the end of the scope: released
    "#,
    run,
};

/// A small, seeded pseudo-random generator (xorshift64): the same seed
/// gives the same numbers on every machine, so the lesson's "random" sleeps
/// are the same in every run and its snapshot is stable.
pub struct XorShift(u64);

impl XorShift {
    /// A generator from a seed (0 is replaced, since xorshift stays at 0).
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    /// The next number, from 0 to `bound` included: Python's `randint(0, bound)`.
    pub fn up_to(&mut self, bound: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x % (bound + 1)
    }
}

/// The ten naps of the blog's example, in tenths of the nominal second: the
/// same in every run.
pub fn naps_in_tenths(threads: usize) -> Vec<u64> {
    let mut random = XorShift::new(2024);
    (0..threads).map(|_| random.up_to(10)).collect()
}

/// What [`ten_threads`] observed.
#[derive(Clone)]
pub struct TenThreads {
    /// The protected value at the end: one increment per thread.
    pub resource: u64,
    /// How long each thread (`thread-0`…) waited in `lock()`, in order.
    pub waits: Vec<Duration>,
    /// Sleeps, waits and holds, per thread.
    pub timeline: Timeline,
}

/// The blog's example: thread `i` sleeps `naps[i]`, takes the lock, adds 1
/// to the resource, holds the lock for `hold`, and releases it.
pub fn ten_threads(naps: &[Duration], hold: Duration, out: &Out) -> std::io::Result<TenThreads> {
    let lock = Mutex::new(0u64);
    let timeline = Timeline::with_labels(&["sleeps", "waits", "holds"]);
    let waits = thread::scope(|s| {
        let mut handles = Vec::new();
        for (i, &nap) in naps.iter().enumerate() {
            let (lock, timeline) = (&lock, &timeline);
            let handle = thread::Builder::new()
                .name(format!("thread-{i}"))
                .spawn_scoped(s, move || {
                    out.say(format!("working, then sleeping {}", units::duration(nap)));
                    let sleeping = timeline.span("sleeps");
                    thread::sleep(nap);
                    drop(sleeping);
                    let asked = Instant::now();
                    let waiting = timeline.span("waits");
                    let mut resource = lock.lock().unwrap();
                    drop(waiting);
                    let waited = asked.elapsed();
                    let _holding = timeline.span("holds");
                    *resource += 1;
                    out.say("got the lock");
                    thread::sleep(hold);
                    waited
                    // the guard drops at the end of the scope: released
                })?;
            handles.push(handle);
        }
        Ok::<_, std::io::Error>(workshop::join_all(handles)?)
    })?;
    Ok(TenThreads {
        resource: lock.into_inner().unwrap_or_else(|p| p.into_inner()),
        waits,
        timeline,
    })
}

/// Two (or more) threads add 1 to a counter `per_thread` times each under a
/// `Mutex`: the read and the write happen with the lock held, so no other
/// thread's increment can land between them.
pub fn locked_counter(threads: usize, per_thread: u64) -> u64 {
    let counter = Mutex::new(0u64);
    thread_spans(threads, per_thread, |_| {
        *counter.lock().unwrap() += 1;
    });
    counter.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// How many threads the blog's example starts.
pub const THREADS: usize = 10;

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let naps: Vec<Duration> = naps_in_tenths(THREADS)
        .into_iter()
        .map(|tenths| ctx.secs(tenths as f64 / 10.0))
        .collect();
    let hold = ctx.secs(0.1);
    let ten = out.concurrently(|| ten_threads(&naps, hold, out))?;
    out.blank();
    out.timeline(&ten.timeline);
    out.blank();
    if ten.resource != THREADS as u64 {
        return Err(format!("the resource is {}, not {THREADS}", ten.resource).into());
    }
    let queued = ten.waits.iter().filter(|w| **w > hold / 2).count();
    out.prose(format!(
        "The resource is {THREADS}: one increment per thread. {} of the {THREADS} threads \
         found the lock taken and waited in lock(): those that woke while another held it.",
        out.count(queued as u64)
    ));
    out.blank();

    let per_thread: u64 = if ctx.quick() { 500_000 } else { 2_000_000 };
    let expected = 2 * per_thread;
    let locked = locked_counter(2, per_thread);
    if locked != expected {
        return Err(format!("the locked counter reached {locked}, not {expected}").into());
    }
    out.line(format!(
        "Two threads add 1 to a counter under a Mutex, {} times each:",
        units::count(per_thread)
    ));
    out.line(format!(
        "{} expected, {} counted, {} lost.",
        units::count(expected),
        units::count(locked),
        units::count(expected - locked)
    ));
    out.line("The read-then-write of the refcounting lesson's `race` section lost updates");
    out.line("whenever its threads overlapped; under the lock, no other thread's increment");
    out.line("can land between a read and its write.");
    Ok(())
}
