//! Section `race`: a racing count. Two threads add to one count with a read and
//! a separate write, and updates get lost. Safe code only: the gap between
//! an atomic load and an atomic store is enough to lose updates, no
//! undefined behaviour needed.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

use workshop::bench::thread_spans;
use workshop::python::Script;
use workshop::{Ctx, Outcome, Section, Table, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "race",
    title: "A racing count",
    explain: "
        Adding 1 to a count is three steps: read it, add 1, write it back.
        When two threads do that to one count at the same moment, both can
        read the same value, and one write overwrites the other: one update
        is lost. CPython's `Py_INCREF` is exactly such a read-add-write on
        the object's count. The GIL makes it safe by letting one thread run
        at a time.

        The GIL protects the interpreter's own steps, not yours. Python's
        `counter += 1` is several bytecode instructions, and a thread can be
        switched out between reading `counter` and writing it back wherever
        CPython checks for a switch. Since 3.10 its eval loop does that only
        at certain instructions, calls and jumps back to the top of a loop
        among them (CPython's `Python/ceval.c`), so a plain `counter += 1`
        loop usually loses nothing there, and the same loop with a call
        between the read and the write loses plenty. Neither is promised:
        use a lock. With --compare-python, CPython runs both below.

        Below, two threads add 1 to one count, an `AtomicU64`, a number that
        threads may update at the same time. First with a `load` followed by
        a separate `store` (the race, in safe Rust: each step is atomic, the
        pair is not), then with `fetch_add`, which does the read-add-write as
        one indivisible step. `Relaxed` promises exactly that, each operation
        indivisible, and nothing about the order in which other threads see
        them: enough for a count read after `join`.
    ",
    python: r#"
        # Py_INCREF(op) without the GIL, in effect:
        #     count = op.ob_refcnt    (read)
        #     op.ob_refcnt = count + 1    (write back)
        counter += 1      # read, add, write: three steps in Python too
    "#,
    rust: r#"
        let seen = count.load(Relaxed);
        count.store(seen + 1, Relaxed); // another thread may write between

        count.fetch_add(1, Relaxed); // one indivisible read-add-write
    "#,
    run,
};

/// Runs `step` `per_thread` times on each of two threads, released together
/// by a start line. Returns whether the two threads' runs overlapped in
/// time: threads that ran one after the other (a busy machine may give
/// them one core, in turns) cannot race.
pub fn on_two_threads(per_thread: u64, step: impl Fn() + Sync) -> bool {
    let spans = thread_spans(2, per_thread, |_| step());
    let (a, b) = (spans[0], spans[1]);
    a.0 < b.1 && b.0 < a.1
}

/// One race: the final count, and whether the threads ran at the same time.
#[derive(Clone, Copy, Debug)]
pub struct Race<T> {
    /// The count at the end.
    pub count: T,
    /// Whether the two threads' runs overlapped in time.
    pub overlapped: bool,
}

/// Two threads add 1 to one count `per_thread` times each, with a load
/// followed by a separate store. The count can only end at or below
/// `2 * per_thread`: a store writes one more than a value some thread read,
/// so updates get lost, never invented.
pub fn racy_increments(per_thread: u64) -> Race<u64> {
    let count = AtomicU64::new(0);
    let overlapped = on_two_threads(per_thread, || {
        // The ordering is not the problem (SeqCst loses updates just the
        // same): the gap between the load and the store is.
        let seen = count.load(Relaxed);
        count.store(seen + 1, Relaxed); // another thread may write between
    });
    Race {
        count: count.into_inner(),
        overlapped,
    }
}

/// The same with `fetch_add`: never loses an update. Relaxed is enough: the
/// total is read after the threads are joined, and joining makes all their
/// updates visible.
pub fn atomic_increments(per_thread: u64) -> Race<u64> {
    let count = AtomicU64::new(0);
    let overlapped = on_two_threads(per_thread, || {
        count.fetch_add(1, Relaxed); // one indivisible read-add-write
    });
    Race {
        count: count.into_inner(),
        overlapped,
    }
}

/// What a racy reference count would have done to its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The count came out right (no update lost, or losses cancelled).
    Right,
    /// Above the true count: lost decrements; the object would leak.
    Leaked,
    /// Below it: lost increments; the object would be freed while its
    /// owner still uses it.
    FreedTooEarly,
}

impl Verdict {
    /// The verdict for a count that ended at `count` where `truth` was right.
    pub fn of(count: i64, truth: i64) -> Self {
        match count.cmp(&truth) {
            std::cmp::Ordering::Equal => Verdict::Right,
            std::cmp::Ordering::Greater => Verdict::Leaked,
            std::cmp::Ordering::Less => Verdict::FreedTooEarly,
        }
    }

    /// The verdict in words.
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::Right => "right",
            Verdict::Leaked => "too high: never reaches 0, a leak",
            Verdict::FreedTooEarly => "too low: freed while still in use",
        }
    }
}

/// A reference count simulated with the racy read-then-write: an object
/// with one owner (count 1), and two threads that each make `clones` clones
/// of it (a list of references, say) and then drop them all. Every clone is
/// dropped, so the true count at the end is 1. Returns the count the race
/// left. Nothing is allocated or freed: this only counts.
pub fn simulated_refcount(clones: u64) -> Race<i64> {
    let count = AtomicI64::new(1); // the owner's reference
    let overlapped = on_two_threads(1, || {
        for _ in 0..clones {
            let seen = count.load(Relaxed); // clone: read...
            count.store(seen + 1, Relaxed); // ...and write back one more
        }
        for _ in 0..clones {
            let seen = count.load(Relaxed); // drop: read...
            count.store(seen - 1, Relaxed); // ...and write back one less
        }
    });
    Race {
        count: count.into_inner(),
        overlapped,
    }
}

/// A signed count with thousands separators: `-661,554`.
fn signed(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", units::count(n.unsigned_abs()))
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let per_thread: u64 = if ctx.quick() { 500_000 } else { 1_000_000 };
    let expected = 2 * per_thread;
    let mut table = Table::new([
        "run",
        "overlapped",
        "read, then write",
        "lost",
        "fetch_add",
        "lost",
    ]);
    let mut runs = Vec::new();
    for run in 1..=3 {
        let racy = racy_increments(per_thread);
        runs.push((racy.overlapped, expected - racy.count));
        let atomic = atomic_increments(per_thread);
        if atomic.count != expected {
            return Err(format!("fetch_add counted {}, not {expected}", atomic.count).into());
        }
        table.push([
            run.to_string(),
            out.measured(yes_no(racy.overlapped), "[yes/no]"),
            out.count(racy.count),
            out.count(expected - racy.count),
            units::count(atomic.count),
            "0".to_owned(),
        ]);
    }
    out.line(format!(
        "Two threads add 1, {} times each: the right total is {}.",
        units::count(per_thread),
        units::count(expected)
    ));
    out.blank();
    out.table(&table);
    out.verdict(lost_verdict(&runs));
    out.line("fetch_add lost none: it is one indivisible step.");
    out.blank();
    compare_python(ctx, &runs, per_thread)?;
    out.blank();

    let clones: u64 = if ctx.quick() { 500_000 } else { 1_000_000 };
    out.line("For a reference count, each lost update is a bug of its own: a lost increment");
    out.line("leaves the count below the number of references, so it reaches zero while");
    out.line("someone still holds one (freed while in use); a lost decrement leaves it above,");
    out.line("so it never reaches zero (a leak). Simulated on the racy count (nothing freed):");
    out.blank();
    out.line(format!(
        "One owner (count 1); two threads make {} clones each, then drop them:",
        units::count(clones)
    ));
    out.blank();
    let mut table = Table::new([
        "run",
        "overlapped",
        "final count",
        "should be",
        "so the object",
    ]);
    for run in 1..=3 {
        let race = simulated_refcount(clones);
        let verdict = Verdict::of(race.count, 1);
        table.push([
            run.to_string(),
            out.measured(yes_no(race.overlapped), "[yes/no]"),
            out.measured(signed(race.count), "[count]"),
            "1".to_owned(),
            out.measured(verdict.describe(), "[verdict]"),
        ]);
    }
    out.table(&table);
    out.line("A count at 0 or below means a drop would already have freed the object while");
    out.line("its owner still held it. A count above 1 means it would never be freed. A count");
    out.line("of 1 means the threads did not overlap, or their errors happened to cancel out.");
    Ok(())
}

/// What the racy runs lost, given whether each run's threads overlapped:
/// `(overlapped, lost)` per run.
pub fn lost_verdict(runs: &[(bool, u64)]) -> String {
    let overlapped: Vec<u64> = runs.iter().filter(|r| r.0).map(|r| r.1).collect();
    let apart = runs.len() - overlapped.len();
    let apart_say = match apart {
        0 => String::new(),
        n => format!(
            " In {n} of {} runs the threads did not overlap (a busy machine ran \
             them one after the other), and apart they cannot race.",
            runs.len()
        ),
    };
    let lost_some = overlapped.iter().filter(|&&lost| lost > 0).count();
    let said = if overlapped.is_empty() {
        "No run had its threads at work at the same moment, so none could lose \
         an update: run it again on a quieter machine."
            .to_owned()
    } else if lost_some == overlapped.len() {
        let (least, most) = (
            overlapped.iter().min().copied().unwrap_or(0),
            overlapped.iter().max().copied().unwrap_or(0),
        );
        if least == most {
            format!(
                "Every run whose threads overlapped lost {} updates.",
                units::count(least)
            )
        } else {
            format!(
                "The read-then-write lost between {} and {} updates: how many \
                 depends on how often the two threads met, which changes from \
                 run to run.",
                units::count(least),
                units::count(most)
            )
        }
    } else {
        format!(
            "{lost_some} of the {} runs whose threads overlapped lost updates; \
             the others overlapped too briefly to collide.",
            overlapped.len()
        )
    };
    format!("{said}{apart_say}")
}

/// The CPython script: two threads on one counter, `counter += 1` and a
/// read, a call and a write.
pub fn script() -> Script {
    Script::new(env!("CARGO_MANIFEST_DIR"), "racing_counter.py")
}

/// What CPython lost per round: the plain `counter += 1` loop, and the loop
/// with a call between the read and the write.
#[derive(Clone, Debug, PartialEq)]
pub struct PythonRaces {
    /// Updates lost by `counter += 1`, per round.
    pub plain: Vec<u64>,
    /// Updates lost with a call between the read and the write.
    pub with_a_call: Vec<u64>,
}

/// Reads `racing_counter.py`'s report.
pub fn read_python(report: &workshop::python::Report) -> Result<PythonRaces, String> {
    let numbers = |name: &str| -> Result<Vec<u64>, String> {
        let value = report.value(name).map_err(|e| e.to_string())?;
        value
            .split_whitespace()
            .map(|n| {
                n.parse()
                    .map_err(|_| format!("`{name} {value}` is not a list of counts"))
            })
            .collect()
    };
    Ok(PythonRaces {
        plain: numbers("plain")?,
        with_a_call: numbers("with_a_call")?,
    })
}

fn compare_python(ctx: &Ctx, rust: &[(bool, u64)], rust_per_thread: u64) -> Outcome {
    workshop::python::compare(ctx, &script(), |python, script| {
        let out = &ctx.out;
        let n: u64 = if ctx.quick() { 100_000 } else { 300_000 };
        let args = [n.to_string(), "3".to_owned()];
        let report = python.run(&script.path, &args, std::time::Duration::from_secs(120))?;
        let races = read_python(&report)?;
        let list = |lost: &[u64]| {
            let all: Vec<String> = lost.iter().map(|&n| units::count(n)).collect();
            out.measured(all.join(", "), "[counts]")
        };
        let rust_lost: Vec<u64> = rust.iter().map(|r| r.1).collect();
        let table = Table::new(["two threads add 1", "each", "lost, per run"])
            .row([
                format!("{}: counter += 1", python.describe()),
                units::count(n),
                list(&races.plain),
            ])
            .row([
                "CPython: read, call, write".to_owned(),
                units::count(n),
                list(&races.with_a_call),
            ])
            .row([
                "Rust: load, then store".to_owned(),
                units::count(rust_per_thread),
                list(&rust_lost),
            ]);
        out.table(&table);
        out.verdict(python_verdict(&races, n, python.gil_enabled));
        Ok(())
    })
}

/// What CPython's lost updates say about what its GIL protects.
pub fn python_verdict(races: &PythonRaces, per_thread: u64, gil_enabled: bool) -> String {
    let total = units::count(2 * per_thread);
    let plain_lost = races.plain.iter().any(|&n| n > 0);
    let call_lost = races.with_a_call.iter().any(|&n| n > 0);
    let plain = match (plain_lost, gil_enabled) {
        (false, true) => format!(
            "CPython's plain `counter += 1` lost nothing in {} runs: no switch \
             ever fell between its read and its write.",
            races.plain.len()
        ),
        (true, true) => "CPython's plain `counter += 1` lost updates: this \
             interpreter switches threads inside it (older CPythons did)."
            .to_owned(),
        (_, false) => "This CPython runs without a GIL, so its threads really \
             ran at once, like Rust's."
            .to_owned(),
    };
    let with_a_call = if call_lost {
        let (least, most) = (
            races.with_a_call.iter().min().copied().unwrap_or(0),
            races.with_a_call.iter().max().copied().unwrap_or(0),
        );
        let range = if least == 0 {
            format!("up to {}", units::count(most))
        } else {
            format!("{} to {}", units::count(least), units::count(most))
        };
        format!(
            " With a call between the read and the write, it lost {range} of \
             {total}: a switch at the call, and the other thread's updates \
             were overwritten. The GIL kept every instruction whole, never the \
             line."
        )
    } else {
        " With a call between the read and the write it lost nothing either, \
         this time: the threads may not have met, so it proves nothing; use \
         a lock."
            .to_owned()
    };
    format!("{plain}{with_a_call}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lost_verdict_follows_the_runs() {
        let varied = lost_verdict(&[(true, 965_312), (true, 955_127), (true, 740_187)]);
        assert!(varied.contains("between 740,187 and 965,312"), "{varied}");
        let same = lost_verdict(&[(true, 5), (true, 5)]);
        assert!(same.contains("lost 5 updates"), "{same}");
        let apart = lost_verdict(&[(false, 0), (true, 10)]);
        assert!(
            apart.contains("In 1 of 2 runs the threads did not overlap"),
            "{apart}"
        );
        let none = lost_verdict(&[(false, 0), (false, 0)]);
        assert!(none.starts_with("No run"), "{none}");
        let brief = lost_verdict(&[(true, 0), (true, 10)]);
        assert!(brief.starts_with("1 of the 2 runs"), "{brief}");
    }

    #[test]
    fn the_python_verdict_says_what_the_gil_protects() {
        // CPython 3.11 on a two-core machine: 0 lost by `+=`, many with a call.
        let races = PythonRaces {
            plain: vec![0, 0, 0],
            with_a_call: vec![88_494, 120_496, 101_000],
        };
        let said = python_verdict(&races, 300_000, true);
        assert!(said.contains("lost nothing in 3 runs"), "{said}");
        let some = PythonRaces {
            with_a_call: vec![0, 36_939],
            ..races.clone()
        };
        assert!(python_verdict(&some, 10, true).contains("lost up to 36,939"));
        assert!(said.contains("lost 88,494 to 120,496 of 600,000"), "{said}");
        let old = PythonRaces {
            plain: vec![0, 12],
            ..races.clone()
        };
        assert!(python_verdict(&old, 10, true).contains("switches threads inside it"));
        let quiet = PythonRaces {
            plain: vec![0],
            with_a_call: vec![0],
        };
        assert!(python_verdict(&quiet, 10, true).contains("proves nothing"));
        assert!(python_verdict(&races, 10, false).contains("without a GIL"));
    }

    #[test]
    fn the_python_report_is_read() {
        let report = workshop::python::Report::from_text("plain 0 0 0\nwith_a_call 3 1 2\n");
        let races = read_python(&report).unwrap();
        assert_eq!(races.with_a_call, [3, 1, 2]);
        let bad = workshop::python::Report::from_text("plain 0 x\nwith_a_call 1\n");
        assert!(read_python(&bad).is_err());
    }
}
