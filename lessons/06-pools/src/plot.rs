//! Speedup curves drawn twice: in the terminal, and as an SVG file.

use std::fmt::Write;

use workshop::svg::Svg;

/// A point: workers on the x axis, speedup on the y axis.
pub type Point = (f64, f64);

/// The x axis: 1 to 64 workers, on a log scale (each doubling the same
/// width), as Amdahl curves are usually drawn.
const MAX_WORKERS: f64 = 64.0;

fn x_fraction(workers: f64) -> f64 {
    workers.log2() / MAX_WORKERS.log2()
}

/// A terminal chart: the predicted curve as `·`, measured points as `●`.
pub fn terminal(predicted: &[Point], measured: &[Point], width: usize, height: usize) -> String {
    let top = y_top(predicted, measured);
    let mut grid = vec![vec![' '; width]; height];
    let mut plot = |(workers, speedup): Point, mark: char| {
        let col = (x_fraction(workers) * (width - 1) as f64).round() as usize;
        let row = ((speedup / top) * (height - 1) as f64).round() as usize;
        if col < width && row < height {
            grid[height - 1 - row][col] = mark;
        }
    };
    for &point in predicted {
        plot(point, '·');
    }
    for &point in measured {
        plot(point, '●');
    }
    let mut text = String::new();
    for (i, row) in grid.iter().enumerate() {
        let label = match i {
            0 => format!("{top:>5.1}×"),
            _ if i == height - 1 => format!("{:>5.1}×", 0.0),
            _ => " ".repeat(6),
        };
        let _ = writeln!(
            text,
            "  {label} │{}",
            row.iter().collect::<String>().trim_end()
        );
    }
    let _ = writeln!(text, "         └{}", "─".repeat(width));
    let mut ticks = vec![' '; width];
    for workers in [1u32, 2, 4, 8, 16, 32, 64] {
        let label = workers.to_string();
        let col = (x_fraction(f64::from(workers)) * (width - 1) as f64).round() as usize;
        // The last label ends at the edge instead of running past it.
        let col = col.min(width.saturating_sub(label.len()));
        for (j, c) in label.chars().enumerate() {
            if let Some(cell) = ticks.get_mut(col + j) {
                *cell = c;
            }
        }
    }
    let _ = writeln!(
        text,
        "          {}  workers",
        ticks.iter().collect::<String>().trim_end()
    );
    let _ = writeln!(
        text,
        "          · predicted by Amdahl's law   ● measured in this run"
    );
    text
}

/// The same chart as a standalone SVG document, with a dashed line at
/// `limit`, the speedup no number of workers passes: 1 / (1 - p), one over
/// the serial share (none if it is not finite).
pub fn svg(title: &str, predicted: &[Point], measured: &[Point], limit: f64) -> String {
    let (width, height, margin) = (640.0, 400.0, 60.0);
    let limit = limit.is_finite().then_some(limit);
    let top = y_top(predicted, measured).max(limit.map_or(0.0, |l| (l * 1.1).ceil()));
    let x = |workers: f64| margin + x_fraction(workers) * (width - 2.0 * margin);
    let y = |speedup: f64| height - margin - speedup / top * (height - 2.0 * margin);
    let mut svg = Svg::new(width, height);
    let middle = "text-anchor=\"middle\"";
    svg.text(
        width / 2.0,
        30.0,
        "text-anchor=\"middle\" font-size=\"16\"",
        title,
    );
    let (left, bottom, right) = (margin, height - margin, width - margin);
    svg.shape(format!(
        "<path d=\"M{left} {margin} V{bottom} H{right}\" stroke=\"black\" fill=\"none\"/>"
    ));
    for workers in [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0] {
        svg.text(x(workers), bottom + 20.0, middle, &workers.to_string());
    }
    svg.text(width / 2.0, height - 15.0, middle, "workers");
    for step in 0..=4 {
        let speedup = top * f64::from(step) / 4.0;
        let label = format!("{speedup:.1}×");
        svg.text(left - 8.0, y(speedup) + 4.0, "text-anchor=\"end\"", &label);
    }
    if let Some(limit) = limit {
        svg.shape(format!(
            "<path d=\"M{left} {at:.1} H{right}\" stroke=\"gray\" stroke-dasharray=\"6 4\"/>",
            at = y(limit)
        ));
        let label = format!("the limit, 1 / (1 - p) = {limit:.1}×");
        let gray_end = "text-anchor=\"end\" fill=\"gray\"";
        svg.text(right, y(limit) - 6.0, gray_end, &label);
    }
    let curve: Vec<String> = predicted
        .iter()
        .map(|&(w, s)| format!("{:.1},{:.1}", x(w), y(s)))
        .collect();
    svg.shape(format!(
        "<polyline points=\"{}\" stroke=\"steelblue\" stroke-width=\"2\" fill=\"none\"/>",
        curve.join(" ")
    ));
    for &(w, s) in measured {
        svg.shape(format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"darkorange\"/>",
            x(w),
            y(s)
        ));
    }
    let legend = "— predicted by Amdahl's law";
    svg.text(left + 20.0, 70.0, "fill=\"steelblue\"", legend);
    svg.text(left + 20.0, 90.0, "fill=\"darkorange\"", "● measured");
    svg.finish()
}

/// The top of the y axis: a little above the highest point.
fn y_top(predicted: &[Point], measured: &[Point]) -> f64 {
    let highest = predicted
        .iter()
        .chain(measured)
        .map(|&(_, s)| s)
        .fold(1.0, f64::max);
    (highest * 1.1).ceil()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_chart_puts_points_where_they_belong() {
        let chart = terminal(&[(1.0, 1.0), (64.0, 4.0)], &[(1.0, 1.0)], 13, 5);
        let rows: Vec<&str> = chart.lines().collect();
        assert!(rows[0].starts_with("    5.0× │"), "{chart}");
        assert!(
            rows[1].ends_with("│            ·"),
            "64 workers at the right edge, 4.0× near the top: {chart}"
        );
        assert!(
            rows[3].contains("│●"),
            "1 worker at the left edge, 1.0× of 5.0×: {chart}"
        );
    }

    #[test]
    fn the_svg_has_a_curve_and_a_dot_per_measurement() {
        let svg = svg(
            "a < b",
            &[(1.0, 1.0), (2.0, 1.8), (64.0, 9.0)],
            &[(1.0, 1.0), (2.0, 1.7)],
            10.0,
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains("a &lt; b"));
        assert!(svg.contains("stroke-dasharray"), "the 1 / (1 - p) line");
        assert!(svg.contains("1 / (1 - p) = 10.0×"), "{svg}");
    }

    #[test]
    fn the_limit_line_is_inside_the_chart_and_left_out_when_infinite() {
        let svg_with = svg("t", &[(1.0, 1.0), (64.0, 9.0)], &[], 11.0);
        // The y axis goes above the limit: its line is drawn below the top.
        assert!(svg_with.contains(">13.0×</text>"), "{svg_with}");
        let without = svg("t", &[(1.0, 1.0)], &[], f64::INFINITY);
        assert!(!without.contains("stroke-dasharray"), "{without}");
    }
}
