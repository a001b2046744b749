//! Colour on a terminal, and only there: one palette and one rule for the
//! lessons and for `cargo xtask`. `--color always` forces it (for
//! `| less -R`), `--color never` turns it off, and the default, `auto`,
//! colours a terminal unless `NO_COLOR` is set to something
//! (<https://no-color.org>): a program's own flag wins over the variable.
//!
//! ```
//! use workshop::style::{Colors, Style};
//! assert_eq!(Colors::new(false).paint("ok", Style::Good), "ok");
//! assert_eq!(Colors::new(true).paint("ok", Style::Good), "\x1b[32mok\x1b[0m");
//! ```

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

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

/// `--color WHEN`: whether to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set to something.
    #[default]
    Auto,
    /// Always, even into a pipe (`| less -R`).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// The choices as they are typed, for `--help`.
    pub const NAMES: &'static str = "auto, always or never";

    /// Reads `auto`, `always` or `never`; the error completes
    /// "--color …, got `x`".
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(ColorChoice::Auto),
            "always" => Ok(ColorChoice::Always),
            "never" => Ok(ColorChoice::Never),
            _ => Err(format!("expects {}", ColorChoice::NAMES)),
        }
    }

    /// The choice as it is typed.
    pub fn name(self) -> &'static str {
        match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }
    }

    /// Makes this the choice of the whole process: every later
    /// [`Colors::for_stream`] follows it. `main` calls it once, after
    /// reading the command line.
    pub fn apply(self) {
        CHOICE.store(self as u8, Relaxed);
    }

    /// The choice [`ColorChoice::apply`] made, `Auto` until then.
    pub fn current() -> Self {
        match CHOICE.load(Relaxed) {
            1 => ColorChoice::Always,
            2 => ColorChoice::Never,
            _ => ColorChoice::Auto,
        }
    }

    /// Whether a stream gets colours under this choice.
    fn colors(self, terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // Only a non-empty NO_COLOR turns colour off.
            ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

/// The process's [`ColorChoice`], as its discriminant. A plain flag: it is
/// set once, before anything is printed.
static CHOICE: AtomicU8 = AtomicU8::new(ColorChoice::Auto as u8);

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

    /// Colours for what goes to `stream`, by the process's
    /// [`ColorChoice`]: with `auto`, only on a terminal, and not when
    /// `NO_COLOR` is set to anything but nothing.
    pub fn for_stream(stream: &impl IsTerminal) -> Self {
        let choice = ColorChoice::current();
        Colors::new(choice.colors(stream.is_terminal(), std::env::var_os("NO_COLOR")))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_no_color_does_not_count() {
        let auto = ColorChoice::Auto;
        assert!(auto.colors(true, None));
        assert!(auto.colors(true, Some("".into())));
        assert!(!auto.colors(true, Some("1".into())));
        assert!(!auto.colors(false, None), "not into a pipe");
    }

    #[test]
    fn the_flag_wins_over_the_terminal_and_no_color() {
        assert!(ColorChoice::Always.colors(false, Some("1".into())));
        assert!(!ColorChoice::Never.colors(true, None));
    }

    #[test]
    fn choices_read_back_as_typed() {
        for choice in [ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never] {
            assert_eq!(ColorChoice::parse(choice.name()), Ok(choice));
        }
        assert_eq!(
            ColorChoice::parse("yes").unwrap_err(),
            "expects auto, always or never"
        );
    }
}
