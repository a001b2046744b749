//! Section `rules`: the four sanity rules, and the owner thread that keeps the
//! first two.
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

use std::thread;

use crossbeam_channel::unbounded;
use workshop::{Ctx, Outcome, Section, Table, units};

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

        The refcounting lesson's `race` section showed what breaking rule 1
        costs: two threads adding 1 to one count lose updates. Below is the
        fix the rules give. The count belongs to one owner thread, and two
        threads send it their increments through a channel: Python's
        `queue.Queue` in two halves. `unbounded()` makes a `Sender`, cloned
        once per producer, and a `Receiver` for the owner; a loop over the
        receiver ends when every sender has been dropped.
    ",
    python: r#"
        def worker():
            for _ in range(1_000_000):
                counter_queue.put(1)

        def counter_manager():   # rules 1 and 2
            global counter
            while True:
                counter += counter_queue.get()
    "#,
    rust: r#"
        let (to_counter, increments) = unbounded::<u64>();
        let counter = thread::Builder::new()
            .name("counter".into())
            .spawn(move || increments.iter().sum::<u64>())?;
        to_counter.send(1).expect("the counter thread is running");
        drop(to_counter);
    "#,
    run,
};

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
    out.line(format!(
        "{threads} threads send the owner 1, {} times each: {} expected.",
        units::count(per_thread),
        units::count(expected)
    ));
    out.blank();
    let mut table = Table::new(["run", "sent", "the owner counted", "updates lost"]);
    let measuring = out.progress("measuring: the owner thread's count");
    for run in 1..=RUNS {
        measuring.update(format!(
            "measuring: the owner thread's count, run {run} of {RUNS}"
        ));
        let owned = owned_counter(threads, per_thread)?;
        if owned != expected {
            return Err(format!("the owner counted {owned}, not {expected}").into());
        }
        table.push([
            run.to_string(),
            units::count(expected),
            units::count(owned),
            units::count(expected - owned),
        ]);
    }
    drop(measuring);
    out.table(&table);
    out.line("Exact every time: only one thread ever adds, and a channel loses no message.");
    out.line("What this design costs next to a lock or an atomic: the `costs` section.");
    Ok(())
}
