use std::time::Duration;
use gil::gil::{Gil, py_fib, run_threads, NoGil};
use workshop::{measure, Timeline};

fn main() {
    let n: u32 = std::env::args().nth(1).map_or(32, |a| a.parse().unwrap());
    let ticks: u32 = std::env::args().nth(2).map_or(400, |a| a.parse().unwrap());
    let (_, free) = measure(|| std::hint::black_box(py_fib(&NoGil, n)));
    println!("no gil one call: {:?}", free.wall);
    for round in 0..3 {
        for (name, make) in [("old", true), ("new", false)] {
            let mk = || if make { Gil::old(ticks, Timeline::new()) } else { Gil::new(Duration::from_millis(5), Timeline::new()) };
            let g1 = mk();
            let (_, seq) = measure(|| run_threads(&g1, &["main"], |py, _| (py_fib(py, n), py_fib(py, n))));
            let g2 = mk();
            let (_, thr) = measure(|| run_threads(&g2, &["t1", "t2"], |py, _| py_fib(py, n)));
            let s = g2.stats();
            println!("{round} {name}: seq {:?} thr {:?} ratio {:.2} cpu/wall {:.2} switches {} failed {} holders {}",
                seq.wall, thr.wall, thr.wall.as_secs_f64()/seq.wall.as_secs_f64(), thr.cpu_per_wall().unwrap(), s.switches, s.failed_acquisitions, s.most_holders);
        }
    }
}
