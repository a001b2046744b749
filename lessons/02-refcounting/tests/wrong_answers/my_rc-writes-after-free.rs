// Wrong answer to `my_rc`: frees the allocation when the count reaches
// zero, and then writes the new count into the memory it just freed.
// Caught by: Miri
// Caught by: use-after-free

pub use refcounting::solutions::*;

use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

pub struct MyRc<T> {
    inner: NonNull<RcInner<T>>,
    _owns: PhantomData<RcInner<T>>,
}

struct RcInner<T> {
    count: Cell<usize>,
    value: T,
}

impl<T> MyRc<T> {
    pub fn new(value: T) -> MyRc<T> {
        let inner = Box::new(RcInner {
            count: Cell::new(1),
            value,
        });
        MyRc {
            inner: NonNull::from(Box::leak(inner)),
            _owns: PhantomData,
        }
    }

    pub fn strong_count(this: &MyRc<T>) -> usize {
        this.inner().count.get()
    }

    fn inner(&self) -> &RcInner<T> {
        // SAFETY: wrong on purpose: `drop` uses it after the free.
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
        let left = self.inner().count.get() - 1;
        if left == 0 {
            // SAFETY: wrong on purpose: the count is written below, after this.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
        self.inner().count.set(left);
    }
}
