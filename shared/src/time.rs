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
//!
//! # A clock that ticks
//!
//! Linux and macOS count a process's CPU time to the microsecond. Windows
//! counts it in clock ticks, usually 15.6 ms (10 ms under wine): work of a
//! few milliseconds reads as 0 or as one whole tick. So the stopwatch
//! measures the clock's resolution once per process ([`cpu_resolution`]),
//! every [`Measurement`] carries it, and a figure made from CPU time says no
//! more than the clock can tell: a reading under one tick prints as "below
//! the clock's resolution", a ratio from a reading of a few ticks as the
//! range it lies in, and a measurement that needs precision asks for
//! [`Measurement::cpu_precise`], which is `None` under [`MANY_TICKS`] ticks.
//!
//! To check that every figure and claim survives such a clock on a machine
//! that has a fine one, set [`COARSE_CLOCK_VAR`]:
//! `WORKSHOP_CPU_TICK_MS=16 cargo test --workspace` rounds every CPU reading
//! down to a whole number of 16 ms ticks, as Windows does.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::units;

/// Set to a whole number of milliseconds, this environment variable makes
/// the process CPU clock tick that coarsely: every reading is rounded down
/// to a whole number of ticks, as Windows' 15.6 ms ticks do. For tests; the
/// lessons' child processes inherit it.
pub const COARSE_CLOCK_VAR: &str = "WORKSHOP_CPU_TICK_MS";

/// A CPU reading of at least this many ticks of the clock is precise: the
/// reading is within one tick of the truth, a twentieth of it or less.
pub const MANY_TICKS: u32 = 20;

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
    resolution: Option<Duration>,
}

/// What a [`Stopwatch`] measured.
#[derive(Clone, Copy, Debug)]
pub struct Measurement {
    /// Time on the wall clock.
    pub wall: Duration,
    /// CPU time the whole process spent, every thread counted, or `None`
    /// where the platform does not report it.
    pub cpu: Option<CpuTimes>,
    /// The CPU clock's resolution ([`cpu_resolution`]): the CPU reading is
    /// within this much of the CPU time really spent.
    pub cpu_resolution: Duration,
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
    /// Starts both clocks. (The first stopwatch of a process measures the
    /// CPU clock's resolution first, which takes up to two of its ticks.)
    pub fn start() -> Self {
        let resolution = cpu_resolution();
        Self {
            cpu: resolution.and_then(|_| process_cpu_times()),
            resolution,
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
        Measurement {
            wall,
            cpu,
            cpu_resolution: self.resolution.unwrap_or_default(),
        }
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
    /// CPU times. On a coarse clock this is only as good as
    /// [`cpu_per_wall_bounds`](Self::cpu_per_wall_bounds) says.
    pub fn cpu_per_wall(&self) -> Option<f64> {
        let cpu = self.cpu?;
        let wall = self.wall.as_secs_f64();
        (wall > 0.0).then(|| cpu.total().as_secs_f64() / wall)
    }

    /// The CPU reading, user and system time together.
    pub fn cpu_total(&self) -> Option<Duration> {
        self.cpu.map(CpuTimes::total)
    }

    /// The least and the most CPU time the reading allows: within one tick
    /// of the clock either way (a reading of 0 means less than one tick).
    pub fn cpu_bounds(&self) -> Option<(Duration, Duration)> {
        let total = self.cpu_total()?;
        let tick = self.cpu_resolution;
        Some((total.saturating_sub(tick), total + tick))
    }

    /// [`cpu_bounds`](Self::cpu_bounds) over the wall time.
    pub fn cpu_per_wall_bounds(&self) -> Option<(f64, f64)> {
        let (least, most) = self.cpu_bounds()?;
        let wall = self.wall.as_secs_f64();
        (wall > 0.0).then(|| (least.as_secs_f64() / wall, most.as_secs_f64() / wall))
    }

    /// CPU over wall time with its bounds, to print or to reason with.
    pub fn cpu_per_wall_reading(&self) -> Option<CpuPerWall> {
        let (least, most) = self.cpu_per_wall_bounds()?;
        Some(CpuPerWall {
            ratio: self.cpu_per_wall()?,
            least,
            most,
        })
    }

    /// Whether the CPU reading is less than one tick of the clock: the work
    /// used less CPU than the clock can see (it reads 0).
    pub fn cpu_below_resolution(&self) -> bool {
        self.cpu_total()
            .is_some_and(|total| total < self.cpu_resolution)
    }

    /// The CPU reading if it is at least [`MANY_TICKS`] ticks long, precise
    /// enough to compute with; `None` if it is shorter, or not reported.
    pub fn cpu_precise(&self) -> Option<Duration> {
        let total = self.cpu_total()?;
        (total >= self.cpu_resolution * MANY_TICKS && !total.is_zero()).then_some(total)
    }
}

/// How finely this process's CPU time is counted: the smallest step the
/// clock took while a thread spun, measured once per process (on a clock
/// that ticks, this takes up to two ticks of spinning). About a microsecond
/// on Linux and macOS, a clock tick (15.6 ms) on Windows. `None` where CPU
/// time is not reported, or the clock did not move within two seconds.
pub fn cpu_resolution() -> Option<Duration> {
    static RESOLUTION: OnceLock<Option<Duration>> = OnceLock::new();
    *RESOLUTION.get_or_init(|| {
        smallest_step(
            || process_cpu_times().map(CpuTimes::total),
            Duration::from_secs(2),
        )
    })
}

/// The least CPU time a measurement needs for a precise reading here:
/// [`MANY_TICKS`] ticks of the clock. Size work that is timed for its CPU
/// time to at least this. Zero where CPU time is not reported.
pub fn precise_cpu_time() -> Duration {
    cpu_resolution().unwrap_or_default() * MANY_TICKS
}

/// The smallest of two steps that `read` takes while this thread spins, or
/// the one it took when `limit` has passed; `None` if it never moved.
fn smallest_step(read: impl Fn() -> Option<Duration>, limit: Duration) -> Option<Duration> {
    let give_up = Instant::now() + limit;
    let mut last = read()?;
    let mut smallest: Option<Duration> = None;
    for _ in 0..2 {
        let now = loop {
            let now = read()?;
            if now != last || Instant::now() > give_up {
                break now;
            }
        };
        if now <= last {
            break; // out of time (or a clock that went back)
        }
        let step = now - last;
        smallest = Some(smallest.map_or(step, |s| s.min(step)));
        last = now;
    }
    smallest
}

/// The tick of the coarse clock asked for with [`COARSE_CLOCK_VAR`], if any.
fn coarse_tick() -> Option<Duration> {
    static TICK: OnceLock<Option<Duration>> = OnceLock::new();
    *TICK.get_or_init(|| {
        let value = std::env::var(COARSE_CLOCK_VAR).ok()?;
        match value.trim().parse::<u64>() {
            Ok(ms) if ms > 0 => Some(Duration::from_millis(ms)),
            _ => {
                eprintln!(
                    "warning: {COARSE_CLOCK_VAR}={value:?} is not a whole number of \
                     milliseconds; the CPU clock is left as it is"
                );
                None
            }
        }
    })
}

/// `t` as a clock that ticks every `tick` reads it: a whole number of ticks,
/// rounded down.
fn in_whole_ticks(t: Duration, tick: Duration) -> Duration {
    let ticks = t.as_nanos() / tick.as_nanos().max(1);
    Duration::from_nanos(u64::try_from(ticks * tick.as_nanos()).unwrap_or(u64::MAX))
}

/// The CPU time this process has used so far, all threads together, as
/// the platform's clock reads it (in whole ticks of [`COARSE_CLOCK_VAR`]
/// when that is set).
pub fn process_cpu_times() -> Option<CpuTimes> {
    let times = platform_cpu_times()?;
    Some(match coarse_tick() {
        Some(tick) => CpuTimes {
            user: in_whole_ticks(times.user, tick),
            sys: in_whole_ticks(times.sys, tick),
        },
        None => times,
    })
}

/// What getrusage(2) says.
#[cfg(unix)]
fn platform_cpu_times() -> Option<CpuTimes> {
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

/// What GetProcessTimes says: Windows counts in clock ticks.
#[cfg(windows)]
fn platform_cpu_times() -> Option<CpuTimes> {
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

/// Not reported on this platform.
#[cfg(not(any(unix, windows)))]
fn platform_cpu_times() -> Option<CpuTimes> {
    None
}

/// CPU time over wall time as the clock can tell it: the ratio of the
/// readings, and the least and the most it can really be (one tick either
/// way). It displays with the digits the clock vouches for, each off by at
/// most one unit: `0.99`; `1.0`, or the range it lies in (`0.5–1.7`), when a
/// tick is a visible part of the wall time; `< 0.32` when the reading is
/// under a tick or two.
///
/// ```
/// let exact = workshop::CpuPerWall::exact(0.987);
/// assert_eq!(exact.to_string(), "0.99");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CpuPerWall {
    /// The CPU reading over the wall time.
    pub ratio: f64,
    /// The least the ratio can be.
    pub least: f64,
    /// The most the ratio can be.
    pub most: f64,
}

impl CpuPerWall {
    /// A ratio measured on a clock fine enough not to matter.
    pub fn exact(ratio: f64) -> Self {
        CpuPerWall {
            ratio,
            least: ratio,
            most: ratio,
        }
    }
}

impl std::fmt::Display for CpuPerWall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let CpuPerWall { ratio, least, most } = *self;
        // How far the ratio may be off: one tick over the wall time. A digit
        // is printed if the slack is at most one unit of it.
        let slack = (most - least) / 2.0;
        if least <= 0.0 && most > 0.0 {
            write!(f, "< {:.2}", round_up(most, 100.0).max(0.01))
        } else if slack <= 0.01 {
            write!(f, "{ratio:.2}")
        } else if slack <= 0.1 {
            write!(f, "{ratio:.1}")
        } else {
            write!(
                f,
                "{:.1}–{:.1}",
                round_down(least, 10.0),
                round_up(most, 10.0)
            )
        }
    }
}

/// `user …, sys …, total …` for [`Out::timing`](crate::Out::timing), or one
/// phrase when even the total is under a tick.
pub(crate) fn cpu_times_text(cpu: CpuTimes, tick: Duration) -> String {
    if cpu.total() < tick {
        return format!("below the clock's resolution ({})", units::duration(tick));
    }
    format!(
        "user {}, sys {}, total {}",
        cpu_duration(cpu.user, tick),
        cpu_duration(cpu.sys, tick),
        cpu_duration(cpu.total(), tick)
    )
}

/// A CPU reading, or `< tick` for one that is under a tick (it reads 0).
pub(crate) fn cpu_duration(reading: Duration, tick: Duration) -> String {
    if reading < tick {
        format!("< {}", units::duration(tick))
    } else {
        units::duration(reading)
    }
}

/// `x` rounded up to a multiple of `1 / per_unit` (ignoring float noise).
fn round_up(x: f64, per_unit: f64) -> f64 {
    (x * per_unit - 1e-9).ceil() / per_unit
}

/// `x` rounded down to a multiple of `1 / per_unit`.
fn round_down(x: f64, per_unit: f64) -> f64 {
    (x * per_unit + 1e-9).floor() / per_unit
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

    /// A measurement taken on a clock with 16 ms ticks.
    fn on_a_coarse_clock(wall_ms: u64, cpu_ms: u64) -> Measurement {
        const TICK: Duration = Duration::from_millis(16);
        Measurement {
            wall: Duration::from_millis(wall_ms),
            cpu: Some(CpuTimes {
                user: in_whole_ticks(Duration::from_millis(cpu_ms), TICK),
                sys: Duration::ZERO,
            }),
            cpu_resolution: TICK,
        }
    }

    #[test]
    fn a_coarse_clock_reads_whole_ticks() {
        let tick = Duration::from_millis(16);
        assert_eq!(
            in_whole_ticks(Duration::from_millis(15), tick),
            Duration::ZERO
        );
        assert_eq!(in_whole_ticks(Duration::from_millis(47), tick), tick * 2);
        assert_eq!(in_whole_ticks(Duration::from_millis(48), tick), tick * 3);
    }

    #[test]
    fn the_resolution_is_the_step_of_the_clock() {
        // A clock that reads the wall time in 16 ms ticks: the steps it
        // takes while we watch are whole ticks.
        let start = Instant::now();
        let coarse = || Some(in_whole_ticks(start.elapsed(), Duration::from_millis(16)));
        let step = smallest_step(coarse, Duration::from_secs(5));
        assert_eq!(step, Some(Duration::from_millis(16)));
        let fine = || Some(start.elapsed());
        assert!(smallest_step(fine, Duration::from_secs(5)).unwrap() < Duration::from_millis(1));
        // A clock that never moves has no resolution to speak of.
        let stopped = || Some(Duration::from_secs(1));
        assert_eq!(smallest_step(stopped, Duration::from_millis(20)), None);
    }

    #[test]
    fn readings_under_a_tick_print_as_below_the_resolution() {
        let m = on_a_coarse_clock(50, 9);
        assert!(m.cpu_below_resolution());
        let out = crate::Out::capture(false);
        assert_eq!(out.cpu_time(&m), "< 16.0 ms");
        assert_eq!(out.cpu_per_wall(&m), "< 0.32");
        out.timing(&m);
        assert_eq!(
            out.captured(),
            "  CPU times: below the clock's resolution (16.0 ms)\n  \
             Wall time: 50.0 ms  (CPU/wall < 0.32)\n"
        );
    }

    #[test]
    fn ratios_keep_the_digits_the_clock_vouches_for() {
        let out = crate::Out::capture(false);
        let ratio = |wall, cpu| out.cpu_per_wall(&on_a_coarse_clock(wall, cpu));
        // One tick: anything from nothing to two ticks.
        assert_eq!(ratio(60, 20), "< 0.54");
        // Three ticks in 60 ms: 32 to 64 ms of CPU.
        assert_eq!(ratio(60, 50), "0.5–1.1");
        // A tick is 8% of 200 ms, 1.6% of a second: one decimal.
        assert_eq!(ratio(200, 190), "0.9");
        assert_eq!(ratio(1000, 990), "1.0");
        // And 0.4% of four seconds: two.
        assert_eq!(ratio(4000, 7900), "1.97");
        // A fine clock (a microsecond) changes nothing.
        let fine = Measurement {
            cpu_resolution: Duration::from_micros(1),
            ..on_a_coarse_clock(50, 0)
        };
        assert_eq!(out.cpu_per_wall(&fine), "< 0.01");
        let mut waited = fine;
        waited.cpu = Some(CpuTimes {
            user: Duration::from_micros(31),
            sys: Duration::ZERO,
        });
        assert_eq!(out.cpu_per_wall(&waited), "0.00");
        assert_eq!(out.cpu_time(&waited), "31.0 µs");
    }

    #[test]
    fn only_many_ticks_are_precise() {
        assert_eq!(on_a_coarse_clock(1000, 300).cpu_precise(), None);
        assert_eq!(
            on_a_coarse_clock(1000, 330).cpu_precise(),
            Some(Duration::from_millis(320))
        );
        assert_eq!(
            on_a_coarse_clock(1000, 330).cpu_bounds(),
            Some((Duration::from_millis(304), Duration::from_millis(336)))
        );
        let times = CpuTimes {
            user: Duration::from_millis(48),
            sys: Duration::ZERO,
        };
        assert_eq!(
            cpu_times_text(times, Duration::from_millis(16)),
            "user 48.0 ms, sys < 16.0 ms, total 48.0 ms"
        );
    }

    #[test]
    fn the_process_clock_ticks_as_asked() {
        let resolution = cpu_resolution();
        if let Some(tick) = coarse_tick() {
            // Under WORKSHOP_CPU_TICK_MS: whole ticks, and a resolution of
            // at least one.
            let reading = process_cpu_times().expect("reported").total();
            assert_eq!(in_whole_ticks(reading, tick), reading);
            assert!(resolution.unwrap() >= tick, "{resolution:?}");
        } else if cfg!(any(target_os = "linux", target_os = "macos")) {
            // getrusage counts in microseconds.
            let resolution = resolution.expect("reported");
            assert!(resolution <= Duration::from_millis(1), "{resolution:?}");
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
