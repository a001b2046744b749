//! Section `io-bound`: threads that wait give the GIL away while they wait.

use std::thread;
use std::time::Duration;

use workshop::{Ctx, Measurement, Outcome, Section, Timeline, measure};

use crate::gil::{BLOCKED, Gil, HOLDS, WAITS, run_threads};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "io-bound",
    title: "I/O-bound threads don't mind the GIL",
    explain: "
        A thread that sleeps, reads a file or waits for the network does not
        need the interpreter while it waits, so CPython releases the GIL
        around every blocking call (`Py_BEGIN_ALLOW_THREADS` in its C code)
        and takes it back afterwards. Other threads run meanwhile.

        Four threads below each make a blocking call of one second. Under the
        GIL they should still finish in about one second, not four: the GIL is held
        only for the instants between the calls. This is why threads are a
        good fit for I/O-bound Python, GIL or not.
    ",
    python: r#"
        def fetch(url):
            time.sleep(1)    # the GIL is released while it waits

        threads = [threading.Thread(target=fetch, args=(u,))
                   for u in urls]
    "#,
    rust: r#"
        py.allow_threads(|| thread::sleep(nap))
        self.drop_gil();
        let result = blocking_call();
        self.take_gil();
    "#,
    run,
};

/// Runs `count` simulated Python threads that each make one blocking call
/// of `nap`, under one GIL.
pub fn blocking_threads(count: usize, nap: Duration) -> (Measurement, Timeline) {
    let timeline = Timeline::with_labels(&[HOLDS, WAITS, BLOCKED]);
    let gil = Gil::new(crate::gil::DEFAULT_INTERVAL, timeline.clone());
    let names: Vec<String> = (1..=count).map(|i| format!("thread-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (_, measured) = measure(|| {
        run_threads(&gil, &names, |py, _| {
            py.allow_threads(|| thread::sleep(nap))
        })
    });
    (measured, timeline)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let nap = ctx.secs(1.0);
    let _running = out.progress(format!(
        "running: four blocking calls of {} under one GIL",
        workshop::units::duration(nap)
    ));
    let (measured, timeline) = blocking_threads(4, nap);
    out.line(format!(
        "Four threads, each in a blocking call of {}, under one GIL:",
        workshop::units::duration(nap)
    ));
    out.blank();
    out.timeline(&timeline);
    out.blank();
    out.timing(&measured);
    out.line(format!(
        "Four waits of {} each took {} together.",
        workshop::units::duration(nap),
        out.time(measured.wall)
    ));
    out.verdict(verdict(4, nap, measured.wall));
    Ok(())
}

/// What `count` waits of `nap` taking `wall` in all say.
pub fn verdict(count: u32, nap: Duration, wall: Duration) -> String {
    let naps = wall.as_secs_f64() / nap.as_secs_f64();
    if naps < 1.5 {
        "About one wait's time: the waits overlapped, so waiting threads \
         don't hold the GIL."
            .to_owned()
    } else if naps < f64::from(count) - 0.5 {
        format!(
            "Longer than one wait ({naps:.1} waits' worth) but shorter than \
             {count}: the waits partly overlapped; something delayed the threads."
        )
    } else {
        format!(
            "As long as {count} waits one after another: the threads waited in \
             turn, as if each held the GIL while it slept."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_counts_waits() {
        let s = Duration::from_secs(1);
        assert!(verdict(4, s, s * 149 / 100).contains("overlapped, so"));
        assert!(verdict(4, s, s * 151 / 100).contains("partly overlapped"));
        assert!(verdict(4, s, s * 7 / 2).contains("in turn"));
    }
}
