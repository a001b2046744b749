//! Section `event`: an event, built from a `Mutex<bool>` and a `Condvar`: `set`,
//! `clear`, `is_set`, `wait` and `wait_timeout`.

use std::thread;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, lock, wait};
use workshop::{Ctx, Out, Outcome, Section};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "event",
    title: "Event: one thread releases many",
    explain: "
        An event is a flag that threads can wait for. `wait` returns as soon
        as the flag is set, at once if it already is; `set` raises it and
        wakes every waiter; `clear` lowers it again. Python's
        `threading.Event` is the starter's gun: the runners wait at the line,
        one `set` sends them all off.

        Rust's standard library has no event, so the lesson builds one: the
        flag in a `Mutex<bool>`, and a `Condvar` to sleep on. Two details make
        it right. `wait` looks at the flag before sleeping, under the lock, so
        a `set` that came first is not lost: a condition variable remembers
        nothing, and a thread that starts waiting after the notification
        sleeps forever. And `set` calls `notify_all`, not `notify_one`: every
        waiter must go.

        Below, four runners wait at the line and main fires the gun; then a
        latecomer waits on the event that is already set (it returns at
        once), and a `wait_timeout` on a cleared event gives up. Python's
        `event.wait(timeout)` returns the flag; so does `wait_timeout`.
    ",
    python: r#"
        start = threading.Event()

        def runner():
            start.wait()             # at once if already set
            run()

        start.set()                  # wakes every waiter
        start.clear()
        start.wait(timeout=0.1)      # False: timed out
    "#,
    rust: r#"
        start.wait(); // at once if already set
        start.set(); // wakes every waiter
        start.clear();
        start.wait_timeout(patience) // false: timed out
        while !*flag {
            flag = wait(&self.changed, flag);
        }
    "#,
    run,
};

/// A flag threads can wait for, like Python's `threading.Event`.
///
/// ```
/// use locks::event::Event;
/// use std::time::Duration;
///
/// let ready = Event::new();
/// assert!(!ready.wait_timeout(Duration::from_millis(1)), "not set yet");
/// ready.set();
/// ready.wait(); // returns at once: the set was not lost
/// assert!(ready.is_set());
/// ```
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// An event that is not set.
    pub fn new() -> Self {
        Event {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Sets the flag and wakes every thread waiting for it.
    pub fn set(&self) {
        *lock(&self.flag) = true;
        self.changed.notify_all();
    }

    /// Lowers the flag: later `wait`s wait again.
    pub fn clear(&self) {
        *lock(&self.flag) = false;
    }

    /// Whether the flag is set right now.
    pub fn is_set(&self) -> bool {
        *lock(&self.flag)
    }

    /// Waits until the flag is set; returns at once if it already is.
    pub fn wait(&self) {
        let mut flag = lock(&self.flag);
        // Checked before sleeping, under the lock: a `set` that came first
        // is seen here, and a `set` that comes later cannot slip in between
        // the check and the sleep, because `set` needs this lock.
        while !*flag {
            flag = wait(&self.changed, flag);
        }
    }

    /// Waits at most `timeout` for the flag; returns whether it is set,
    /// like Python's `event.wait(timeout)`.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut flag = lock(&self.flag);
        while !*flag {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            // A wakeup before the deadline with the flag still down (spurious,
            // or a `set` undone by a `clear`) waits again for what is left.
            flag = match self.changed.wait_timeout(flag, deadline - now) {
                Ok((flag, _)) => flag,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        true
    }
}

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

/// How many runners wait for the gun.
pub const RUNNERS: usize = 4;

/// What [`starters_gun`] observed.
#[derive(Clone, Debug)]
pub struct Race {
    /// How many runners were released by the one `set`.
    pub released: usize,
    /// How long after the `set` the last runner was off.
    pub last_off_after_set: Duration,
    /// How long a thread that started waiting after the `set` waited.
    pub latecomer_waited: Duration,
    /// What `wait_timeout` returned on the cleared event, and after how long.
    pub timed_out: (bool, Duration),
}

/// `runners` threads wait on one event; main sets it after `delay`. Then a
/// latecomer waits on the event already set, and after a `clear`, a
/// `wait_timeout(patience)` gives up.
pub fn starters_gun(
    runners: usize,
    delay: Duration,
    patience: Duration,
    out: &Out,
) -> std::io::Result<Race> {
    let start = Event::new();
    let (released, last_off_after_set) = thread::scope(|s| {
        let mut handles = Vec::new();
        for n in 1..=runners {
            let start = &start;
            handles.push(
                thread::Builder::new()
                    .name(format!("runner-{n}"))
                    .spawn_scoped(s, move || {
                        out.say("at the line");
                        start.wait(); // at once if already set
                        let off = Instant::now();
                        out.say("off!");
                        off
                    })?,
            );
        }
        thread::sleep(delay);
        out.say("bang");
        let fired = Instant::now();
        start.set(); // wakes every waiter
        let mut last = Duration::ZERO;
        for handle in handles {
            let off = workshop::join(handle)?;
            last = last.max(off.saturating_duration_since(fired));
        }
        Ok::<_, std::io::Error>((runners, last))
    })?;
    let latecomer_waited = thread::scope(|s| {
        let latecomer = thread::Builder::new()
            .name("latecomer".into())
            .spawn_scoped(s, || {
                let began = Instant::now();
                start.wait();
                began.elapsed()
            })?;
        Ok::<_, std::io::Error>(workshop::join(latecomer)?)
    })?;
    start.clear();
    let began = Instant::now();
    let set = start.wait_timeout(patience); // false: timed out
    Ok(Race {
        released,
        last_off_after_set,
        latecomer_waited,
        timed_out: (set, began.elapsed()),
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let patience = ctx.secs(0.5);
    let race = out.concurrently(|| starters_gun(RUNNERS, ctx.secs(0.3), patience, out))?;
    out.blank();
    out.line(format!(
        "One set released all {} runners; the last was off {} after the gun.",
        race.released,
        out.time(race.last_off_after_set)
    ));
    out.prose(format!(
        "A latecomer that called wait() after the set waited {}: the set was not lost.",
        out.time(race.latecomer_waited)
    ));
    let (set, after) = race.timed_out;
    out.line(format!(
        "After clear(), wait_timeout({}) returned {set} after {}.",
        workshop::units::duration(patience),
        out.time(after)
    ));
    Ok(())
}
