//! Section `results`: what a thread returns, and what happens when it panics.

use std::any::Any;
use std::io;
use std::thread;

use workshop::{Ctx, Outcome, Section, fib, panics};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "results",
    title: "Results and panics come back through join",
    explain: "
        A Python thread throws its function's return value away, and
        `join()` always returns `None`; to get a result out you share a list
        or a queue. If the function raises, the exception is printed on
        stderr and `join()` still returns `None`: the caller never learns.

        In Rust, `join` returns a `Result`: `Ok` with whatever the closure
        returned, or `Err` with the panic's payload if the thread panicked;
        `match`, as in Python, takes the two cases apart. The payload is a
        `Box<dyn Any + Send>`. A `Box` holds a value on the heap, where every
        Python object lives; `dyn Any` is a value of any type, known only
        when the program runs (`panic!` puts its text there); `Send` says it
        may move to another thread. A panicking thread cannot go unnoticed
        by whoever joins it, and the rest of the program carries on.
    ",
    python: r#"
        def worker(n):
            return fibonacci(n)   # thrown away

        t = threading.Thread(target=worker, args=(30,))
        t.start()
        print(t.join())           # None
    "#,
    rust: r#"
        let handle = thread::Builder::new()
            .name(format!("fib-{n}"))
            .spawn(move || fib(n))?;
        let value = handle.join();   // Ok(fib(n))

        match doomed.join() {
            Ok(()) => Ok(None),
            Err(payload) => Ok(Some(panic_text(payload))),
        }

        fn panic_text(payload: Box<dyn Any + Send>) -> String {
            panics::message(&*payload)
        }
    "#,
    run,
};

/// Computes each `fib(n)` on its own thread; the values come back through
/// `join`, in the order of `ns`.
pub fn fibs_on_threads(ns: &[u32]) -> io::Result<Vec<u64>> {
    let handles = ns
        .iter()
        .map(|&n| {
            let handle = thread::Builder::new()
                .name(format!("fib-{n}"))
                .spawn(move || fib(n))?;
            Ok(handle)
        })
        .collect::<io::Result<Vec<_>>>()?;
    handles
        .into_iter()
        .map(|handle| {
            let value = handle.join(); // Ok(fib(n))
            value.map_err(|_| io::Error::other("a fibonacci thread panicked"))
        })
        .collect()
}

/// Starts a thread that panics, joins it, and returns the panic's message.
pub fn join_a_panicking_thread() -> io::Result<Option<String>> {
    let doomed = thread::Builder::new().name("doomed".into()).spawn(|| {
        // The lesson reports this panic itself, from the join below.
        panics::expect_panic();
        panic!("out of coffee");
    })?;
    match doomed.join() {
        Ok(()) => Ok(None),
        Err(payload) => Ok(Some(panic_text(payload))),
    }
}

/// The text a panic carried. `&*payload` lends the value inside the box
/// (`*` reaches into it, `&` borrows what it finds).
fn panic_text(payload: Box<dyn Any + Send>) -> String {
    panics::message(&*payload)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let ns = [20, 25, 30];
    for (n, value) in ns.iter().zip(fibs_on_threads(&ns)?) {
        out.line(format!("thread fib-{n} returned {value}"));
    }
    out.blank();
    match join_a_panicking_thread()? {
        Some(message) => {
            out.line(format!(
                "thread doomed panicked; its join returned Err with the message {message:?}."
            ));
            out.line(
                "Main is still running: a thread's panic ends that thread, and join reports it.",
            );
        }
        None => out.line("thread doomed did not panic after all?"),
    }
    Ok(())
}
