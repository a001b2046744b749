//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use refcounting::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_refcounting");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn one_section_runs_alone() {
    workshop::testing::run_one_section(EXE, &LESSON, "counting", &[]);
}

#[test]
fn without_python_the_comparison_says_so_in_one_line() {
    workshop::testing::check_without_python(EXE, &["race"], 1);
}
