//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use pools::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_pools");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn one_section_runs_alone() {
    workshop::testing::run_one_section(EXE, &LESSON, "executor", &[]);
}

#[test]
fn without_loopback_fetching_sleeps_and_says_so() {
    workshop::testing::check_without_loopback(EXE, "fetch");
}

#[test]
fn without_python_each_comparison_says_so_in_one_line() {
    workshop::testing::check_without_python(EXE, &["fetch", "processes", "speedup"], 3);
}
