//! Section `names`: threads with names, and lines stamped with the time.

use std::io;
use std::thread;
use std::time::Duration;

use workshop::{Ctx, Out, Outcome, Section, units};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "names",
    title: "Named threads and timestamps",
    explain: "
        When several threads print, you need to know who said what, and when.
        Python names every thread (`Thread-1`, or the `name=` you pass) and a
        thread asks for its own with `threading.current_thread().name`. In
        Rust you name a thread through `thread::Builder` (the name is a
        `String`: text that its owner can change, unlike Python's `str`), and
        the thread reads it back from `thread::current().name()`.

        A thread started with plain `thread::spawn` has no name, and the type
        says so: `name()` returns an `Option`, either `Some(name)` or `None`.
        Where Python hands you a `None` you may forget to check, Rust makes
        you look.

        Building a thread can fail (the system may refuse another thread), so
        `Builder::spawn` returns a `Result`: `Ok(handle)` or `Err(error)`.
        That is how Rust does exceptions: in the type, so the caller cannot
        miss them. The `?` after it lets the error propagate, as an uncaught
        Python exception would: on `Err` it returns the error to our caller,
        on `Ok` it carries on with the handle.

        Every line below starts with the seconds since this section began and
        the name of the thread that printed it.
    ",
    python: r#"
        def worker(nap):
            me = threading.current_thread().name
            print(f"{time.time():.3f} {me}: starting")
            time.sleep(nap)
            print(f"{time.time():.3f} {me}: finishing")

        t = threading.Thread(target=worker, args=(2,),
                             name="sleeper-1")
        t.start()
        t.join()
    "#,
    rust: r#"
        fn worker(out: &Out, nap: Duration) {
            let me = thread::current();
            let name: Option<&str> = me.name();
            out.say(format!("my name is {name:?}"));
            thread::sleep(nap);
            out.say("finishing");
        }

        let named = thread::Builder::new()
            .name("sleeper-1".to_string())
            .spawn(move || worker(&out, nap))?;
        named.join()
    "#,
    run,
};

/// A thread body that reports its own name, naps, and reports again.
pub fn worker(out: &Out, nap: Duration) {
    let me = thread::current();
    let name: Option<&str> = me.name();
    out.say(format!("my name is {name:?}"));
    thread::sleep(nap);
    out.say("finishing");
}

/// Starts `worker` on a thread named `sleeper-1` and joins it.
pub fn run_named(main_out: &Out, nap: Duration) -> io::Result<()> {
    main_out.say("before starting the thread");
    let out = main_out.clone();
    let named = thread::Builder::new()
        .name("sleeper-1".to_string())
        .spawn(move || worker(&out, nap))?;
    main_out.say("waiting for the thread to finish");
    named
        .join()
        .map_err(|_| io::Error::other("sleeper-1 panicked"))?;
    main_out.say("all done");
    Ok(())
}

/// The name a thread started with plain `thread::spawn` sees.
pub fn name_of_an_unnamed_thread() -> Option<String> {
    thread::spawn(|| thread::current().name().map(str::to_owned))
        .join()
        .ok()
        .flatten()
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let nap = ctx.secs(2.0);
    let _running = out.progress(format!(
        "running: sleeper-1's nap of {}",
        units::duration(nap)
    ));
    out.concurrently(|| run_named(out, nap))?;
    out.blank();
    let name = name_of_an_unnamed_thread();
    out.line(format!(
        "A thread from plain `thread::spawn` reads its name as {name:?}."
    ));
    Ok(())
}
