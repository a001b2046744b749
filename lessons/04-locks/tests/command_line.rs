//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use locks::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_locks");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

/// `run_one_section` also checks that stderr stays empty: the deliberate
/// panics must not print there.
#[test]
fn the_poisoning_section_runs_alone_and_its_panic_is_not_noise() {
    let stdout = workshop::testing::run_one_section(EXE, &LESSON, "poisoning", &[]);
    assert!(
        stdout.contains("crashed before the credit"),
        "the lesson reports the panic itself: {stdout}"
    );
}

#[test]
fn with_compare_python_it_says_nothing_here_compares() {
    workshop::testing::check_without_python(EXE, &["costs"], 0);
}
