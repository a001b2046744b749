//! Who is speaking: the name a thread goes by in the lesson's output, and
//! the order in which speakers are listed (`main` first, then by name, with
//! numbers compared by value: `t-2` before `t-10`).

use std::cell::Cell;

thread_local! {
    /// Set on the thread that runs the lesson's sections.
    static NARRATOR: Cell<bool> = const { Cell::new(false) };
}

/// Marks the calling thread as the one running the lesson, until the guard is
/// dropped: [`thread_label`] then calls it `main`, whatever the test harness
/// named it.
pub(crate) fn narrate_on_this_thread() -> impl Drop {
    struct Narrator(bool);
    impl Drop for Narrator {
        fn drop(&mut self) {
            NARRATOR.set(self.0);
        }
    }
    Narrator(NARRATOR.replace(true))
}

/// The name the calling thread goes by in the lesson's output: `main` for
/// the thread running the lesson, otherwise its name, or `unnamed`.
pub fn thread_label() -> String {
    if NARRATOR.get() {
        return "main".to_owned();
    }
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned()
}

/// `main` first, then names in natural order (`t-2` before `t-10`).
pub(crate) fn speaker_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a != "main")
        .cmp(&(b != "main"))
        .then_with(|| natural_order(a, b))
}

/// Orders names so that embedded numbers compare by value.
pub(crate) fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                let mut n = u64::from(c as u8 - b'0');
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(u64::from(d));
                    chars.next();
                }
                out.push((std::mem::take(&mut text), n));
            } else {
                text.push(c);
            }
        }
        out.push((text, 0));
        out
    }
    chunks(a).cmp(&chunks(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut names = vec!["sleeper-10", "main", "sleeper-2", "sleeper-1"];
        names.sort_by(|a, b| speaker_order(a, b));
        assert_eq!(names, ["main", "sleeper-1", "sleeper-2", "sleeper-10"]);
    }
}
