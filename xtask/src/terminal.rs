//! The terminal, for `watch` and `reset`: whether anyone is there to
//! answer, keys as they are pressed (no Enter, no echo), and the screen
//! cleared before each redraw.
//!
//! Raw mode takes a few calls of the platform's own API, declared here
//! rather than pulled in with a terminal crate (crossterm brings mio,
//! signal-hook and more into every learner's first build): on Unix (Linux,
//! macOS) termios through `libc`, which the workshop already builds; on
//! Windows the console API from kernel32. Output stays cooked: `\n` still
//! starts a new line.
//!
//! Ctrl-C arrives as a key (signals are off in raw mode), so that `watch`
//! can put the terminal back as it was before it ends.

use std::io::{self, IsTerminal};

/// Whether a person can answer: both stdin and stdout are a terminal (not
/// a pipe, a file or CI).
pub fn someone_can_answer() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

/// A key the learner pressed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Ctrl-C or Ctrl-D: the learner wants out.
    Interrupt,
    /// Anything else (arrows, Enter, function keys).
    Other,
}

/// Clears the screen and puts the cursor at the top left (ANSI; on
/// Windows, [`RawMode::enter`] turns the console's support for it on).
pub const CLEAR: &str = "\x1b[2J\x1b[3J\x1b[H";

/// Keys come one at a time while this lives; dropping it puts the
/// terminal back as it was.
pub struct RawMode {
    saved: platform::Saved,
}

impl RawMode {
    /// Switches the terminal to reading keys one at a time.
    pub fn enter() -> io::Result<RawMode> {
        Ok(RawMode {
            saved: platform::enter()?,
        })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        platform::restore(&self.saved);
    }
}

/// Waits for the next key.
pub fn read_key() -> io::Result<Key> {
    platform::read_key()
}

/// What one character typed means.
fn key(c: char) -> Key {
    match c {
        '\u{3}' | '\u{4}' => Key::Interrupt,
        c if c.is_ascii_graphic() => Key::Char(c),
        _ => Key::Other,
    }
}

#[cfg(unix)]
mod platform {
    use std::io::{self, Read};

    use super::{Key, key};

    /// The terminal's settings before raw mode.
    pub type Saved = libc::termios;

    pub fn enter() -> io::Result<Saved> {
        // SAFETY: `termios` is a plain C struct; zeroes are a valid value
        // for tcgetattr to overwrite.
        let mut settings: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: the pointer is to a live, writable termios.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut settings) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let saved = settings;
        // No line editing, no echo, no signals from Ctrl-C; each byte is
        // delivered as it comes (at least one per read).
        settings.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN);
        settings.c_iflag &= !(libc::IXON | libc::ICRNL);
        settings.c_cc[libc::VMIN] = 1;
        settings.c_cc[libc::VTIME] = 0;
        set(&settings)?;
        Ok(saved)
    }

    pub fn restore(saved: &Saved) {
        // Nothing more can be done if this fails: the terminal is gone.
        let _ = set(saved);
    }

    fn set(settings: &libc::termios) -> io::Result<()> {
        // SAFETY: the pointer is to a live termios.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, settings) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn read_key() -> io::Result<Key> {
        let mut bytes = [0u8; 16];
        let read = io::stdin().lock().read(&mut bytes)?;
        Ok(match &bytes[..read] {
            [] => Key::Interrupt, // end of input
            // One byte is one key; an escape sequence (an arrow) or a
            // character of several bytes is none we use.
            [byte] => key(char::from(*byte)),
            _ => Key::Other,
        })
    }
}

#[cfg(windows)]
mod platform {
    use std::ffi::c_void;
    use std::io;

    use super::{Key, key};

    type Handle = *mut c_void;

    const STD_INPUT_HANDLE: u32 = -10i32 as u32;
    const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
    const ENABLE_PROCESSED_INPUT: u32 = 0x0001;
    const ENABLE_LINE_INPUT: u32 = 0x0002;
    const ENABLE_ECHO_INPUT: u32 = 0x0004;
    const ENABLE_VIRTUAL_TERMINAL_PROCESSING: u32 = 0x0004;
    const KEY_EVENT: u16 = 0x0001;

    /// `KEY_EVENT_RECORD`. Only some fields are read; all are needed
    /// for the layout.
    #[allow(dead_code)]
    #[repr(C)]
    #[derive(Clone, Copy, Default)]
    struct KeyEventRecord {
        key_down: i32,
        repeat_count: u16,
        virtual_key_code: u16,
        virtual_scan_code: u16,
        unicode_char: u16,
        control_key_state: u32,
    }

    /// `INPUT_RECORD`: an event type, then a union whose largest members
    /// (key and mouse events) are 16 bytes, aligned to 4.
    #[repr(C)]
    #[derive(Clone, Copy, Default)]
    struct InputRecord {
        event_type: u16,
        event: KeyEventRecord,
    }

    // The layout Windows reads and writes: 2 bytes of type, 2 of padding,
    // 16 of event.
    const _: () = assert!(size_of::<InputRecord>() == 20);

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetStdHandle(which: u32) -> Handle;
        fn GetConsoleMode(console: Handle, mode: *mut u32) -> i32;
        fn SetConsoleMode(console: Handle, mode: u32) -> i32;
        fn ReadConsoleInputW(
            console: Handle,
            buffer: *mut InputRecord,
            length: u32,
            read: *mut u32,
        ) -> i32;
    }

    /// The console's input and output modes before raw mode.
    pub struct Saved {
        input: u32,
        output: Option<u32>,
    }

    fn handle(which: u32) -> Handle {
        // SAFETY: GetStdHandle has no preconditions.
        unsafe { GetStdHandle(which) }
    }

    fn mode(console: Handle) -> io::Result<u32> {
        let mut mode = 0;
        // SAFETY: `mode` is a live u32 to write to; a bad handle is an error.
        if unsafe { GetConsoleMode(console, &mut mode) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(mode)
    }

    fn set_mode(console: Handle, mode: u32) -> io::Result<()> {
        // SAFETY: a bad handle or mode is an error, not undefined behaviour.
        if unsafe { SetConsoleMode(console, mode) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn enter() -> io::Result<Saved> {
        let input = mode(handle(STD_INPUT_HANDLE))?;
        let raw = input & !(ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
        set_mode(handle(STD_INPUT_HANDLE), raw)?;
        // ANSI escapes for clearing and colour (on by default in Windows
        // Terminal; the older console needs asking).
        let output = mode(handle(STD_OUTPUT_HANDLE)).ok();
        if let Some(output) = output {
            let _ = set_mode(
                handle(STD_OUTPUT_HANDLE),
                output | ENABLE_VIRTUAL_TERMINAL_PROCESSING,
            );
        }
        Ok(Saved { input, output })
    }

    pub fn restore(saved: &Saved) {
        let _ = set_mode(handle(STD_INPUT_HANDLE), saved.input);
        if let Some(output) = saved.output {
            let _ = set_mode(handle(STD_OUTPUT_HANDLE), output);
        }
    }

    pub fn read_key() -> io::Result<Key> {
        loop {
            let mut record = InputRecord::default();
            let mut read = 0;
            // SAFETY: room for one record, and a live count to write to.
            let ok =
                unsafe { ReadConsoleInputW(handle(STD_INPUT_HANDLE), &mut record, 1, &mut read) };
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
            // Mouse, focus and resize events, and key releases, are not keys.
            let event = record.event;
            if read == 1 && record.event_type == KEY_EVENT && event.key_down != 0 {
                return Ok(match char::from_u32(u32::from(event.unicode_char)) {
                    Some('\0') | None => Key::Other,
                    Some(c) => key(c),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_mean_what_they_say() {
        assert_eq!(key('h'), Key::Char('h'));
        assert_eq!(key('\u{3}'), Key::Interrupt);
        assert_eq!(key('\r'), Key::Other);
        assert_eq!(key('\u{1b}'), Key::Other);
    }
}
