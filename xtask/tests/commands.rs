//! `cargo xtask hint`, `reset` and `solution` on a scratch copy of the
//! workspace, as a learner uses them.

mod scratch;

use scratch::Scratch;

#[test]
fn hint_shows_the_named_exercise_or_the_next_to_do() {
    let scratch = Scratch::new();
    let names = scratch.exercise_names("sleeper");
    let hints = std::fs::read_to_string(scratch.lesson("sleeper").join("hints.md")).unwrap();
    let hint_of = |name: &str| {
        let section = hints.split(&format!("## {name}\n")).nth(1).unwrap();
        section.split("\n## ").next().unwrap().trim().to_owned()
    };
    let first_words = |hint: String| {
        hint.split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ")
    };

    let named = scratch.run(&["hint", "sleeper", &names[1]]);
    assert_eq!(named.status.code(), Some(0), "{}", named.stderr);
    assert!(
        named.stdout.contains(&format!("`{}`", names[1])),
        "{}",
        named.stdout
    );
    assert!(
        named
            .stdout
            .contains("lessons/01-sleeper/src/exercises.rs:")
    );
    let shown: String = named
        .stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains(&first_words(hint_of(&names[1]))),
        "{}",
        named.stdout
    );

    // Without an exercise: the first one not done, here the second.
    scratch.solve("sleeper", &names[0]);
    let next = scratch.run(&["hint", "sleeper"]);
    assert_eq!(next.status.code(), Some(0), "{}", next.stderr);
    assert!(
        next.stdout.contains(&format!("`{}`", names[1])),
        "{}",
        next.stdout
    );

    let bad = scratch.run(&["hint", "sleeper", "no_such_exercise"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(bad.stderr.lines().count(), 1, "{}", bad.stderr);
}

#[test]
fn reset_puts_back_one_stub_and_leaves_the_other_answers() {
    let scratch = Scratch::new();
    let names = scratch.exercise_names("sleeper");
    let stub = scratch.exercise_code("sleeper", &names[0]);
    scratch.solve("sleeper", &names[0]);
    scratch.solve("sleeper", &names[1]);
    let kept = scratch.exercise_code("sleeper", &names[1]);
    assert_ne!(scratch.exercise_code("sleeper", &names[0]), stub);

    // Not on a terminal, it needs --yes, and changes nothing without it.
    let refused = scratch.run(&["reset", "sleeper", &names[0]]);
    assert_eq!(refused.status.code(), Some(2), "{}", refused.stdout);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    assert_ne!(scratch.exercise_code("sleeper", &names[0]), stub);

    let reset = scratch.run(&["reset", "sleeper", &names[0], "--yes"]);
    assert_eq!(reset.status.code(), Some(0), "{}", reset.stderr);
    assert!(
        reset.stdout.contains(&format!("Reset `{}`", names[0])),
        "{}",
        reset.stdout
    );
    assert_eq!(scratch.exercise_code("sleeper", &names[0]), stub);
    assert_eq!(scratch.exercise_code("sleeper", &names[1]), kept);

    // The check agrees: the first is not started again, the second done.
    let check = scratch.run(&["check", "sleeper"]);
    let line = |name: &str| {
        check
            .stdout
            .lines()
            .find(|l| l.split_whitespace().nth(2) == Some(name))
            .unwrap_or_else(|| panic!("{}", check.stdout))
            .to_owned()
    };
    assert!(line(&names[0]).ends_with("not started"), "{}", check.stdout);
    assert!(line(&names[1]).contains("done"), "{}", check.stdout);

    let again = scratch.run(&["reset", "sleeper", &names[0], "--yes"]);
    assert!(
        again.stdout.contains("already as shipped"),
        "{}",
        again.stdout
    );
}

#[test]
fn solution_waits_until_the_exercise_passes() {
    let scratch = Scratch::new();
    let first = scratch.exercise_names("sleeper")[0].clone();
    let solutions =
        std::fs::read_to_string(scratch.lesson("sleeper").join("src/solutions.rs")).unwrap();

    let early = scratch.run(&["solution", "sleeper", &first]);
    assert_eq!(early.status.code(), Some(1), "{}", early.stderr);
    assert!(
        early.stdout.contains("does not pass yet"),
        "{}",
        early.stdout
    );
    assert!(early.stdout.contains("--show-anyway"), "{}", early.stdout);
    assert!(
        !early.stdout.contains(&format!("fn {first}(")),
        "{}",
        early.stdout
    );

    let anyway = scratch.run(&["solution", "sleeper", &first, "--show-anyway"]);
    assert_eq!(anyway.status.code(), Some(0), "{}", anyway.stderr);
    assert!(
        anyway.stdout.contains(&format!("fn {first}(")),
        "{}",
        anyway.stdout
    );

    scratch.solve("sleeper", &first);
    let earned = scratch.run(&["solution", "sleeper", &first]);
    assert_eq!(earned.status.code(), Some(0), "{}", earned.stderr);
    assert!(
        earned
            .stdout
            .contains("Reference solution: lessons/01-sleeper/src/solutions.rs:"),
        "{}",
        earned.stdout
    );
    let shown = earned
        .stdout
        .lines()
        .find(|l| l.contains(&format!("fn {first}(")));
    assert!(
        shown.is_some_and(|l| solutions.contains(l.trim())),
        "{}",
        earned.stdout
    );
}

/// `cargo xtask CMD --help`, for every command `cargo xtask help` lists:
/// that command's usage, exit code 0, and nothing run.
#[test]
fn every_command_answers_help() {
    let xtask = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"));
        command.args(args).env("NO_COLOR", "1");
        let limit = std::time::Duration::from_secs(30);
        workshop::process::output_with_limit(&mut command, limit)
            .unwrap()
            .expect("--help answers at once")
    };
    let listed = xtask(&["help"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let commands: Vec<&str> = listed
        .split("\nCommands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  ")?.split(' ').next())
        .filter(|name| !name.is_empty())
        .collect();
    assert!(
        commands.contains(&"verify") && commands.len() > 10,
        "{listed}"
    );
    for name in commands {
        let ran = xtask(&[name, "--help"]);
        let stdout = String::from_utf8_lossy(&ran.stdout);
        assert_eq!(ran.status.code(), Some(0), "{name} --help: {ran:?}");
        assert!(
            stdout.starts_with(&format!("Usage: cargo xtask {name}")),
            "{name} --help: {stdout}"
        );
        assert!(ran.stderr.is_empty(), "{name} --help: {ran:?}");
    }
}

#[test]
fn a_misspelled_option_is_refused_in_one_line_by_every_learner_command() {
    let scratch = Scratch::new();
    for command in ["check", "watch", "hint", "reset", "solution"] {
        let ran = scratch.run(&[command, "--hlp"]);
        assert_eq!(ran.status.code(), Some(2), "{command}: {}", ran.stderr);
        assert_eq!(ran.stderr.lines().count(), 1, "{command}: {}", ran.stderr);
        assert!(
            ran.stderr.contains(&format!("`{command}` takes")) && ran.stderr.contains("`--hlp`"),
            "{command} should refuse --hlp as an option, not read it as a lesson: {}",
            ran.stderr
        );
    }
}
