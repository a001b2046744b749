//! The model checks of a lesson that has them (`tests/loom.rs`) pass under
//! loom, which tries every interleaving up to a preemption bound.

use super::Problems;
use crate::lessons::LessonCrate;
use crate::libtest;
use crate::project::{self, Place};

/// Runs a lesson's loom model checks, `tests/loom.rs`, if it has any:
/// `cargo test --release --test loom` with `RUSTFLAGS="--cfg loom"`, so that
/// the lesson's primitives are built on loom's `Mutex` and `Condvar`. The
/// flag changes every crate's build, so it gets a target directory of its
/// own (`target/loom`) and never invalidates the normal build.
pub fn problems(lesson: &LessonCrate) -> Problems {
    let folder = &lesson.folder;
    if !project::path(Place::LoomTests(&lesson.dir)).exists() {
        return Ok(Vec::new());
    }
    let target = project::loom_target_dir()?;
    println!(
        "{folder}: model-checking with loom (tests/loom.rs, release build in {}; \
         the first run builds loom: a minute or two)…",
        project::shown(&target)
    );
    let rustflags = match std::env::var("RUSTFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{flags} --cfg loom"),
        _ => "--cfg loom".to_owned(),
    };
    let started = std::time::Instant::now();
    let output = project::output(
        project::cargo()
            .args([
                "test",
                "--package",
                &lesson.package,
                "--release",
                "--test",
                "loom",
            ])
            .env("RUSTFLAGS", rustflags)
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env("CARGO_TARGET_DIR", &target)
            .env("RUST_BACKTRACE", "0"),
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = libtest::parse(&stdout).unwrap_or_default();
    let passed = results.iter().filter(|t| t.passed).count();
    if output.status.success() && passed > 0 {
        println!(
            "  {passed} model checks passed ({:.1} s with the build)",
            started.elapsed().as_secs_f64()
        );
        return Ok(Vec::new());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
    let tail = report[report.len().saturating_sub(15)..].join("\n    ");
    Ok(vec![format!(
        "{folder}: the loom model checks fail (rerun: RUSTFLAGS=\"--cfg loom\" \
         CARGO_TARGET_DIR={} cargo test -p {} --release --test loom):\n    {tail}",
        project::shown(&target),
        lesson.package
    )])
}
