//! Micro-benchmarks measured side by side, for the lessons' cost tables.
//!
//! This machine's cores are shared and noisy, so a single timing means
//! little. [`side_by_side`] runs every variant in turn, round after round,
//! and keeps each variant's median: a burst of noise hits one round of every
//! variant, not every round of one. Report the ratios between variants
//! measured in the same run, never one absolute time on its own.
//!
//! ```
//! use std::hint::black_box;
//! use workshop::bench::{per_op, side_by_side};
//!
//! let results = side_by_side(3, &mut [
//!     ("add", &mut || per_op(10_000, || { black_box(black_box(1u64) + 1); })),
//!     ("mul", &mut || per_op(10_000, || { black_box(black_box(3u64) * 7); })),
//! ]);
//! assert_eq!(results[0].name, "add");
//! assert!(results.iter().all(|r| r.seconds_per_op > 0.0));
//! ```

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use crate::time::{Measurement, measure};

/// One variant's result: the median over the rounds.
#[derive(Clone, Debug)]
pub struct Timing {
    /// The variant's name.
    pub name: String,
    /// Seconds per operation (median over the rounds).
    pub seconds_per_op: f64,
}

impl Timing {
    /// This variant's cost as a multiple of `baseline`'s.
    pub fn ratio_to(&self, baseline: &Timing) -> f64 {
        self.seconds_per_op / baseline.seconds_per_op
    }
}

/// A variant: a name and a closure that measures one sample, returning
/// seconds per operation (usually through [`per_op`] or [`per_op_threads`]).
pub type Variant<'a> = (&'a str, &'a mut dyn FnMut() -> f64);

/// Runs every variant once per round, `rounds` times, and returns each
/// variant's median, in the order given.
pub fn side_by_side(rounds: usize, variants: &mut [Variant<'_>]) -> Vec<Timing> {
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); variants.len()];
    for round in 1..=rounds.max(1) {
        crate::out::step(|| format!("round {round} of {rounds}"));
        for (i, (_, measure)) in variants.iter_mut().enumerate() {
            samples[i].push(measure());
        }
    }
    variants
        .iter()
        .zip(samples)
        .map(|((name, _), samples)| Timing {
            name: (*name).to_owned(),
            seconds_per_op: median(samples),
        })
        .collect()
}

/// Runs `op` `iterations` times on this thread; returns seconds per call.
/// Wrap inputs and results in `std::hint::black_box` inside `op`, or the
/// optimizer may delete the work being measured.
pub fn per_op(iterations: u64, mut op: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        op();
    }
    start.elapsed().as_secs_f64() / iterations.max(1) as f64
}

/// [`per_op`] over `batches` batches of `iterations` calls each; returns
/// the seconds per call of the fastest batch. For operations that take
/// microseconds and up (starting a thread or a process), where a busy
/// machine adds delays to some batches but never takes time away from one.
pub fn fastest_per_op(batches: usize, iterations: u64, mut op: impl FnMut()) -> f64 {
    (0..batches.max(1))
        .map(|_| per_op(iterations, &mut op))
        .fold(f64::INFINITY, f64::min)
}

/// A start line for threads that must really run at the same time: each
/// thread that arrives spins until every thread has arrived.
///
/// A `std::sync::Barrier` puts early threads to sleep, and waking a sleeping
/// thread can take a millisecond or more on a busy machine: long enough for
/// the thread that arrived last to do its whole share alone, with nobody to
/// race or contend with. Spinning keeps the early threads awake; `yield_now`
/// lets late ones have a core meanwhile, so it works with more threads than
/// cores too.
pub struct StartLine {
    arrived: AtomicUsize,
    threads: usize,
}

impl StartLine {
    /// A start line for `threads` threads.
    pub fn new(threads: usize) -> Self {
        StartLine {
            arrived: AtomicUsize::new(0),
            threads,
        }
    }

    /// Arrives, and returns once every thread has arrived.
    pub fn wait(&self) {
        // Relaxed is enough: nothing is handed over through the count; the
        // threads only need to see it reach `threads`, which they will.
        self.arrived.fetch_add(1, Relaxed);
        while self.arrived.load(Relaxed) < self.threads {
            std::hint::spin_loop();
            std::thread::yield_now();
        }
    }
}

/// Runs `op(thread_index)` `iterations` times on each of `threads` threads,
/// released together by a [`StartLine`]; returns each thread's own span
/// (when it started after the line, when it finished), in thread order.
///
/// Each thread reads its own clock: a clock kept by a thread that was woken
/// late would miss the work the others had already done.
pub fn thread_spans(
    threads: usize,
    iterations: u64,
    op: impl Fn(usize) + Sync,
) -> Vec<(Instant, Instant)> {
    let start_line = StartLine::new(threads);
    let (op, start_line) = (&op, &start_line);
    std::thread::scope(|s| {
        let runners: Vec<_> = (0..threads)
            .map(|index| {
                s.spawn(move || {
                    start_line.wait();
                    let start = Instant::now();
                    for _ in 0..iterations {
                        op(index);
                    }
                    (start, Instant::now())
                })
            })
            .collect();
        runners
            .into_iter()
            .map(|r| r.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// [`thread_spans`], as one span from the first thread's start to the last
/// thread's end.
pub fn run_together(
    threads: usize,
    iterations: u64,
    op: impl Fn(usize) + Sync,
) -> (Instant, Instant) {
    let spans = thread_spans(threads, iterations, op);
    let now = Instant::now();
    let first = spans.iter().map(|(start, _)| *start).min().unwrap_or(now);
    let last = spans.iter().map(|(_, end)| *end).max().unwrap_or(now);
    (first, last)
}

/// The wall time per call of [`run_together`], as one thread sees it:
/// the whole span divided by `iterations`. With no contention this equals
/// [`per_op`]; when the threads fight over a cache line or a lock, it grows.
pub fn per_op_threads(threads: usize, iterations: u64, op: impl Fn(usize) + Sync) -> f64 {
    let (first, last) = run_together(threads, iterations, op);
    (last - first).as_secs_f64() / iterations.max(1) as f64
}

/// Runs `work` `runs` times and keeps the run with the shortest wall time:
/// the one the rest of the machine disturbed least. For runs long enough to
/// time one by one (milliseconds and up), where [`side_by_side`] is for
/// operations of nanoseconds.
pub fn best_of(runs: usize, mut work: impl FnMut()) -> Measurement {
    (1..=runs.max(1))
        .map(|run| {
            crate::out::step(|| format!("run {run} of {runs}"));
            measure(&mut work).1
        })
        .min_by_key(|m| m.wall)
        .expect("at least one run")
}

/// [`best_of`] for several variants at once, in interleaved rounds: every
/// round runs each variant once, and each keeps its fastest run. A burst of
/// noise then costs one run of every variant instead of every run of one,
/// so the ratios between variants stay honest on a busy machine.
pub fn best_of_each(rounds: usize, variants: &mut [&mut dyn FnMut()]) -> Vec<Measurement> {
    let mut best: Vec<Option<Measurement>> = vec![None; variants.len()];
    for round in 1..=rounds.max(1) {
        crate::out::step(|| format!("round {round} of {rounds}"));
        for (variant, best) in variants.iter_mut().zip(&mut best) {
            let (_, m) = measure(&mut **variant);
            if best.is_none_or(|b| m.wall < b.wall) {
                *best = Some(m);
            }
        }
    }
    best.into_iter().flatten().collect()
}

/// How many cores' worth of CPU `threads` busy threads get right now:
/// they spin for `spin`, and their CPU time is divided by the wall time.
/// About `threads` on an idle machine with enough cores; less when other
/// programs compete. `None` where the platform reports no CPU time.
///
/// Where the CPU clock ticks coarsely (Windows: 15.6 ms), the threads spin
/// longer, until together they can fill [`precise_cpu_time`]: a reading
/// of a few ticks could say 2.6 cores on a machine that has two.
///
/// [`precise_cpu_time`]: crate::precise_cpu_time
pub fn usable_cores(threads: usize, spin: Duration) -> Option<f64> {
    let threads = threads.max(1);
    let spin = spin.max(crate::precise_cpu_time() / threads as u32);
    let (_, measured) = measure(|| {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    let until = Instant::now() + spin;
                    while Instant::now() < until {
                        black_box(0u64);
                    }
                });
            }
        });
    });
    measured.cpu_per_wall()
}

/// Below this share of what `threads` threads could use, the machine counts
/// as busy: other programs took enough CPU to bend a parallel figure.
pub const BUSY_BELOW: f64 = 0.8;

/// How much CPU the machine gave busy threads just now: the context a
/// parallel figure needs. A speedup of 1.2× means one thing when two
/// threads got two cores, another when they got one between them.
///
/// ```
/// use workshop::bench::CpuShare;
/// let share = CpuShare { threads: 2, cores: 2, usable: Some(1.1) };
/// assert!(share.busy());
/// assert!(!CpuShare { usable: Some(1.9), ..share }.busy());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CpuShare {
    /// The busy threads measured.
    pub threads: usize,
    /// The cores this process may use.
    pub cores: usize,
    /// Cores' worth of CPU the threads got (see [`usable_cores`]); `None`
    /// where the platform reports no CPU time.
    pub usable: Option<f64>,
}

impl CpuShare {
    /// Spins `threads` threads for 100 ms and sees how much CPU they get.
    pub fn measure(threads: usize) -> Self {
        CpuShare {
            threads,
            cores: available_cores(),
            usable: usable_cores(threads, Duration::from_millis(100)),
        }
    }

    /// Two threads on a two-core machine that got `usable` cores' worth of
    /// CPU: the usual case, for tests of sentences that read a share.
    pub fn on_two_cores(usable: f64) -> Self {
        CpuShare {
            threads: 2,
            cores: 2,
            usable: Some(usable),
        }
    }

    /// The most CPU the threads could get here: one core each, as far as
    /// the cores go.
    pub fn possible(&self) -> f64 {
        self.threads.min(self.cores).max(1) as f64
    }

    /// Whether other programs took enough of the machine (the threads got
    /// less than [`BUSY_BELOW`] of [`possible`](Self::possible)) that a
    /// parallel figure says more about them than about the code.
    pub fn busy(&self) -> bool {
        self.usable
            .is_some_and(|usable| usable < BUSY_BELOW * self.possible())
    }

    /// Whether the threads can run in parallel here at all.
    pub fn parallel(&self) -> bool {
        self.cores >= 2 && self.threads >= 2
    }

    /// Prints what the machine gave, reflowed to the page: `(Just now, 2
    /// busy threads got 1.97 of 2 cores' worth of CPU.)`, with a warning
    /// when the machine is busy (the warning is a verdict: not in
    /// snapshots).
    pub fn report(&self, out: &crate::Out) {
        // Cores differ from machine to machine, so snapshots hide them too.
        let cores = out.measured(self.cores, "[n]");
        let threads = out.measured(self.threads, "[n]");
        let Some(usable) = self.usable else {
            out.line(format!(
                "({cores} cores here; this platform reports no CPU time.)"
            ));
            return;
        };
        let got = out.measured(format!("{usable:.2}"), "[cores]");
        let status = if self.busy() && !out.redacted() {
            ": the machine is busy, so figures with threads include time spent \
             waiting for a core"
        } else {
            ""
        };
        out.line(crate::text::reflow(&format!(
            "(Just now, {threads} busy threads got {got} of {cores} cores' worth of CPU{status}.)"
        )));
    }
}

/// The cores this process may use.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A value alone on its cache line (128 bytes: two 64-byte lines, because
/// some processors fetch lines in pairs). Two counters that share a line
/// slow each other down even when no thread touches the other's counter
/// ("false sharing"); padding keeps that out of a measurement that is not
/// about it.
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct Padded<T>(pub T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    match samples.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => samples[n / 2],
        n => (samples[n / 2 - 1] + samples[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hint::black_box;
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

    #[test]
    fn medians_ignore_outliers() {
        assert_eq!(median(vec![5.0, 1.0, 100.0]), 5.0);
        assert_eq!(median(vec![1.0, 2.0, 3.0, 100.0]), 2.5);
        assert!(median(Vec::new()).is_nan());
    }

    #[test]
    fn variants_run_round_robin_in_order() {
        let mut order = Vec::new();
        let log = std::cell::RefCell::new(&mut order);
        let results = side_by_side(
            2,
            &mut [
                ("a", &mut || {
                    log.borrow_mut().push('a');
                    1.0
                }),
                ("b", &mut || {
                    log.borrow_mut().push('b');
                    3.0
                }),
            ],
        );
        assert_eq!(order, ['a', 'b', 'a', 'b']);
        assert_eq!(results[1].ratio_to(&results[0]), 3.0);
    }

    #[test]
    fn best_of_keeps_the_fastest_run() {
        // Naps far apart, so that a loaded machine, which wakes sleepers
        // late, cannot make the 5 ms nap look slower than the 150 ms one.
        let mut naps = [300u64, 5, 150].into_iter();
        let best = best_of(3, || {
            std::thread::sleep(Duration::from_millis(naps.next().unwrap()))
        });
        assert!(
            best.wall >= Duration::from_millis(5) && best.wall < Duration::from_millis(150),
            "{:?}",
            best.wall
        );
    }

    #[test]
    fn best_of_each_interleaves_the_variants() {
        let order = std::cell::RefCell::new(Vec::new());
        let (mut a, mut b) = (
            || order.borrow_mut().push('a'),
            || order.borrow_mut().push('b'),
        );
        let results = best_of_each(2, &mut [&mut a, &mut b]);
        assert_eq!(results.len(), 2);
        assert_eq!(*order.borrow(), ['a', 'b', 'a', 'b']);
    }

    #[test]
    fn busy_threads_use_some_cores() {
        if let Some(cores) = usable_cores(2, Duration::from_millis(30)) {
            // Anything from a crowded single core to both of them.
            assert!(cores > 0.1 && cores < 2.6, "{cores}");
        }
    }

    #[test]
    fn a_share_below_four_fifths_of_the_possible_is_busy() {
        let share = |threads, cores, usable| CpuShare {
            threads,
            cores,
            usable: Some(usable),
        };
        assert!(!share(2, 2, 1.61).busy());
        assert!(share(2, 2, 1.59).busy());
        // Four threads on two cores can get two cores at most.
        assert!(!share(4, 2, 1.7).busy());
        // One core: one thread's worth is all there is.
        assert!(!share(2, 1, 0.9).busy() && !share(2, 1, 0.9).parallel());
        assert!(
            !CpuShare {
                usable: None,
                ..share(2, 2, 0.0)
            }
            .busy()
        );
    }

    #[test]
    fn contended_increments_cannot_look_free() {
        // Four threads hammering one counter on however many cores: each
        // increment has to win the cache line, so a figure under a
        // nanosecond would mean the clock missed the work.
        let counter = AtomicU64::new(0);
        let per_op = per_op_threads(4, 100_000, |_| {
            counter.fetch_add(1, Relaxed);
        });
        assert_eq!(counter.load(Relaxed), 400_000);
        assert!(
            per_op > 1e-9,
            "{:.2} ns per contended increment",
            per_op * 1e9
        );
    }

    #[test]
    fn threaded_ops_all_run() {
        let counters: Vec<Padded<AtomicU64>> = (0..2).map(|_| Padded::default()).collect();
        let per_op = per_op_threads(2, 1000, |i| {
            counters[i].fetch_add(black_box(1), Relaxed);
        });
        assert!(per_op > 0.0);
        assert_eq!(counters.iter().map(|c| c.load(Relaxed)).sum::<u64>(), 2000);
        assert_eq!(std::mem::align_of::<Padded<u8>>(), 128);
    }
}
