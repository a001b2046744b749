//! Section `interleave`: two threads marking a shared screen, and how often they take
//! turns.

use std::sync::{Barrier, Mutex};
use std::thread;

use workshop::workloads::fib_calls;
use workshop::{Ctx, Outcome, Section, Table};

/// How many times the race is run; each run interleaves differently.
const ROUNDS: usize = 3;
/// The fibonacci each thread computes: 21,891 calls, so 21,891 marks each.
const N: u32 = 20;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "interleave",
    title: "Two threads taking turns",
    explain: "
        The notebook asked whether threads are really sequential: two threads
        ran a fibonacci that writes a mark at every call, `_` for one thread
        and `*` for the other, and looked at how the marks mixed.

        Here the marks go onto a shared screen (a `String` behind a `Mutex`,
        so no mark is ever lost or torn). A `Barrier` lines both threads up
        so they start together. The exact mix changes on every run, so rather
        than one lucky string the lesson reports what varies: how many times
        the screen switched from one thread's mark to the other's, and the
        longest unbroken run. What never varies is checked too: every call
        left exactly one mark.

        Under Python's GIL one thread runs for a whole switch interval (5 ms)
        before the other gets a turn, so the runs are long. Rust threads run
        at the same time on different cores and meet only at the lock.
    ",
    python: r#"
        def fibonacci(n, mark):
            sys.stdout.write(mark)
            if n < 2:
                return n
            return fibonacci(n - 1, mark) + fibonacci(n - 2, mark)

        a = threading.Thread(target=fibonacci, args=(20, "_"))
        b = threading.Thread(target=fibonacci, args=(20, "*"))
    "#,
    rust: r#"
        fn fib_marking(n: u32, mark: char, screen: &Mutex<String>) -> u64 {
            screen.lock().unwrap().push(mark);
            if n < 2 {
                return u64::from(n);
            }
            fib_marking(n - 1, mark, screen) + fib_marking(n - 2, mark, screen)
        }
    "#,
    run,
};

/// The notebook's fibonacci, leaving a mark on the shared screen at every
/// call.
pub fn fib_marking(n: u32, mark: char, screen: &Mutex<String>) -> u64 {
    screen.lock().unwrap().push(mark);
    if n < 2 {
        return u64::from(n);
    }
    fib_marking(n - 1, mark, screen) + fib_marking(n - 2, mark, screen)
}

/// Two threads marking one screen, started together; returns the screen.
pub fn race(n: u32) -> String {
    let screen = Mutex::new(String::new());
    let start_line = Barrier::new(2);
    thread::scope(|s| {
        for mark in ['_', '*'] {
            let (screen, start_line) = (&screen, &start_line);
            s.spawn(move || {
                start_line.wait();
                fib_marking(n, mark, screen)
            });
        }
    });
    screen.into_inner().unwrap()
}

/// How many times consecutive marks differ.
pub fn switches(screen: &str) -> usize {
    screen
        .chars()
        .zip(screen.chars().skip(1))
        .filter(|(a, b)| a != b)
        .count()
}

/// The length of the longest run of one mark.
pub fn longest_run(screen: &str) -> usize {
    let mut longest = 0;
    let mut current = 0;
    let mut previous = None;
    for mark in screen.chars() {
        current = if previous == Some(mark) {
            current + 1
        } else {
            1
        };
        longest = longest.max(current);
        previous = Some(mark);
    }
    longest
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let mut table = Table::new(["run", "`_` marks", "`*` marks", "switches", "longest run"]);
    let mut first_screen = String::new();
    for round in 1..=ROUNDS {
        let screen = race(N);
        let marks =
            |mark| workshop::units::count(screen.chars().filter(|&c| c == mark).count() as u64);
        table.push([
            round.to_string(),
            marks('_'),
            marks('*'),
            out.count(switches(&screen) as u64),
            out.count(longest_run(&screen) as u64),
        ]);
        if round == 1 {
            first_screen = screen.chars().take(64).collect();
        }
    }
    out.line(format!(
        "The start of the first run's screen: {}",
        out.measured(&first_screen, "[marks]")
    ));
    out.blank();
    out.table(&table);
    out.line(format!(
        "fib({N}) makes {} calls, so each thread must leave exactly that many marks: none was lost.",
        workshop::units::count(fib_calls(N))
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_and_runs_of_a_known_screen() {
        assert_eq!(switches("__**_"), 2);
        assert_eq!(longest_run("__***_"), 3);
        assert_eq!((switches(""), longest_run("")), (0, 0));
    }
}
