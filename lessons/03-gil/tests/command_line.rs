//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use gil::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_gil");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn one_section_runs_alone() {
    workshop::testing::run_one_section(EXE, &LESSON, "watch", &[]);
}

#[test]
fn without_python_each_comparison_says_so_in_one_line() {
    let comparisons = ["experiment", "marks", "interval", "convoy"];
    workshop::testing::check_without_python(EXE, &comparisons, comparisons.len());
}

#[test]
fn without_loopback_the_io_sections_sleep_and_say_so() {
    for section in ["kinds", "io-bound"] {
        workshop::testing::check_without_loopback(EXE, section);
    }
}
