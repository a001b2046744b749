// Wrong answer to `my_rc`: counts clones and drops, but the last drop
// forgets to free: every value leaks. (Built on the reference `MyRc`, kept
// from ever freeing: a `ManuallyDrop` that the last drop leaves alone.)
// Caught by: leaked

pub use refcounting::solutions::*;

use refcounting::solutions as reference;
use std::mem::ManuallyDrop;
use std::ops::Deref;

pub struct MyRc<T>(ManuallyDrop<reference::MyRc<T>>);

impl<T> MyRc<T> {
    pub fn new(value: T) -> MyRc<T> {
        MyRc(ManuallyDrop::new(reference::MyRc::new(value)))
    }

    pub fn strong_count(this: &MyRc<T>) -> usize {
        reference::MyRc::strong_count(&this.0)
    }
}

impl<T> Deref for MyRc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Clone for MyRc<T> {
    fn clone(&self) -> MyRc<T> {
        MyRc(ManuallyDrop::new((*self.0).clone()))
    }
}

impl<T> Drop for MyRc<T> {
    fn drop(&mut self) {
        if MyRc::strong_count(self) > 1 {
            // SAFETY: `self.0` is dropped once, here, and never used again.
            unsafe { ManuallyDrop::drop(&mut self.0) }
        }
        // The last one: the count should reach zero and free; it never does.
    }
}
