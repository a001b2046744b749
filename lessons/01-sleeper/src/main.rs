//! `cargo run -p sleeper -- --help`: the lesson's command line.

fn main() -> std::process::ExitCode {
    workshop::cli::main(&sleeper::LESSON)
}
