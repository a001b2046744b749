//! `cargo run -p queues -- --help`: the lesson's command line.

fn main() -> std::process::ExitCode {
    workshop::cli::main(&queues::LESSON)
}
