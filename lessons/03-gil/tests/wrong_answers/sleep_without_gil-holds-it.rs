// Wrong answer to `sleep_without_gil`: sleeps first and only then drops
// and retakes the GIL, so nobody else runs during the nap.
// Caught by: held while sleeping

pub use gil::solutions::*;

use std::time::Duration;

use gil::gil::PyThread;

pub fn sleep_without_gil(py: &PyThread, nap: Duration) {
    std::thread::sleep(nap);
    py.drop_gil();
    py.take_gil();
}
