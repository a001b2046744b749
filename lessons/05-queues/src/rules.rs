//! Section `rules`: the four sanity rules, and what breaking the first one costs.
//!
//! Python's rule 1 is a promise you keep by hand: nothing stops a second
//! thread from writing `counter += 1`. Rust refuses to compile a global that
//! several threads could change unless its type is safe to share (`Sync`):
//!
//! ```compile_fail,E0277
//! use std::cell::Cell;
//!
//! // error[E0277]: `Cell<u64>` cannot be shared between threads safely
//! static COUNTER: Cell<u64> = Cell::new(0);
//! ```
//!
//! Giving state to its owner thread is a move: the code that handed it over
//! cannot touch it any more, so the owner really is the only one.
//!
//! ```compile_fail,E0382
//! let mut ledger = vec![0u64];
//! let owner = std::thread::spawn(move || ledger.len());
//! ledger.push(1); // error[E0382]: borrow of moved value: `ledger`
//! owner.join().unwrap();
//! ```
//!
//! And what is not safe to send (an `Rc` counts its references without
//! atomics) cannot be handed to another thread at all:
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//!
//! let shared = Rc::new(0u64);
//! // error[E0277]: `Rc<u64>` cannot be sent between threads safely
//! std::thread::spawn(move || *shared + 1).join().unwrap();
//! ```

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

use crossbeam_channel::unbounded;
use workshop::{Ctx, Outcome, Section, Table, units};

use workshop::bench::thread_spans;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "rules",
    title: "Four rules for staying sane",
    explain: "
        The notebook gives four rules (\"give yourself some sanity\"), and
        ends on them again. In Rust each one has a form the compiler
        understands:

        - Touch shared state from ONE thread only. In Rust the state is a
          local variable of that thread, moved into it when it starts; no
          other thread has a name for it.
        - Talk to that thread through a queue: a channel. Any thread holding
          a `Sender` may `send`; the owner `recv`s, one message at a time.
        - Wait for the work with `join`, on the thread or on the queue. Drop
          every `Sender` and the owner's loop ends; `join` then hands back its
          final state.
        - If you must break rules 1 to 3, use thread-local variables:
          `thread_local!`, each thread its own copy (the `locals` section).

        Breaking rule 1 costs correctness. Below, two threads add 1 to a
        shared counter in two steps, as `counter += 1` does: read the value,
        then write it back plus one. When the other thread writes in between,
        its update is lost. (An atomic load followed by a separate store: no
        `unsafe`, and exactly the same lost updates.) Rust threads run at
        once on two cores, so the gap is always open; in CPython it opens
        only where the interpreter switches threads (the refcounting
        lesson's `race` runs CPython to show where). Then the same
        increments go to one owner thread through a channel.
    ",
    python: r#"
        def worker():
            global counter
            for _ in range(1_000_000):
                counter += 1     # read, add, write

        def counter_manager():   # rules 1 and 2
            global counter
            while True:
                counter += counter_queue.get()
    "#,
    rust: r#"
        let seen = counter.load(Relaxed);
        counter.store(seen + 1, Relaxed); // another thread may write between

        let counter = thread::Builder::new()
            .name("counter".into())
            .spawn(move || increments.iter().sum::<u64>())?;
    "#,
    run,
};

/// Rule 1 broken: `threads` threads each add 1 to one shared counter
/// `per_thread` times, by reading it and writing it back plus one, as
/// Python's `counter += 1` does. Returns the final count, which falls short
/// of `threads * per_thread` whenever two threads read the same value.
pub fn shared_counter(threads: usize, per_thread: u64) -> u64 {
    let counter = AtomicU64::new(0);
    // Every thread runs the closure `per_thread` times, all released
    // together from a start line so that they really run at the same time.
    thread_spans(threads, per_thread, |_| {
        // The ordering is not the problem (SeqCst loses updates just the
        // same): a load and a separate store leave a gap in which another
        // thread's store gets overwritten.
        let seen = counter.load(Relaxed);
        counter.store(seen + 1, Relaxed); // another thread may write between
    });
    counter.into_inner()
}

/// Rules 1 to 3 kept: one owner thread holds the count (here, the running
/// sum of what it receives), every other thread sends it increments, and
/// `join` returns the count once every sender is gone.
pub fn owned_counter(threads: usize, per_thread: u64) -> std::io::Result<u64> {
    let (to_counter, increments) = unbounded::<u64>();
    let counter = thread::Builder::new()
        .name("counter".into())
        .spawn(move || increments.iter().sum::<u64>())?;
    thread::scope(|s| {
        for _ in 0..threads {
            let to_counter = to_counter.clone();
            s.spawn(move || {
                for _ in 0..per_thread {
                    to_counter.send(1).expect("the counter thread is running");
                }
            });
        }
    });
    // Main's own sender is the last one: dropping it ends the owner's loop.
    drop(to_counter);
    counter
        .join()
        .map_err(|_| std::io::Error::other("the counter thread panicked"))
}

/// How many times the section runs each design.
const RUNS: usize = 3;

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let threads = 2;
    let per_thread: u64 = if ctx.quick() { 1_000_000 } else { 5_000_000 };
    let expected = threads as u64 * per_thread;
    out.prose(format!(
        "{threads} threads add 1 to a counter {} times each: {} expected, {RUNS} runs of each design.",
        units::count(per_thread),
        units::count(expected)
    ));
    out.blank();
    let mut table = Table::new([
        "run",
        "shared counter",
        "updates lost",
        "owner thread",
        "updates lost",
    ]);
    let mut lost = Vec::new();
    let measuring = out.progress("measuring: a shared counter and an owner thread");
    for run in 1..=RUNS {
        measuring.update(format!(
            "measuring: a shared counter and an owner thread, run {run} of {RUNS}"
        ));
        let racy = shared_counter(threads, per_thread);
        lost.push(expected - racy);
        let owned = owned_counter(threads, per_thread)?;
        if owned != expected {
            return Err(format!("the owner counted {owned}, not {expected}").into());
        }
        table.push([
            run.to_string(),
            out.count(racy),
            out.count(expected - racy),
            units::count(owned),
            units::count(expected - owned),
        ]);
    }
    drop(measuring);
    out.table(&table);
    out.verdict(verdict(&lost));
    out.line("The owner's count was exact every time: only one thread ever adds, and a");
    out.line("channel loses no message.");
    Ok(())
}

/// What the shared counter's lost updates, one figure per run, say.
pub fn verdict(lost: &[u64]) -> String {
    let none = lost.iter().filter(|&&n| n == 0).count();
    let mut distinct = lost.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let varied = if none == lost.len() {
        "The shared counter lost nothing this time: the two threads never ran \
         at the same moment (a busy machine may give them one core, in turns). \
         That is luck, not safety."
            .to_owned()
    } else if distinct.len() == lost.len() {
        "The shared counter lost a different number of updates on every run.".to_owned()
    } else {
        "The shared counter lost updates, some runs the same number: how many \
         depends on how the two threads met."
            .to_owned()
    };
    let apart = match none {
        0 => String::new(),
        n if n == lost.len() => String::new(),
        n => format!(
            " {n} of {} runs lost none: their two threads never ran at the same \
             moment.",
            lost.len()
        ),
    };
    format!("{varied}{apart}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_lost_updates() {
        let varied = verdict(&[5_000_000, 5_076_198, 4_179_123]);
        assert!(varied.contains("a different number"), "{varied}");
        let some = verdict(&[5_000_000, 0, 4_179_123]);
        assert!(some.contains("1 of 3 runs lost none"), "{some}");
        assert!(verdict(&[0, 0]).contains("luck, not safety"));
        assert!(verdict(&[7, 7, 9]).contains("some runs the same number"));
    }
}
