// Wrong answer to `transfer`: locks `from`, then `to`. Two transfers in
// opposite directions each hold one lock and wait for the other.
// Caught by: deadlock likely

pub use locks::solutions::*;

use locks::sync::lock;

pub fn transfer(from: &Account, to: &Account, amount: u64) -> bool {
    if from.id == to.id {
        return false;
    }
    let mut from_balance = lock(&from.balance);
    std::thread::yield_now();
    let mut to_balance = lock(&to.balance);
    if *from_balance < amount {
        return false;
    }
    *from_balance -= amount;
    *to_balance += amount;
    true
}
