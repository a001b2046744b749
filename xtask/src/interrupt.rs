//! Ctrl-C during `cargo xtask all`: the lesson running ends (the terminal
//! sends Ctrl-C to it as well), and `all` prints the summary of what ran
//! before it exits with code 130, instead of vanishing mid-table.
//!
//! Catching Ctrl-C takes one call on each platform, declared here rather
//! than pulled in with a crate: `signal(2)` on Unix (through `libc`, which
//! the workspace builds anyway), `SetConsoleCtrlHandler` on Windows. The
//! handler only sets a flag, the one thing a signal handler may safely do;
//! `all` looks at it while it waits for the lesson.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C was pressed since [`catch`].
pub fn happened() -> bool {
    INTERRUPTED.load(Relaxed)
}

/// From now on, Ctrl-C sets the flag instead of ending xtask.
pub fn catch() {
    platform::catch();
}

#[cfg(unix)]
mod platform {
    use super::{INTERRUPTED, Relaxed};

    extern "C" fn on_interrupt(_signal: libc::c_int) {
        INTERRUPTED.store(true, Relaxed);
    }

    pub fn catch() {
        let handler: extern "C" fn(libc::c_int) = on_interrupt;
        // SAFETY: `on_interrupt` only stores to an atomic, which is
        // async-signal-safe, and it lives as long as the program.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }
}

#[cfg(windows)]
mod platform {
    use super::{INTERRUPTED, Relaxed};

    /// `CTRL_C_EVENT` and `CTRL_BREAK_EVENT`.
    const CTRL_C: u32 = 0;
    const CTRL_BREAK: u32 = 1;

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn SetConsoleCtrlHandler(
            handler: Option<unsafe extern "system" fn(u32) -> i32>,
            add: i32,
        ) -> i32;
    }

    unsafe extern "system" fn on_interrupt(event: u32) -> i32 {
        if event == CTRL_C || event == CTRL_BREAK {
            INTERRUPTED.store(true, Relaxed);
            1 // handled: xtask goes on to print the summary
        } else {
            0
        }
    }

    pub fn catch() {
        // SAFETY: the handler only stores to an atomic and lives as long as
        // the program; Windows calls it on a thread of its own.
        unsafe {
            SetConsoleCtrlHandler(Some(on_interrupt), 1);
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod platform {
    /// Elsewhere Ctrl-C ends xtask as it always did.
    pub fn catch() {}
}
