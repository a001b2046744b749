//! `cargo run -p pools -- --help`: the lesson's command line.

fn main() -> std::process::ExitCode {
    workshop::cli::main(&pools::LESSON)
}
