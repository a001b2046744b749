//! `cargo run -p refcounting -- --help`: the lesson's command line.

fn main() -> std::process::ExitCode {
    workshop::cli::main(&refcounting::LESSON)
}
