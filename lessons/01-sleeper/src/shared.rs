//! Section `shared`: several threads, one total: `Arc` to share it,
//! `Mutex` to change it.

use std::io;
use std::sync::{Arc, Mutex};
use std::thread;

use workshop::{Ctx, Out, Outcome, Section, units};

/// How many threads add up a part each.
pub const ADDERS: u64 = 4;
/// The numbers they add up: 1 to `LAST`.
pub const LAST: u64 = 1_000;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "shared",
    title: "One total for several threads: Arc and Mutex",
    explain: "
        A thread from `thread::spawn` may outlive the function that started
        it, so it cannot borrow that function's variables: `move` gives it
        its own. To share one value between threads, put it in an `Arc` and
        give each thread a clone. `Arc::clone` copies the pointer, not the
        value, and counts it; the value is freed when the last clone is
        dropped. Every Python name is such a counted reference (the next
        lesson is about that count).

        An `Arc` lets every thread read the value, never change it. To change
        it, put it in a `Mutex`: Python's `threading.Lock` with the data
        locked inside, so that nobody reaches the data without the lock.
        `lock()` returns a guard, and through the guard (`*` reaches through
        it) you change the value. Dropping the guard, at the end of its
        statement or block, unlocks: the end of Python's `with lock:`.
        `lock()` fails only if a thread panicked while holding it (the locks
        lesson); `unwrap()` takes the guard out of the `Result`, and would
        panic on that error, as an uncaught exception ends a Python thread.

        Below, four threads each add up a quarter of the numbers 1 to 1,000
        into one shared total.
    ",
    python: r#"
        total = 0
        lock = threading.Lock()

        def add(part):
            global total
            s = sum(part)
            with lock:
                total += s
    "#,
    rust: r#"
        let total = Arc::new(Mutex::new(0));
        for (i, part) in parts.into_iter().enumerate() {
            let total = Arc::clone(&total);
            let adder = thread::Builder::new()
                .name(format!("adder-{i}"))
                .spawn(move || {
                    let sum: u64 = part.iter().sum();
                    *total.lock().unwrap() += sum; // unlocks here
    "#,
    run,
};

/// What [`add_up_together`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    /// The shared total after every adder was joined.
    pub total: u64,
    /// `Arc::strong_count` of the total after the joins: only main's.
    pub count_after: usize,
}

/// The numbers 1 to [`LAST`], cut into [`ADDERS`] equal parts.
pub fn parts() -> Vec<Vec<u64>> {
    let size = LAST / ADDERS;
    (0..ADDERS)
        .map(|i| (i * size + 1..=(i + 1) * size).collect())
        .collect()
}

/// One thread per part, each adding its part's sum to one shared total.
pub fn add_up_together(parts: Vec<Vec<u64>>, out: &Out) -> io::Result<Tally> {
    let total = Arc::new(Mutex::new(0));
    let mut adders = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let total = Arc::clone(&total);
        let out = out.clone();
        let adder = thread::Builder::new()
            .name(format!("adder-{i}"))
            .spawn(move || {
                let sum: u64 = part.iter().sum();
                out.say(format!("adding {}", units::count(sum)));
                *total.lock().unwrap() += sum; // unlocks here
            })?;
        adders.push(adder);
    }
    for adder in adders {
        adder
            .join()
            .map_err(|_| io::Error::other("an adder panicked"))?;
    }
    let count_after = Arc::strong_count(&total);
    let total = *total.lock().unwrap();
    Ok(Tally { total, count_after })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let tally = out.concurrently(|| add_up_together(parts(), out))?;
    out.blank();
    out.line(format!(
        "The shared total is {}: 1 + 2 + … + {}, every part counted once.",
        units::count(tally.total),
        units::count(LAST)
    ));
    out.line(format!(
        "Each thread's clone of the Arc went with its thread: the count is {}.",
        tally.count_after
    ));
    Ok(())
}
