// Wrong answer to `pipeline`: three named stages, but joined by unbounded
// channels, so with nobody reading, stage 1 takes in the whole input.
// Caught by: use bounded(capacity) channels

pub use queues::solutions::*;

use std::thread;

use crossbeam_channel::{Receiver, unbounded};

fn stage<In: Send + 'static, Out: Send + 'static>(
    name: &str,
    input: Receiver<In>,
    mut work: impl FnMut(In) -> Out + Send + 'static,
) -> Receiver<Out> {
    let (output, next) = unbounded();
    thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            for item in input {
                if output.send(work(item)).is_err() {
                    break;
                }
            }
        })
        .unwrap();
    next
}

pub fn pipeline<A, B, C, D>(
    input: Receiver<A>,
    _capacity: usize,
    first: impl FnMut(A) -> B + Send + 'static,
    second: impl FnMut(B) -> C + Send + 'static,
    third: impl FnMut(C) -> D + Send + 'static,
) -> Receiver<D>
where
    A: Send + 'static,
    B: Send + 'static,
    C: Send + 'static,
    D: Send + 'static,
{
    let firsts = stage("stage-1", input, first);
    let seconds = stage("stage-2", firsts, second);
    stage("stage-3", seconds, third)
}
