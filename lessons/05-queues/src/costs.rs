//! Section `costs`: what each design costs per increment, measured side by side.
//!
//! What the owner design buys besides correctness: the owner may hold what
//! can never be shared. An `Rc` in a `RefCell` is neither `Send` nor `Sync`,
//! so no mutex can protect it for other threads:
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//! use std::sync::{Arc, Mutex};
//!
//! let names = Arc::new(Mutex::new(Rc::new(Vec::<String>::new())));
//! let for_the_thread = Arc::clone(&names);
//! // error[E0277]: `Rc<Vec<String>>` cannot be sent between threads safely
//! std::thread::spawn(move || for_the_thread.lock().unwrap().len());
//! ```
//!
//! An owner thread builds it itself, and it never leaves that thread:
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//!
//! let (to_owner, names) = crossbeam_channel::unbounded::<String>();
//! let owner = std::thread::spawn(move || {
//!     let seen = Rc::new(RefCell::new(Vec::new())); // stays on this thread
//!     for name in names {
//!         seen.borrow_mut().push(name);
//!     }
//!     let count = seen.borrow().len();
//!     count
//! });
//! to_owner.send("ada".to_owned()).unwrap();
//! drop(to_owner);
//! assert_eq!(owner.join().unwrap(), 1);
//! ```

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use workshop::bench::{CpuShare, Timing, run_together, side_by_side};
use workshop::flag::whole_number;
use workshop::{Ctx, Flag, Outcome, Section, Table, units};

/// `--threads N`: how many threads send increments.
pub const THREADS: Flag<usize> = Flag {
    name: "threads",
    value: "N",
    help: "How many threads send increments in the `costs` section, 1 to 16",
    default: 4,
    parse: whole_number::<1, 16>,
    invalid: &["0", "17", "four"],
};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "costs",
    title: "What each design costs, measured",
    explain: "
        The same job four ways: T threads add 1 to one counter, N times in
        all, and a run ends when the final count is known (for an owner, when
        its `join` returns). Through an owner thread fed by a crossbeam
        channel; through an `Arc<Mutex<u64>>`; with an `AtomicU64`; and
        through an owner fed by the standard library's `std::sync::mpsc`. The
        designs take turns, round after round, and each keeps its median, so
        that a burst of noise from the rest of the machine hits them all
        alike. The cost is wall time divided by N; the ratios compare designs
        measured in this run. Choose T with `--threads N`.

        Usually the atomic is the cheapest and the owners the dearest: every
        increment becomes a message, and one thread takes them in, one by
        one. Usually the two owners are close: since Rust 1.67 the standard
        library's channel is crossbeam's code. Crossbeam adds `select!` and
        receivers that can be cloned (several consumers on one queue). The
        sentence under the table says what this run found, and what the
        owner buys for its price comes after it.
    ",
    python: r#"
        counter_queue.put(1)      # an owner thread, fed by a queue

        with counter_lock:        # a lock around the shared counter
            counter += 1

        # no atomics in Python: the GIL and a lock do that job
    "#,
    rust: r#"
        to_owner.send(black_box(1))
        *counter.lock().unwrap() += black_box(1);
        counter.fetch_add(black_box(1), Relaxed);
        to_owner.send(black_box(1))
    "#,
    run,
};

/// The designs, in the order the table shows them.
pub const DESIGNS: [&str; 4] = [
    "AtomicU64::fetch_add",
    "Arc<Mutex<u64>>",
    "owner, crossbeam-channel",
    "owner, std::sync::mpsc",
];

/// One sample of one design: the cost per increment and whether the final
/// count came out exact.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// Wall time from the start line until the final count was known,
    /// divided by the number of increments.
    pub seconds_per_increment: f64,
    /// Whether the final count was `threads * per_thread`.
    pub exact: bool,
}

/// `threads` threads each `fetch_add` 1 to one `AtomicU64`, `per_thread`
/// times.
pub fn atomic(threads: usize, per_thread: u64) -> Sample {
    let counter = AtomicU64::new(0);
    // Relaxed is enough: the total is read after every thread has been
    // joined, and joining makes all their increments visible.
    let (start, end) = run_together(threads, per_thread, |_| {
        counter.fetch_add(black_box(1), Relaxed);
    });
    sample(end - start, threads, per_thread, counter.into_inner())
}

/// `threads` threads each add 1 under one `Arc<Mutex<u64>>`, `per_thread`
/// times.
pub fn mutex(threads: usize, per_thread: u64) -> Sample {
    let counter = Arc::new(Mutex::new(0u64));
    let (start, end) = run_together(threads, per_thread, |_| {
        *counter.lock().unwrap() += black_box(1);
    });
    let total = *counter.lock().unwrap();
    sample(end - start, threads, per_thread, total)
}

/// `threads` threads each send 1 to an owner thread over a crossbeam
/// channel, `per_thread` times; timed until the owner has counted them all.
pub fn owner_crossbeam(threads: usize, per_thread: u64) -> Sample {
    let (to_owner, increments) = crossbeam_channel::unbounded::<u64>();
    let owner = thread::spawn(move || counted(increments));
    let (start, _) = run_together(threads, per_thread, |_| {
        to_owner.send(black_box(1)).expect("the owner is running");
    });
    drop(to_owner);
    let (total, end) = owner.join().unwrap_or((0, start));
    sample(end - start, threads, per_thread, total)
}

/// The same with the standard library's channel, `std::sync::mpsc`.
pub fn owner_mpsc(threads: usize, per_thread: u64) -> Sample {
    let (to_owner, increments) = mpsc::channel::<u64>();
    let owner = thread::spawn(move || counted(increments));
    let (start, _) = run_together(threads, per_thread, |_| {
        to_owner.send(black_box(1)).expect("the owner is running");
    });
    drop(to_owner);
    let (total, end) = owner.join().unwrap_or((0, start));
    sample(end - start, threads, per_thread, total)
}

/// The owner's loop: adds up every increment until the last sender is
/// gone, and notes when that was.
fn counted(increments: impl IntoIterator<Item = u64>) -> (u64, Instant) {
    let total = increments.into_iter().sum();
    (total, Instant::now())
}

/// A sample from the wall time of `threads * per_thread` increments and the
/// total they came to.
fn sample(wall: Duration, threads: usize, per_thread: u64, total: u64) -> Sample {
    let increments = threads as u64 * per_thread;
    Sample {
        seconds_per_increment: wall.as_secs_f64() / increments.max(1) as f64,
        exact: total == increments,
    }
}

/// The four designs measured side by side: `rounds` rounds of `threads`
/// threads making `per_thread` increments each. Returns each design's median
/// cost per increment, in the order of [`DESIGNS`], and whether every
/// sample's final count was exact.
pub fn compare(threads: usize, per_thread: u64, rounds: usize) -> (Vec<Timing>, bool) {
    let exact = Cell::new(true);
    let measured = |design: fn(usize, u64) -> Sample| {
        let sample = design(threads, per_thread);
        exact.set(exact.get() && sample.exact);
        sample.seconds_per_increment
    };
    let timings = side_by_side(
        rounds,
        &mut [
            (DESIGNS[0], &mut || measured(atomic)),
            (DESIGNS[1], &mut || measured(mutex)),
            (DESIGNS[2], &mut || measured(owner_crossbeam)),
            (DESIGNS[3], &mut || measured(owner_mpsc)),
        ],
    );
    (timings, exact.get())
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let threads = ctx.flag(&THREADS);
    let increments: u64 = if ctx.quick() { 1_000_000 } else { 4_000_000 };
    let per_thread = increments / threads as u64;
    let rounds = if ctx.quick() { 3 } else { 7 };
    let measuring = out.progress("measuring: an atomic, a mutex and owner threads");
    let (timings, exact) = compare(threads, per_thread, rounds);
    drop(measuring);
    if !exact {
        return Err("a design lost or invented an increment".into());
    }
    let atomic = &timings[0];
    let mut table = Table::new(["design", "per increment", "× the atomic"]);
    for timing in &timings {
        table.push([
            timing.name.clone(),
            out.seconds(timing.seconds_per_op),
            out.ratio(timing.ratio_to(atomic)),
        ]);
    }
    out.line(format!(
        "{threads} threads, {} increments in all, median of {rounds} rounds:",
        units::count(per_thread * threads as u64)
    ));
    out.blank();
    out.table(&table);
    let share = CpuShare::measure(threads.min(2));
    share.report(out);
    let ns: Vec<f64> = timings.iter().map(|t| t.seconds_per_op).collect();
    out.verdict(verdict(&ns, &share));
    out.line("Every design's final count was exact in every round.");
    out.blank();
    out.line("What the owner buys for its price:");
    out.line("- no client ever holds a lock, so none can leave one locked or take two in");
    out.line("  the wrong order;");
    out.line("- the owner may hold what is neither `Send` nor `Sync` (an `Rc`, a `RefCell`,");
    out.line("  a connection that must stay on one thread);");
    out.line("- with a reply channel it can say no (the bank exercise refuses overdrafts).");
    out.line("It can still wait forever, on a sender never dropped or on a client that");
    out.line("waits for it. An atomic does one number; two values that must change");
    out.line("together need a mutex or an owner.");
    Ok(())
}

/// Within this factor of each other, two costs count as close.
const CLOSE: f64 = 1.25;

/// What the four costs (seconds per increment, in the order of
/// [`DESIGNS`]) say: which design was cheapest and dearest, and whether
/// the two owners were close.
pub fn verdict(ns: &[f64], share: &CpuShare) -> String {
    let by_cost = |pick: fn(f64, f64) -> bool| {
        let mut best = 0;
        for (i, &cost) in ns.iter().enumerate() {
            if pick(cost, ns[best]) {
                best = i;
            }
        }
        DESIGNS[best]
    };
    let (cheapest, dearest) = (by_cost(|a, b| a < b), by_cost(|a, b| a > b));
    let order = format!("The cheapest was {cheapest}, the dearest {dearest}.");
    let usual = if cheapest == DESIGNS[0] && dearest.starts_with("owner") {
        " As usual: every increment to an owner is a message, taken in one by one."
    } else {
        " Not the usual order (the atomic cheapest, an owner dearest): the \
         designs' costs are close enough here for noise to reorder them."
    };
    let owners = ns[3] / ns[2];
    let pair = if (1.0 / CLOSE..=CLOSE).contains(&owners) {
        format!(" The two owners were close ({owners:.2}×): the same channel code.")
    } else {
        format!(
            " The two owners differed ({owners:.2}× for std's against crossbeam's), \
             more than their shared channel code explains: noise from the rest of \
             the machine, which a repeat run would move."
        )
    };
    let busy = if share.busy() {
        " The machine is busy: every figure includes time spent waiting for a core."
    } else {
        ""
    };
    format!("{order}{usual}{pair}{busy}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(usable: f64) -> CpuShare {
        CpuShare::on_two_cores(usable)
    }

    #[test]
    fn the_runs_that_contradicted_the_old_expectations() {
        let idle = share(1.95);
        // Arc<Mutex> dearest: 26.9 ns against 18.2 and 17.0 ns for the owners.
        let said = verdict(&[10.0, 26.9, 18.2, 17.0], &idle);
        assert!(said.contains("the dearest Arc<Mutex<u64>>"), "{said}");
        assert!(said.contains("Not the usual order"), "{said}");
        assert!(said.contains("close (0.93×)"), "{said}");
        // A --quick run: owners at 17.7 and 22.5 ns.
        let apart = verdict(&[10.0, 15.0, 17.7, 22.5], &idle);
        assert!(apart.contains("The two owners differed (1.27×"), "{apart}");
        assert!(apart.contains("As usual"), "{apart}");
    }

    #[test]
    fn each_side_of_the_thresholds() {
        let idle = share(1.95);
        assert!(verdict(&[1.0, 2.0, 4.0, 5.0], &idle).contains("close (1.25×)"));
        assert!(verdict(&[1.0, 2.0, 4.0, 5.04], &idle).contains("differed"));
        assert!(verdict(&[1.0, 2.0, 4.0, 3.2], &idle).contains("close (0.80×)"));
        assert!(verdict(&[1.0, 2.0, 4.0, 3.1], &idle).contains("differed"));
        assert!(verdict(&[1.0, 2.0, 4.0, 5.0], &share(1.0)).contains("machine is busy"));
        assert!(verdict(&[2.0, 1.0, 4.0, 5.0], &idle).contains("cheapest was Arc<Mutex<u64>>"));
    }
}
