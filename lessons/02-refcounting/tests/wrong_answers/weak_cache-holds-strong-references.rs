// Wrong answer to `weak_cache`: the cache keeps an `Rc` of every value,
// so it hands out one value per key, but no value is ever let go.
// Caught by: does the cache hold an Rc?

pub use refcounting::solutions::*;

use std::collections::HashMap;
use std::rc::Rc;

#[derive(Default)]
pub struct WeakCache {
    entries: HashMap<String, Rc<String>>,
}

impl WeakCache {
    pub fn new() -> Self {
        WeakCache::default()
    }

    pub fn get_or_make(&mut self, key: &str, make: impl FnOnce() -> String) -> Rc<String> {
        let value = self
            .entries
            .entry(key.to_owned())
            .or_insert_with(|| Rc::new(make()));
        Rc::clone(value)
    }

    pub fn alive(&self) -> usize {
        self.entries.len()
    }
}
