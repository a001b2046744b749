// Wrong answer to `my_arc`: takes one off the count with `fetch_sub`, then
// reads the count again with a separate `load` to decide whether it was
// the last: two threads dropping at once can both read 0 and both free.
// Caught by: Miri

pub use refcounting::solutions::*;

use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

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
        this.inner().count.load(Ordering::Relaxed)
    }

    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: wrong on purpose: two threads may both free it.
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
        self.inner().count.fetch_add(1, Ordering::Relaxed);
        MyArc {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        self.inner().count.fetch_sub(1, Ordering::Release);
        if self.inner().count.load(Ordering::Acquire) == 0 {
            fence(Ordering::Acquire);
            // SAFETY: wrong on purpose: another thread may have read 0 too.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}
