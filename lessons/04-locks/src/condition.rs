//! Section `condition`: `threading.Condition` ↔ `Mutex` + `Condvar`: a one-slot
//! mailbox between producers and consumers, why its waits are `while`
//! loops, and `notify_one` against `notify_all`.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

use crate::sync::{Condvar, Mutex, lock, wait};
use workshop::{Ctx, Outcome, Section, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "condition",
    title: "Condition: wait until something is true",
    explain: "
        A condition variable lets a thread sleep until the data behind a lock
        reaches some state: a buffer not empty, not full. Python's
        `threading.Condition` is a lock and a waiting room in one; in Rust,
        the `Mutex` holds the data and a `Condvar` is the waiting room.
        `wait(guard)` releases the lock while asleep and takes it back before
        it returns.

        The wait is always in a `while` loop that re-checks the condition.
        A woken thread is not the next to get the lock: between the
        notification and its wake-up, another thread can take the lock and
        the item (a stolen wakeup), and waits may also end for no reason at
        all (spurious wakeups). Python's `cond.wait_for(predicate)` and
        Rust's `Condvar::wait_while` write the loop for you.

        Below, a mailbox holds one letter. Two posters wait while it is full,
        two readers while it is empty, all on one `Condvar`. Every time a
        thread woke to find its condition still false is counted: each one
        would have been a bug with `if`. With one `Condvar` for two
        conditions, `notify_one` could wake a poster when only a reader can
        proceed, and that poster goes back to sleep with the notification
        used up: everyone waits forever. So this mailbox uses `notify_all`.
        With two condition variables, one per condition (the bounded buffer
        exercise), `notify_one` is enough and wakes nobody for nothing.
    ",
    python: r#"
        mailbox = threading.Condition()

        def post(letter):
            global slot
            with mailbox:
                while slot is not None:    # while, not if
                    mailbox.wait()
                slot = letter
                mailbox.notify_all()
    "#,
    rust: r#"
        let mut slot = lock(&self.slot);
        while slot.is_some() {
            slot = wait(&self.changed, slot);
        }
        *slot = Some(letter);
        self.changed.notify_all();
    "#,
    run,
};

/// A mailbox with room for one letter; posters wait while it is full,
/// readers while it is empty.
pub struct Mailbox<T> {
    slot: Mutex<Option<T>>,
    changed: Condvar,
    /// How many times a woken thread found its condition still false.
    rechecks: AtomicU64,
}

impl<T> Mailbox<T> {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox {
            slot: Mutex::new(None),
            changed: Condvar::new(),
            rechecks: AtomicU64::new(0),
        }
    }

    /// Puts a letter in, waiting while the mailbox is full.
    pub fn post(&self, letter: T) {
        let mut slot = lock(&self.slot);
        while slot.is_some() {
            slot = wait(&self.changed, slot);
            self.count_recheck(slot.is_some());
        }
        *slot = Some(letter);
        self.changed.notify_all();
    }

    /// Takes the letter out, waiting while the mailbox is empty.
    pub fn read(&self) -> T {
        let mut slot = lock(&self.slot);
        loop {
            if let Some(letter) = slot.take() {
                self.changed.notify_all();
                return letter;
            }
            slot = wait(&self.changed, slot);
            self.count_recheck(slot.is_none());
        }
    }

    /// How many wakeups found the condition still false: with `if` instead
    /// of `while`, each would have gone ahead wrongly.
    pub fn rechecks(&self) -> u64 {
        self.rechecks.load(Relaxed)
    }

    fn count_recheck(&self, still_false: bool) {
        if still_false {
            // Relaxed: a statistic, read after the threads are joined.
            self.rechecks.fetch_add(1, Relaxed);
        }
    }
}

impl<T> Default for Mailbox<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// What [`exchange`] observed.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    /// How many letters were read, in all.
    pub letters_read: u64,
    /// The sum of the letters read (each letter is a number).
    pub sum_read: u64,
    /// Wakeups that found the condition still false.
    pub rechecks: u64,
}

/// Two posters post `letters` numbered letters each (1, 2, …); two readers
/// read `letters` each; all through one [`Mailbox`].
pub fn exchange(letters: u64) -> std::io::Result<Exchange> {
    let mailbox = Mailbox::new();
    let sums = thread::scope(|s| {
        let mut readers = Vec::new();
        for n in 1..=2 {
            let mailbox = &mailbox;
            thread::Builder::new()
                .name(format!("poster-{n}"))
                .spawn_scoped(s, move || {
                    (1..=letters).for_each(|letter| mailbox.post(letter))
                })?;
            readers.push(
                thread::Builder::new()
                    .name(format!("reader-{n}"))
                    .spawn_scoped(s, move || (0..letters).map(|_| mailbox.read()).sum::<u64>())?,
            );
        }
        Ok::<_, std::io::Error>(workshop::join_all(readers)?)
    })?;
    Ok(Exchange {
        letters_read: 2 * letters,
        sum_read: sums.iter().sum(),
        rechecks: mailbox.rechecks(),
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let letters: u64 = if ctx.quick() { 20_000 } else { 100_000 };
    let running = out.progress(format!(
        "running: 2 posters, 2 readers, {} letters each",
        units::count(letters)
    ));
    let seen = exchange(letters)?;
    drop(running);
    let expected = 2 * letters * (letters + 1) / 2;
    if seen.sum_read != expected {
        return Err(format!("the letters add up to {}, not {expected}", seen.sum_read).into());
    }
    out.prose(format!(
        "2 posters sent {} letters each; 2 readers read {} in all, every letter once \
         (their numbers add up to {}, as they should).",
        units::count(letters),
        units::count(seen.letters_read),
        units::count(expected)
    ));
    out.prose(format!(
        "{} times a thread woke up, found its condition still false, and waited again. \
         With `if` instead of `while`, each of those would have read an empty mailbox or \
         overwritten a letter.",
        out.count(seen.rechecks)
    ));
    Ok(())
}
