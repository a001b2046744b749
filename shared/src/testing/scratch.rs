//! Folders and scripts that tests make, and clean up after themselves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// A folder of a test's own in the temporary directory, removed with what
/// is in it when the value is dropped, whether the test passed or panicked.
/// Its name is `NAME-PID-N`: tests running at once never share one.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// Makes an empty folder named after `name`.
    ///
    /// # Panics
    /// If the folder cannot be made: the test cannot go on without it.
    pub fn new(name: &str) -> Scratch {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let n = MADE.fetch_add(1, Relaxed);
        let path = std::env::temp_dir().join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        if let Err(e) = std::fs::create_dir_all(&path) {
            panic!("cannot make the folder {}: {e}", path.display());
        }
        Scratch { path }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the folder.
    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Writes a shell script at `path` with this body, makes it executable, and
/// returns once it can be started (tried with `WORKSHOP_SCRIPT_PROBE`
/// set, which ends the script before its body).
///
/// Why the wait: on Linux, a file that some process still has open for
/// writing cannot be executed ("Text file busy"). A test that writes a
/// script holds it open for a moment, and a process that another test
/// starts in that moment inherits the open file until it has started its
/// own program. Once one run of the script succeeds no such copy is left,
/// and none can appear, since nobody writes the file any more.
///
/// # Panics
/// If the script cannot be written or still cannot be started after 5 s.
#[cfg(unix)]
pub fn write_script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    const TEXT_FILE_BUSY: i32 = 26; // ETXTBSY on Linux and macOS
    const PROBE: &str = "WORKSHOP_SCRIPT_PROBE";
    let script = format!("#!/bin/sh\n[ -z \"${PROBE}\" ] || exit 0\n{body}\n");
    let written = std::fs::write(path, script)
        .and_then(|()| std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)));
    if let Err(e) = written {
        panic!("cannot write the script {}: {e}", path.display());
    }
    let began = Instant::now();
    loop {
        let probe = std::process::Command::new(path)
            .env(PROBE, "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        match probe {
            Err(e) if e.raw_os_error() == Some(TEXT_FILE_BUSY) => {
                assert!(
                    began.elapsed() < Duration::from_secs(5),
                    "the script {} is still busy after 5 s",
                    path.display()
                );
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("cannot start the script {}: {e}", path.display()),
            Ok(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_goes_when_dropped() {
        let scratch = Scratch::new("workshop-scratch-test");
        std::fs::write(scratch.join("inside"), "x").unwrap();
        let path = scratch.path().to_owned();
        assert!(path.join("inside").is_file());
        drop(scratch);
        assert!(!path.exists(), "{} is still there", path.display());
    }

    #[test]
    fn two_scratch_folders_are_two_folders() {
        let (a, b) = (
            Scratch::new("workshop-scratch-test"),
            Scratch::new("workshop-scratch-test"),
        );
        assert_ne!(a.path(), b.path());
    }

    #[cfg(unix)]
    #[test]
    fn a_written_script_runs() {
        let scratch = Scratch::new("workshop-scratch-test");
        let script = scratch.join("hello");
        write_script(&script, "echo hello");
        let output = std::process::Command::new(&script).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout), "hello\n");
    }
}
