//! What every command shares: `--color WHEN`, anywhere on the command
//! line (`cargo xtask --color always all`, `cargo xtask all --color never`).
//! It colours xtask's own output and is passed on to the lessons that
//! `all` and `run` start.

use workshop::style::ColorChoice;

use crate::failure::Failure;

/// Takes `--color WHEN` (or `--color=WHEN`) out of the arguments, applies
/// it to this process, and returns the rest.
pub fn take_color(args: &[String]) -> Result<Vec<String>, Failure> {
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let when = match arg.strip_prefix("--color") {
            Some("") => args
                .next()
                .ok_or_else(|| Failure::Usage("--color needs a value (WHEN)".into()))?,
            Some(inline) if inline.starts_with('=') => &inline[1..],
            _ => {
                rest.push(arg.clone());
                continue;
            }
        };
        ColorChoice::parse(when)
            .map_err(|why| Failure::Usage(format!("--color {why}, got `{when}`")))?
            .apply();
    }
    Ok(rest)
}

/// The arguments that give a lesson the colour choice of this process:
/// none for `auto`, since a lesson decides that for itself on the same
/// terminal.
pub fn color_for_lessons() -> Vec<String> {
    match ColorChoice::current() {
        ColorChoice::Auto => Vec::new(),
        choice => vec!["--color".to_owned(), choice.name().to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn color_is_taken_out_wherever_it_is() {
        // `auto` only, so that this test leaves the process's choice as
        // it found it.
        let rest = take_color(&strings(&["--color", "auto", "all", "--color=auto"])).unwrap();
        assert_eq!(rest, ["all"]);
        assert_eq!(ColorChoice::current(), ColorChoice::Auto);
        assert!(color_for_lessons().is_empty());
    }

    #[test]
    fn a_bad_color_is_one_clear_line() {
        let refused = take_color(&strings(&["all", "--color", "pink"])).unwrap_err();
        assert_eq!(
            refused,
            Failure::Usage("--color expects auto, always or never, got `pink`".into())
        );
        let missing = take_color(&strings(&["--color"])).unwrap_err();
        assert_eq!(
            missing,
            Failure::Usage("--color needs a value (WHEN)".into())
        );
    }
}
