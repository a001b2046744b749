//! # Lesson 05 · queues: state owned by one thread, fed through channels
//!
//! The workshop's closing advice, ported: give every piece of shared state
//! one owner thread, talk to it through a queue, wait for it with `join`,
//! and reach for thread-local variables when you cannot. One module per
//! section, in teaching order:
//!
//! 1. [`rules`] — the four sanity rules, and what breaking the first costs
//! 2. [`managers`] — the counter manager and the print manager, ported
//! 3. [`replies`] — asking the owner a question: a reply channel per request
//! 4. [`backpressure`] — bounded channels, and `select!` with a timeout
//! 5. [`locals`] — `threading.local()` ↔ `thread_local!`
//! 6. [`costs`] — an owner thread, a mutex, an atomic and `mpsc`, measured
//!
//! The exercises are in [`exercises`] (the file you edit) and their reference
//! solutions in [`solutions`].

pub mod backpressure;
pub mod costs;
pub mod exercises;
pub mod locals;
pub mod managers;
pub mod replies;
pub mod rules;
pub mod solutions;

use workshop::Lesson;

/// The lesson, as `cargo run -p queues`, `cargo xtask all` and the snapshot
/// tests run it.
pub static LESSON: Lesson = Lesson {
    name: env!("CARGO_PKG_NAME"),
    manifest_dir: env!("CARGO_MANIFEST_DIR"),
    title: "State owned by one thread, fed through channels",
    intro: "
        The workshop's notebook gives four rules for staying sane with
        threads: let one thread alone touch a piece of shared state, talk to
        that thread through a queue, wait for it with `join`, and if you must
        break those rules, use thread-local variables. Its worked example,
        which the notebook credits to Raymond Hettinger, has a counter
        manager and a print manager fed by ten workers. This lesson ports the
        rules and the example, asks the owner questions, slows a producer down
        with a bounded channel, and measures what an owner thread costs
        against a mutex and an atomic. In Python the rules are a discipline;
        in Rust the compiler holds you to most of them.
    ",
    sections: &[
        rules::SECTION,
        managers::SECTION,
        replies::SECTION,
        backpressure::SECTION,
        locals::SECTION,
        costs::SECTION,
    ],
    recap: "
        - Give shared state one owner thread, and talk to it through channels.
        - A channel ends when its last sender is dropped: that stops workers.
        - A bounded channel holds fast producers back (backpressure).
        - One owner, messages in, replies out: nothing to lock, nothing races.
    ",
    flags: &[&costs::THREADS],
    children: &[],
};

/// Starts a thread with a name: it shows in the lesson's output (see
/// [`workshop::Out::say`]) and in the message of any panic.
pub fn spawn_named<T: Send + 'static>(
    name: impl Into<String>,
    body: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    std::thread::Builder::new().name(name.into()).spawn(body)
}

/// Joins a thread and returns what it returned; a panic becomes an error
/// that names the thread.
pub fn join<T>(handle: std::thread::JoinHandle<T>) -> std::io::Result<T> {
    let name = handle.thread().name().unwrap_or("a thread").to_owned();
    handle
        .join()
        .map_err(|_| std::io::Error::other(format!("{name} panicked")))
}
