//! `cargo xtask watch` in a pseudo-terminal, as a learner runs it: it
//! shows the lesson's progress, checks again when the exercises file is
//! saved, shows an exercise that passes as done with its solution's
//! place and its warnings, shows the hint on `h` and quits on `q`. Piped,
//! it refuses in one line.

mod scratch;

use std::time::{Duration, Instant};

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
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::{Child, Stdio};
    use std::sync::{Arc, Mutex};
    use std::thread;

    use super::*;

    /// How long the first check may take: it builds the lesson's tests.
    const FIRST_BUILD: Duration = Duration::from_secs(600);

    /// The bound: a save is checked within 2 s.
    const NOTICED: Duration = Duration::from_secs(2);

    /// A pseudo-terminal: the end the test reads and types into, and the
    /// end `watch` gets as its stdin, stdout and stderr.
    fn pseudo_terminal() -> (File, OwnedFd) {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: 40,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: two live ints for the descriptors, a live winsize to
        // read; a null name and settings are allowed.
        let made = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &size as *const libc::winsize as *mut libc::winsize,
            )
        };
        assert_eq!(made, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: openpty just opened both; nothing else owns them.
        unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
    }

    /// `watch` running in a pseudo-terminal, and everything it printed.
    struct Watch {
        child: Child,
        keys: File,
        screen: Arc<Mutex<String>>,
    }

    impl Watch {
        fn start(scratch: &Scratch, lesson: &str) -> Watch {
            let (master, slave) = pseudo_terminal();
            let mut command = scratch.xtask(&["watch", lesson]);
            command
                .stdin(Stdio::from(slave.try_clone().unwrap()))
                .stdout(Stdio::from(slave.try_clone().unwrap()))
                .stderr(Stdio::from(slave));
            let child = command.spawn().unwrap();
            drop(command); // its copies of the terminal's end
            let screen = Arc::new(Mutex::new(String::new()));
            let mut output = master.try_clone().unwrap();
            let shown = Arc::clone(&screen);
            thread::spawn(move || {
                let mut bytes = [0; 4096];
                // Ends with an error (EIO) once `watch` has exited.
                while let Ok(n @ 1..) = output.read(&mut bytes) {
                    let text = String::from_utf8_lossy(&bytes[..n]);
                    shown.lock().unwrap().push_str(&text);
                }
            });
            Watch {
                child,
                keys: master,
                screen,
            }
        }

        /// How much has been printed so far.
        fn printed(&self) -> usize {
            self.screen.lock().unwrap().len()
        }

        /// Waits until everything printed after `from` contains each of
        /// `wanted`; returns when that was first seen.
        fn wait_for(&mut self, from: usize, wanted: &[&str], limit: Duration) -> Instant {
            let began = Instant::now();
            loop {
                {
                    let screen = self.screen.lock().unwrap();
                    let recent = screen.get(from..).unwrap_or_default();
                    if wanted.iter().all(|w| recent.contains(w)) {
                        return Instant::now();
                    }
                    if began.elapsed() > limit {
                        let _ = self.child.kill();
                        panic!("no {wanted:?} within {limit:?}; watch printed:\n{recent}");
                    }
                }
                if let Ok(Some(status)) = self.child.try_wait() {
                    thread::sleep(Duration::from_millis(200));
                    let screen = self.screen.lock().unwrap();
                    panic!("watch ended ({status}) before {wanted:?}:\n{screen}");
                }
                thread::sleep(Duration::from_millis(20));
            }
        }

        fn press(&mut self, key: &str) {
            self.keys.write_all(key.as_bytes()).unwrap();
        }
    }

    #[test]
    fn watch_checks_on_save_and_answers_keys() {
        let scratch = Scratch::new();
        let first = scratch.exercise_names("sleeper")[0].clone();
        let mut watch = Watch::start(&scratch, "sleeper");
        watch.wait_for(0, &["0 of 3 core exercises done", "q quit"], FIRST_BUILD);
        watch.wait_for(
            0,
            &["Watching lessons/01-sleeper/src/exercises.rs"],
            FIRST_BUILD,
        );

        // A learner's answer: the solution, and a thread joined whose
        // result is dropped (a warning the compiler gives).
        let before = watch.printed();
        scratch.solve("sleeper", &first);
        let code = scratch.exercise_code("sleeper", &first);
        let body = code.find(" {\n").expect("a function") + 3;
        let warned = format!(
            "{}    std::thread::spawn(|| ()).join();\n{}",
            &code[..body],
            &code[body..]
        );
        scratch.write_exercise("sleeper", &first, &warned);
        let saved = Instant::now();
        let noticed = watch.wait_for(before, &["Checking"], NOTICED * 5);
        let took = noticed - saved;
        eprintln!("watch noticed the save after {took:?}");
        assert!(took < NOTICED, "the save was noticed after {took:?}");
        watch.wait_for(
            before,
            &[
                &format!("`{first}` passes."),
                "Reference solution: lessons/01-sleeper/src/solutions.rs:",
                "warning: unused `Result`",
                "1 of 3 core exercises done",
            ],
            FIRST_BUILD,
        );

        let before = watch.printed();
        watch.press("h");
        watch.wait_for(before, &["Hint:", "h hide hint"], Duration::from_secs(10));

        watch.press("q");
        let began = Instant::now();
        let status = loop {
            if let Some(status) = watch.child.try_wait().unwrap() {
                break status;
            }
            assert!(began.elapsed() < Duration::from_secs(10), "q did not quit");
            thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(0));
        assert_eq!(scratch.processes_left(), Vec::<String>::new());
    }
}
