// Wrong answer to `barrier`: counts arrivals but never resets the count
// after a round, so the first round works and every later one lets every
// thread straight through, with no leader.
// Caught by: left with

pub use locks::solutions::*;

use locks::sync::{Condvar, Mutex, lock, wait};

pub struct ReusableBarrier {
    state: Mutex<Round>,
    parties: usize,
    all_here: Condvar,
}

impl ReusableBarrier {
    pub fn new(parties: usize) -> Self {
        ReusableBarrier {
            state: Mutex::new(Round {
                arrived: 0,
                generation: 0,
            }),
            parties: parties.max(1),
            all_here: Condvar::new(),
        }
    }

    pub fn wait(&self) -> bool {
        let mut round = lock(&self.state);
        round.arrived += 1;
        if round.arrived == self.parties {
            self.all_here.notify_all();
            return true;
        }
        while round.arrived < self.parties {
            round = wait(&self.all_here, round);
        }
        false
    }
}
