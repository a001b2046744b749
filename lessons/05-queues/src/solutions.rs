//! Reference solutions to the exercises in [`crate::exercises`]: same
//! signatures, so any body here can be copied over a `todo!()` there.
//! `cargo test` runs the exercise tests against these; `cargo xtask verify`
//! proves the tests fail on the stubs and pass here.

use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};

pub use crate::exercises::{BankRequest, Overdraft, Task};

/// # Exercise 1: `bank_account`
///
/// The balance is a local variable of the owner thread: nobody else can
/// reach it. `checked_sub` refuses to go below zero, which is exactly the
/// overdraft rule. A failed `send` on a reply means that client stopped
/// waiting; that is no reason to stop serving the others.
pub fn bank_account(opening_balance: u64, requests: Receiver<BankRequest>) -> u64 {
    let mut balance = opening_balance;
    for request in requests {
        match request {
            BankRequest::Deposit { amount, reply } => {
                balance += amount;
                let _ = reply.send(balance);
            }
            BankRequest::Withdraw { amount, reply } => {
                let answer = match balance.checked_sub(amount) {
                    Some(left) => {
                        balance = left;
                        Ok(left)
                    }
                    None => Err(Overdraft {
                        balance,
                        requested: amount,
                    }),
                };
                let _ = reply.send(answer);
            }
            BankRequest::Balance { reply } => {
                let _ = reply.send(balance);
            }
        }
    }
    balance
}

/// # Exercise 2: `queue_join`
///
/// Every task carries a clone of one acknowledgement sender. Once ours is
/// dropped, the channel stays open exactly as long as some task is still
/// being processed, so counting the acknowledgements to the end waits for
/// all of them. Keeping our own sender would wait forever.
pub fn queue_join(workers: &Sender<Task>, items: &[u64]) -> usize {
    let (done, acknowledgements) = unbounded();
    for &item in items {
        let task = Task {
            item,
            done: done.clone(),
        };
        workers.send(task).expect("the workers are running");
    }
    drop(done);
    // `take` stops at the last expected acknowledgement; the end of the
    // channel stops us early if a worker dropped a task without finishing it.
    acknowledgements.iter().take(items.len()).count()
}

/// # Exercise 3: `until_quiet`
///
/// Every `recv_timeout` starts a new wait of `quiet`, so it measures the gap
/// since the last message, not the time since the start. It fails in two
/// ways, and both end the collection: `Timeout` (quiet for long enough) and
/// `Disconnected` (empty, and no sender left), which comes back at once.
pub fn until_quiet<T>(messages: &Receiver<T>, quiet: Duration) -> Vec<T> {
    let mut collected = Vec::new();
    while let Ok(message) = messages.recv_timeout(quiet) {
        collected.push(message);
    }
    collected
}

/// # Exercise 4: `pipeline`
///
/// Three times the same stage. Each stage owns the receiver of the stage
/// before and the only sender to the stage after, so when its input ends
/// its loop ends, its sender is dropped, and the next stage's loop ends in
/// turn, after the last item: shutdown travels down the pipeline behind the
/// data.
pub fn pipeline<A, B, C, D>(
    input: Receiver<A>,
    capacity: usize,
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
    /// One stage on its own thread: `work` on every item of `input`,
    /// results into a new bounded channel, whose receiver is returned.
    fn stage<In, Out>(
        name: &str,
        input: Receiver<In>,
        capacity: usize,
        mut work: impl FnMut(In) -> Out + Send + 'static,
    ) -> Receiver<Out>
    where
        In: Send + 'static,
        Out: Send + 'static,
    {
        let (output, next) = bounded(capacity);
        thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // Ends when the stage before has ended and everything it
                // sent has been taken.
                for item in input {
                    if output.send(work(item)).is_err() {
                        break; // nobody reads the output any more
                    }
                }
            }) // `output` is dropped as the thread ends: the next stage ends too
            .expect("the system refused a thread");
        next
    }

    let after_first = stage("stage-1", input, capacity, first);
    let after_second = stage("stage-2", after_first, capacity, second);
    stage("stage-3", after_second, capacity, third)
}
