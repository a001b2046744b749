//! Section `no-hybrids`: why an interpreter needs a lock at all.
//!
//! Two threads assigning to one global string without any synchronization:
//! in C nothing stops you, and a reader could see half of each. In Rust the
//! program does not compile:
//!
//! ```compile_fail,E0499
//! let mut global_str = String::new();
//! std::thread::scope(|s| {
//!     s.spawn(|| global_str = String::from("abcdefg"));
//!     s.spawn(|| global_str = String::from("hijklmnop"));
//! });
//! ```
//!
//! With a lock around it, it compiles, and every read sees one whole value.

use std::thread;

use parking_lot::Mutex;
use workshop::{Ctx, Outcome, Section, Table};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "no-hybrids",
    title: "Why the interpreter needs a lock at all",
    explain: "
        An implementation of Python is itself a multithreaded program. If
        one thread runs `global_str = \"abcdefg\"` while another runs
        `global_str = \"hijklmnop\"`, the interpreter must make sure that
        `global_str` ends up as one value or the other, never a hybrid such
        as `abclmnop`. A string assignment touches a pointer, a length and
        two reference counts; every one of them needs protecting. CPython
        chose one global lock over thousands of small ones.

        Rust makes the same demand at compile time: two threads assigning to
        one unprotected variable is a compile error (this page's source has a
        `compile_fail` test proving it). Behind a `Mutex`, two writer threads
        and a reader run below; the reader checks every value it sees.
    ",
    python: r#"
        # thread one              # thread two
        global_str = "abcdefg"    # global_str = "hijklmnop"

        print(global_str)         # never "abclmnop"
    "#,
    rust: r#"
        let global_str = Mutex::new(String::new());
        *global_str.lock() = String::from(value);
        let seen = global_str.lock().clone();
    "#,
    run,
};

/// The two values the writers assign.
pub const VALUES: [&str; 2] = ["abcdefg", "hijklmnop"];

/// What the reader saw.
#[derive(Debug, Default, PartialEq)]
pub struct Reads {
    /// Reads of the first value.
    pub first: u64,
    /// Reads of the second value.
    pub second: u64,
    /// Reads before either writer wrote.
    pub empty: u64,
    /// Anything else: a torn value. Always zero.
    pub hybrids: u64,
}

/// Two writers assign their value `writes` times each while a reader reads
/// `writes` times and sorts what it sees.
pub fn race_writers(writes: u64) -> Reads {
    let global_str = Mutex::new(String::new());
    thread::scope(|s| {
        for value in VALUES {
            let global_str = &global_str;
            s.spawn(move || {
                for _ in 0..writes {
                    *global_str.lock() = String::from(value);
                }
            });
        }
        let reader = s.spawn(|| {
            let mut reads = Reads::default();
            for _ in 0..writes {
                let seen = global_str.lock().clone();
                match seen.as_str() {
                    "" => reads.empty += 1,
                    v if v == VALUES[0] => reads.first += 1,
                    v if v == VALUES[1] => reads.second += 1,
                    _ => reads.hybrids += 1,
                }
            }
            reads
        });
        reader.join().unwrap_or_default()
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let writes = if ctx.quick() { 20_000 } else { 200_000 };
    let reads = race_writers(writes);
    let table = Table::new(["the reader saw", "times"])
        .row([format!("{:?}", VALUES[0]), out.count(reads.first)])
        .row([format!("{:?}", VALUES[1]), out.count(reads.second)])
        .row([
            "\"\" (nothing written yet)".to_owned(),
            out.count(reads.empty),
        ])
        .row(["a hybrid".to_owned(), workshop::units::count(reads.hybrids)]);
    out.line(format!(
        "Two writers, {} assignments each, and one reader:",
        workshop::units::count(writes)
    ));
    out.table(&table);
    out.line(workshop::text::reflow(&verdict(&reads)));
    Ok(())
}

/// What the reader's counts say. Not a measured verdict: the counts of
/// each value vary, but the sentence depends only on whether a hybrid
/// appeared, which the lock rules out.
pub fn verdict(reads: &Reads) -> String {
    if reads.hybrids == 0 {
        "How often each value was seen is up to the scheduler; no hybrid \
         appeared, as the lock guarantees."
            .to_owned()
    } else {
        format!(
            "{} hybrids appeared: the lock did not protect the string, a bug.",
            reads.hybrids
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_says_whether_a_hybrid_appeared() {
        let clean = Reads {
            first: 3,
            second: 1,
            ..Reads::default()
        };
        assert!(verdict(&clean).contains("no hybrid appeared"));
        let torn = Reads {
            hybrids: 2,
            ..clean
        };
        assert!(verdict(&torn).starts_with("2 hybrids appeared"));
    }
}
