//! # Queues exercises: edit this file
//!
//! Replace each `todo!()` with your code, then check your work:
//!
//! ```text
//! cargo xtask check queues
//! ```
//!
//! The check runs the tests in `tests/exercises.rs` against this file, tells
//! you how many exercises pass, and shows a hint for the first one that does
//! not. A test whose threads wait forever fails within seconds with
//! "deadlock likely" instead of hanging. Stuck for good? `src/solutions.rs`
//! has a reference solution.
//!
//! The `(core)` exercises use only what this lesson's sections showed: do
//! them in class, in order. The `(stretch)` ones go further and say what
//! they need: homework, or for when you are ahead.
//!
//! The message types ([`Task`], [`BankRequest`], [`Overdraft`]) are given:
//! the tests use them, so leave them as they are.

// The stubs ignore their arguments until you write them; these allows keep
// the build quiet meanwhile.
#![allow(unused_imports, unused_variables)]

use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, select, unbounded};

/// What a [`bank_account`] thread understands. Each request carries the
/// sender on which the account answers.
pub enum BankRequest {
    /// Put `amount` in; the answer is the new balance.
    Deposit {
        /// How much.
        amount: u64,
        /// Where the new balance goes.
        reply: Sender<u64>,
    },
    /// Take `amount` out; the answer is the new balance, or an
    /// [`Overdraft`] if there is not enough money (and then nothing
    /// changes).
    Withdraw {
        /// How much.
        amount: u64,
        /// Where the answer goes.
        reply: Sender<Result<u64, Overdraft>>,
    },
    /// What is the balance?
    Balance {
        /// Where the balance goes.
        reply: Sender<u64>,
    },
}

/// A withdrawal refused: it asked for more than the balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overdraft {
    /// The balance when the withdrawal was refused (it did not change).
    pub balance: u64,
    /// How much the withdrawal asked for.
    pub requested: u64,
}

/// # Exercise 1: `bank_account` (core)
///
/// Run a bank account: this function is the body of the one thread that
/// owns the balance, which starts at `opening_balance`. Handle the requests
/// one by one, answering each on its `reply` sender (see [`BankRequest`]).
/// A withdrawal of more than the balance is refused with an [`Overdraft`];
/// the balance may reach 0 but never go below. When every sender of
/// `requests` is gone, return the final balance.
///
/// With an opening balance of 100: `Deposit 50` answers 150, `Withdraw 200`
/// answers `Err(Overdraft { balance: 150, requested: 200 })`, `Withdraw
/// 150` answers `Ok(0)`, and the function returns 0. A client that stopped
/// waiting for its answer must not bring the bank down.
pub fn bank_account(opening_balance: u64, requests: Receiver<BankRequest>) -> u64 {
    todo!("for request in requests {{ match request {{ ... }} }}")
}

/// A work item for the workers of [`queue_join`], with the sender on which
/// the worker acknowledges it once it is done: Python's `task_done()`.
pub struct Task {
    /// The item to process.
    pub item: u64,
    /// The worker sends `()` here after processing `item`.
    pub done: Sender<()>,
}

/// # Exercise 2: `queue_join` (core)
///
/// Python's `for item in items: q.put(item)` and then `q.join()`: hand
/// every item to the workers, and return only once every one of them has
/// been processed.
///
/// The workers are already running, and they keep running afterwards (more
/// batches will come), so you cannot wait for them to end. Instead, each
/// worker takes a [`Task`] from `workers`, processes `task.item`, and then
/// sends `()` on `task.done`. Return how many acknowledgements you received.
///
/// `queue_join(&workers, &[1, 2, 3])` returns 3, after the workers have
/// processed 1, 2 and 3 — not before. Let the workers process the items at
/// the same time: don't wait for one item before handing over the next.
pub fn queue_join(workers: &Sender<Task>, items: &[u64]) -> usize {
    todo!("one acknowledgement channel; send every task; then wait for every ack")
}

/// # Exercise 3: `until_quiet` (stretch)
///
/// Stretch: needs `recv_timeout` and its two kinds of error (crossbeam's
/// documentation), or `select!` with `default` (the `backpressure` section).
///
/// Collect messages from `messages`, in order, until none has arrived for
/// `quiet`, or until every sender is gone, whichever comes first; then
/// return what you collected. Leave anything that arrives later in the
/// channel.
///
/// Three messages already waiting and a sender that stays alive: returns
/// those three after about `quiet`. No message and no sender: returns an
/// empty `Vec` at once, without waiting for `quiet`. Messages that keep
/// coming a little faster than `quiet` are all collected, however long that
/// takes in all.
pub fn until_quiet<T>(messages: &Receiver<T>, quiet: Duration) -> Vec<T> {
    todo!("recv_timeout, or select! with default(quiet)")
}

/// # Exercise 4: `pipeline` (stretch)
///
/// Stretch: a generic function with four type parameters and
/// `Send + 'static` bounds (the primer's generics and `'static`).
///
/// Build a three-stage pipeline: `first` runs on a thread named `stage-1`
/// and turns each item of `input` into a `B`, `second` on `stage-2` turns
/// those into `C`s, `third` on `stage-3` turns those into `D`s. Return the
/// receiver of the `D`s; the items come out in the order they went in.
///
/// Connect the stages (and the output) with `bounded(capacity)` channels,
/// so that a slow reader holds the whole pipeline back instead of letting
/// items pile up. When `input` ends (every sender gone), each stage must
/// finish its items and end, so that the output ends too: reading it to
/// the end must neither hang nor miss an item.
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
    todo!("three named threads, three bounded channels; each stage loops `for item in its_input`")
}
