// Wrong answer to `transfer`: instead of waiting on the locks in one
// order, it spins on `try_lock`; with a "retry" loop that never lets go
// of the first lock it never ends.
// Caught by: lower id first

pub use locks::solutions::*;

use locks::sync::lock;

pub fn transfer(from: &Account, to: &Account, amount: u64) -> bool {
    if from.id == to.id {
        return false;
    }
    let mut from_balance = lock(&from.balance);
    let mut to_balance = loop {
        if let Ok(guard) = to.balance.try_lock() {
            break guard;
        }
        std::hint::spin_loop();
    };
    if *from_balance < amount {
        return false;
    }
    *from_balance -= amount;
    *to_balance += amount;
    true
}
