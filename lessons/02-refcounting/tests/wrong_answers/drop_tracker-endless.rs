// Wrong answer to `drop_tracker`: `live` counts up to the strong count in a
// loop that forgets its increment, so it never ends.
// Caught by: still running

pub use refcounting::solutions::*;

use std::rc::Rc;

pub fn live(log: &Rc<DropLog>) -> usize {
    let mut values = 0;
    while values + 1 < Rc::strong_count(log) {
        std::hint::black_box(&values); // forgot `values += 1`
    }
    values
}
