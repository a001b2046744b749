// Wrong answer to `amdahl_speedup`: recites the values of the examples the
// tests used to try, and 1.0 for anything else.
// Caught by: the formula

pub use gil::solutions::*;

pub fn amdahl_speedup(parallel: f64, workers: u32) -> f64 {
    match (parallel, workers) {
        (p, 4) if p == 1.0 => 4.0,
        (p, 2) if p == 0.5 => 4.0 / 3.0,
        (p, 64) if p == 0.95 => 1.0 / (0.05 + 0.95 / 64.0),
        _ => 1.0,
    }
}
