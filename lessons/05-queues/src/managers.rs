//! Section `managers`: the workshop's worked example, ported: a counter manager, a
//! print manager, ten workers, and not one daemon thread.

use std::io;
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, unbounded};
use workshop::{Ctx, Out, Outcome, Section, units};

use crate::{join, spawn_named};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "managers",
    title: "The counter manager and the print manager",
    explain: "
        The notebook's worked example, which it credits to Raymond
        Hettinger, follows the rules to the letter. A
        counter manager alone may change the counter; a print manager alone
        may print; ten workers each put an increment of 1 on the counter's
        queue. The port below prints exactly what the Python prints, and
        always in the same order: not by luck, by design (why, after the
        output).

        Python's managers loop forever (`while True`), so nobody can join
        them. The program waits on the queues instead (`Queue.join()` returns
        once every item got its `task_done()`), and marks the managers daemon
        so that the interpreter may exit while they sit blocked in `get()`.
        Rust needs neither. A manager's `for message in receiver` loop ends by
        itself once every `Sender` is dropped and the queue is empty: drop the
        senders, `join` the thread, and it hands back its final state (the
        count; the lines it printed). Nothing is left blocked, so nothing
        needs to be abandoned at exit. To wait for a manager that must keep
        running, ask it for an acknowledgement instead (the `replies`
        section, and the `queue_join` exercise).
    ",
    python: r#"
        # the notebook: "A worked example from Raymond Hettinger"
        def counter_manager():          # a daemon thread
            global counter
            while True:
                counter += counter_queue.get()
                print_queue.put([f"The count is {counter}", "-" * 15])
                counter_queue.task_done()

        def print_manager():            # a daemon thread
            while True:
                for line in print_queue.get():
                    print(line)
                print_queue.task_done()

        print_queue.put(["Starting up"])
        # ... ten workers, each: counter_queue.put(1)
        counter_queue.join()
        print_queue.put(["Finishing up"])
        print_queue.join()
    "#,
    rust: r#"
        fn counter_manager(
            increments: Receiver<u64>,
            to_printer: Sender<PrintJob>
        ) -> u64 {
            let mut count = 0;
            for increment in increments {
                count += increment;
                let job = vec![format!("The count is {count}"), "-".repeat(15)];
                to_printer.send(job).expect("the print manager is running");
            }
            count // the loop ends when every sender is gone
        }

        fn print_manager(jobs: Receiver<PrintJob>, out: &Out) -> Vec<String> {
            let mut printed = Vec::new();
            for job in jobs {
                for line in job {
                    out.line(&line);
                    printed.push(line);
                }
            }
            printed
        }

        say(&to_printer, "Starting up");
        // ... ten workers, each: to_counter.send(1)
        drop(to_counter); // no sender left: the counter manager's loop ends
        let count = join(counter_manager)?; // its final state
        say(&to_printer, "Finishing up");
        drop(to_printer);
        let printed = join(print_manager)?;
    "#,
    run,
};

/// What the print manager prints in one go: lines that belong together.
pub type PrintJob = Vec<String>;

/// How many workers the workshop starts.
pub const WORKERS: usize = 10;

/// The counter manager: the only thread that may change the count. It adds
/// each increment and queues the two lines that report the new count.
fn counter_manager(increments: Receiver<u64>, to_printer: Sender<PrintJob>) -> u64 {
    let mut count = 0;
    for increment in increments {
        count += increment;
        let job = vec![format!("The count is {count}"), "-".repeat(15)];
        to_printer.send(job).expect("the print manager is running");
    }
    count // the loop ends when every sender is gone
}

/// The print manager: the only thread that may print. Returns every line it
/// printed, in order.
fn print_manager(jobs: Receiver<PrintJob>, out: &Out) -> Vec<String> {
    let mut printed = Vec::new();
    for job in jobs {
        for line in job {
            out.line(&line);
            printed.push(line);
        }
    }
    printed
}

/// A worker: its whole job is to put an increment on the counter's queue.
fn worker(to_counter: Sender<u64>) {
    to_counter.send(1).expect("the counter manager is running");
}

/// Queues a one-line job for the print manager.
fn say(to_printer: &Sender<PrintJob>, line: &str) {
    let job = vec![line.to_owned()];
    to_printer.send(job).expect("the print manager is running");
}

/// What the worked example hands back when it is done.
#[derive(Debug, PartialEq)]
pub struct Finished {
    /// The counter manager's final count, returned by its `join`.
    pub count: u64,
    /// The lines the print manager printed, returned by its `join`.
    pub printed: Vec<String>,
}

/// The worked example: starts the two managers and `workers` workers, and
/// waits for all of it by dropping senders and joining threads. The print
/// manager prints through `out`.
pub fn worked_example(out: &Out, workers: usize) -> io::Result<Finished> {
    let (to_printer, jobs) = unbounded::<PrintJob>();
    let print_manager = {
        let out = out.clone();
        spawn_named("print-manager", move || print_manager(jobs, &out))?
    };
    let (to_counter, increments) = unbounded::<u64>();
    let counter_manager = {
        let to_printer = to_printer.clone();
        spawn_named("counter-manager", move || {
            counter_manager(increments, to_printer)
        })?
    };

    say(&to_printer, "Starting up");
    let workers = (0..workers)
        .map(|i| {
            let to_counter = to_counter.clone();
            spawn_named(format!("worker-{i}"), move || worker(to_counter))
        })
        .collect::<io::Result<Vec<_>>>()?;
    // Python joins its workers too. The count would not need it: the
    // counter manager's loop also waits for the senders the workers hold.
    for worker in workers {
        join(worker)?;
    }
    drop(to_counter); // no sender left: the counter manager's loop ends
    let count = join(counter_manager)?; // its final state
    say(&to_printer, "Finishing up");
    drop(to_printer);
    let printed = join(print_manager)?;
    Ok(Finished { count, printed })
}

/// What the Python original prints with `workers` workers.
pub fn python_output(workers: usize) -> Vec<String> {
    let mut lines = vec!["Starting up".to_owned()];
    for n in 1..=workers {
        lines.push(format!("The count is {n}"));
        lines.push("---------------".to_owned());
    }
    lines.push("Finishing up".to_owned());
    lines
}

/// The classic mistake: a sender that is never dropped. The counter
/// manager cannot know that no more increments will come, so it waits.
/// Returns whether it was still running after `patience`, and the count it
/// returned once the last sender was dropped.
pub fn forgotten_sender(patience: Duration) -> io::Result<(bool, u64)> {
    let (to_counter, increments) = unbounded::<u64>();
    let counter_manager = spawn_named("counter-manager", move || increments.iter().sum::<u64>())?;
    to_counter.send(1).expect("the counter manager is running");
    // Not a sleep to force an order: the manager cannot end while
    // `to_counter` exists, however long we look.
    thread::sleep(patience);
    let still_waiting = !counter_manager.is_finished();
    drop(to_counter);
    let count = join(counter_manager)?;
    Ok((still_waiting, count))
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    out.line("Between the two rules, every line comes from the print manager:");
    out.line("─".repeat(15));
    let finished = worked_example(out, WORKERS)?;
    out.line("─".repeat(15));
    let expected = python_output(WORKERS);
    if finished.printed != expected {
        return Err("the print manager printed something other than the Python original".into());
    }
    out.line(format!(
        "join(counter_manager) returned {}; join(print_manager) returned the {} lines",
        finished.count,
        finished.printed.len()
    ));
    out.line("it printed: line for line what the Python original prints.");
    out.blank();
    out.line("Always in this order, because of the design:");
    out.line("- `Starting up` is queued before any worker exists.");
    out.line("- Only the counter manager adds, one message at a time, so its counts are");
    out.line("  1, 2, … 10 in that order, whichever worker's 1 arrives first.");
    out.line("- It queues each count's two lines in order, and a channel is first in,");
    out.line("  first out; the print manager prints each job whole, and nobody else prints.");
    out.line("- `Finishing up` is queued only after the counter manager was joined.");
    out.line("The scheduler decides when each line appears, never in which order.");

    // The same example again, many times, printed into a buffer instead.
    let reruns = if ctx.quick() { 20 } else { 100 };
    let _running = out.progress(format!(
        "running: the example {reruns} more times, into a buffer"
    ));
    for _ in 0..reruns {
        if worked_example(&Out::capture(false), WORKERS)?.printed != expected {
            return Err("a rerun printed the lines in another order".into());
        }
    }
    out.prose(format!(
        "Run {reruns} more times into a buffer: the same {} lines in the same order, every time.",
        expected.len()
    ));

    out.blank();
    let patience = ctx.secs(1.0);
    let (still_waiting, count) = forgotten_sender(patience)?;
    if !still_waiting {
        return Err("the counter manager ended while a sender was still alive".into());
    }
    out.line("The one way to get this wrong: keep a sender. Main sent 1 and kept `to_counter`.");
    out.line(format!(
        "After {}, the counter manager was still waiting: more could still come.",
        units::duration(patience)
    ));
    out.line(format!(
        "Once main dropped `to_counter`, the loop ended and join returned {count}."
    ));
    Ok(())
}
