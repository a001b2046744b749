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
    let mut command = std::process::Command::new(EXE);
    command.args(["--quick", "--section", "managers", "--threads", "2"]);
    let output = workshop::process::output_with_limit(&mut command, workshop::testing::DEADLINE)
        .expect("the lesson binary starts")
        .expect("deadlock likely: `--section managers` did not finish");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("2/6 The counter manager and the print manager"),
        "{stdout}"
    );
    assert!(!stdout.contains("1/6"), "only the chosen section runs");
    // The worked example's lines, on the real stdout, bare, in order.
    let printed: Vec<&str> = stdout
        .lines()
        .skip_while(|line| *line != "Starting up")
        .take_while(|line| *line != "Finishing up")
        .collect();
    assert_eq!(printed.len(), 21, "{stdout}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
