//! Section `fetch`: fetching many pages, the classic job for a thread pool.

use std::io;
use std::thread;
use std::time::Duration;

use workshop::bench::CpuShare;
use workshop::python::{self, Script};
use workshop::server::{self, Client};
use workshop::{Ctx, Measurement, Out, Outcome, Section, Table, measure, units};

use crate::pool::ThreadPool;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "fetch",
    title: "Fetching many pages: a pool for I/O",
    explain: "
        The job Python programmers give a thread pool most is I/O: fetching
        many pages. A request is almost all waiting, and a waiting thread
        needs neither a core nor the GIL, so threads help even in CPython.
        N requests that each take L cost about N × L one after another,
        about L with one thread per request, and about N / K × L with a
        pool of K threads, which keeps K requests under way at a time.

        The pages come from a slow service the lesson starts on this
        machine (127.0.0.1), which answers every request after 100 ms. Watch
        the CPU time: it stays near zero whichever way the pages are fetched
        (the service runs in this process, so its share is counted too).
    ",
    python: r#"
        def fetch(i):
            with urlopen(f"http://127.0.0.1:{port}/page/{i}") as reply:
                return reply.read()

        pages = [fetch(i) for i in range(16)]          # about 16 × 0.1 s
        with ThreadPoolExecutor(max_workers=4) as executor:
            pages = list(executor.map(fetch, range(16)))   # about 4 × 0.1 s
    "#,
    rust: r#"
        Source::Service(client) => client.fetch(&page(i)), // ~100 ms of waiting

        (0..requests).map(|i| source.get(i)).collect() // one after another
        let handles: Vec<_> = (0..requests) // a thread per request
            .map(|i| s.spawn(move || source.get(i)))
            .collect();
        let pool = ThreadPool::new(workers); // a pool of 4
        pool.map(move |i| source.get(i), 0..requests)
    "#,
    run,
};

/// How many pages the section fetches.
pub const REQUESTS: usize = 16;
/// How many threads its pool has.
pub const WORKERS: usize = 4;
/// How long the slow service takes to answer, in a full run.
pub const LATENCY_SECS: f64 = 0.1;

/// The page request `i` asks for: `/page/0`, `/page/1`, …
pub fn page(i: usize) -> String {
    format!("/page/{i}")
}

/// Where the pages come from: the slow service, or (when it could not
/// start) a sleep as long as its latency.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// A real request over a socket.
    Service(Client),
    /// A stand-in that sleeps.
    Sleep(Duration),
}

impl Source {
    /// Page `i`: a blocking call that takes about the latency.
    pub fn get(&self, i: usize) -> io::Result<String> {
        match *self {
            Source::Service(client) => client.fetch(&page(i)),
            Source::Sleep(latency) => {
                thread::sleep(latency);
                Ok(format!(
                    "page {}, slept {}\n",
                    page(i),
                    units::duration(latency)
                ))
            }
        }
    }
}

/// The three ways to fetch the pages.
pub const WAYS: [&str; 3] = ["one after another", "a thread per request", "a pool"];

/// One way's figures.
pub struct Way {
    /// Its name, from [`WAYS`].
    pub name: &'static str,
    /// Wall and CPU time for all the pages.
    pub measured: Measurement,
    /// The requests that failed, with the first failure.
    pub failed: Option<(usize, String)>,
    /// What the latency alone predicts: how many rounds of requests the way
    /// makes, times the latency.
    pub bound: Duration,
    /// How long its requests waited for the service, added up: one latency
    /// each, whichever way they were made.
    pub waited: Duration,
}

impl Way {
    /// Wall time against the latency bound: 1 means waiting was all of it.
    pub fn vs_bound(&self) -> f64 {
        self.measured.wall.as_secs_f64() / self.bound.as_secs_f64()
    }

    /// CPU time against the time the requests waited, by the least the
    /// reading allows (one tick of a coarse CPU clock is not work). Spinning
    /// instead of waiting makes it 1 or more, whichever way the requests
    /// were made; `None` where the platform reports no CPU time.
    pub fn cpu_per_wait(&self) -> Option<f64> {
        let (least, _) = self.measured.cpu_bounds()?;
        Some(least.as_secs_f64() / self.waited.as_secs_f64())
    }
}

/// Every page, one after another.
pub fn one_after_another(source: Source, requests: usize) -> Vec<io::Result<String>> {
    (0..requests).map(|i| source.get(i)).collect()
}

/// Every page on a thread of its own, all at once.
pub fn thread_per_request(source: Source, requests: usize) -> Vec<io::Result<String>> {
    thread::scope(|s| {
        let handles: Vec<_> = (0..requests)
            .map(|i| s.spawn(move || source.get(i)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("the thread panicked")))
            })
            .collect()
    })
}

/// Every page through a pool of `workers` threads: `executor.map`.
pub fn in_a_pool(source: Source, requests: usize, workers: usize) -> Vec<io::Result<String>> {
    let pool = ThreadPool::new(workers);
    match pool.map(move |i| source.get(i), 0..requests) {
        Ok(pages) => pages,
        Err(panic) => vec![Err(io::Error::other(panic))],
    }
}

/// Fetches `requests` pages from `source` the three ways, in [`WAYS`]
/// order, with a pool of `workers`.
pub fn fetch_many(source: Source, requests: usize, workers: usize, latency: Duration) -> Vec<Way> {
    let rounds = [requests, 1, requests.div_ceil(workers.max(1))];
    let ways: [&dyn Fn() -> Vec<io::Result<String>>; 3] = [
        &|| one_after_another(source, requests),
        &|| thread_per_request(source, requests),
        &|| in_a_pool(source, requests, workers),
    ];
    WAYS.iter()
        .zip(ways)
        .zip(rounds)
        .map(|((&name, way), rounds)| {
            let (pages, measured) = measure(way);
            Way {
                name,
                measured,
                failed: failures(&pages),
                bound: latency * rounds as u32,
                waited: latency * requests as u32,
            }
        })
        .collect()
}

/// How many requests failed, and why the first did.
fn failures(pages: &[io::Result<String>]) -> Option<(usize, String)> {
    let failed: Vec<&io::Error> = pages.iter().filter_map(|p| p.as_ref().err()).collect();
    failed
        .first()
        .map(|first| (failed.len(), first.to_string()))
}

/// How far over its latency bound a way may be and still count as "about
/// its bound".
pub const NEAR_BOUND: f64 = 1.5;
/// CPU time under this share of the time the requests waited counts as
/// "near zero". (Against the time the requests waited, not the wall time:
/// sixteen threads that wait together for 100 ms waited 1.6 s, and starting
/// them costs CPU that waiting does not. Under wine, a Windows emulator,
/// starting a thread costs a millisecond of CPU.)
pub const NEAR_ZERO_CPU: f64 = 0.2;

/// What the figures say, in words chosen from them.
pub fn verdict(ways: &[Way], share: &CpuShare) -> String {
    let worst = ways.iter().map(Way::vs_bound).fold(0.0, f64::max);
    let busiest = ways
        .iter()
        .filter_map(Way::cpu_per_wait)
        .fold(0.0, f64::max);
    let time = if worst <= NEAR_BOUND {
        "each way took about its latency bound: waiting, not work, set the time"
    } else if share.busy() {
        "some ways took well over their latency bound, and the machine is \
         busy: threads waited for a core as well as for the service"
    } else {
        "some ways took well over their latency bound: starting threads and \
         connecting cost more than usual here"
    };
    let cpu = if busiest < NEAR_ZERO_CPU {
        "the CPU time stayed near zero beside the time the requests waited, \
         because waiting costs none"
    } else {
        "the CPU time was not near zero: something besides waiting kept a \
         core busy"
    };
    format!("{}; {cpu}.", capitalized(time))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let latency = ctx.secs(LATENCY_SECS);
    // The lesson's three ways, and CPython's three if it runs: every request
    // counted, so the service's budget is never what stops a page.
    let budget = 6 * REQUESTS;
    let service = server::start_or_explain(out, latency, budget);
    let source = match &service {
        Some(service) => Source::Service(service.client()),
        None => Source::Sleep(latency),
    };
    let what = match &service {
        Some(service) => format!(
            "the slow service on 127.0.0.1:{}",
            out.measured(service.addr().port(), "[port]")
        ),
        None => "a sleep standing in for the service".to_owned(),
    };
    out.line(format!(
        "{REQUESTS} pages from {what}, each after {}:",
        units::duration(latency)
    ));
    let fetching = out.progress(format!(
        "fetching: {REQUESTS} pages one after another, with threads, in a pool"
    ));
    let ways = fetch_many(source, REQUESTS, WORKERS, latency);
    drop(fetching);
    let share = CpuShare::measure(2);
    out.table(&figures(&ways, out));
    for way in &ways {
        if let Some((count, first)) = &way.failed {
            return Err(format!(
                "{}: {count} of {REQUESTS} requests failed: {first}",
                way.name
            )
            .into());
        }
    }
    out.verdict(verdict(&ways, &share));
    match &service {
        Some(service) => compare_python(ctx, service.client(), &ways),
        None => Ok(()),
    }
}

/// Wall time, CPU time and the latency bound of each way.
fn figures(ways: &[Way], out: &Out) -> Table {
    let mut table = Table::new(["way", "wall", "CPU", "latency bound", "wall/bound"]);
    for way in ways {
        let name = way_name(way);
        table.push([
            name,
            out.time(way.measured.wall),
            out.cpu_time(&way.measured),
            units::duration(way.bound),
            out.ratio(way.vs_bound()),
        ]);
    }
    table
}

/// A way's name in a table: `a pool of 4` for the pool.
fn way_name(way: &Way) -> String {
    match way.name {
        "a pool" => format!("a pool of {WORKERS}"),
        name => name.to_owned(),
    }
}

/// The comparison script, shipped with the lesson.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "fetch.py")
}

/// With `--compare-python`: CPython fetches the same pages from the same
/// service, the same three ways.
fn compare_python(ctx: &Ctx, client: Client, ways: &[Way]) -> Outcome {
    python::compare(ctx, &script(), |python, script| {
        let out = &ctx.out;
        let args = [
            client.addr().port().to_string(),
            REQUESTS.to_string(),
            WORKERS.to_string(),
        ];
        let report = python.run(&script.path, &args, Duration::from_secs(120))?;
        let pages = report.number("pages")? as usize;
        if pages != 3 * REQUESTS {
            return Err(format!("CPython got {pages} of {} pages", 3 * REQUESTS).into());
        }
        let mut table = Table::new(["way", "CPython wall", "CPython CPU", "Rust wall"]);
        for (way, key) in ways.iter().zip(["sequential", "threads", "pool"]) {
            table.push([
                way_name(way),
                out.seconds(report.number(key)?),
                out.seconds(report.number(&format!("{key}_cpu"))?),
                out.time(way.measured.wall),
            ]);
        }
        out.table(&table);
        let python_pool = report.number("pool")?;
        out.verdict(python_verdict(python_pool, ways[2].bound));
        Ok(())
    })
}

/// What CPython's pool time says against the same latency bound.
pub fn python_verdict(pool_secs: f64, bound: Duration) -> String {
    let ratio = pool_secs / bound.as_secs_f64();
    if ratio <= NEAR_BOUND {
        format!(
            "CPython's pool took {ratio:.2}× its latency bound too: for I/O, \
             its threads wait in parallel, GIL or not."
        )
    } else {
        format!(
            "CPython's pool took {ratio:.2}× its latency bound: more than \
             waiting alone explains (a slow start, or a busy machine)."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(wall_ms: u64, cpu_ms: u64, bound_ms: u64) -> Way {
        Way {
            name: "a pool",
            measured: Measurement {
                wall: Duration::from_millis(wall_ms),
                cpu: Some(workshop::CpuTimes {
                    user: Duration::from_millis(cpu_ms),
                    sys: Duration::ZERO,
                }),
                cpu_resolution: Duration::from_micros(1),
            },
            failed: None,
            bound: Duration::from_millis(bound_ms),
            // Sixteen requests of 100 ms, whichever way.
            waited: Duration::from_millis(1600),
        }
    }

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn near_the_bound_and_near_zero_cpu() {
        let said = verdict(&[way(1620, 5, 1600), way(410, 3, 400)], &share(1.9));
        assert!(
            said.starts_with("Each way took about its latency bound"),
            "{said}"
        );
        assert!(said.contains("stayed near zero"), "{said}");
    }

    #[test]
    fn over_the_bound_blames_a_busy_machine_only_when_busy() {
        let slow = [way(1620, 5, 1600), way(650, 3, 400)];
        assert!(verdict(&slow, &share(1.0)).contains("the machine is busy"));
        assert!(verdict(&slow, &share(1.9)).contains("connecting cost more"));
        // Just inside and just outside the margin.
        assert!(verdict(&[way(599, 1, 400)], &share(1.9)).starts_with("Each way"));
        assert!(verdict(&[way(601, 1, 400)], &share(1.9)).starts_with("Some ways"));
    }

    #[test]
    fn cpu_time_is_near_zero_only_under_the_threshold() {
        // A fifth of the 1.6 s the requests waited is 320 ms.
        assert!(verdict(&[way(400, 319, 400)], &share(1.9)).contains("stayed near zero"));
        assert!(verdict(&[way(400, 321, 400)], &share(1.9)).contains("not near zero"));
        // Sixteen threads started under wine: 100 ms of CPU in 229 ms, but
        // against 1.6 s of waiting.
        assert!(verdict(&[way(229, 100, 100)], &share(1.9)).contains("stayed near zero"));
        // Spinning through the latency instead of waiting.
        assert!(verdict(&[way(1600, 1600, 1600)], &share(1.9)).contains("not near zero"));
    }

    #[test]
    fn cpython_against_the_same_bound() {
        let bound = Duration::from_millis(400);
        assert!(python_verdict(0.45, bound).contains("GIL or not"));
        assert!(python_verdict(0.65, bound).contains("more than waiting"));
    }

    #[test]
    fn the_bounds_count_rounds_of_requests() {
        let ways = fetch_many(
            Source::Sleep(Duration::from_millis(1)),
            10,
            4,
            Duration::from_millis(1),
        );
        let bounds: Vec<u128> = ways.iter().map(|w| w.bound.as_millis()).collect();
        assert_eq!(bounds, [10, 1, 3]);
        assert!(ways.iter().all(|w| w.failed.is_none()));
    }
}
