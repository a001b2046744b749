//! Colour on a terminal, and only there: one palette and one rule for the
//! lessons and for `cargo xtask`.
//!
//! ```
//! use workshop::style::{Colors, Style};
//! assert_eq!(Colors::new(false).paint("ok", Style::Good), "ok");
//! assert_eq!(Colors::new(true).paint("ok", Style::Good), "\x1b[32mok\x1b[0m");
//! ```

use std::io::IsTerminal;

/// What a piece of text is, for the terminal's colours.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// A lesson's or a section's heading.
    Heading,
    /// Asides: legends, notes about the run.
    Dim,
    /// The thread name in front of a line a thread says.
    Speaker,
    /// A failure worth noticing from the back of the room.
    Warning,
    /// Something that passed.
    Good,
    /// Something that failed.
    Bad,
    /// A label that should stand out, such as `Hint:`.
    Strong,
}

impl Style {
    /// The ANSI escape parameters.
    fn code(self) -> &'static str {
        match self {
            Style::Heading => "1;36",
            Style::Dim => "2",
            Style::Speaker => "33",
            Style::Warning => "1;31",
            Style::Good => "32",
            Style::Bad => "31",
            Style::Strong => "1",
        }
    }
}

/// Whether text gets colours, decided once for an output stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Colors {
    on: bool,
}

impl Colors {
    /// Colours on or off, as decided elsewhere (a setting, a test).
    pub fn new(on: bool) -> Self {
        Colors { on }
    }

    /// Colours for what goes to `stream`: only on a terminal, and not when
    /// `NO_COLOR` is set to anything but nothing (<https://no-color.org>).
    pub fn for_stream(stream: &impl IsTerminal) -> Self {
        Colors::new(stream.is_terminal() && !no_color(std::env::var_os("NO_COLOR")))
    }

    /// Colours for stdout: see [`Colors::for_stream`].
    pub fn for_stdout() -> Self {
        Colors::for_stream(&std::io::stdout())
    }

    /// Whether colours are on.
    pub fn on(self) -> bool {
        self.on
    }

    /// `text` in `style` when colours are on, as it is otherwise.
    pub fn paint(self, text: &str, style: Style) -> String {
        if self.on {
            format!("\x1b[{}m{text}\x1b[0m", style.code())
        } else {
            text.to_owned()
        }
    }
}

fn no_color(value: Option<std::ffi::OsString>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_no_color_does_not_count() {
        assert!(!no_color(None));
        assert!(!no_color(Some("".into())));
        assert!(no_color(Some("1".into())));
    }
}
