//! Section `locals`: thread-local variables, the workshop's rule 4.

use std::cell::Cell;
use std::io;

use crossbeam_channel::unbounded;
use workshop::{Ctx, Out, Outcome, Section, Table, units};

use crate::{join, spawn_named};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "locals",
    title: "Thread-local variables",
    explain: "
        Rule 4: if you must break rules 1 to 3, use thread-local variables.
        A thread-local looks like a global, but every thread that touches it
        gets its own copy: nothing is shared, so nothing can race. Python's
        `threading.local()` is an object whose attributes are per thread;
        Rust's `thread_local!` declares a static whose value each thread
        starts fresh from the initializer.

        A `static` holding a `Cell` is refused by the compiler (the `rules` section):
        every thread would share it. Inside `thread_local!` the same `Cell` is
        fine, because no other thread can reach this thread's copy.

        Below, three threads call `note_call` 1,000, 2,000 and 3,000 times;
        each reads its own count. Main noted 7 calls before they started and
        still reads 7 afterwards. A thread-local dies with its thread, so each
        thread reports its count before it ends, through a channel: rules 2
        and 4 together.

        The right tool for state that is naturally per thread and that no
        other thread needs while it runs: a scratch buffer, a random number
        generator, a tally merged once at the end. The wrong tool for
        anything the threads must agree on while they run: give that an
        owner.
    ",
    python: r#"
        local = threading.local()

        def note_call():
            local.calls = getattr(local, "calls", 0) + 1

        def worker(n):
            for _ in range(n):
                note_call()
            results.put((threading.current_thread().name, local.calls))
    "#,
    rust: r#"
        thread_local! {
            static CALLS: Cell<u64> = const { Cell::new(0) };
        }

        fn note_call() {
            CALLS.set(CALLS.get() + 1);
        }

        for _ in 0..calls {
            note_call();
        }
        let my_count = CALLS.get();
        to_main.send((me, my_count))
    "#,
    run,
};

thread_local! {
    /// How many times the calling thread has called [`note_call`]: one
    /// counter per thread, each starting at 0.
    static CALLS: Cell<u64> = const { Cell::new(0) };
}

/// Counts a call, on the calling thread's own counter.
pub fn note_call() {
    CALLS.set(CALLS.get() + 1);
}

/// How many calls the calling thread has noted.
pub fn calls_noted_here() -> u64 {
    CALLS.get()
}

/// What each thread read from its own copy.
#[derive(Debug, PartialEq)]
pub struct Tallies {
    /// Main's count before the threads started.
    pub main_before: u64,
    /// Each thread's name and count, in the order of `calls`.
    pub threads: Vec<(String, u64)>,
    /// Main's count after the threads ended.
    pub main_after: u64,
}

/// Main notes 7 calls, then thread `tally-{i}` notes `calls[i]` calls and
/// reports its own count to main through a channel.
pub fn each_its_own(calls: &[u64], out: &Out) -> io::Result<Tallies> {
    for _ in 0..7 {
        note_call();
    }
    let main_before = calls_noted_here();
    out.say(format!("noted 7 calls; my CALLS is {main_before}"));

    let (to_main, reports) = unbounded::<(String, u64)>();
    let threads = calls
        .iter()
        .enumerate()
        .map(|(i, &calls)| {
            let (to_main, out) = (to_main.clone(), out.clone());
            let me = format!("tally-{i}");
            spawn_named(me.clone(), move || {
                for _ in 0..calls {
                    note_call();
                }
                let my_count = CALLS.get();
                out.say(format!(
                    "noted {} calls; my CALLS is {}",
                    units::count(calls),
                    units::count(my_count)
                ));
                to_main.send((me, my_count)).expect("main is listening");
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    drop(to_main);
    for thread in threads {
        join(thread)?;
    }
    // The reports arrive in whatever order the threads finished; put them
    // back in the order the threads were started.
    let mut reported: Vec<(String, u64)> = reports.iter().collect();
    reported.sort_by_key(|(name, _)| {
        name.trim_start_matches("tally-")
            .parse::<usize>()
            .unwrap_or(usize::MAX)
    });
    let main_after = calls_noted_here();
    out.say(format!("after joining them, my CALLS is {main_after}"));
    Ok(Tallies {
        main_before,
        threads: reported,
        main_after,
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let calls = [1_000, 2_000, 3_000];
    // Start from zero even if this thread ran the section before.
    CALLS.set(0);
    let tallies = out.concurrently(|| each_its_own(&calls, out))?;
    let counted: Vec<u64> = tallies.threads.iter().map(|(_, n)| *n).collect();
    if counted != calls || tallies.main_before != 7 || tallies.main_after != 7 {
        return Err(format!("a thread-local was shared after all: {tallies:?}").into());
    }
    out.blank();
    let mut table = Table::new(["thread", "calls noted", "its CALLS"]);
    table.push([
        "main".to_owned(),
        "7".to_owned(),
        units::count(tallies.main_after),
    ]);
    for ((name, count), noted) in tallies.threads.iter().zip(calls) {
        table.push([name.clone(), units::count(noted), units::count(*count)]);
    }
    out.table(&table);
    let total: u64 = counted.iter().sum();
    out.prose(format!(
        "Merged at the end: {} calls, counted without a lock, an atomic or a message each.",
        units::count(total)
    ));
    Ok(())
}
