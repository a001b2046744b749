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
    let mut command = std::process::Command::new(EXE);
    command.args(["--quick", "--section", "counting"]);
    let output = workshop::process::output_with_limit(&mut command, workshop::testing::DEADLINE)
        .expect("the lesson binary starts")
        .expect("deadlock likely: `--section counting` did not finish");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1/7 Counting references"), "{stdout}");
    assert!(!stdout.contains("2/7"), "only the chosen section runs");
}
