//! # Refcounting exercises: edit this file
//!
//! Replace each `todo!()` (and the empty `drop` bodies) with your code, then
//! check your work:
//!
//! ```text
//! cargo xtask check refcounting
//! ```
//!
//! The check runs the tests in `tests/exercises.rs` against this file, tells
//! you how many exercises pass, and shows a hint for the first one that does
//! not. Stuck for good? `src/solutions.rs` has a reference solution.
//!
//! The `(core)` exercises use only what this lesson's sections showed: do
//! them in class, in order. The `(stretch)` ones go further and say what
//! they need: homework, or for when you are ahead.
//!
//! `my_rc` and `my_arc` need `unsafe`: a raw pointer to memory that no single
//! owner frees. Write a `// SAFETY:` comment on every `unsafe` block saying
//! why it is sound, and let Miri check you (it finds use after free, double
//! free, leaks and data races that a normal run can miss):
//!
//! ```text
//! rustup +nightly component add miri
//! cargo +nightly miri test -p refcounting --test exercises
//! ```
//!
//! A `drop` that panics while a failing test is already unwinding would
//! abort the whole test run, so the stubs' `drop` bodies are empty rather
//! than `todo!()`: until you write them, values leak, and the tests notice.

// The stubs ignore their arguments until you write them; these allows keep
// the build quiet meanwhile.
#![allow(unused_imports, unused_variables, dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering, fence};

/// A log of the values freed so far, in the order they were freed. Every
/// [`Tracked`] value holds an `Rc` to the log it reports to. (Given: no
/// need to change it.)
#[derive(Debug, Default)]
pub struct DropLog {
    freed: RefCell<Vec<&'static str>>,
}

impl DropLog {
    /// An empty log, to share with the values it tracks.
    pub fn new() -> Rc<DropLog> {
        Rc::new(DropLog::default())
    }

    /// The names of the values freed so far, first freed first.
    pub fn freed(&self) -> Vec<&'static str> {
        self.freed.borrow().clone()
    }

    /// Records that `name` was freed.
    pub fn record(&self, name: &'static str) {
        self.freed.borrow_mut().push(name);
    }
}

/// # Exercise 1: `drop_tracker` (core)
///
/// A value that records its own drop in a [`DropLog`], so you can see
/// exactly when Rust frees things. Write `Tracked::new` (keep the name and
/// a clone of the log's `Rc`), `Drop for Tracked` (record the name), and
/// `live`: how many `Tracked` values still hold the log. Each one holds a
/// clone of the `Rc`, so the log's reference count knows.
///
/// ```text
/// let log = DropLog::new();
/// let a = Tracked::new("a", &log);
/// let b = Tracked::new("b", &log);
/// live(&log)  == 2
/// drop(a);
/// log.freed() == ["a"],  live(&log) == 1
/// ```
pub struct Tracked {
    name: &'static str,
    log: Rc<DropLog>,
}

impl Tracked {
    /// A value called `name` that reports its drop to `log`.
    pub fn new(name: &'static str, log: &Rc<DropLog>) -> Tracked {
        todo!("keep the name and a clone of the Rc")
    }

    /// The value's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // TODO (`drop_tracker`): record this value's name in its log.
    }
}

/// How many [`Tracked`] values are alive and reporting to `log`: every
/// reference to the log except the caller's own.
pub fn live(log: &Rc<DropLog>) -> usize {
    todo!("the log's strong count, minus one")
}

/// # Exercise 2: `weak_cache` (core)
///
/// Python's `weakref.WeakValueDictionary`: a cache that hands out one
/// shared value per key for as long as somebody uses it, and lets the value
/// go when nobody does. The cache itself must not keep a value alive.
///
/// - `get_or_make(key, make)` returns the value for `key` if it is still
///   alive; otherwise it calls `make()` for a new one, remembers it, and
///   returns it. Two callers asking for one key while the value lives get
///   the same value (`Rc::ptr_eq`), and `make` is not called again.
/// - `alive()` counts the keys whose value is still alive.
///
/// ```text
/// let mut cache = WeakCache::new();
/// let a = cache.get_or_make("a", || "A".to_owned());
/// let again = cache.get_or_make("a", || unreachable!());  // the same Rc
/// cache.alive() == 1
/// drop(a); drop(again);                                   // freed now
/// cache.alive() == 0
/// ```
///
/// A `HashMap` is Python's `dict`: `get`, `insert`, and `values()` to walk
/// through it.
#[derive(Default)]
pub struct WeakCache {
    /// For each key, a pointer to its value that does not keep it alive.
    entries: HashMap<String, Weak<String>>,
}

impl WeakCache {
    /// An empty cache. (Given.)
    pub fn new() -> Self {
        WeakCache::default()
    }

    /// The value for `key`: the live one, or a new one from `make`.
    pub fn get_or_make(&mut self, key: &str, make: impl FnOnce() -> String) -> Rc<String> {
        todo!("a live value first; else make one, and remember it without keeping it alive")
    }

    /// How many keys have a value that is still alive.
    pub fn alive(&self) -> usize {
        todo!("not every entry: only those whose value still lives")
    }
}

/// # Exercise 3: `my_rc` (stretch)
///
/// Stretch: needs `unsafe` and raw pointers (`NonNull`), which no section
/// shows; the standard library's `Box::leak` and `Box::from_raw` docs, and
/// Miri, are your guides.
///
/// Your own `Rc`: one heap allocation holds the value and its count;
/// every `MyRc` points at it. `new` allocates with a count of 1, `clone`
/// adds one and returns another pointer to the same allocation, `drop`
/// takes one away and frees the allocation when the count reaches zero,
/// not before, and exactly once. The count is a `Cell`: one thread only,
/// so a plain read and write are enough (raw pointers make `MyRc` neither
/// `Send` nor `Sync`, so the compiler keeps it on one thread).
///
/// ```text
/// let a = MyRc::new(5);
/// let b = a.clone();          // MyRc::strong_count(&a) == 2, *b == 5
/// drop(a);                    // count 1: the 5 is still there
/// drop(b);                    // count 0: freed now
/// ```
///
/// `Box::leak` gives up a `Box` without freeing it, and `NonNull::from`
/// turns the reference it returns into a pointer; `Box::from_raw` turns
/// the pointer back into a `Box`, and dropping that `Box` frees it.
pub struct MyRc<T> {
    inner: NonNull<RcInner<T>>,
    /// Tells the compiler that a `MyRc<T>` owns an `RcInner<T>` (for drop
    /// checking), which a raw pointer does not say.
    _owns: PhantomData<RcInner<T>>,
}

/// The allocation every clone of one `MyRc` points at.
struct RcInner<T> {
    count: Cell<usize>,
    value: T,
}

impl<T> MyRc<T> {
    /// Moves `value` to the heap, with a count of 1.
    pub fn new(value: T) -> MyRc<T> {
        todo!("NonNull::from(Box::leak(Box::new(RcInner {{ .. }})))")
    }

    /// How many `MyRc`s point at this value (`Rc::strong_count`).
    pub fn strong_count(this: &MyRc<T>) -> usize {
        todo!("read the count")
    }

    /// The shared allocation. (Given.)
    fn inner(&self) -> &RcInner<T> {
        // SAFETY: `inner` came from `Box::leak` in `new`, and the allocation
        // is freed only when the count reaches zero, which cannot happen
        // while `self` (one of the counted pointers) exists.
        unsafe { self.inner.as_ref() }
    }
}

impl<T> Deref for MyRc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        todo!("a reference to the value in the shared allocation")
    }
}

impl<T> Clone for MyRc<T> {
    fn clone(&self) -> MyRc<T> {
        todo!("add one to the count; another pointer to the same allocation")
    }
}

impl<T> Drop for MyRc<T> {
    fn drop(&mut self) {
        // TODO (`my_rc`): take one from the count; at zero, free the
        // allocation with Box::from_raw. Until then, every MyRc leaks.
    }
}

/// # Exercise 4: `my_arc` (stretch)
///
/// Stretch: `my_rc` first, then the memory orderings `Acquire` and
/// `Release` (the primer's atomics, and the `Arc` source's comments).
///
/// `MyRc` for threads: the count becomes an `AtomicUsize`, updated with
/// `fetch_add` and `fetch_sub`, so two threads can clone and drop clones of
/// one `MyArc` at the same time without losing an update. Choose the
/// orderings as `std::sync::Arc` does, and say why in a comment: the
/// decrement must be `Release`, and the thread that takes the count to zero
/// needs an `Acquire` fence before it frees.
///
/// ```text
/// let a = MyArc::new(5);
/// let b = a.clone();
/// thread::spawn(move || assert_eq!(*b, 5)).join();   // b dropped there
/// MyArc::strong_count(&a) == 1
/// ```
pub struct MyArc<T> {
    inner: NonNull<ArcInner<T>>,
    _owns: PhantomData<ArcInner<T>>,
}

/// The allocation every clone of one `MyArc` points at.
struct ArcInner<T> {
    count: AtomicUsize,
    value: T,
}

// SAFETY: a `MyArc<T>` gives every thread that holds a clone a `&T`, and
// the thread that drops the last clone drops the `T`: so `T` must be
// `Sync` (shared between threads) and `Send` (dropped on any thread). The
// count itself is atomic. `std::sync::Arc` has the same bounds.
unsafe impl<T: Send + Sync> Send for MyArc<T> {}
// SAFETY: as for `Send`: sharing a `&MyArc<T>` lets other threads clone it,
// which needs the same bounds.
unsafe impl<T: Send + Sync> Sync for MyArc<T> {}

impl<T> MyArc<T> {
    /// Moves `value` to the heap, with a count of 1.
    pub fn new(value: T) -> MyArc<T> {
        todo!("like MyRc::new, with an AtomicUsize")
    }

    /// How many `MyArc`s point at this value. Another thread may change it
    /// the moment after it is read.
    pub fn strong_count(this: &MyArc<T>) -> usize {
        todo!("load the count")
    }

    /// The shared allocation. (Given.)
    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: `inner` came from `Box::leak` in `new`, and the allocation
        // is freed only when the count reaches zero, which cannot happen
        // while `self` (one of the counted pointers) exists.
        unsafe { self.inner.as_ref() }
    }
}

impl<T> Deref for MyArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        todo!("a reference to the value in the shared allocation")
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> MyArc<T> {
        todo!("fetch_add on the count (which ordering is enough?)")
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        // TODO (`my_arc`): fetch_sub with Release; if this was the last
        // reference, an Acquire fence, then free. Until then, every MyArc
        // leaks.
    }
}
