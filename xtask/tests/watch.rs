//! `cargo xtask watch` in a pseudo-terminal, as a learner runs it: it
//! shows the lesson's progress, checks again when the exercises file is
//! saved, shows an exercise that passes as done with its solution's
//! place and its warnings, moves on to the next, answers its keys (`h`,
//! `n`, `l`, `r`, `q`) and uses no CPU to speak of while it waits. Piped,
//! it refuses in one line.
//!
//! The terminal is `workshop::terminal`'s (CPython's `pty` module), so the
//! terminal test is for Linux and macOS: Windows has no pseudo-terminal
//! that it can drive. There, `watch`'s console code is compiled and
//! linted (`.ci/run`'s clippy for `x86_64-pc-windows-gnu`), not run.

mod scratch;

use scratch::Scratch;

#[test]
fn piped_watch_refuses_in_one_line() {
    let scratch = Scratch::new();
    let ran = scratch.run(&["watch", "sleeper"]);
    assert_eq!(ran.status.code(), Some(2), "{}", ran.stderr);
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
    assert!(ran.stderr.contains("needs a terminal"), "{}", ran.stderr);
}

#[cfg(unix)]
mod in_a_terminal {
    use std::time::{Duration, Instant};

    use workshop::terminal::{self, Live};

    use super::*;

    /// How long a check may take: the first one builds the lesson's tests.
    const BUILD: Duration = Duration::from_secs(600);

    /// The issue's bound: a save is checked within 2 s.
    const NOTICED: Duration = Duration::from_secs(2);

    /// How long keys that need no check may take to redraw.
    const REDRAW: Duration = Duration::from_secs(10);

    /// What `watch` prints before each screen (see `xtask/src/terminal.rs`).
    const CLEAR: &str = "\x1b[2J\x1b[3J\x1b[H";

    /// The last screen drawn in `text`, once it is complete (its last
    /// line, the keys, has arrived).
    fn last_screen(text: &str) -> Option<&str> {
        let screen = &text[text.rfind(CLEAR)? + CLEAR.len()..];
        screen.contains("q quit").then_some(screen)
    }

    /// Waits, from `from`, for a complete screen for which `seen` holds,
    /// and returns it.
    fn screen_where(
        watch: &mut Live,
        from: usize,
        what: &str,
        seen: &dyn Fn(&str) -> bool,
        limit: Duration,
    ) -> String {
        let shown = |text: &str| last_screen(text).is_some_and(seen);
        if let Err(why) = watch.wait_until(from, what, &shown, limit) {
            panic!("{why}");
        }
        last_screen(&watch.since(from)).unwrap().to_owned()
    }

    /// Waits for the screen after a check, when `watch` is waiting again.
    fn checked_screen(watch: &mut Live, from: usize) -> String {
        let idle = |screen: &str| screen.contains("Watching lessons/01-sleeper/src/exercises.rs");
        screen_where(watch, from, "screen after a check", &idle, BUILD)
    }

    /// Presses `key` and waits for a screen that shows every one of `wanted`.
    fn press(watch: &mut Live, key: &str, wanted: &[&str]) -> String {
        let from = watch.printed();
        watch.press(key).unwrap();
        let all = |screen: &str| wanted.iter().all(|w| screen.contains(w));
        screen_where(
            watch,
            from,
            &format!("{wanted:?} after {key}"),
            &all,
            REDRAW,
        )
    }

    #[test]
    fn watch_checks_on_save_and_answers_keys() {
        let scratch = Scratch::new();
        let names = scratch.exercise_names("sleeper");
        let mut watch = match terminal::start(&scratch.xtask(&["watch", "sleeper"]), BUILD * 2) {
            Ok(watch) => watch,
            Err(why) => return terminal::unavailable(&why),
        };
        let screen = checked_screen(&mut watch, 0);
        for wanted in [
            "0 of 3 core exercises done",
            &format!("Exercise 1, `{}` (core), at lessons/01-sleeper/", names[0]),
            "Not started",
            "h hint · n next exercise · l list · r re-check · q quit",
        ] {
            assert!(screen.contains(wanted), "no {wanted:?} in:\n{screen}");
        }

        // A learner's answer: the solution, and a thread joined whose
        // result is dropped (a warning the compiler gives).
        let before = watch.printed();
        scratch.solve("sleeper", &names[0]);
        let code = scratch.exercise_code("sleeper", &names[0]);
        let body = code.find(" {\n").expect("a function") + 3;
        let joined = "    std::thread::spawn(|| ()).join();\n";
        let warned = format!("{}{joined}{}", &code[..body], &code[body..]);
        scratch.write_exercise("sleeper", &names[0], &warned);
        let saved = Instant::now();
        let noticed = watch.wait_for(before, &["Checking"], NOTICED * 5);
        let noticed = noticed.unwrap_or_else(|why| panic!("{why}")) - saved;
        let screen = checked_screen(&mut watch, before);
        eprintln!(
            "watch noticed the save after {noticed:?}, showed the result after {:?}",
            saved.elapsed()
        );
        assert!(noticed < NOTICED, "the save was noticed after {noticed:?}");
        for wanted in [
            &format!("✔ `{}` passes.", names[0]),
            "Reference solution: lessons/01-sleeper/src/solutions.rs:",
            // rustc's words vary (`Result`, `std::result::Result`).
            "warning: unused `",
            "` that must be used",
            joined.trim(),
            "1 of 3 core exercises done",
            // On to the next exercise.
            &format!("Exercise 2, `{}`", names[1]),
        ] {
            assert!(screen.contains(wanted), "no {wanted:?} in:\n{screen}");
        }
        idle_cpu(&watch);

        press(&mut watch, "h", &["Hint:", "h hide hint"]);
        let third = format!("Exercise 3, `{}`", names[2]);
        let screen = press(&mut watch, "n", &[&third, "h hint ·"]);
        assert!(!screen.contains("Hint:"), "{screen}");
        let list = press(&mut watch, "l", &["1-9 pick", "l back"]);
        assert!(list.contains(&format!("✔ 1 {}", names[0])), "{list}");
        assert!(list.contains(&format!("· 2 {}", names[1])), "{list}");
        press(&mut watch, "l", &[&third]);
        let before = watch.printed();
        watch.press("r").unwrap();
        watch.wait_for(before, &["Checking"], REDRAW).unwrap();
        let screen = checked_screen(&mut watch, before);
        assert!(screen.contains("1 of 3 core exercises done"), "{screen}");

        let before = watch.printed();
        watch.press("q").unwrap();
        assert_eq!(watch.wait(REDRAW), Ok(Some(0)));
        let last = watch.since(before);
        assert!(last.contains("Stopped watching."), "{last}");
        assert_eq!(scratch.processes_left(), Vec::<String>::new());
    }

    /// Waiting for a save uses no CPU to speak of: under 5% of a core over
    /// three seconds (Linux, where `/proc` counts a process's CPU time;
    /// elsewhere not measured).
    fn idle_cpu(watch: &Live) {
        #[cfg(target_os = "linux")]
        {
            let cpu = |id: u32| {
                let stat = std::fs::read_to_string(format!("/proc/{id}/stat")).unwrap();
                // The fields after the command's name, which is in brackets:
                // utime and stime are the 12th and 13th, in clock ticks.
                let fields: Vec<u64> = stat[stat.rfind(')').unwrap() + 2..]
                    .split(' ')
                    .skip(11)
                    .take(2)
                    .map(|f| f.parse().unwrap())
                    .collect();
                // SAFETY: sysconf has no preconditions.
                let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
                Duration::from_secs_f64((fields[0] + fields[1]) as f64 / per_second)
            };
            let window = Duration::from_secs(3);
            let (began, before) = (Instant::now(), cpu(watch.id()));
            std::thread::sleep(window);
            let (used, wall) = (cpu(watch.id()) - before, began.elapsed());
            eprintln!("watch used {used:?} of CPU in {wall:?} waiting");
            assert!(used < wall / 20, "watch used {used:?} of CPU in {wall:?}");
        }
        let _ = watch;
    }
}
