//! Time in a lesson: a scale that `--quick` turns down, and a stopwatch that
//! reads both the wall clock and the CPU time the process used.
//!
//! The stopwatch is the Rust side of the notebook's `%time`:
//!
//! ```text
//! CPU times: user 4.81 s, sys: 50 ms, total: 4.86 s
//! Wall time: 4.91 s
//! ```
//!
//! CPU time against wall time is how a lesson shows whether threads ran in
//! parallel: two busy threads on two cores use two seconds of CPU in every
//! second of wall time; under a GIL they use one.

use std::time::{Duration, Instant};

/// How much of every sleep a lesson really sleeps: `1.0` normally, smaller
/// with `--quick`. Workloads shrink separately (see
/// [`Ctx::quick`](crate::Ctx::quick)); the scale only touches waiting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale(f64);

impl Scale {
    /// Real time: one second of a lesson's sleep is one second.
    pub const REAL: Scale = Scale(1.0);
    /// The `--quick` scale: sleeps are ten times shorter.
    pub const QUICK: Scale = Scale(0.1);

    /// A scale from a factor; `None` unless `0 < factor ≤ 10`.
    pub fn new(factor: f64) -> Option<Self> {
        (factor > 0.0 && factor <= 10.0).then_some(Scale(factor))
    }

    /// The factor, for display.
    pub fn factor(self) -> f64 {
        self.0
    }

    /// A lesson's nominal `secs` seconds, scaled: `Scale::QUICK.secs(5.0)`
    /// is half a second.
    pub fn secs(self, secs: f64) -> Duration {
        Duration::from_secs_f64(secs * self.0)
    }
}

/// Wall time and process CPU time from one starting point.
///
/// ```
/// let watch = workshop::Stopwatch::start();
/// let work: u64 = (0..1_000u64).map(std::hint::black_box).sum();
/// let m = watch.elapsed();
/// assert_eq!(work, 499_500);
/// assert!(m.wall > std::time::Duration::ZERO);
/// ```
pub struct Stopwatch {
    wall: Instant,
    cpu: Option<CpuTimes>,
}

/// What a [`Stopwatch`] measured.
#[derive(Clone, Copy, Debug)]
pub struct Measurement {
    /// Time on the wall clock.
    pub wall: Duration,
    /// CPU time the whole process spent, every thread counted, or `None`
    /// where the platform does not report it.
    pub cpu: Option<CpuTimes>,
}

/// CPU time split as the kernel reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CpuTimes {
    /// Time running the program's own code.
    pub user: Duration,
    /// Time the kernel spent on the program's behalf (system calls).
    pub sys: Duration,
}

impl Stopwatch {
    /// Starts both clocks.
    pub fn start() -> Self {
        Self {
            cpu: process_cpu_times(),
            wall: Instant::now(),
        }
    }

    /// Both clocks' time since the start; the stopwatch keeps running, so
    /// it can be read again.
    pub fn elapsed(&self) -> Measurement {
        let wall = self.wall.elapsed();
        let cpu = match (self.cpu, process_cpu_times()) {
            (Some(start), Some(now)) => Some(CpuTimes {
                user: now.user.saturating_sub(start.user),
                sys: now.sys.saturating_sub(start.sys),
            }),
            _ => None,
        };
        Measurement { wall, cpu }
    }
}

/// Runs `work` and measures it, like `%time` in a notebook.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Measurement) {
    let watch = Stopwatch::start();
    let value = work();
    (value, watch.elapsed())
}

impl CpuTimes {
    /// User plus system time.
    pub fn total(self) -> Duration {
        self.user + self.sys
    }
}

impl Measurement {
    /// Total CPU time over wall time: about 1 when one core was busy, about 2
    /// when two were, near 0 when the process mostly waited. `None` without
    /// CPU times.
    pub fn cpu_per_wall(&self) -> Option<f64> {
        let cpu = self.cpu?;
        let wall = self.wall.as_secs_f64();
        (wall > 0.0).then(|| cpu.total().as_secs_f64() / wall)
    }
}

/// The CPU time this process has used so far, all threads together.
#[cfg(unix)]
pub fn process_cpu_times() -> Option<CpuTimes> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: `usage` points to writable memory the size of a `rusage`, which
    // getrusage fills completely when it returns 0.
    let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if status != 0 {
        return None;
    }
    // SAFETY: getrusage returned 0, so it initialized the whole struct.
    let usage = unsafe { usage.assume_init() };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Some(CpuTimes {
        user: time(usage.ru_utime),
        sys: time(usage.ru_stime),
    })
}

/// The CPU time this process has used so far, all threads together.
#[cfg(windows)]
pub fn process_cpu_times() -> Option<CpuTimes> {
    #[repr(C)]
    #[derive(Default, Clone, Copy)]
    struct FileTime {
        low: u32,
        high: u32,
    }
    unsafe extern "system" {
        fn GetCurrentProcess() -> isize;
        fn GetProcessTimes(
            process: isize,
            creation: *mut FileTime,
            exit: *mut FileTime,
            kernel: *mut FileTime,
            user: *mut FileTime,
        ) -> i32;
    }
    let (mut creation, mut exit, mut kernel, mut user) = Default::default();
    // SAFETY: GetCurrentProcess returns a pseudo-handle that needs no closing,
    // and the four pointers are to live, writable FILETIME values.
    let ok = unsafe {
        GetProcessTimes(
            GetCurrentProcess(),
            &mut creation,
            &mut exit,
            &mut kernel,
            &mut user,
        )
    };
    // FILETIME counts 100-nanosecond ticks.
    let time =
        |t: FileTime| Duration::from_nanos(((u64::from(t.high) << 32) | u64::from(t.low)) * 100);
    (ok != 0).then(|| CpuTimes {
        user: time(user),
        sys: time(kernel),
    })
}

/// The CPU time this process has used so far; not reported on this platform.
#[cfg(not(any(unix, windows)))]
pub fn process_cpu_times() -> Option<CpuTimes> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hint::black_box;

    #[test]
    fn the_quick_scale_shortens_sleeps_tenfold() {
        assert_eq!(Scale::QUICK.secs(5.0), Duration::from_millis(500));
        assert_eq!(Scale::REAL.secs(1.5), Duration::from_millis(1500));
    }

    #[test]
    fn scales_outside_the_sane_range_are_refused() {
        assert!(Scale::new(0.0).is_none());
        assert!(Scale::new(-1.0).is_none());
        assert!(Scale::new(f64::NAN).is_none());
        assert!(Scale::new(11.0).is_none());
        assert_eq!(Scale::new(0.5), Some(Scale(0.5)));
    }

    #[test]
    fn sleeping_costs_wall_time_but_little_cpu() {
        let ((), m) = measure(|| std::thread::sleep(Duration::from_millis(60)));
        assert!(m.wall >= Duration::from_millis(60));
        if let Some(cpu) = m.cpu {
            // Other tests run in this process at the same time, so allow a lot.
            assert!(cpu.total() < m.wall * 4, "cpu {cpu:?} for a 60 ms sleep");
        }
    }

    #[cfg(any(unix, windows))]
    #[test]
    fn spinning_costs_cpu_time() {
        // Spin until the process has used 30 ms of CPU. On a busy machine
        // the scheduler hands this thread only part of a core, so that can
        // take longer than 30 ms of wall time, but it must come: a clock
        // that stood still, or did not count this thread, never gets there.
        let start = process_cpu_times().expect("this platform reports CPU time");
        let give_up = Instant::now() + Duration::from_secs(5);
        let used = loop {
            black_box(0);
            let used = process_cpu_times().expect("still reported").total() - start.total();
            if used >= Duration::from_millis(30) || Instant::now() > give_up {
                break used;
            }
        };
        assert!(
            used >= Duration::from_millis(30),
            "5 s of spinning used only {used:?} of CPU"
        );
    }
}
