use std::time::Duration;
use gil::gil::{Gil, py_fib, run_threads};
use workshop::{measure, Timeline};

fn main() {
    let n = 34;
    for _ in 0..3 {
        for (name, g) in [("new", Gil::new(Duration::from_millis(5), Timeline::new())), ("old-never", Gil::old(2_000_000_000, Timeline::new())), ("old-300", Gil::old(300, Timeline::new())), ("old-3000", Gil::old(3000, Timeline::new()))] {
            let (_, m) = measure(|| run_threads(&g, &["main"], |py, _| py_fib(py, n)));
            print!("{name} {:?}  ", m.wall);
        }
        println!();
    }
}
