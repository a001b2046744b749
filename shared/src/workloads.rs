//! Workloads that several lessons share.

use std::hint::black_box;

/// The notebook's recursive fibonacci: deliberately exponential, so it keeps
/// a core busy for as long as you like (`fib(34)` is about 11 million calls).
///
/// `black_box` stops the compiler from turning the recursion into a loop or
/// a constant; what is measured is the work the notebook did.
///
/// ```
/// assert_eq!(workshop::fib(10), 55);
/// ```
pub fn fib(n: u32) -> u64 {
    match black_box(n) {
        0 => 0,
        1 => 1,
        n => fib(n - 1) + fib(n - 2),
    }
}

/// How many calls `fib(n)` makes: `2 * fib(n + 1) - 1`.
///
/// ```
/// assert_eq!(workshop::workloads::fib_calls(2), 3); // fib(2), fib(1), fib(0)
/// ```
pub fn fib_calls(n: u32) -> u64 {
    2 * fib_fast(n + 1) - 1
}

/// `fib(n)` by iteration, to check the recursive one against.
fn fib_fast(n: u32) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    a
}

/// What a screen of marks says about how two threads took turns: the
/// notebook's experiment, where each thread writes its own mark (`_` or
/// `*`) at every call of its fibonacci.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// How many marks of each kind, in order of first appearance.
    pub counts: Vec<(char, usize)>,
    /// How many times consecutive marks differ: each one is a moment the
    /// screen passed from one thread to the other.
    pub switches: usize,
    /// The longest run of one mark: the most one thread did while the
    /// other left no mark.
    pub longest_run: usize,
}

impl Marks {
    /// Reads a screen (whitespace ignored).
    ///
    /// ```
    /// let marks = workshop::workloads::Marks::read("__**_");
    /// assert_eq!((marks.switches, marks.longest_run), (2, 2));
    /// assert_eq!(marks.count('_'), 3);
    /// ```
    pub fn read(screen: &str) -> Self {
        let mut marks = Marks::default();
        let mut run = 0;
        let mut previous = None;
        for mark in screen.chars().filter(|c| !c.is_whitespace()) {
            match marks.counts.iter_mut().find(|(m, _)| *m == mark) {
                Some((_, n)) => *n += 1,
                None => marks.counts.push((mark, 1)),
            }
            if previous == Some(mark) {
                run += 1;
            } else {
                marks.switches += usize::from(previous.is_some());
                run = 1;
            }
            marks.longest_run = marks.longest_run.max(run);
            previous = Some(mark);
        }
        marks
    }

    /// How many of `mark` there were.
    pub fn count(&self, mark: char) -> usize {
        self.counts
            .iter()
            .find(|(m, _)| *m == mark)
            .map_or(0, |(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recursion_agrees_with_iteration() {
        for n in 0..25 {
            assert_eq!(fib(n), fib_fast(n), "fib({n})");
        }
        assert_eq!(fib(34), 5_702_887); // the notebook's answer
    }

    #[test]
    fn marks_of_known_screens() {
        let marks = Marks::read("__***_");
        assert_eq!(marks.counts, [('_', 3), ('*', 3)]);
        assert_eq!((marks.switches, marks.longest_run), (2, 3));
        assert_eq!(Marks::read(""), Marks::default());
        assert_eq!(Marks::read("____\n****").switches, 1);
    }

    #[test]
    fn call_counts_match_the_recursion() {
        fn counted(n: u32, calls: &mut u64) -> u64 {
            *calls += 1;
            if n < 2 {
                u64::from(n)
            } else {
                counted(n - 1, calls) + counted(n - 2, calls)
            }
        }
        for n in 0..20 {
            let mut calls = 0;
            counted(n, &mut calls);
            assert_eq!(fib_calls(n), calls, "calls for fib({n})");
        }
    }
}
