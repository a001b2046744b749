// Wrong answer to `ordered_map`: no threads; right results in the right
// order, one item after another.
// Caught by: took

pub use pools::solutions::*;

pub fn ordered_map<T: Send, R: Send>(
    items: Vec<T>,
    _workers: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    items.into_iter().map(f).collect()
}
