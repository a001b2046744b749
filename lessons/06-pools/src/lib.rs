//! # Lesson 06 · pools: thread pools, rayon, worker processes
//!
//! The workshop's last advice: threads are a low-level tool, so use the
//! higher-level API (`concurrent.futures`), and for CPU-bound Python use
//! processes (`multiprocessing.Pool`). In Rust the pool is where threads
//! finally pay off on CPU-bound work. One module per section:
//!
//! 1. [`executor`] — `ThreadPoolExecutor` ↔ a pool built by hand ([`pool`])
//! 2. [`fetch`] — fetching many pages from a slow service: one after
//!    another, a thread each, a pool, against the latency bound
//! 3. [`rayon_join`] — `Pool.map` ↔ rayon; why task size matters
//! 4. [`workers`] — `multiprocessing.Pool` with real worker processes
//!    ([`processes`]), and what a process costs against a thread
//! 5. [`speedup`] — one workload, five ways, against the number of cores
//! 6. [`amdahl`] — a deliberate serial part, predicted and measured,
//!    drawn in the terminal and as an SVG ([`plot`])
//!
//! The exercises are in [`exercises`] (the file you edit) and their
//! reference solutions in [`solutions`].

pub mod amdahl;
pub mod executor;
pub mod exercises;
pub mod fetch;
pub mod plot;
pub mod pool;
pub mod processes;
pub mod rayon_join;
pub mod solutions;
pub mod speedup;
pub mod workers;

use workshop::{Child, Lesson};

/// The lesson, as `cargo run -p pools`, `cargo xtask all` and the snapshot
/// tests run it.
pub static LESSON: Lesson = Lesson {
    name: env!("CARGO_PKG_NAME"),
    manifest_dir: env!("CARGO_MANIFEST_DIR"),
    title: "Pools of threads and of processes",
    intro: "
        The workshop ended with advice: threads are a low-level concept, so
        reach for the higher-level API, `concurrent.futures`; and for
        CPU-bound Python, use processes, each with its own interpreter and
        its own GIL, at some extra cost. This lesson builds a thread pool by
        hand, fetches many pages with it over real sockets, compares it with
        rayon, starts real worker processes, and then measures what each
        buys on CPU-bound work, against the number of cores and against
        Amdahl's law.
    ",
    sections: &[
        executor::SECTION,
        fetch::SECTION,
        rayon_join::SECTION,
        workers::SECTION,
        speedup::SECTION,
        amdahl::SECTION,
    ],
    recap: "
        - A pool keeps its threads and feeds them tasks (`ThreadPoolExecutor`,
          rayon).
        - A task must be big enough to pay for handing it out.
        - Processes each have their own interpreter and lock, at a price.
        - Measure the speedup: Amdahl's law says where it stops.
    ",
    flags: &[],
    children: &[
        Child {
            name: processes::WORKER_MODE,
            run: processes::worker,
        },
        Child {
            name: processes::NOOP_MODE,
            run: processes::noop,
        },
    ],
};

/// The cores this process may use: the physical limit of any speedup.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
