// Wrong answer to `bank_account`: reads with `try_recv` and closes the
// bank the first time it finds no request waiting, instead of when every
// sender is gone.
// Caught by: the bank returned while a client was still asking

pub use queues::solutions::*;

use crossbeam_channel::Receiver;

pub fn bank_account(opening_balance: u64, requests: Receiver<BankRequest>) -> u64 {
    let mut balance = opening_balance;
    while let Ok(request) = requests.try_recv() {
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
