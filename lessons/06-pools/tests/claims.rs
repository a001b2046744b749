//! What the lesson claims, checked in ways that hold on a loaded laptop:
//! answers and orderings of costs, not speedups.

use std::process::Command;

use pools::processes::{NOOP_MODE, ProcessPool, Task, WORKER_MODE};
use pools::{LESSON, amdahl, rayon_join, speedup, workers};
use workshop::server::SlowService;
use workshop::testing::{self, deadline};

fn child(mode: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pools"));
    command.args(["--child", mode]);
    command
}

#[test]
fn worker_processes_answer_in_order() {
    let squares = deadline(|| {
        let pool = ProcessPool::start(4, || child(WORKER_MODE)).unwrap();
        pool.map(&[Task::Square(1), Task::Square(2), Task::Square(3)])
    });
    assert_eq!(squares, Ok(vec![1, 4, 9]));
}

#[test]
fn a_worker_process_that_dies_is_reported_not_waited_for() {
    let result = deadline(|| {
        // These "workers" exit at once, without answering.
        let pool = ProcessPool::start(2, || child(NOOP_MODE)).unwrap();
        pool.map(&[Task::Square(5)])
    });
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn five_ways_give_the_same_answers() {
    let ways = deadline(|| speedup::five_ways(3, &[20; 6], 2, &|| child(WORKER_MODE))).unwrap();
    let names: Vec<&str> = ways.iter().map(|w| w.name).collect();
    assert_eq!(names, speedup::WAYS);
}

#[test]
fn joining_every_tiny_task_costs_more_than_it_saves() {
    let [sequential, everywhere, with_cutoff] = deadline(|| rayon_join::compare(28, 20));
    assert!(
        everywhere.wall > sequential.wall,
        "join at every level: {:?}, plain: {:?}",
        everywhere.wall,
        sequential.wall
    );
    assert!(
        everywhere.wall > with_cutoff.wall,
        "join at every level: {:?}, with cutoff: {:?}",
        everywhere.wall,
        with_cutoff.wall
    );
    assert_eq!(rayon_join::fib_join(25, 10), workshop::fib(25));
}

#[test]
fn a_process_costs_more_than_a_thread() {
    let costs = deadline(|| workers::measure_costs(true, &child)).unwrap();
    assert!(
        costs.process_start > costs.thread_start * 3.0,
        "process {:.1e} s, thread {:.1e} s",
        costs.process_start,
        costs.thread_start
    );
    assert!(
        costs.process_pool_task > costs.thread_pool_task,
        "a pipe round trip beats a channel?"
    );
}

/// Under cargo's target directory, wherever it is: the test binary is in
/// it too (run with `CARGO_TARGET_DIR=/tmp/elsewhere` to see it follow).
#[test]
fn the_svg_lands_in_the_target_directory() {
    let path = amdahl::svg_path();
    let target = path
        .parent()
        .and_then(|workshop| workshop.parent())
        .expect("target/workshop/amdahl.svg");
    let test_binary = std::env::current_exe().unwrap();
    assert!(
        test_binary.starts_with(target),
        "{} is not beside the build in {}",
        path.display(),
        test_binary.display()
    );
}

#[test]
fn the_code_shown_is_the_code_run() {
    testing::check_snippets(&LESSON);
}

#[test]
fn worker_processes_exit_when_the_pool_is_dropped() {
    deadline(|| {
        let pool = ProcessPool::start(2, || child(WORKER_MODE)).unwrap();
        assert_eq!(pool.map(&[Task::Fib(10)]), Ok(vec![55]));
        drop(pool); // joins the feeders, which wait for their workers
    });
}

#[test]
fn cpython_fetches_from_the_same_service() {
    let python = match workshop::python::find() {
        Ok(python) => python,
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("no CPython here: the fetch comparison was not checked");
            return;
        }
        Err(not_found) => panic!("CI must have CPython: {not_found}"),
    };
    let (report, served) = testing::within(std::time::Duration::from_secs(60), move || {
        let service = SlowService::start(std::time::Duration::from_millis(50), 24).unwrap();
        let port = service.addr().port().to_string();
        let script = pools::fetch::script();
        let report = python.run(
            &script.path,
            &[port, "8".into(), "4".into()],
            testing::DEADLINE * 3,
        );
        (report, service.stop())
    });
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    // Every page CPython asked for was answered by the lesson's service.
    assert_eq!(report.number("pages").unwrap(), 24.0);
    assert_eq!(served.answered, 24, "{served:?}");
    let (sequential, pool) = (
        report.number("sequential").unwrap(),
        report.number("pool").unwrap(),
    );
    assert!(
        sequential >= 0.4,
        "8 pages of 50 ms one after another in {sequential} s"
    );
    assert!(
        pool < sequential,
        "CPython's pool took {pool} s, in a row {sequential} s"
    );
}

#[test]
fn cpython_threads_gain_nothing_and_processes_do_when_cores_are_free() {
    let python = match workshop::python::find() {
        Ok(python) => python,
        Err(e) if std::env::var_os("CI").is_none() => return eprintln!("Python not found: {e}"),
        Err(e) => panic!("CI must have Python: {e}"),
    };
    let before = workshop::bench::CpuShare::measure(2);
    let ways = pools::speedup::run_python(python, 25, 8, 2).unwrap_or_else(|e| panic!("{e}"));
    let after = workshop::bench::CpuShare::measure(2);
    // Under the GIL, load can only lower the CPU a thread pool gets per
    // second, never raise it above one core's worth.
    if python.gil_enabled {
        assert!(ways.threads_cpu_per_wall < 1.3, "{ways:?}");
    }
    // Processes gain only with two free cores, before and after, and where
    // a pool starts by forking (Linux): `spawn` costs more than this work.
    let free = |s: &workshop::bench::CpuShare| s.usable.is_some_and(|u| u >= 1.9);
    if cfg!(target_os = "linux") && free(&before) && free(&after) {
        assert!(ways.processes < ways.sequential, "{ways:?}");
    }
}
