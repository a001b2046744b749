//! Where things are: every path and every cargo invocation goes through here.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Failure;

/// The repository's root (the workspace).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// The `lessons/` folder.
pub fn lessons_dir() -> PathBuf {
    root().join("lessons")
}

/// The `docs/` folder.
pub fn docs_dir() -> PathBuf {
    root().join("docs")
}

/// A `cargo` command run from the root, with the cargo that runs xtask.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// The target directory, as cargo sees it (it may be moved by
/// `CARGO_TARGET_DIR` or a config file).
pub fn target_dir() -> Result<PathBuf, Failure> {
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()?;
    if !output.status.success() {
        return Err(Failure::Broken(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let json = String::from_utf8_lossy(&output.stdout);
    json_string_field(&json, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| Failure::Broken("cargo metadata did not name a target directory".into()))
}

/// The value of the first `"key":"value"` in a JSON text, unescaped. Enough
/// for cargo metadata's flat string fields; not a JSON parser.
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
    None
}

/// A path relative to the root, with `/` separators, for messages.
pub fn shown(path: &Path) -> String {
    let relative = path.strip_prefix(root()).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_escaped_json_string() {
        let json = r#"{"packages":[],"target_directory":"C:\\work\\target","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some(r"C:\work\target")
        );
        assert_eq!(json_string_field(json, "missing"), None);
    }
}
