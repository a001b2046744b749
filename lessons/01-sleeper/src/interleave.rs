//! Section `interleave`: two threads marking a shared screen, and how often they take
//! turns.

use std::sync::{Barrier, Mutex};
use std::thread;

use workshop::workloads::Marks;
use workshop::workloads::fib_calls;
use workshop::{Ctx, Outcome, Section, Table};

/// How many times the race is run; each run interleaves differently.
const ROUNDS: usize = 3;
/// The fibonacci each thread computes, as in the notebook's cell
/// (`super_expensive(15)`): 1,973 calls, so 1,973 marks each.
pub const N: u32 = 15;

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "interleave",
    title: "Two threads taking turns",
    explain: "
        The notebook asked whether threads are really sequential: two threads
        ran `fibonacci(15)`, writing a mark at every call, `_` for one thread
        and `*` for the other, to see how the marks mixed.

        Here the marks go onto a shared screen (a `String` behind a `Mutex`,
        so no mark is ever lost or torn). A `Barrier` lines both threads up
        so they start together. The exact mix changes on every run, so rather
        than one lucky string the lesson reports what varies: how many times
        the screen switched from one thread's mark to the other's, and the
        longest unbroken run. What never varies is checked too: every call
        left exactly one mark.

        Rust threads run at the same time on different cores and meet only
        at the lock. What the same marks look like under a GIL, simulated
        and in real CPython, is for the gil lesson (its `watch` section).
    ",
    python: r#"
        def fibonacci(n, mark):
            sys.stdout.write(mark)
            if n < 2:
                return n
            return fibonacci(n - 1, mark) + fibonacci(n - 2, mark)

        a = threading.Thread(target=fibonacci, args=(15, "_"))
        b = threading.Thread(target=fibonacci, args=(15, "*"))
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

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let mut table = Table::new(["run", "`_` marks", "`*` marks", "switches", "longest run"]);
    let mut first_screen = String::new();
    let mut runs = Vec::new();
    for round in 1..=ROUNDS {
        let screen = race(N);
        let marks = Marks::read(&screen);
        table.push([
            round.to_string(),
            workshop::units::count(marks.count('_') as u64),
            workshop::units::count(marks.count('*') as u64),
            out.count(marks.switches as u64),
            out.count(marks.longest_run as u64),
        ]);
        if round == 1 {
            first_screen = screen.chars().take(64).collect();
        }
        runs.push(marks);
    }
    out.line("The start of the first run's screen:");
    out.line(format!("  {}", out.measured(&first_screen, "[marks]")));
    out.blank();
    out.table(&table);
    out.verdict(verdict(&runs, fib_calls(N) as usize));
    Ok(())
}

/// What the runs' marks say: whether every call left its mark, and how the
/// two threads took turns.
pub fn verdict(runs: &[Marks], calls: usize) -> String {
    let shown = workshop::units::count(calls as u64);
    let complete = runs
        .iter()
        .all(|m| m.count('_') == calls && m.count('*') == calls);
    let marks = if complete {
        format!(
            "fib({N}) makes {shown} calls, and each thread left exactly that many marks in every run: none was lost."
        )
    } else {
        format!(
            "fib({N}) makes {shown} calls, but some run has a different number of marks: a mark was lost, which the lock should make impossible."
        )
    };
    let mixed = runs.iter().filter(|m| m.switches > 2).count();
    let turns = match mixed {
        0 => " In every run one thread's marks came before the other's: the first \
              thread finished before the second got going."
            .to_owned(),
        n if n == runs.len() => " In every run the marks mixed: both threads were \
              marking the screen at the same time."
            .to_owned(),
        n => format!(
            " In {n} of {} runs the marks mixed; in the others one thread \
             finished before the other got going.",
            runs.len()
        ),
    };
    format!("{marks}{turns}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen(runs: &[usize]) -> String {
        let mut s = String::new();
        for (i, &n) in runs.iter().enumerate() {
            s.extend(std::iter::repeat_n(if i % 2 == 0 { '_' } else { '*' }, n));
        }
        s
    }

    #[test]
    fn the_verdict_follows_the_marks() {
        let sequential = Marks::read(&screen(&[3, 3]));
        let mixed = Marks::read(&screen(&[1, 1, 1, 1, 1, 1]));
        let all_mixed = verdict(&[mixed.clone(), mixed.clone()], 3);
        assert!(all_mixed.contains("none was lost"), "{all_mixed}");
        assert!(
            all_mixed.contains("In every run the marks mixed"),
            "{all_mixed}"
        );
        let none = verdict(std::slice::from_ref(&sequential), 3);
        assert!(none.contains("one thread's marks came before"), "{none}");
        let some = verdict(&[sequential.clone(), mixed], 3);
        assert!(some.contains("In 1 of 2 runs"), "{some}");
        let lost = verdict(&[sequential], 4);
        assert!(lost.contains("a mark was lost"), "{lost}");
    }
}
