//! Section `start`: start a thread, and keep working while it sleeps.

use std::thread;
use std::time::Duration;

use workshop::{Ctx, Out, Outcome, Section, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "start",
    title: "Start a thread",
    explain: "
        A thread runs one function. Python's `threading.Thread` takes the
        function (`target`) and its arguments (`args`) separately, and nothing
        happens until `start()`. Rust's `thread::spawn` takes a closure, which
        is the function and its arguments in one, and the thread starts right
        away. A closure is Rust's `lambda`: `|| sleeper(&out, nap)` takes no
        arguments and calls `sleeper`.

        Every Rust value has one owner, and goes away with it. `move` makes
        the closure the owner of what it uses (`nap`, and `out`, a clone of
        main's output handle), because the new thread may outlive the
        variables of the code that started it. `&out` lends a value without
        giving it away: a borrow, to read (`&`) or to change (`&mut`), which
        the compiler makes sure ends before the owner does. Python passes
        every argument as a shared reference and never asks who owns it.

        While the sleeper sleeps, main is free: it says hi three times, checks
        whether the sleeper is done (`is_finished`, Python's `is_alive`), and
        then waits for it with `join`.
    ",
    python: r#"
        def sleeper(n):
            print(f"going to sleep for {n} s")
            time.sleep(n)
            print("awake!")

        t = threading.Thread(target=sleeper, args=(5,))
        t.start()
        for _ in range(3):
            print("Hi")
        t.join()
    "#,
    rust: r#"
        fn sleeper(out: &Out, nap: Duration) {
            out.say(format!("going to sleep for {}", units::duration(nap)));
            thread::sleep(nap);
            out.say("awake!");
        }

        let sleeper_thread = thread::spawn(move || sleeper(&out, nap));
        for _ in 0..3 {
            main_out.say("Hi");
        }
        sleeper_thread.join()
    "#,
    run,
};

/// The workshop's first thread function: announce a nap, take it, announce
/// the end of it. Lines go through `out`, which stamps them with the time and
/// the thread's name.
pub fn sleeper(out: &Out, nap: Duration) {
    out.say(format!("going to sleep for {}", units::duration(nap)));
    thread::sleep(nap);
    out.say("awake!");
}

/// Starts a sleeper, greets three times, and joins it. Returns whether the
/// sleeper was still asleep when main had finished greeting.
pub fn greet_while_it_sleeps(main_out: &Out, nap: Duration) -> Result<bool, &'static str> {
    let out = main_out.clone();
    let sleeper_thread = thread::spawn(move || sleeper(&out, nap));
    for _ in 0..3 {
        main_out.say("Hi");
    }
    let still_asleep = !sleeper_thread.is_finished();
    main_out.say("waiting for the sleeper to finish (join)");
    sleeper_thread.join().map_err(|_| "the sleeper panicked")?;
    main_out.say("join returned: the sleeper is done");
    Ok(still_asleep)
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let nap = ctx.secs(5.0);
    let _running = out.progress(format!(
        "running: a sleeper's nap of {}",
        units::duration(nap)
    ));
    let still_asleep = out.concurrently(|| greet_while_it_sleeps(out, nap))?;
    out.blank();
    let answer = out.measured(if still_asleep { "yes" } else { "no" }, "[yes/no]");
    out.line(format!(
        "Was the sleeper still asleep after main's three Hi's? {answer}."
    ));
    out.verdict(verdict(still_asleep));
    Ok(())
}

/// What main's three Hi's during the nap say.
pub fn verdict(still_asleep: bool) -> &'static str {
    if still_asleep {
        "Main did not wait for the nap to end: only `join` waits."
    } else {
        "Main was held up longer than the whole nap before its Hi's (a busy \
         machine): the sleeper had woken by then, but main still never \
         waited for it; only `join` waits."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_answer() {
        assert!(verdict(true).starts_with("Main did not wait"));
        assert!(verdict(false).contains("held up longer than the whole nap"));
    }
}
