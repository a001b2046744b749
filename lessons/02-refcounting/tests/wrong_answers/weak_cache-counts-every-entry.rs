// Wrong answer to `weak_cache`: `alive` counts every key ever cached,
// including those whose value has gone.
// Caught by: its only user dropped it

pub use refcounting::solutions::*;

use std::collections::HashMap;
use std::rc::{Rc, Weak};

#[derive(Default)]
pub struct WeakCache {
    entries: HashMap<String, Weak<String>>,
}

impl WeakCache {
    pub fn new() -> Self {
        WeakCache::default()
    }

    pub fn get_or_make(&mut self, key: &str, make: impl FnOnce() -> String) -> Rc<String> {
        if let Some(value) = self.entries.get(key).and_then(Weak::upgrade) {
            return value;
        }
        let value = Rc::new(make());
        self.entries.insert(key.to_owned(), Rc::downgrade(&value));
        value
    }

    pub fn alive(&self) -> usize {
        self.entries.len()
    }
}
