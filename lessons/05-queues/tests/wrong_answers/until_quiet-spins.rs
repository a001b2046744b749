// Wrong answer to `until_quiet`: polls with `try_recv` in a loop and stops
// only when the channel is closed, forgetting the quiet: while a sender
// lives it spins for ever.
// Caught by: still running

pub use queues::solutions::*;

use crossbeam_channel::{Receiver, TryRecvError};
use std::time::Duration;

pub fn until_quiet<T>(messages: &Receiver<T>, _quiet: Duration) -> Vec<T> {
    let mut collected = Vec::new();
    loop {
        match messages.try_recv() {
            Ok(message) => collected.push(message),
            Err(TryRecvError::Empty) => continue,
            Err(TryRecvError::Disconnected) => return collected,
        }
    }
}
