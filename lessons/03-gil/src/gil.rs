//! A simulated global interpreter lock, modelled on CPython's
//! `Python/ceval_gil.c` (the "new GIL" of Python 3.2 and later), with the
//! old GIL it replaced beside it ([`Design`]).
//!
//! - The GIL is a flag, `locked`, guarded by a mutex; a condition variable
//!   announces every release.
//! - A thread that wants the GIL waits on that condition variable for at
//!   most the *switch interval* (`sys.getswitchinterval()`, 5 ms). If the
//!   wait times out and nobody took the GIL meanwhile, it sets the *drop
//!   request*.
//! - The holder looks at the drop request at every check point of the
//!   interpreter loop (CPython checks at calls and backward jumps). When it
//!   is set, the holder drops the GIL, and then (CPython's
//!   `FORCE_SWITCHING`) waits until another thread has really taken it:
//!   on a multicore machine it would otherwise win it straight back.
//! - Blocking calls release the GIL around the call
//!   (`Py_BEGIN_ALLOW_THREADS` … `Py_END_ALLOW_THREADS`).
//!
//! The old GIL (Python 3.1 and before, `Python/ceval.c` and
//! `Python/thread_pthread.h`) used the same lock, a flag behind a mutex with
//! a condition variable (`thread_pthread.h`'s lock where POSIX semaphores
//! are missing, as on macOS; Linux builds used a semaphore, with the same
//! race), but a different rule: every N "ticks" of the eval loop the holder
//! released the lock, signalled one waiter, and took the lock straight
//! back, without waiting for the waiter to run. [`Gil::old`] builds that
//! one.
//!
//! Each simulated Python thread is a real thread with a [`PyThread`]
//! handle; "Python code" is Rust code that calls [`CheckPoint::check`] as
//! often as the eval loop would.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use workshop::bench::Padded;
use workshop::{Timeline, thread_label};

/// CPython's default switch interval: `sys.getswitchinterval()` is 0.005.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(5);

/// Labels on the timeline, in the order their glyphs are given.
pub const HOLDS: &str = "holds the GIL";
/// A thread waiting to take the GIL.
pub const WAITS: &str = "waits for it";
/// A thread in a blocking call, GIL released.
pub const BLOCKED: &str = "blocking call, GIL released";

/// The old GIL's check interval in CPython: `sys.getcheckinterval()` was
/// 100 ticks (a tick is about one bytecode).
pub const CPYTHON_CHECK_INTERVAL: u32 = 100;

/// Which of CPython's two designs a [`Gil`] follows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Design {
    /// Python 3.2 and later: a waiter waits one switch interval, then asks
    /// the holder to drop the GIL; the holder hands it over and waits until
    /// the waiter has it.
    SwitchInterval(Duration),
    /// Python 3.1 and earlier: every this many ticks (check points here),
    /// the holder releases the GIL, signals one waiter, and takes the GIL
    /// straight back.
    Ticks(u32),
}

/// The lock, shared by every thread of one simulated interpreter.
pub struct Gil {
    state: Mutex<State>,
    /// Signalled whenever the GIL is released (CPython's `gil->cond`).
    released: Condvar,
    /// Signalled whenever a thread takes the GIL (`gil->switch_cond`).
    switched: Condvar,
    /// Set by a waiter that timed out; read at every check point. Relaxed
    /// loads suffice: it is only a hint to hurry up, and the hand-over
    /// itself happens under the mutex.
    drop_request: AtomicBool,
    design: Design,
    /// The old design's `_Py_Ticker`: check points left until the holder
    /// gives the others a chance. Only the holder touches it.
    ticker: Padded<AtomicI32>,
    next_thread: AtomicUsize,
    counters: Counters,
    timeline: Timeline,
}

/// What the mutex guards.
struct State {
    locked: bool,
    /// The thread that took the GIL last, to tell a switch from a thread
    /// taking it back.
    last_holder: Option<usize>,
    /// Incremented at every switch: a waiter compares it before and after
    /// its timed wait.
    switch_number: u64,
    /// Threads waiting for the GIL right now.
    waiters: usize,
}

#[derive(Default)]
struct Counters {
    drop_requests: AtomicU64,
    failed_acquisitions: AtomicU64,
    holding: AtomicUsize,
    most_holding: AtomicUsize,
}

/// What happened to a GIL so far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Times the GIL passed from one thread to another.
    pub switches: u64,
    /// Times a waiter timed out and asked the holder to drop it.
    pub drop_requests: u64,
    /// Times a waiter was woken by a release and found the GIL taken
    /// again: it lost the race and went back to waiting.
    pub failed_acquisitions: u64,
    /// The most threads that ever held it at once: 1, or there is a bug.
    pub most_holders: usize,
}

/// One simulated Python thread, like CPython's `PyThreadState`. Create it
/// on the thread that uses it.
pub struct PyThread<'gil> {
    gil: &'gil Gil,
    id: usize,
    name: String,
    held_since: Cell<Option<Instant>>,
}

/// A point at which the interpreter loop may give up the GIL. Simulated
/// Python code calls `check` at every call, like CPython's eval loop.
pub trait CheckPoint {
    /// Hands the GIL over if another thread asked for it.
    fn check(&self);
}

/// Rust without a GIL: the check points cost nothing.
pub struct NoGil;

impl CheckPoint for NoGil {
    #[inline]
    fn check(&self) {}
}

impl Gil {
    /// A released GIL with this switch interval, recording on `timeline`:
    /// the new GIL, Python 3.2 and later.
    pub fn new(interval: Duration, timeline: Timeline) -> Self {
        Self::with_design(Design::SwitchInterval(interval), timeline)
    }

    /// A released old GIL, Python 3.1 and earlier: the holder gives the
    /// others a chance every `check_interval` check points.
    pub fn old(check_interval: u32, timeline: Timeline) -> Self {
        Self::with_design(Design::Ticks(check_interval), timeline)
    }

    /// A released GIL of either design.
    pub fn with_design(design: Design, timeline: Timeline) -> Self {
        let ticks = match design {
            Design::Ticks(n) => i32::try_from(n).unwrap_or(i32::MAX),
            Design::SwitchInterval(_) => 0,
        };
        Gil {
            state: Mutex::new(State {
                locked: false,
                last_holder: None,
                switch_number: 0,
                waiters: 0,
            }),
            released: Condvar::new(),
            switched: Condvar::new(),
            drop_request: AtomicBool::new(false),
            design,
            ticker: Padded(AtomicI32::new(ticks)),
            next_thread: AtomicUsize::new(0),
            counters: Counters::default(),
            timeline,
        }
    }

    /// Which design this GIL follows.
    pub fn design(&self) -> Design {
        self.design
    }

    /// The switch interval (zero for the old design, which has none).
    pub fn interval(&self) -> Duration {
        match self.design {
            Design::SwitchInterval(interval) => interval,
            Design::Ticks(_) => Duration::ZERO,
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        Stats {
            switches: self.state.lock().switch_number.saturating_sub(1),
            drop_requests: self.counters.drop_requests.load(Relaxed),
            failed_acquisitions: self.counters.failed_acquisitions.load(Relaxed),
            most_holders: self.counters.most_holding.load(Relaxed),
        }
    }

    /// How many threads are waiting for the GIL right now.
    pub fn waiting(&self) -> usize {
        self.state.lock().waiters
    }

    /// The timeline the GIL records on.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    fn request_drop(&self) {
        self.drop_request.store(true, Relaxed);
        self.counters.drop_requests.fetch_add(1, Relaxed);
    }
}

impl<'gil> PyThread<'gil> {
    /// A thread of the interpreter that `gil` belongs to; it does not hold
    /// the GIL yet.
    pub fn new(gil: &'gil Gil) -> Self {
        let id = gil.next_thread.fetch_add(1, Relaxed);
        PyThread {
            gil,
            id,
            name: thread_label(),
            held_since: Cell::new(None),
        }
    }

    /// Whether this thread holds the GIL.
    pub fn holds_gil(&self) -> bool {
        self.held_since.get().is_some()
    }

    /// Takes the GIL, waiting as CPython's `take_gil` does (or, for the old
    /// design, its `PyThread_acquire_lock`).
    pub fn take_gil(&self) {
        let gil = self.gil;
        let asked = Instant::now();
        let mut state = gil.state.lock();
        state.waiters += 1;
        while state.locked {
            let woken = match gil.design {
                Design::SwitchInterval(interval) => {
                    let switches_before = state.switch_number;
                    let timed_out = gil.released.wait_for(&mut state, interval).timed_out();
                    // A whole interval without anyone taking the GIL: ask the
                    // holder to let go at its next check point.
                    if timed_out && state.locked && state.switch_number == switches_before {
                        gil.request_drop();
                    }
                    !timed_out
                }
                // The old GIL waits for a release signal, however long.
                Design::Ticks(_) => {
                    gil.released.wait(&mut state);
                    true
                }
            };
            if woken && state.locked {
                // Signalled, but another thread took the GIL first.
                gil.counters.failed_acquisitions.fetch_add(1, Relaxed);
            }
        }
        state.waiters -= 1;
        state.locked = true;
        if state.last_holder != Some(self.id) {
            state.last_holder = Some(self.id);
            state.switch_number += 1;
        }
        // A holder that dropped the GIL on request waits for this.
        gil.switched.notify_all();
        // Whoever asked, the GIL has now changed hands.
        gil.drop_request.store(false, Relaxed);
        drop(state);

        let now = Instant::now();
        if now - asked > Duration::from_micros(50) {
            gil.timeline.record(&self.name, WAITS, asked, now);
        }
        self.count_as_holder();
        self.held_since.set(Some(now));
    }

    /// Counts this thread among the holders (never more than one).
    fn count_as_holder(&self) {
        let counters = &self.gil.counters;
        let holding = counters.holding.fetch_add(1, Relaxed) + 1;
        counters.most_holding.fetch_max(holding, Relaxed);
    }

    /// Releases the GIL, as CPython's `drop_gil` does. If another thread
    /// asked for it, waits until that thread has taken it.
    pub fn drop_gil(&self) {
        let gil = self.gil;
        let since = self
            .held_since
            .take()
            .expect("drop_gil without holding the GIL");
        gil.counters.holding.fetch_sub(1, Relaxed);
        gil.timeline
            .record(&self.name, HOLDS, since, Instant::now());

        let mut state = gil.state.lock();
        state.locked = false;
        gil.released.notify_one();
        if gil.drop_request.load(Relaxed) && state.last_holder == Some(self.id) {
            // Forced switching: don't compete until the waiter got it.
            gil.drop_request.store(false, Relaxed);
            while state.last_holder == Some(self.id) {
                gil.switched.wait(&mut state);
            }
        }
    }

    /// Runs a blocking call (sleep, I/O) with the GIL released, and takes
    /// it back afterwards: `Py_BEGIN_ALLOW_THREADS` … `Py_END_ALLOW_THREADS`.
    pub fn allow_threads<R>(&self, blocking_call: impl FnOnce() -> R) -> R {
        self.drop_gil();
        let start = Instant::now();
        let result = blocking_call();
        self.gil
            .timeline
            .record(&self.name, BLOCKED, start, Instant::now());
        self.take_gil();
        result
    }

    /// Runs `code` as this thread's Python code: takes the GIL, runs, drops
    /// it, like a Python thread from start to end.
    pub fn run<R>(&self, code: impl FnOnce(&Self) -> R) -> R {
        self.take_gil();
        let result = code(self);
        self.drop_gil();
        result
    }

    #[cold]
    fn hand_over(&self) {
        self.drop_gil();
        self.take_gil();
    }

    /// The old GIL's "give another thread a chance" (Python 3.1's
    /// `ceval.c`): release the lock, signal one waiter, and take the lock
    /// straight back, without waiting for the waiter to run. The waiter,
    /// woken on another core, usually finds the GIL taken again.
    #[cold]
    fn release_and_retake(&self) {
        let gil = self.gil;
        gil.counters.holding.fetch_sub(1, Relaxed);
        // When this thread's hold ends, if another thread takes the GIL now.
        let released_at = Instant::now();
        // PyThread_release_lock: clear `locked`, unlock, signal one waiter.
        let mut state = gil.state.lock();
        let switches = state.switch_number;
        state.locked = false;
        drop(state);
        gil.released.notify_one();
        // "Other threads may run now": PyThread_acquire_lock, at once.
        let mut state = gil.state.lock();
        if !state.locked && state.switch_number == switches {
            state.locked = true; // won it back, as the holder nearly always does
            drop(state);
            self.count_as_holder();
            return;
        }
        drop(state);
        // Another thread took the GIL: this thread's hold ended back there.
        let since = self
            .held_since
            .take()
            .expect("a check point without the GIL");
        gil.timeline.record(&self.name, HOLDS, since, released_at);
        self.take_gil();
    }
}

impl CheckPoint for PyThread<'_> {
    /// The eval loop's check. New GIL: one relaxed load, and a hand-over
    /// only when a waiter asked for one. Old GIL: count down the ticker.
    #[inline]
    fn check(&self) {
        match self.gil.design {
            Design::SwitchInterval(_) => {
                if self.gil.drop_request.load(Relaxed) {
                    self.hand_over();
                }
            }
            Design::Ticks(check_interval) => {
                // `if (--_Py_Ticker < 0)`: only the holder touches the
                // ticker, so a load and a store do, as CPython's plain
                // `volatile int` did.
                let ticker = &self.gil.ticker;
                let left = ticker.load(Relaxed) - 1;
                ticker.store(left, Relaxed);
                if left < 0 {
                    let reset = i32::try_from(check_interval).unwrap_or(i32::MAX);
                    ticker.store(reset, Relaxed);
                    self.release_and_retake();
                }
            }
        }
    }
}

/// The notebook's fibonacci as simulated Python: a check point at every
/// call, like the eval loop.
pub fn py_fib(py: &impl CheckPoint, n: u32) -> u64 {
    py.check();
    if n < 2 {
        return u64::from(n);
    }
    py_fib(py, n - 1) + py_fib(py, n - 2)
}

/// Starts one simulated Python thread per name, each running `code` with
/// the GIL from start to end, and joins them; results in the order of
/// `names`.
pub fn run_threads<R: Send>(
    gil: &Gil,
    names: &[&str],
    code: impl Fn(&PyThread, usize) -> R + Sync,
) -> Vec<R> {
    named_threads(names, |index| PyThread::new(gil).run(|py| code(py, index)))
}

/// The same threads without any GIL: plain Rust threads.
pub fn run_threads_without_gil<R: Send>(
    names: &[&str],
    code: impl Fn(&NoGil, usize) -> R + Sync,
) -> Vec<R> {
    named_threads(names, |index| code(&NoGil, index))
}

/// One scoped thread per name running `body(index)`, joined in order; a
/// thread's panic is passed on to the caller.
fn named_threads<R: Send>(names: &[&str], body: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let body = &body;
    std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                std::thread::Builder::new()
                    .name((*name).to_owned())
                    .spawn_scoped(s, move || body(index))
                    .expect("the system refused a thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiter_woken_while_the_gil_is_held_counts_a_failed_acquisition() {
        let gil = Gil::old(1000, Timeline::new());
        let holder = PyThread::new(&gil);
        holder.take_gil();
        std::thread::scope(|s| {
            s.spawn(|| PyThread::new(&gil).run(|_| ()));
            while gil.waiting() == 0 {
                std::thread::yield_now();
            }
            // A signal while the GIL is still held: what the waiter sees
            // when the holder has already taken the GIL back.
            gil.released.notify_one();
            while gil.stats().failed_acquisitions == 0 {
                std::thread::yield_now();
            }
            holder.drop_gil();
        });
        let stats = gil.stats();
        assert_eq!(stats.failed_acquisitions, 1, "{stats:?}");
        assert_eq!(stats.switches, 1, "{stats:?}");
        assert_eq!(stats.most_holders, 1, "{stats:?}");
    }
}
