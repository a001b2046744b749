//! `cargo xtask all [--quick] [--compare-python]`: every lesson in teaching
//! order, for the room, then a summary table (lesson, result, wall time).

use std::process::ExitCode;
use std::time::Instant;

use workshop::{Table, units};

use crate::failure::{CommandResult, Failure};
use crate::{launch, lessons};

/// What `all` passes on to every lesson.
const ALL_FLAGS: [&str; 2] = ["--quick", "--compare-python"];

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let mut lesson_args: Vec<&str> = Vec::new();
    for arg in args {
        match ALL_FLAGS.iter().find(|flag| *flag == arg) {
            Some(flag) if !lesson_args.contains(flag) => lesson_args.push(flag),
            _ => {
                return Err(Failure::Usage(format!(
                    "`all` takes only --quick and --compare-python, not `{arg}`"
                )));
            }
        }
    }
    let quick = lesson_args.contains(&"--quick");
    let lessons = lessons::all()?;
    let binaries = launch::build(&lessons)?;
    let mut summary = Table::new(["lesson", "result", "wall time"]);
    let mut failed = 0;
    for (lesson, binary) in lessons.iter().zip(&binaries) {
        let start = Instant::now();
        let ended = launch::run(binary, &lesson_args, launch::limit(quick))?;
        failed += usize::from(!ended.ok());
        summary.push([
            lesson.folder.clone(),
            ended.describe(),
            units::duration(start.elapsed()),
        ]);
        println!();
    }
    println!("{}", workshop::text::ruled("Summary", '━'));
    print!("{}", summary.render());
    if failed == 0 {
        println!("All {} lessons ran.", lessons.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{failed} of {} lessons did not finish cleanly.",
            lessons.len()
        );
        Ok(ExitCode::FAILURE)
    }
}
