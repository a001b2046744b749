// Wrong answer to `wake_order`: keeps the list locked while it joins the
// sleepers, so the first sleeper to wake waits for the lock for good.
// Caught by: deadlock likely

pub use sleeper::solutions::*;

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub fn wake_order(naps: &[Duration]) -> Vec<String> {
    let woken = Arc::new(Mutex::new(Vec::new()));
    let list = woken.lock().unwrap();
    let handles: Vec<_> = naps
        .iter()
        .enumerate()
        .map(|(i, &nap)| {
            let woken = Arc::clone(&woken);
            thread::Builder::new()
                .name(format!("sleeper-{i}"))
                .spawn(move || {
                    thread::sleep(nap);
                    let me = thread::current().name().unwrap().to_owned();
                    woken.lock().unwrap().push(me);
                })
                .unwrap()
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    list.clone()
}
