// Wrong answer to `pipeline`: one thread, named `stage-1`, runs all three
// stages on each item in turn.
// Caught by: stage 2 ran on these threads

pub use queues::solutions::*;

use std::thread;

use crossbeam_channel::{Receiver, bounded};

pub fn pipeline<A, B, C, D>(
    input: Receiver<A>,
    capacity: usize,
    mut first: impl FnMut(A) -> B + Send + 'static,
    mut second: impl FnMut(B) -> C + Send + 'static,
    mut third: impl FnMut(C) -> D + Send + 'static,
) -> Receiver<D>
where
    A: Send + 'static,
    B: Send + 'static,
    C: Send + 'static,
    D: Send + 'static,
{
    let (output, results) = bounded(capacity);
    thread::Builder::new()
        .name("stage-1".to_owned())
        .spawn(move || {
            for item in input {
                if output.send(third(second(first(item)))).is_err() {
                    break;
                }
            }
        })
        .unwrap();
    results
}
