//! Section `io-bound`: threads that wait give the GIL away while they wait.

use std::io;
use std::thread;
use std::time::Duration;

use workshop::server::{self, Client};
use workshop::{Ctx, Measurement, Out, Outcome, Section, Timeline, measure, units};

use crate::gil::{BLOCKED, Gil, HOLDS, PyThread, WAITS, run_threads};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "io-bound",
    title: "I/O-bound threads don't mind the GIL",
    explain: "
        A thread that sleeps, reads a file or waits for the network does not
        need the interpreter while it waits, so CPython releases the GIL
        around every blocking call (`Py_BEGIN_ALLOW_THREADS` in its C code)
        and takes it back afterwards. Other threads run meanwhile.

        Below, four threads each ask a slow service for a page over a real
        socket: a small server the lesson starts on this machine
        (127.0.0.1), which answers every request after one second. Each
        thread releases the simulated GIL around its blocking read, exactly
        as around a sleep. Under the GIL they should still finish in about
        one second, not four. This is why threads suit I/O-bound Python,
        GIL or not.
    ",
    python: r#"
        def fetch(url):
            with urlopen(url) as reply:   # the GIL is released while it waits
                return reply.read()

        threads = [threading.Thread(target=fetch, args=(u,))
                   for u in urls]
    "#,
    rust: r#"
        py.allow_threads(|| client.fetch(&page(index)))
        self.drop_gil();
        let result = blocking_call();
        self.take_gil();
    "#,
    run,
};

/// How many threads make a blocking call.
pub const THREADS: usize = 4;

/// The page thread `index` asks for: `/page/1` for the first.
pub fn page(index: usize) -> String {
    format!("/page/{}", index + 1)
}

/// Runs `count` simulated Python threads under one GIL, thread `index`
/// running `code(py, index)`; returns what each returned, the measurement
/// and the timeline.
fn under_one_gil<R: Send>(
    count: usize,
    code: impl Fn(&PyThread, usize) -> R + Sync,
) -> (Vec<R>, Measurement, Timeline) {
    let timeline = Timeline::with_labels(&[HOLDS, WAITS, BLOCKED]);
    let gil = Gil::new(crate::gil::DEFAULT_INTERVAL, timeline.clone());
    let names: Vec<String> = (1..=count).map(|i| format!("thread-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (results, measured) = measure(|| run_threads(&gil, &names, code));
    (results, measured, timeline)
}

/// Each thread fetches its page from the slow service, with the GIL
/// released while it waits for the answer.
pub fn fetching_threads(
    count: usize,
    client: Client,
) -> (Vec<io::Result<String>>, Measurement, Timeline) {
    under_one_gil(count, |py, index| {
        py.allow_threads(|| client.fetch(&page(index)))
    })
}

/// Each thread sleeps `nap` with the GIL released: the section without a
/// network.
pub fn sleeping_threads(count: usize, nap: Duration) -> (Measurement, Timeline) {
    let (_, measured, timeline) =
        under_one_gil(count, |py, _| py.allow_threads(|| thread::sleep(nap)));
    (measured, timeline)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let wait = ctx.secs(1.0);
    let running = out.progress(format!(
        "running: {THREADS} blocking calls of {} under one GIL",
        units::duration(wait)
    ));
    let (measured, timeline) = match server::start_or_explain(out, wait, THREADS) {
        Some(service) => {
            let (pages, measured, timeline) = fetching_threads(THREADS, service.client());
            report_pages(out, &pages, service.addr().port())?;
            (measured, timeline)
        }
        None => {
            out.line(format!(
                "Four threads, each in a blocking sleep of {}, under one GIL:",
                units::duration(wait)
            ));
            running.update(format!(
                "running: {THREADS} sleeps of {}",
                units::duration(wait)
            ));
            sleeping_threads(THREADS, wait)
        }
    };
    drop(running);
    out.blank();
    out.timeline(&timeline);
    out.blank();
    out.timing(&measured);
    out.line(format!(
        "Four waits of {} each took {} together.",
        units::duration(wait),
        out.time(measured.wall)
    ));
    out.verdict(verdict(THREADS as u32, wait, measured.wall));
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
             turn, as if each held the GIL while it waited."
        )
    }
}

/// Says what the threads got back; a request that failed fails the
/// section, with the reason.
fn report_pages(out: &Out, pages: &[io::Result<String>], port: u16) -> Outcome {
    out.line(format!(
        "Four threads, each asking the slow service on 127.0.0.1:{} for a page:",
        out.measured(port, "[port]")
    ));
    for (index, reply) in pages.iter().enumerate() {
        match reply {
            Ok(body) => out.line(format!("  thread-{} got: {}", index + 1, body.trim())),
            Err(e) => return Err(format!("thread-{}'s request failed: {e}", index + 1).into()),
        }
    }
    Ok(())
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
