//! The lesson binary refuses bad input in one line with exit code 2.

use pools::LESSON;

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(env!("CARGO_BIN_EXE_pools"), &LESSON);
}
