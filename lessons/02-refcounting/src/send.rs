//! Section `send`: Rust refuses to share an `Rc` between threads.
//!
//! `Rc`'s count is a plain number, updated with a read and a write: two
//! threads cloning one `Rc` would race exactly as the previous section's
//! count did. So `Rc` is not `Send`, and a thread cannot be given one:
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//!
//! let list = Rc::new(vec![1, 2, 3]);
//! let for_the_thread = Rc::clone(&list);
//! // error[E0277]: `Rc<Vec<i32>>` cannot be sent between threads safely
//! std::thread::spawn(move || for_the_thread.len());
//! ```
//!
//! `Arc` (atomically reference counted) updates its count with atomic
//! read-modify-writes, so it may cross threads:
//!
//! ```
//! use std::sync::Arc;
//!
//! let list = Arc::new(vec![1, 2, 3]);
//! let for_the_thread = Arc::clone(&list);
//! let len = std::thread::spawn(move || for_the_thread.len()).join().unwrap();
//! assert_eq!(len, 3);
//! assert_eq!(Arc::strong_count(&list), 1); // the thread's clone is gone
//! ```

use std::sync::Arc;
use std::thread;

use workshop::{Ctx, Outcome, Section};

/// The section as the lesson runs it.
pub const SECTION: Section = Section {
    name: "send",
    title: "Rust refuses to share an Rc between threads",
    explain: "
        Python lets any thread touch any object, and relies on the GIL to keep
        the counts right. Rust checks it when it compiles. A type that may be
        moved to another thread is `Send`; `Rc` is not, because its count is
        updated with a plain read and write. Give a thread an `Rc` and the
        program does not compile:

            error[E0277]: `Rc<Vec<i32>>` cannot be sent between threads safely

        (The lesson's `compile_fail` doctest proves it: `cargo +nightly test
        -p refcounting --doc`.) A type that several threads may use at once,
        through `&`, is `Sync`. `Arc` is the same pointer as `Rc` with an
        atomic count, and it is `Send` and `Sync` when its contents are:
        `shareable` below compiles only for such a type. Two threads each
        take a clone of one `Arc` and read the list through it. Nobody copies
        the list; the count goes up by one per clone and down when each
        thread's clone is dropped.
    ",
    python: r#"
        shared = [1, 2, 3]
        t = threading.Thread(target=total, args=(shared,))
        t.start()     # any object goes to any thread
        t.join()
    "#,
    rust: r#"
        fn shareable<T: Send + Sync>(_: &T) {}

        let list = Arc::new(vec![1, 2, 3]);
        shareable(&list); // with an Rc: error[E0277]
        let clones = [Arc::clone(&list), Arc::clone(&list)];
        for (i, for_the_thread) in clones.into_iter().enumerate() {
            thread::Builder::new()
                .name(format!("reader-{i}"))
                .spawn(move || for_the_thread.iter().sum::<i32>())
    "#,
    run,
};

/// What [`share_with_threads`] saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    /// The count with the two threads' clones made, before they started.
    pub count_with_clones: usize,
    /// What each thread added up, in thread order.
    pub sums: Vec<i32>,
    /// The count after both threads were joined.
    pub count_after: usize,
}

/// Compiles only for a type that may move to another thread (`Send`) and
/// be used by several at once (`Sync`): the compiler checks, nothing runs.
fn shareable<T: Send + Sync>(_: &T) {}

/// Gives each of two threads a clone of one `Arc`'d list; each adds the
/// list up. Reads the count before they start and after they are joined,
/// the two moments at which it does not depend on the scheduler.
pub fn share_with_threads() -> std::io::Result<Shared> {
    let list = Arc::new(vec![1, 2, 3]);
    shareable(&list); // with an Rc: error[E0277]
    let clones = [Arc::clone(&list), Arc::clone(&list)];
    let count_with_clones = Arc::strong_count(&list);
    let mut readers = Vec::new();
    for (i, for_the_thread) in clones.into_iter().enumerate() {
        let reader = thread::Builder::new()
            .name(format!("reader-{i}"))
            .spawn(move || for_the_thread.iter().sum::<i32>())?;
        readers.push(reader);
    }
    let sums = readers
        .into_iter()
        .map(|r| r.join().expect("a reader panicked"))
        .collect();
    Ok(Shared {
        count_with_clones,
        sums,
        count_after: Arc::strong_count(&list),
    })
}

fn run(ctx: &Ctx) -> Outcome {
    let out = &ctx.out;
    let shared = share_with_threads()?;
    out.line(format!(
        "one list, `list` and two clones for the threads: count {}",
        shared.count_with_clones
    ));
    out.line(format!("each reader added the list up: {:?}", shared.sums));
    out.line(format!(
        "both threads joined, their clones dropped: count {}",
        shared.count_after
    ));
    out.line("Every clone and drop of an Arc is an atomic read-modify-write; the");
    out.line("`costs` section measures what that costs.");
    Ok(())
}
