//! # Lesson 01 · sleeper: threads that sleep
//!
//! The workshop's first threads: a function that sleeps, started on a thread
//! while `main` keeps talking. One module per section, in teaching order:
//!
//! 1. [`start`] — `threading.Thread(target, args)` + `start` ↔ `thread::spawn`
//! 2. [`names`] — `current_thread().name` ↔ `thread::Builder::name`
//! 3. [`many`] — many threads in a loop; three 1-second naps take 1 second
//! 4. [`results`] — return values and panics come back through `join`
//! 5. [`no_join`] — forgetting to join; daemon threads
//! 6. [`shared`] — one total for several threads: `Arc` and `Mutex`
//! 7. [`scoped`] — `with ThreadPoolExecutor(...)` ↔ `thread::scope`
//! 8. [`interleave`] — two threads printing `_` and `*`
//!
//! The exercises are in [`exercises`] (the file you edit) and their reference
//! solutions in [`solutions`].

pub mod exercises;
pub mod interleave;
pub mod many;
pub mod names;
pub mod no_join;
pub mod results;
pub mod scoped;
pub mod shared;
pub mod solutions;
pub mod start;

use workshop::{Child, Lesson};

/// The lesson, as `cargo run -p sleeper`, `cargo xtask all` and the
/// snapshot tests run it.
pub static LESSON: Lesson = Lesson {
    name: env!("CARGO_PKG_NAME"),
    manifest_dir: env!("CARGO_MANIFEST_DIR"),
    title: "Threads that sleep",
    intro: "
        A thread is a second flow of execution inside your program: while it
        waits or works, the rest of the program carries on. This lesson ports
        the workshop's first experiments: a `sleeper` function run on a
        thread, named threads, many threads at once, how a thread hands back
        its result (or its panic), what happens when nobody waits for a
        thread, and how threads share one value. Python's version of each idiom is shown beside the Rust one.
    ",
    sections: &[
        start::SECTION,
        names::SECTION,
        many::SECTION,
        results::SECTION,
        no_join::SECTION,
        shared::SECTION,
        scoped::SECTION,
        interleave::SECTION,
    ],
    recap: "
        - A thread runs a closure; `move` gives it what it uses; `join` waits.
        - Start every thread before joining any, or they run one by one.
        - `join` hands back the thread's value, or `Err` if it panicked.
        - Share with `Arc`, change through a `Mutex`; a scope lets threads
          borrow.
    ",
    flags: &[&many::SLEEPERS],
    children: &[Child {
        name: no_join::CHILD_MODE,
        run: no_join::child,
    }],
};
