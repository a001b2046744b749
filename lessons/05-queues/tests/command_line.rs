//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use queues::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_queues");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn one_section_runs_alone() {
    let stdout = workshop::testing::run_one_section(EXE, &LESSON, "managers", &["--threads", "2"]);
    // The worked example's lines, on the real stdout, bare, in order.
    let printed: Vec<&str> = stdout
        .lines()
        .skip_while(|line| *line != "Starting up")
        .take_while(|line| *line != "Finishing up")
        .collect();
    assert_eq!(printed.len(), 21, "{stdout}");
}

#[test]
fn with_compare_python_it_says_nothing_here_compares() {
    workshop::testing::check_without_python(EXE, &["rules"], 0);
}
