//! Numbers as people read them: durations with three significant digits and
//! a unit, ratios with a `×`.
//!
//! These functions never redact; [`Out`](crate::Out) decides whether a value
//! was measured (and must be hidden from snapshots) or is a fixed input.

use std::time::Duration;

/// A duration with three significant digits and the unit that fits:
/// `1.23 ns`, `45.6 µs`, `789 ms`, `2.38 s`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(workshop::units::duration(Duration::from_millis(250)), "250 ms");
/// assert_eq!(workshop::units::duration(Duration::from_micros(1500)), "1.50 ms");
/// ```
pub fn duration(d: Duration) -> String {
    seconds(d.as_secs_f64())
}

/// Like [`duration`], for a time that is not a whole number of nanoseconds,
/// such as the cost of one operation averaged over millions.
///
/// ```
/// assert_eq!(workshop::units::seconds(1.2e-9), "1.20 ns");
/// assert_eq!(workshop::units::seconds(0.0), "0 s");
/// ```
pub fn seconds(s: f64) -> String {
    if s == 0.0 {
        return "0 s".to_owned();
    }
    let (value, unit) = match s.abs() {
        x if x < 1e-6 => (s * 1e9, "ns"),
        x if x < 1e-3 => (s * 1e6, "µs"),
        x if x < 1.0 => (s * 1e3, "ms"),
        _ => (s, "s"),
    };
    format!("{} {unit}", three_digits(value))
}

/// A ratio such as a speedup: `1.95×`.
///
/// ```
/// assert_eq!(workshop::units::ratio(1.949), "1.95×");
/// ```
pub fn ratio(r: f64) -> String {
    format!("{r:.2}×")
}

/// A ratio that is a prediction or an estimate rather than a measurement,
/// rounded to the two significant figures it can honestly claim: `33×`,
/// `2.9×`, `0.95×`.
///
/// ```
/// assert_eq!(workshop::units::approx_ratio(32.92), "33×");
/// assert_eq!(workshop::units::approx_ratio(2.894), "2.9×");
/// assert_eq!(workshop::units::approx_ratio(0.951), "0.95×");
/// ```
pub fn approx_ratio(r: f64) -> String {
    format!("{}×", two_significant(r))
}

/// `x` with two significant figures, without exponent notation.
pub fn two_significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let step = 10f64.powi(magnitude - 1);
    let rounded = (x / step).round() * step;
    // Rounding can carry into the next power of ten (9.96 becomes 10).
    let magnitude = rounded.abs().log10().floor() as i32;
    let decimals = (1 - magnitude).max(0) as usize;
    format!("{rounded:.decimals$}")
}

/// A whole number with a comma between groups of three digits: `1,000,000`.
///
/// ```
/// assert_eq!(workshop::units::count(1_000_000), "1,000,000");
/// assert_eq!(workshop::units::count(999), "999");
/// ```
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Three significant digits, without going into exponent notation.
fn three_digits(x: f64) -> String {
    match x.abs() {
        a if a >= 99.95 => format!("{x:.0}"),
        a if a >= 9.995 => format!("{x:.1}"),
        _ => format!("{x:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(duration(Duration::from_nanos(12)), "12.0 ns");
        assert_eq!(duration(Duration::from_nanos(999)), "999 ns");
        assert_eq!(duration(Duration::from_micros(40)), "40.0 µs");
        assert_eq!(duration(Duration::from_millis(5)), "5.00 ms");
        assert_eq!(duration(Duration::from_millis(2380)), "2.38 s");
        assert_eq!(duration(Duration::from_secs(125)), "125 s");
    }

    #[test]
    fn rounding_up_does_not_produce_four_digits() {
        // 99.96 ms rounds to 100, which must print as "100", not "100.0".
        assert_eq!(seconds(0.09996), "100 ms");
        assert_eq!(seconds(9.996e-3), "10.0 ms");
    }

    #[test]
    fn estimates_keep_two_significant_figures() {
        assert_eq!(two_significant(7.64), "7.6");
        assert_eq!(two_significant(15.42), "15");
        assert_eq!(two_significant(123.0), "120");
        assert_eq!(two_significant(9.96), "10");
        assert_eq!(two_significant(0.0951), "0.095");
        assert_eq!(two_significant(1.0), "1.0");
        assert_eq!(approx_ratio(1.999), "2.0×");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
