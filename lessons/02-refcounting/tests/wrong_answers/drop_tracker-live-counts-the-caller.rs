// Wrong answer to `drop_tracker`: `live` returns the log's strong count as
// it is, counting the caller's own `Rc` as a live value.
// Caught by: no values yet

pub use refcounting::solutions::*;

use std::rc::Rc;

pub fn live(log: &Rc<DropLog>) -> usize {
    Rc::strong_count(log)
}
