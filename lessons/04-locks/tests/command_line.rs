//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use locks::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_locks");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn the_poisoning_section_runs_alone_and_its_panic_is_not_noise() {
    let mut command = std::process::Command::new(EXE);
    command.args(["--quick", "--section", "poisoning"]);
    let output = workshop::process::output_with_limit(&mut command, workshop::testing::DEADLINE)
        .expect("the lesson binary starts")
        .expect("deadlock likely: `--section poisoning` did not finish");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("2/9 Poisoning"), "{stdout}");
    assert!(!stdout.contains("1/9"), "only the chosen section runs");
    assert!(
        stdout.contains("crashed before the credit"),
        "the lesson reports the panic itself: {stdout}"
    );
    assert!(
        stderr.is_empty(),
        "the deliberate panics must not print to stderr: {stderr}"
    );
}
