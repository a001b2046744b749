//! Reference solutions to the exercises in [`crate::exercises`]: same
//! signatures, so any body here can be copied over a `todo!()` there.
//! `cargo test` runs the exercise tests against these; `cargo xtask verify`
//! proves the tests fail on the stubs and pass here.

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// # Exercise 1: `nap_together`
///
/// The closure's return value travels back through `join`.
pub fn nap_together(naps: &[Duration]) -> Vec<Duration> {
    let handles: Vec<JoinHandle<Duration>> = naps
        .iter()
        .map(|&nap| {
            thread::spawn(move || {
                let start = Instant::now();
                thread::sleep(nap);
                start.elapsed()
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("a napper panicked"))
        .collect()
}

/// # Exercise 2: `count_matches`
///
/// Every thread gets its own clone of the `Arc` (the closure takes it with
/// `move`) and locks the counter only for the moment it adds; the lock's
/// guard is dropped at the end of that statement.
pub fn count_matches(total: u64, threads: u64, test: fn(u64) -> bool) -> u64 {
    let threads = threads.max(1);
    let matches = Arc::new(Mutex::new(0));
    let handles: Vec<JoinHandle<()>> = (0..threads)
        .map(|t| {
            let matches = Arc::clone(&matches);
            thread::spawn(move || {
                for n in (t..total).step_by(threads as usize) {
                    if test(n) {
                        *matches.lock().unwrap() += 1;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a counting thread panicked");
    }
    *matches.lock().unwrap()
}

/// # Exercise 3: `wake_order`
///
/// Every thread is started before any is joined, so the naps overlap; each
/// pushes its name when it wakes, and the lock makes the pushes take turns
/// in wake-up order.
pub fn wake_order(naps: &[Duration]) -> Vec<String> {
    let woken = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<JoinHandle<()>> = naps
        .iter()
        .enumerate()
        .map(|(i, &nap)| {
            let woken = Arc::clone(&woken);
            thread::Builder::new()
                .name(format!("sleeper-{i}"))
                .spawn(move || {
                    thread::sleep(nap);
                    let me = thread::current().name().unwrap_or("unnamed").to_owned();
                    woken.lock().unwrap().push(me);
                })
                .expect("the system refused a thread")
        })
        .collect();
    for handle in handles {
        handle.join().expect("a sleeper panicked");
    }
    // Every clone of the Arc went away with its thread: the list is ours.
    let woken = Arc::into_inner(woken).expect("every sleeper has been joined");
    woken.into_inner().unwrap()
}

/// # Exercise 4: `sum_in_threads`
///
/// Rounding the chunk size up makes sure the last few numbers are not left
/// out; `max(1)` keeps `chunks` from panicking on an empty slice.
pub fn sum_in_threads(numbers: &[u64], threads: usize) -> u64 {
    let chunk = numbers.len().div_ceil(threads.max(1)).max(1);
    thread::scope(|s| {
        let parts: Vec<_> = numbers
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().sum::<u64>()))
            .collect();
        parts
            .into_iter()
            .map(|part| part.join().expect("a summing thread panicked"))
            .sum()
    })
}

/// # Exercise 5: `join_all`
///
/// `join` never panics itself: a panic in the thread arrives as `Err` with
/// the payload, which is a `&str` for `panic!("literal")` and a `String`
/// for `panic!("{formatted}")`.
pub fn join_all<T>(handles: Vec<JoinHandle<T>>) -> (Vec<T>, Vec<String>) {
    let mut values = Vec::new();
    let mut panics = Vec::new();
    for handle in handles {
        match handle.join() {
            Ok(value) => values.push(value),
            Err(payload) => panics.push(panic_text(payload)),
        }
    }
    (values, panics)
}

fn panic_text(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<&str>() {
        Ok(text) => (*text).to_owned(),
        Err(payload) => match payload.downcast::<String>() {
            Ok(text) => *text,
            Err(_) => "a panic without a message".to_owned(),
        },
    }
}
