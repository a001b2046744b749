//! `cargo xtask all [--quick]`: every lesson in teaching order, for the
//! room, then a summary table (lesson, result, wall time).

use std::process::ExitCode;
use std::time::Instant;

use workshop::{Table, units};

use crate::failure::{CommandResult, Failure};
use crate::{launch, lessons};

/// The command.
pub fn run(args: &[String]) -> CommandResult {
    let quick = match args {
        [] => false,
        [flag] if flag == "--quick" => true,
        [other, ..] => {
            return Err(Failure::Usage(format!(
                "`all` takes only --quick, not `{other}`"
            )));
        }
    };
    let lessons = lessons::all()?;
    let binaries = launch::build(&lessons)?;
    let lesson_args: &[&str] = if quick { &["--quick"] } else { &[] };
    let mut summary = Table::new(["lesson", "result", "wall time"]);
    let mut failed = 0;
    for (lesson, binary) in lessons.iter().zip(&binaries) {
        let start = Instant::now();
        let ended = launch::run(binary, lesson_args, launch::limit(quick))?;
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
