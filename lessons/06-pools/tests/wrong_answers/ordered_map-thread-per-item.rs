// Wrong answer to `ordered_map`: one scoped thread per item, whatever
// `workers` says.
// Caught by: not one per item

pub use pools::solutions::*;

use std::thread;

pub fn ordered_map<T: Send, R: Send>(
    items: Vec<T>,
    _workers: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let f = &f;
    thread::scope(|s| {
        let handles: Vec<_> = items.into_iter().map(|x| s.spawn(move || f(x))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}
