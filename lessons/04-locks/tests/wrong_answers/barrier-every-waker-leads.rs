// Wrong answer to `barrier`: decides who leads after the wait, from a
// count that every woken thread sees: "the round is full, so I lead".
// Every thread of a round returns `true`.
// Caught by: leaders per thread

pub use locks::solutions::*;

use locks::sync::{Condvar, Mutex, lock, wait};

pub struct ReusableBarrier {
    state: Mutex<(Round, usize)>,
    parties: usize,
    all_here: Condvar,
}

impl ReusableBarrier {
    pub fn new(parties: usize) -> Self {
        ReusableBarrier {
            state: Mutex::new((
                Round {
                    arrived: 0,
                    generation: 0,
                },
                0,
            )),
            parties: parties.max(1),
            all_here: Condvar::new(),
        }
    }

    /// `.1` is how many arrived in the last completed round.
    pub fn wait(&self) -> bool {
        let mut state = lock(&self.state);
        let generation = state.0.generation;
        state.0.arrived += 1;
        if state.0.arrived == self.parties {
            state.1 = state.0.arrived;
            state.0.arrived = 0;
            state.0.generation += 1;
            self.all_here.notify_all();
        }
        while state.0.generation == generation {
            state = wait(&self.all_here, state);
        }
        state.1 == self.parties
    }
}
