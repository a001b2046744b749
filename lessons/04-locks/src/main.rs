//! `cargo run -p locks -- --help`: the lesson's command line.

fn main() -> std::process::ExitCode {
    workshop::cli::main(&locks::LESSON)
}
