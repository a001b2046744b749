// Wrong answer to `join_all`: joins whichever thread has finished first,
// polling `is_finished`, so values and messages come back in the order the
// threads ended rather than in handle order.
// Caught by: in handle order

pub use sleeper::solutions::*;

use std::thread::{self, JoinHandle};
use std::time::Duration;

pub fn join_all<T>(mut handles: Vec<JoinHandle<T>>) -> (Vec<T>, Vec<String>) {
    let mut values = Vec::new();
    let mut panics = Vec::new();
    while !handles.is_empty() {
        match handles.iter().position(|h| h.is_finished()) {
            Some(done) => match handles.remove(done).join() {
                Ok(value) => values.push(value),
                Err(payload) => panics.push(match payload.downcast::<&str>() {
                    Ok(text) => (*text).to_owned(),
                    Err(payload) => payload
                        .downcast::<String>()
                        .map_or_else(|_| "a panic".to_owned(), |text| *text),
                }),
            },
            None => thread::sleep(Duration::from_millis(1)),
        }
    }
    (values, panics)
}
