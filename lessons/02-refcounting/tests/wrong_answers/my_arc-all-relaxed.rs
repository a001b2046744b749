// Wrong answer to `my_arc`: every ordering `Relaxed` and no fence, so the
// thread that frees the value need not see the other threads' last reads
// of it: they race with the free.
// Caught by: Miri
// Caught by: data race

pub use refcounting::solutions::*;

use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub struct MyArc<T> {
    inner: NonNull<ArcInner<T>>,
    _owns: PhantomData<ArcInner<T>>,
}

struct ArcInner<T> {
    count: AtomicUsize,
    value: T,
}

// SAFETY: as in the reference solution (the bug is in `drop`).
unsafe impl<T: Send + Sync> Send for MyArc<T> {}
// SAFETY: as in the reference solution.
unsafe impl<T: Send + Sync> Sync for MyArc<T> {}

impl<T> MyArc<T> {
    pub fn new(value: T) -> MyArc<T> {
        let inner = Box::new(ArcInner {
            count: AtomicUsize::new(1),
            value,
        });
        MyArc {
            inner: NonNull::from(Box::leak(inner)),
            _owns: PhantomData,
        }
    }

    pub fn strong_count(this: &MyArc<T>) -> usize {
        this.inner().count.load(Relaxed)
    }

    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: freed only at a count of zero, never while `self` exists.
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
        self.inner().count.fetch_add(1, Relaxed);
        MyArc {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        if self.inner().count.fetch_sub(1, Relaxed) == 1 {
            // SAFETY: wrong on purpose: nothing orders the other threads'
            // uses of the value before this free.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}
