//! "Did you mean …?" for a mistyped name: a command, a lesson, a section or
//! a flag. The names are few and short, so the edit distance is computed
//! directly, with no dependency.
//!
//! ```
//! use workshop::suggest::did_you_mean;
//! let sections = ["start", "watch", "convoy"];
//! assert_eq!(did_you_mean("wach", sections), Some("watch"));
//! assert_eq!(did_you_mean("frobnicate", sections), None);
//! ```

/// The candidate closest to `wanted`, if it is close enough to be what was
/// meant: at most one edit for a short name, two from five letters on, and
/// always fewer edits than the name has letters. A letter added, removed,
/// replaced, or two neighbours swapped (`sectoin`) is one edit each. Ties
/// go to the earlier candidate.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = wanted.chars().count();
    let allowed = if length >= 5 { 2 } else { 1 };
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(wanted, candidate), candidate))
        .filter(|&(distance, _)| distance > 0 && distance <= allowed && distance < length)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// `"; did you mean `x`?"` to end an error message, or nothing: the same
/// words wherever a name is mistyped.
pub fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    hint_with(wanted, candidates, "")
}

/// [`hint`], or a full stop where there is nothing to suggest: for a
/// message that goes on with a list, `no section `wach`; did you mean
/// `watch`? Its sections are: …`.
pub fn hint_or_stop<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match hint(wanted, candidates) {
        none if none.is_empty() => ".".to_owned(),
        hint => hint,
    }
}

/// [`hint`] for names written with a prefix, such as flags: `--section`.
pub fn hint_with<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    prefix: &str,
) -> String {
    did_you_mean(wanted, candidates)
        .map(|name| format!("; did you mean `{prefix}{name}`?"))
        .unwrap_or_default()
}

/// The number of single-letter edits (insert, delete, replace, or swap two
/// neighbours) that turn `a` into `b`: the "optimal string alignment"
/// distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // rows[i][j]: the distance between the first i letters of a and the
    // first j of b.
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let replace = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + replace);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_of_each_kind() {
        assert_eq!(edit_distance("chek", "check"), 1, "a letter left out");
        assert_eq!(edit_distance("gill", "gil"), 1, "a letter too many");
        assert_eq!(edit_distance("wach", "watch"), 1);
        assert_eq!(
            edit_distance("sectoin", "section"),
            1,
            "two letters swapped"
        );
        assert_eq!(edit_distance("lock", "rock"), 1, "a letter replaced");
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn the_typos_of_the_issue_get_a_suggestion() {
        let commands = ["all", "list", "run", "check", "verify", "book", "help"];
        assert_eq!(did_you_mean("chek", commands), Some("check"));
        let lessons = ["sleeper", "refcounting", "gil", "locks", "queues", "pools"];
        assert_eq!(did_you_mean("gill", lessons), Some("gil"));
        assert_eq!(did_you_mean("sleepr", lessons), Some("sleeper"));
        let flags = ["quick", "list", "section", "time-scale", "help"];
        assert_eq!(did_you_mean("sectoin", flags), Some("section"));
        assert_eq!(did_you_mean("quik", flags), Some("quick"));
    }

    #[test]
    fn far_or_tiny_names_get_none() {
        let lessons = ["sleeper", "gil", "locks"];
        assert_eq!(did_you_mean("frobnicate", lessons), None);
        assert_eq!(
            did_you_mean("x", ["a", "ab"]),
            None,
            "one letter is no clue"
        );
        assert_eq!(
            did_you_mean("gil", lessons),
            None,
            "an exact name is not a typo"
        );
        assert_eq!(
            did_you_mean("lox", lessons),
            None,
            "two edits on a short name"
        );
    }

    #[test]
    fn the_hint_ends_a_message() {
        assert_eq!(hint("wach", ["watch"]), "; did you mean `watch`?");
        assert_eq!(
            hint_with("quik", ["quick"], "--"),
            "; did you mean `--quick`?"
        );
        assert_eq!(hint("zzz", ["watch"]), "");
        assert_eq!(hint_or_stop("zzz", ["watch"]), ".");
        assert_eq!(hint_or_stop("wach", ["watch"]), "; did you mean `watch`?");
    }
}
