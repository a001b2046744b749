//! The lesson binary refuses bad input in one line with exit code 2, and a
//! single section runs on its own.

use sleeper::LESSON;

const EXE: &str = env!("CARGO_BIN_EXE_sleeper");

#[test]
fn bad_input_is_refused_in_one_line() {
    workshop::testing::check_command_line(EXE, &LESSON);
}

#[test]
fn one_section_runs_alone() {
    workshop::testing::run_one_section(EXE, &LESSON, "results", &["--sleepers", "2"]);
}

#[test]
fn without_python_the_comparison_says_so_in_one_line() {
    workshop::testing::check_without_python(EXE, &["no-join"], 1);
}

// The command-line conventions every lesson shares, checked once, on the
// model lesson (the code is the core's). What needs a terminal runs in a
// pseudo-terminal (`workshop::terminal`).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use workshop::terminal::{self, Run};

fn run(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(EXE);
    command.args(args).envs(env.iter().copied());
    workshop::process::output_with_limit(&mut command, Duration::from_secs(30))
        .expect("the lesson starts")
        .expect("the lesson ends")
}

fn in_terminal(args: &[&str], env: &[(&str, &str)], keys: &[(&str, &str)]) -> Option<String> {
    let session = terminal::run(&Run {
        program: Path::new(EXE),
        args,
        env,
        keys,
        silences: None,
        limit: Duration::from_secs(60),
    });
    match session {
        Ok(session) => {
            assert_eq!(
                session.code,
                Some(0),
                "{args:?} in a terminal: {}",
                session.output
            );
            Some(session.output)
        }
        Err(why) => {
            terminal::unavailable(&why);
            None
        }
    }
}

fn refused(args: &[&str]) -> String {
    let output = run(args, &[]);
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn quick_takes_no_value() {
    assert_eq!(refused(&["--quick=no"]), "error: --quick takes no value\n");
}

#[test]
fn typos_get_a_suggestion() {
    assert!(
        refused(&["--sectoin", "many"]).contains("did you mean `--section`?"),
        "a flag"
    );
    assert!(
        refused(&["--section", "mnay"]).contains("did you mean `many`?"),
        "a section"
    );
}

const ESCAPE: &str = "\x1b[";

#[test]
fn color_always_colours_even_a_pipe_and_wins_over_no_color() {
    let args = ["--quick", "--section", "names", "--color", "always"];
    let stdout = |env| String::from_utf8_lossy(&run(&args, env).stdout).into_owned();
    assert!(stdout(&[]).contains(ESCAPE), "--color always into a pipe");
    assert!(
        stdout(&[("NO_COLOR", "1")]).contains(ESCAPE),
        "the flag wins"
    );
    let plain = run(&["--quick", "--section", "names"], &[]).stdout;
    assert!(
        !String::from_utf8_lossy(&plain).contains(ESCAPE),
        "auto in a pipe"
    );
}

#[test]
fn on_a_terminal_colour_is_on_unless_no_color_has_a_value() {
    let args = ["--quick", "--section", "names"];
    let Some(empty) = in_terminal(&args, &[("NO_COLOR", "")], &[]) else {
        return;
    };
    assert!(empty.contains(ESCAPE), "an empty NO_COLOR does not count");
    let set = in_terminal(&args, &[("NO_COLOR", "1")], &[]).unwrap_or_default();
    assert!(!set.contains(ESCAPE), "NO_COLOR=1: {set}");
    let never = in_terminal(
        &["--quick", "--section", "names", "--color", "never"],
        &[],
        &[],
    );
    assert!(!never.unwrap_or_default().contains(ESCAPE), "--color never");
}

/// `cargo run -p sleeper | head -2`: once `head` has its lines, the lesson
/// ends at its next line, with exit code 0 and nothing on stderr, instead
/// of running to the end (its first section alone sleeps 5 s).
#[test]
fn a_closed_pipe_ends_the_lesson_quietly() {
    let start = Instant::now();
    let mut lesson = workshop::process::spawn(
        Command::new(EXE)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
    .expect("the lesson starts");
    let mut stdout = BufReader::new(lesson.stdout.take().expect("piped"));
    let mut line = String::new();
    for _ in 0..2 {
        stdout.read_line(&mut line).expect("a line");
    }
    drop(stdout);
    let status = lesson
        .wait_with_limit(Duration::from_secs(20))
        .expect("waited")
        .expect("the lesson ended by itself");
    let stderr = std::io::read_to_string(lesson.stderr.take().expect("piped")).unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert_eq!(stderr, "");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

/// The progress line of the `start` section (a sleeper's nap) shows in a
/// terminal; piped, nothing of it appears: no text, no carriage return, no
/// escape code.
#[test]
fn progress_shows_in_a_terminal_only() {
    let args = ["--quick", "--section", "start"];
    let piped = String::from_utf8_lossy(&run(&args, &[]).stdout).into_owned();
    assert!(!piped.contains("running:") && !piped.contains('\r') && !piped.contains(ESCAPE));
    let Some(shown) = in_terminal(&args, &[], &[]) else {
        return;
    };
    assert!(
        shown.contains("⋯ running: a sleeper's nap of 500 ms"),
        "{shown}"
    );
}

/// `--pause` waits after each section in a terminal; Enter goes on, q then
/// Enter stops the lesson cleanly (exit code 0, the sections that ran).
#[test]
fn pause_waits_in_a_terminal_and_q_stops() {
    let names = ["--section", "names"];
    let args = [&["--quick", "--pause"][..], &names, &names, &names].concat();
    let keys = [
        ("Enter: next section", "\n"),
        ("Enter: next section", "q\n"),
    ];
    let Some(shown) = in_terminal(&args, &[], &keys) else {
        return;
    };
    assert_eq!(
        shown
            .matches(" Named threads and timestamps [names] ")
            .count(),
        2,
        "{shown}"
    );
    assert!(
        shown.contains("Stopped after 2 of 3 sections, as asked."),
        "{shown}"
    );
    // Without a terminal to press Enter in, --pause is ignored with a note.
    let output = run(&["--quick", "--pause", "--section", "names"], &[]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "note: --pause is ignored: stdin is not a terminal, so nobody can press Enter\n"
    );
}

/// `--pictures DIR` draws the section's two timelines as one picture, named
/// after the section (what `cargo xtask book` puts in the book), and says
/// where; without it nothing is drawn.
#[test]
fn pictures_are_drawn_where_asked() {
    let scratch = workshop::testing::Scratch::new("sleeper-pictures");
    let dir = scratch.join("pictures"); // not there yet: the lesson makes it
    let dir_text = dir.to_str().expect("a UTF-8 temporary folder");
    let ran = run(
        &["--quick", "--section", "many", "--pictures", dir_text],
        &[],
    );
    assert!(ran.status.success(), "{ran:?}");
    let file = dir.join(workshop::svg::picture_file("sleeper", "many", 1));
    let printed = String::from_utf8_lossy(&ran.stdout);
    assert!(
        printed.contains(&format!("(drawn as a picture: {})", file.display())),
        "{printed}"
    );
    let picture = std::fs::read_to_string(&file).expect("the picture was drawn");
    // One after another: three sleepers; all at once: main joins three.
    assert_eq!(picture.matches("class=\"lane\"").count(), 7, "{picture}");
    assert_eq!(picture.matches("class=\"bar\"").count(), 7, "{picture}");
    assert!(picture.contains(">One after another</text>"), "{picture}");
    assert!(picture.contains("measured in this run of `sleeper --quick --section many`"));

    let plain = run(&["--quick", "--section", "many"], &[]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("drawn as a picture"));
}
