//! Section `watch`: watching the GIL pass between two CPU-bound threads.

use std::time::Duration;

use workshop::{Ctx, Measurement, Outcome, Section, Timeline, measure};

use crate::gil::{BLOCKED, Gil, HOLDS, Stats, WAITS, py_fib, run_threads};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "watch",
    title: "Watch the GIL move",
    explain: "
        How does one lock make two busy threads take turns? A thread that
        wants the GIL waits for it on a condition variable (a `Condvar`,
        Python's `threading.Condition`: a thread sleeps on it until another
        notifies it, or a timeout passes), but only for the switch interval
        (`sys.getswitchinterval()`, 5 ms). If the interval
        passes and nobody has taken the GIL meanwhile, the waiter sets a
        flag, the drop request. The holder looks at that flag at every check
        point of the interpreter loop; when it sees it, it drops the GIL,
        and then waits until the other thread has actually taken it
        (otherwise, on a multicore machine, it would grab it straight back).

        So two CPU-bound threads trade the GIL about once per interval. The
        timeline shows it: each row is a thread, and the GIL passes from one
        to the other, never held by both. Change the interval with
        `--switch-interval MS`.
    ",
    python: r#"
        sys.getswitchinterval()      # 0.005
        # in take_gil(): wait up to the interval, then
        #     if timed_out and no switch happened:
        #         SET_GIL_DROP_REQUEST(interp)
        # in the eval loop, at every check point:
        #     if eval_breaker: drop_gil(); take_gil()
    "#,
    rust: r#"
        let timed_out = gil.released.wait_for(&mut state, interval).timed_out();
        if timed_out && state.locked && state.switch_number == switches_before {
            gil.request_drop();
        }
        if self.gil.drop_request.load(Relaxed) {
            self.hand_over();
        }
    "#,
    run,
};

/// The fibonacci each thread computes: long enough for a few dozen
/// switches, short enough for the timeline to show each one.
pub const N: u32 = 33;

/// Runs two CPU-bound threads under one GIL; returns the measurement, the
/// GIL's counters and its timeline.
pub fn two_busy_threads(n: u32, interval: Duration) -> (Measurement, Stats, Timeline) {
    let timeline = Timeline::with_labels(&[HOLDS, WAITS, BLOCKED]);
    let gil = Gil::new(interval, timeline.clone());
    let (_, measured) =
        measure(|| run_threads(&gil, &["thread-1", "thread-2"], |py, _| py_fib(py, n)));
    (measured, gil.stats(), timeline)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let interval = crate::switch_interval(ctx.settings());
    let (measured, stats, timeline) = two_busy_threads(N, interval);
    out.line(format!(
        "Two threads computing fib({N}), switch interval {}:",
        workshop::units::duration(interval)
    ));
    out.blank();
    out.timeline(&timeline);
    out.blank();
    let per_second = stats.switches as f64 / measured.wall.as_secs_f64();
    out.prose(format!(
        "{} switches in {}: {} per second, against 1 / interval = {:.0} per second.",
        out.count(stats.switches),
        out.time(measured.wall),
        out.measured(format!("{per_second:.0}"), "[rate]"),
        1.0 / interval.as_secs_f64()
    ));
    out.line(format!(
        "{} drop requests; never more than {} holder at a time.",
        out.count(stats.drop_requests),
        stats.most_holders
    ));
    out.verdict(verdict(per_second, interval));
    Ok(())
}

/// What the switch rate says against one switch per interval.
pub fn verdict(per_second: f64, interval: Duration) -> String {
    let expected = 1.0 / interval.as_secs_f64();
    let share = per_second / expected;
    if (0.5..=1.2).contains(&share) {
        format!(
            "About one switch per interval ({:.0}% of the 1 / interval rate): \
             each waiter let an interval pass, then asked.",
            share * 100.0
        )
    } else if share < 0.5 {
        format!(
            "Fewer switches than one per interval ({:.0}% of the rate): a \
             waiter that is not running on a core cannot ask, so a busy \
             machine, or a run shorter than a few intervals, lowers it.",
            share * 100.0
        )
    } else {
        format!(
            "More switches than one per interval ({:.0}% of the rate): \
             threads also hand the GIL over when they finish.",
            share * 100.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_compares_the_rate_with_the_interval() {
        let five = Duration::from_millis(5);
        assert!(verdict(172.0, five).starts_with("About one switch"));
        assert!(verdict(99.0, five).starts_with("Fewer switches"));
        assert!(verdict(100.0, five).starts_with("About one switch"));
        assert!(verdict(241.0, five).starts_with("More switches"));
    }
}
