// Wrong answer to `my_arc`: a `Mutex<usize>` for the count instead of an
// atomic, and `drop` asks for the count while it still holds the lock: a
// thread waiting for itself, for ever (a `std::sync::Mutex` is not
// re-entrant).
// Caught by: deadlock likely

pub use refcounting::solutions::*;

use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Mutex;

pub struct MyArc<T> {
    inner: NonNull<ArcInner<T>>,
    _owns: PhantomData<ArcInner<T>>,
}

struct ArcInner<T> {
    count: Mutex<usize>,
    value: T,
}

// SAFETY: as the reference `MyArc`: every holder gets a `&T`, the last
// drops the `T`; the count is behind a lock.
unsafe impl<T: Send + Sync> Send for MyArc<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: Send + Sync> Sync for MyArc<T> {}

impl<T> MyArc<T> {
    pub fn new(value: T) -> MyArc<T> {
        let count = Mutex::new(1);
        MyArc {
            inner: NonNull::from(Box::leak(Box::new(ArcInner { count, value }))),
            _owns: PhantomData,
        }
    }

    pub fn strong_count(this: &MyArc<T>) -> usize {
        *this.inner().count.lock().unwrap()
    }

    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: from `Box::leak` in `new`, freed only at a count of zero.
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
        *self.inner().count.lock().unwrap() += 1;
        MyArc {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        let mut count = self.inner().count.lock().unwrap();
        *count -= 1;
        // Still holding `count`'s lock: strong_count waits for it for ever.
        if MyArc::strong_count(self) == 0 {
            drop(count);
            // SAFETY: the count reached zero: this was the last `MyArc`.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}
