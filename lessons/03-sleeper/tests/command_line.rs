//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use sleeper::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_sleeper");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn one_section_runs_alone() {
    let mut command = std::process::Command::new(EXE);
    command.args(["--quick", "--section", "results", "--sleepers", "2"]);
    let output = workshop::process::output_with_limit(&mut command, workshop::testing::DEADLINE)
        .expect("the lesson binary starts")
        .expect("deadlock likely: `--section results` did not finish");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("7/7 Results and panics"), "{stdout}");
    assert!(!stdout.contains("1/7"), "only the chosen section runs");
    // The panic the section causes on purpose is reported by the lesson, not
    // by the panic hook.
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
