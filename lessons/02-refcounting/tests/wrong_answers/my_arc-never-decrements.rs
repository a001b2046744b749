// Wrong answer to `my_arc`: `clone` adds one, `drop` never takes one away,
// so the count only grows and nothing is ever freed. (Built on the
// reference `MyArc`, whose drop never runs inside a `ManuallyDrop`.)
// Caught by: leaked

pub use refcounting::solutions::*;

use refcounting::solutions as reference;
use std::mem::ManuallyDrop;
use std::ops::Deref;

pub struct MyArc<T>(ManuallyDrop<reference::MyArc<T>>);

impl<T> MyArc<T> {
    pub fn new(value: T) -> MyArc<T> {
        MyArc(ManuallyDrop::new(reference::MyArc::new(value)))
    }

    pub fn strong_count(this: &MyArc<T>) -> usize {
        reference::MyArc::strong_count(&this.0)
    }
}

impl<T> Deref for MyArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> MyArc<T> {
        MyArc(ManuallyDrop::new((*self.0).clone()))
    }
}
