//! # Lesson 02 · refcounting: reference counts and what keeps them safe
//!
//! CPython frees an object when its reference count reaches zero. This
//! lesson counts references in Rust, races a count to see what goes wrong,
//! and measures what each way of keeping a count safe costs. One module per
//! section, in teaching order:
//!
//! 1. [`counting`] — `sys.getrefcount` ↔ `Rc::strong_count`: the 3
//! 2. [`freed`] — memory released at zero; a cycle never gets there; `Weak`
//! 3. [`race`] — two threads updating one count lose updates
//! 4. [`send`] — Rust refuses to share an `Rc` between threads; `Arc` works
//! 5. [`costs`] — `Rc`, `Arc`, a lock per object, one global lock, atomics
//! 6. [`deadlock`] — many locks, new danger: two locks in opposite order
//! 7. [`biased`] — free-threaded CPython: biased counts, immortal objects
//!
//! The exercises are in [`exercises`] (the file you edit) and their reference
//! solutions in [`solutions`].

pub mod biased;
pub mod costs;
pub mod counting;
pub mod deadlock;
pub mod exercises;
pub mod freed;
pub mod race;
pub mod send;
pub mod solutions;

use workshop::Lesson;

/// The lesson, as `cargo run -p refcounting`, `cargo xtask all` and the
/// snapshot tests run it.
pub static LESSON: Lesson = Lesson {
    name: env!("CARGO_PKG_NAME"),
    manifest_dir: env!("CARGO_MANIFEST_DIR"),
    title: "Reference counts",
    intro: "
        Python frees your objects for you. It keeps a count of the references
        to every object and frees the object the moment its count reaches
        zero. That count is why CPython has a global interpreter lock: two
        threads updating one count at the same time can get it wrong, and a
        wrong count frees memory that is still in use, or never frees it.

        This lesson counts references in Rust, where `Rc`, a pointer with a
        reference count, is something you choose to use. It shows a count falling to zero,
        races two threads on a count, lets the compiler refuse an unsafe
        share, and measures, in this run, what each way of keeping a count
        safe costs. Python's version of each idea is shown beside the Rust
        one.
    ",
    sections: &[
        counting::SECTION,
        freed::SECTION,
        race::SECTION,
        send::SECTION,
        costs::SECTION,
        deadlock::SECTION,
        biased::SECTION,
    ],
    recap: "
        - Python frees an object when its reference count reaches zero; so
          does `Rc`.
        - Two threads updating one count with a read and a write lose updates.
        - Rust refuses to send an `Rc` to a thread; `Arc`'s atomic count may.
        - Every safe count costs something: many locks, one lock, or atomics.
    ",
    flags: &[],
    children: &[],
};
