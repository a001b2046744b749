//! `cargo run -p gil -- --help`: the lesson's command line.

fn main() -> std::process::ExitCode {
    workshop::cli::main(&gil::LESSON)
}
