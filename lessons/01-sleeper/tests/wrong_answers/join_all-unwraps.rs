// Wrong answer to `join_all`: unwraps every join, so the first thread that
// panicked takes `join_all` down with it and the others' values are lost.
// Caught by: a_panic_does_not_stop_the_others

pub use sleeper::solutions::*;

use std::thread::JoinHandle;

pub fn join_all<T>(handles: Vec<JoinHandle<T>>) -> (Vec<T>, Vec<String>) {
    let values = handles.into_iter().map(|h| h.join().unwrap()).collect();
    (values, Vec::new())
}
