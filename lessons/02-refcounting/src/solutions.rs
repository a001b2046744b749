//! Reference solutions to the exercises in [`crate::exercises`]: same
//! signatures, so any body here can be copied over a `todo!()` (or an empty
//! `drop`) there. `cargo test` runs the exercise tests against these;
//! `cargo xtask verify` proves the tests fail on the stubs and pass here;
//! `cargo +nightly miri test -p refcounting --test exercises` checks the
//! `unsafe` code with Miri.

use std::cell::Cell;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering, fence};

pub use crate::exercises::DropLog;

/// # Exercise 1: `drop_tracker`
///
/// Each `Tracked` holds a clone of the log's `Rc`: that keeps the log alive
/// as long as any value reports to it, and makes the log's count the number
/// of live values (plus the caller's own `Rc`).
pub struct Tracked {
    name: &'static str,
    log: Rc<DropLog>,
}

impl Tracked {
    /// A value called `name` that reports its drop to `log`.
    pub fn new(name: &'static str, log: &Rc<DropLog>) -> Tracked {
        Tracked {
            name,
            log: Rc::clone(log),
        }
    }

    /// The value's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // Runs just before the value's memory is released; `self.log` is
        // dropped right after this, taking the log's count down by one.
        self.log.record(self.name);
    }
}

/// How many [`Tracked`] values are alive and reporting to `log`: every
/// reference to the log except the caller's own.
pub fn live(log: &Rc<DropLog>) -> usize {
    Rc::strong_count(log) - 1
}

/// # Exercise 2: `weak_cache`
///
/// The map keeps `Weak`s: they point without counting, so a value lives
/// exactly as long as some caller holds an `Rc` to it.
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
        if let Some(alive) = self.entries.get(key).and_then(Weak::upgrade) {
            return alive;
        }
        let value = Rc::new(make());
        self.entries.insert(key.to_owned(), Rc::downgrade(&value));
        value
    }

    /// How many keys have a value that is still alive.
    pub fn alive(&self) -> usize {
        self.entries
            .values()
            .filter(|weak| weak.strong_count() > 0)
            .count()
    }
}

/// # Exercise 3: `my_rc`
///
/// The count lives beside the value in one allocation. A `Cell` lets every
/// clone change it through a shared reference; one thread only.
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
        let boxed = Box::new(RcInner {
            count: Cell::new(1),
            value,
        });
        MyRc {
            // Box::leak gives up ownership: from now on the count decides
            // when the allocation is freed.
            inner: NonNull::from(Box::leak(boxed)),
            _owns: PhantomData,
        }
    }

    /// How many `MyRc`s point at this value (`Rc::strong_count`).
    pub fn strong_count(this: &MyRc<T>) -> usize {
        this.inner().count.get()
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
        &self.inner().value
    }
}

impl<T> Clone for MyRc<T> {
    fn clone(&self) -> MyRc<T> {
        let count = &self.inner().count;
        count.set(count.get() + 1);
        MyRc {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for MyRc<T> {
    fn drop(&mut self) {
        let count = &self.inner().count;
        let left = count.get() - 1;
        count.set(left);
        if left == 0 {
            // SAFETY: the pointer came from a `Box` in `new`; the count just
            // reached zero, so this was the last `MyRc` pointing at it and
            // nobody can use the allocation again, nor free it a second time.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}

/// # Exercise 4: `my_arc`
///
/// The same shape with an atomic count, and the orderings of
/// `std::sync::Arc` (and of Rust Atomics and Locks, chapter 6).
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
        let boxed = Box::new(ArcInner {
            count: AtomicUsize::new(1),
            value,
        });
        MyArc {
            inner: NonNull::from(Box::leak(boxed)),
            _owns: PhantomData,
        }
    }

    /// How many `MyArc`s point at this value. Another thread may change it
    /// the moment after it is read.
    pub fn strong_count(this: &MyArc<T>) -> usize {
        this.inner().count.load(Ordering::Relaxed)
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
        &self.inner().value
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> MyArc<T> {
        // Relaxed is enough: the new clone is made from an existing one, so
        // the count is at least 1 and cannot reach zero meanwhile; nothing
        // else is handed over by an increment. (std's Arc also aborts if
        // the count would overflow; 2^64 clones will not happen here.)
        self.inner().count.fetch_add(1, Ordering::Relaxed);
        MyArc {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        // Release: everything this thread did with the value happens before
        // its decrement. The thread that takes the count to zero...
        if self.inner().count.fetch_sub(1, Ordering::Release) == 1 {
            // ...pairs those Release decrements with this Acquire fence, so
            // every other thread's last use of the value happens before the
            // free below: no thread can still be reading what is dropped.
            fence(Ordering::Acquire);
            // SAFETY: the pointer came from a `Box` in `new`; the count just
            // went from 1 to 0, so this was the last `MyArc` and no other
            // thread can reach the allocation any more; the fence orders
            // their uses before this free.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}
