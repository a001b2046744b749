//! A lesson's own command-line flags, each declared once as a typed
//! constant that the lesson's table and the code that reads it share.
//!
//! ```
//! use workshop::flag::{Flag, whole_number};
//!
//! /// `--sleepers N`: how many threads the demonstration starts.
//! pub const SLEEPERS: Flag<usize> = Flag {
//!     name: "sleepers",
//!     value: "N",
//!     help: "How many sleepers to start, 1 to 32",
//!     default: 3,
//!     parse: whole_number::<1, 32>,
//!     invalid: &["0", "33", "three"],
//! };
//!
//! assert_eq!((SLEEPERS.parse)("8"), Ok(8));
//! assert_eq!((SLEEPERS.parse)("0").unwrap_err(), "expects a whole number from 1 to 32");
//! ```
//!
//! The lesson lists it in `Lesson::flags` (`flags: &[&SLEEPERS]`), which
//! puts it in `--help`, parses it once on the command line, passes it on to
//! child processes and feeds the bad-input tests its `invalid` examples;
//! a section reads the parsed value with `ctx.flag(&SLEEPERS)`. A misspelt
//! constant does not compile, and there is no second parse that could fall
//! back to a default.

use std::any::Any;
use std::fmt::{self, Display};
use std::sync::Arc;
use std::time::Duration;

/// A flag that takes a value, such as `--sleepers N`.
pub struct Flag<T: 'static> {
    /// The name without dashes: `sleepers`.
    pub name: &'static str,
    /// The value's placeholder in `--help`: `N`.
    pub value: &'static str,
    /// One line for `--help`; the default is added after it.
    pub help: &'static str,
    /// The value when the flag is not given.
    pub default: T,
    /// Reads a value; the error completes "--sleepers …, got `x`".
    pub parse: fn(&str) -> Result<T, String>,
    /// Values that `parse` must refuse: the bad-input tests try each.
    pub invalid: &'static [&'static str],
}

/// A flag without a value, such as `--compare-python`: on when given.
pub struct Switch {
    /// The name without dashes.
    pub name: &'static str,
    /// One line for `--help`.
    pub help: &'static str,
}

/// A parsed value, kept without its type until [`Flag`] asks for it back.
pub(crate) type Value = Arc<dyn Any + Send + Sync>;

/// What the command line needs to know of any flag, whatever its type: the
/// lesson's table holds `&dyn AnyFlag`s.
pub trait AnyFlag: Sync {
    /// The name without dashes.
    fn name(&self) -> &'static str;
    /// The value's placeholder, or `None` for a switch.
    fn value_name(&self) -> Option<&'static str>;
    /// The `--help` line, default included.
    fn help(&self) -> String;
    /// The default as it would be typed, or `None` for a switch.
    fn default_text(&self) -> Option<String>;
    /// Values the flag must refuse.
    fn invalid(&self) -> &'static [&'static str];
    /// Reads the value given on the command line (`""` for a switch).
    fn parse_value(&self, text: &str) -> Result<Value, String>;
}

impl<T: Clone + Display + Send + Sync + 'static> AnyFlag for Flag<T> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn value_name(&self) -> Option<&'static str> {
        Some(self.value)
    }

    fn help(&self) -> String {
        format!("{} (default {})", self.help, self.default)
    }

    fn default_text(&self) -> Option<String> {
        Some(self.default.to_string())
    }

    fn invalid(&self) -> &'static [&'static str] {
        self.invalid
    }

    fn parse_value(&self, text: &str) -> Result<Value, String> {
        (self.parse)(text).map(|value| Arc::new(value) as Value)
    }
}

impl AnyFlag for Switch {
    fn name(&self) -> &'static str {
        self.name
    }

    fn value_name(&self) -> Option<&'static str> {
        None
    }

    fn help(&self) -> String {
        self.help.to_owned()
    }

    fn default_text(&self) -> Option<String> {
        None
    }

    fn invalid(&self) -> &'static [&'static str] {
        &[]
    }

    fn parse_value(&self, _: &str) -> Result<Value, String> {
        Ok(Arc::new(true))
    }
}

/// A [`Flag::parse`] for whole numbers from `MIN` to `MAX`.
///
/// ```
/// use workshop::flag::whole_number;
/// assert_eq!(whole_number::<1, 32>("3"), Ok(3));
/// assert_eq!(whole_number::<1, 32>("0").unwrap_err(), "expects a whole number from 1 to 32");
/// ```
pub fn whole_number<const MIN: usize, const MAX: usize>(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (MIN..=MAX).contains(&n) => Ok(n),
        _ => Err(format!("expects a whole number from {MIN} to {MAX}")),
    }
}

/// A duration given in milliseconds on the command line: `--switch-interval 5`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Millis(pub Duration);

impl Millis {
    /// Reads milliseconds from `min` to `max` (a [`Flag::parse`] calls this
    /// with its bounds).
    ///
    /// ```
    /// use std::time::Duration;
    /// use workshop::flag::Millis;
    /// assert_eq!(Millis::between("0.5", 0.01, 100.0), Ok(Millis(Duration::from_micros(500))));
    /// assert!(Millis::between("0", 0.01, 100.0).is_err());
    /// ```
    pub fn between(text: &str, min: f64, max: f64) -> Result<Millis, String> {
        match text.parse::<f64>() {
            Ok(ms) if (min..=max).contains(&ms) => Ok(Millis(Duration::from_secs_f64(ms / 1000.0))),
            _ => Err(format!("expects milliseconds from {min} to {max}")),
        }
    }
}

impl Display for Millis {
    /// As it would be typed: `5`, `0.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_secs_f64() * 1000.0)
    }
}

/// Flags for the core's own tests.
#[cfg(test)]
pub(crate) mod examples {
    use super::*;

    /// `--threads N`, 1 to 8, default 4.
    pub(crate) static THREADS: Flag<usize> = Flag {
        name: "threads",
        value: "N",
        help: "How many",
        default: 4,
        parse: whole_number::<1, 8>,
        invalid: &["0", "9"],
    };

    /// `--loud`.
    pub(crate) static LOUD: Switch = Switch {
        name: "loud",
        help: "Shout",
    };
}

#[cfg(test)]
mod tests {
    use super::examples::THREADS as DEMO;
    use super::*;

    #[test]
    fn help_names_the_default() {
        assert_eq!(DEMO.help(), "How many (default 4)");
    }

    #[test]
    fn a_value_comes_back_with_its_type() {
        let value = DEMO.parse_value("6").unwrap();
        assert_eq!(value.downcast_ref::<usize>(), Some(&6));
        assert!(DEMO.parse_value("nine").is_err());
    }

    #[test]
    fn milliseconds_print_as_they_are_typed() {
        assert_eq!(Millis(Duration::from_millis(5)).to_string(), "5");
        assert_eq!(Millis(Duration::from_micros(500)).to_string(), "0.5");
        assert_eq!(
            Millis::between("5", 0.01, 100.0),
            Ok(Millis(Duration::from_millis(5)))
        );
    }
}
