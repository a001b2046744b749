//! # Lesson 01 · sleeper: threads that sleep
//!
//! The workshop's first threads: a function that sleeps, started on a thread
//! while `main` keeps talking. One module per section, in teaching order:
//!
//! 1. [`start`] — `threading.Thread(target, args)` + `start` ↔ `thread::spawn`
//! 2. [`names`] — `current_thread().name` ↔ `thread::Builder::name`
//! 3. [`many`] — many threads in a loop; three 1-second naps take 1 second
//! 4. [`no_join`] — forgetting to join; daemon threads
//! 5. [`scoped`] — `with ThreadPoolExecutor(...)` ↔ `thread::scope`
//! 6. [`interleave`] — two threads printing `_` and `*`
//! 7. [`results`] — return values and panics come back through `join`
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
        thread, named threads, many threads at once, what happens when nobody
        waits for a thread, and how a thread hands back its result (or its
        panic). Python's version of each idiom is shown beside the Rust one.
    ",
    sections: &[
        start::SECTION,
        names::SECTION,
        many::SECTION,
        no_join::SECTION,
        scoped::SECTION,
        interleave::SECTION,
        results::SECTION,
    ],
    flags: &[&many::SLEEPERS],
    children: &[Child {
        name: no_join::CHILD_MODE,
        run: no_join::child,
    }],
};
