//! Section `kinds`: concurrency and parallelism; CPU-bound and I/O-bound work.

use std::hint::black_box;
use std::io;
use std::thread;
use std::time::Duration;

use workshop::server::{self, Client};
use workshop::{CpuPerWall, Ctx, Measurement, Outcome, Section, measure, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "kinds",
    title: "Concurrency, parallelism, and two kinds of work",
    explain: "
        Concurrency means several tasks are under way at once: task B can
        start before task A has finished, even if one core takes turns
        between them. Parallelism means they literally run at the same
        instant, on different cores. Python threads give you concurrency;
        the GIL stops them from giving you parallelism.

        Whether that matters depends on the work. CPU-bound work keeps a core
        busy the whole time: matrix multiplication, image processing,
        searching. I/O-bound work mostly waits: for a user to type, a file to
        arrive, a database to answer, the network. A stopwatch tells them
        apart. CPU-bound work uses as much CPU time as wall time; I/O-bound
        work uses almost none, however long it takes. The query below goes
        over a real socket to a slow service the lesson starts on this
        machine, which takes half a second to answer.
    ",
    python: r#"
        def multiply(a, b):                   # CPU-bound
            return [[sum(x * y for x, y in zip(row, col))
                     for col in zip(*b)] for row in a]

        def query(url):                       # I/O-bound
            with urlopen(url) as reply:
                return reply.read()

        %time multiply(a, b)
        %time query(url)
    "#,
    rust: r#"
        fn multiply(a: &Matrix, b: &Matrix) -> Matrix  // size³ multiply-adds
        fn query(service: &Client) -> io::Result<String>  // waits on a socket

        let (_, cpu_bound) = measure(|| black_box(multiply(&a, &a)));
        let (answer, io_bound) = measure(ask); // ask: || query(&client)
    "#,
    run,
};

/// A square matrix, row by row.
pub type Matrix = Vec<Vec<f64>>;

/// A matrix of the given size with every entry set from its position.
pub fn matrix(size: usize) -> Matrix {
    (0..size)
        .map(|i| (0..size).map(|j| ((i * size + j) % 7) as f64).collect())
        .collect()
}

/// The schoolbook product: size³ multiply-adds, all arithmetic.
pub fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    let size = a.len();
    (0..size)
        .map(|i| {
            (0..size)
                .map(|j| (0..size).map(|k| a[i][k] * b[k][j]).sum())
                .collect()
        })
        .collect()
}

/// A query to a service over the network: all waiting, no work. The slow
/// service takes its latency to answer, like a database thinking.
pub fn query(service: &Client) -> io::Result<String> {
    service.fetch("/users")
}

/// The query without a network: a sleep as long as the service's latency.
pub fn query_by_sleeping(latency: Duration) -> io::Result<String> {
    thread::sleep(latency); // the database is thinking
    Ok("users 1, 2, 3\n".to_owned())
}

/// Times one CPU-bound task, and one I/O-bound one: `ask`, a query.
pub fn both_kinds(
    size: usize,
    ask: impl FnOnce() -> io::Result<String>,
) -> io::Result<(Measurement, Measurement)> {
    let a = black_box(matrix(size));
    let (_, cpu_bound) = measure(|| black_box(multiply(&a, &a)));
    let (answer, io_bound) = measure(ask);
    answer?;
    Ok((cpu_bound, io_bound))
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    // Big enough that the product's CPU time is many ticks of a coarse CPU
    // clock (Windows counts in 15.6 ms ticks): 64 and 125 million
    // multiply-adds, about 0.1 and 0.2 s on a laptop.
    let size = if ctx.quick() { 400 } else { 500 };
    let latency = ctx.secs(0.5);
    let (service, asked) = match server::start_or_explain(out, latency, 1) {
        Some(service) => (Some(service), "A query over a socket to a service"),
        None => (None, "A query (a sleep here)"),
    };
    let measuring = out.progress(format!(
        "measuring: a {size}×{size} matrix product, then a query"
    ));
    let (cpu_bound, io_bound) = match &service {
        Some(service) => both_kinds(size, || query(&service.client()))?,
        None => both_kinds(size, || query_by_sleeping(latency))?,
    };
    drop(service); // stops the service: nothing is left listening
    drop(measuring);
    out.line(format!(
        "Multiplying two {size}×{size} matrices (CPU-bound):"
    ));
    out.timing(&cpu_bound);
    out.blank();
    out.line(format!(
        "{asked} that takes {} to answer (I/O-bound):",
        units::duration(latency)
    ));
    out.timing(&io_bound);
    out.blank();
    out.verdict(verdict(
        cpu_bound.cpu_per_wall_reading(),
        io_bound.cpu_per_wall_reading(),
    ));
    Ok(())
}

/// What the two CPU/wall ratios say about the two kinds of work (each
/// printed with the digits the CPU clock vouches for).
pub fn verdict(cpu_bound: Option<CpuPerWall>, io_bound: Option<CpuPerWall>) -> String {
    let (Some(cpu), Some(io)) = (cpu_bound, io_bound) else {
        return "This platform reports no CPU time, so the stopwatch cannot tell \
                the two kinds apart here."
            .to_owned();
    };
    let multiply = if cpu.ratio >= 0.8 {
        format!(
            "The multiply used {cpu} s of CPU per second: it needs a core, and a \
             GIL will stand in its way."
        )
    } else {
        format!(
            "The multiply used only {cpu} s of CPU per second: other programs \
             kept it off the core part of the time, but it needs one whenever it runs."
        )
    };
    let query = if io.ratio <= 0.2 {
        format!(
            " The query used {io}: it was waiting, and a thread can wait \
             without the GIL."
        )
    } else {
        format!(
            " The query used {io}, more than waiting should: something else \
             in this process was busy meanwhile."
        )
    };
    format!("{multiply}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_reads_the_ratios() {
        let exact = |r| Some(CpuPerWall::exact(r));
        let both = verdict(exact(1.0), exact(0.0));
        assert!(
            both.contains("needs a core") && both.contains("was waiting"),
            "{both}"
        );
        assert!(verdict(exact(0.79), exact(0.0)).contains("other programs"));
        assert!(verdict(exact(0.8), exact(0.21)).contains("something else"));
        assert!(verdict(None, exact(0.0)).contains("no CPU time"));
    }

    #[test]
    fn a_coarse_reading_is_quoted_as_the_clock_allows() {
        // A query that read 0 on a clock with 16 ms ticks, in 50 ms.
        let below = CpuPerWall {
            ratio: 0.0,
            least: 0.0,
            most: 0.32,
        };
        let said = verdict(Some(CpuPerWall::exact(0.97)), Some(below));
        assert!(
            said.contains("The query used < 0.32: it was waiting"),
            "{said}"
        );
    }
}
