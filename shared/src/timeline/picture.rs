//! The same timeline as the terminal chart, drawn as an SVG picture: one
//! lane per thread, one bar per span, a time axis in seconds or
//! milliseconds, a legend and a caption that says where it was measured.
//!
//! Several timelines can share one picture and one time axis (the sleepers
//! one after another, then all at once): bars of the same length are then
//! the same time, so the two runs compare at a glance.

use std::time::Duration;

use super::{Span, Timeline, labels_in_order, row_names};
use crate::svg::Svg;
use crate::units;

/// The picture's width in pixels: the book's content column.
const WIDTH: f64 = 720.0;
/// Space around everything.
const MARGIN: f64 = 12.0;
/// Room right of the axis for the last tick's label.
const RIGHT: f64 = 36.0;
/// One thread's lane, and the space between lanes.
const LANE: f64 = 18.0;
const LANE_GAP: f64 = 6.0;
/// About how wide a character of 13-pixel sans-serif text is.
const CHAR: f64 = 7.2;
/// A span shorter than this many pixels is drawn this wide, so that it
/// still shows, as a blip does in the terminal.
const THINNEST: f64 = 1.5;
/// Lanes with nothing recorded.
const IDLE: &str = "#eeeeee";
/// Colours for labels, in the order labels get them (the terminal's glyphs'
/// order: the first label is `█` there, steel blue here).
const COLORS: [&str; 8] = [
    "#4682b4", "#ff8c00", "#2e8b57", "#b22222", "#9370db", "#a0522d", "#ff69b4", "#708090",
];

impl Timeline {
    /// The timelines as one SVG picture under `title`, each under its own
    /// heading (`""` for none), on one time axis; `caption` goes at the
    /// bottom, in grey (where it was measured). Labels keep one colour
    /// across the panels, in the order the first timeline declared them.
    ///
    /// ```
    /// let timeline = workshop::Timeline::new();
    /// drop(timeline.span("sleep"));
    /// let svg = workshop::Timeline::picture("Naps", &[("", &timeline)], "measured here");
    /// assert_eq!(svg.matches("class=\"lane\"").count(), 1);
    /// assert_eq!(svg.matches("class=\"bar\"").count(), 1);
    /// ```
    pub fn picture(title: &str, panels: &[(&str, &Timeline)], caption: &str) -> String {
        let spans: Vec<(&str, Vec<Span>)> = panels
            .iter()
            .map(|(heading, timeline)| (*heading, timeline.spans()))
            .collect();
        let every_span: Vec<Span> = spans.iter().flat_map(|(_, s)| s.clone()).collect();
        let preferred = panels.first().map_or(&[][..], |(_, t)| t.preferred);
        let labels = labels_in_order(preferred, &every_span);
        let longest_name = every_span
            .iter()
            .map(|s| s.thread.chars().count())
            .max()
            .unwrap_or(0);
        let layout = Layout {
            left: MARGIN + (longest_name.max(4) as f64) * CHAR + 12.0,
            total: every_span.iter().map(|s| s.end).max().unwrap_or_default(),
            colors: labels
                .iter()
                .map(String::as_str)
                .zip(COLORS.iter().copied().cycle())
                .collect(),
        };
        let mut drawn = Drawing::default();
        drawn.text(
            WIDTH / 2.0,
            "text-anchor=\"middle\" font-size=\"15\"",
            title,
        );
        drawn.y += 8.0;
        for (heading, panel) in &spans {
            layout.panel(&mut drawn, heading, panel);
        }
        layout.axis(&mut drawn, panels.len());
        layout.legend(&mut drawn);
        drawn.y += 6.0;
        drawn.text(MARGIN, "fill=\"gray\" font-size=\"11\"", caption);
        drawn.finish()
    }
}

/// Where the picture's parts go.
struct Layout<'a> {
    /// Where the time axis starts: right of the longest thread name.
    left: f64,
    /// The end of the time axis: the last span's end.
    total: Duration,
    /// Each label's colour.
    colors: Vec<(&'a str, &'static str)>,
}

impl Layout<'_> {
    fn right(&self) -> f64 {
        WIDTH - RIGHT
    }

    /// The x of a time.
    fn x(&self, at: Duration) -> f64 {
        let total = self.total.as_secs_f64();
        let fraction = if total > 0.0 {
            at.as_secs_f64() / total
        } else {
            0.0
        };
        self.left + fraction * (self.right() - self.left)
    }

    fn color(&self, label: &str) -> &'static str {
        self.colors
            .iter()
            .find(|(l, _)| *l == label)
            .map_or("black", |(_, c)| c)
    }

    /// A heading, then one lane per thread with its spans as bars (longest
    /// first, so that a short span on top of a long one shows).
    fn panel(&self, drawn: &mut Drawing, heading: &str, spans: &[Span]) {
        if !heading.is_empty() {
            drawn.y += 6.0;
            drawn.text(MARGIN, "font-weight=\"bold\"", heading);
        }
        for row in row_names(spans) {
            let top = drawn.y;
            drawn
                .svg
                .text(self.left - 8.0, top + 13.0, "text-anchor=\"end\"", &row);
            drawn.svg.shape(format!(
                "<rect class=\"lane\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{LANE}\" fill=\"{IDLE}\"/>",
                self.left,
                self.right() - self.left
            ));
            let mut bars: Vec<&Span> = spans.iter().filter(|s| s.thread == row).collect();
            bars.sort_by(|a, b| b.len().cmp(&a.len()).then(a.start.cmp(&b.start)));
            for span in bars {
                self.bar(drawn, span, top);
            }
            drawn.y += LANE + LANE_GAP;
        }
    }

    fn bar(&self, drawn: &mut Drawing, span: &Span, top: f64) {
        let (from, to) = (self.x(span.start), self.x(span.end));
        let width = (to - from).max(THINNEST);
        drawn.svg.shape(format!(
            "<rect class=\"bar\" x=\"{from:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{LANE}\" fill=\"{}\"><title>{}</title></rect>",
            self.color(&span.label),
            crate::svg::escape(&format!(
                "{}: {}, {} to {}",
                span.thread,
                span.label,
                units::duration(span.start),
                units::duration(span.end)
            ))
        ));
    }

    /// The time axis: a line, ticks at round times, and what it measures.
    fn axis(&self, drawn: &mut Drawing, panels: usize) {
        let y = drawn.y;
        drawn.svg.shape(format!(
            "<path d=\"M{:.1} {y:.1} H{:.1}\" stroke=\"black\" fill=\"none\"/>",
            self.left,
            self.right()
        ));
        for tick in ticks(self.total) {
            let x = self.x(tick);
            drawn
                .svg
                .shape(format!("<path d=\"M{x:.1} {y:.1} v5\" stroke=\"black\"/>"));
            let label = units::duration(tick);
            drawn.svg.text(
                x,
                y + 18.0,
                "text-anchor=\"middle\" font-size=\"12\"",
                &label,
            );
        }
        let what = if panels > 1 {
            "time since each run started"
        } else {
            "time since the run started"
        };
        drawn.y += 38.0;
        drawn.svg.text(
            (self.left + self.right()) / 2.0,
            drawn.y - 4.0,
            "text-anchor=\"middle\" fill=\"#444444\"",
            what,
        );
    }

    /// A square of each label's colour and the label, wrapped to the width.
    fn legend(&self, drawn: &mut Drawing) {
        let mut keys = self.colors.clone();
        keys.push(("idle", IDLE));
        drawn.y += 12.0;
        let mut x = self.left;
        for (label, color) in keys {
            let width = 18.0 + label.chars().count() as f64 * CHAR + 18.0;
            if x > self.left && x + width > WIDTH - MARGIN {
                x = self.left;
                drawn.y += 20.0;
            }
            drawn.svg.shape(format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{color}\" stroke=\"#999999\"/>",
                drawn.y - 11.0
            ));
            drawn.svg.text(x + 18.0, drawn.y, "", label);
            x += width;
        }
        drawn.y += 6.0;
    }
}

/// Round times for the axis: 0, then every 1, 2 or 5 × 10ⁿ seconds, about
/// five of them, up to `total`.
fn ticks(total: Duration) -> Vec<Duration> {
    let total = total.as_secs_f64();
    if total <= 0.0 {
        return vec![Duration::ZERO];
    }
    let rough = total / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power);
    (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|t| *t <= total * (1.0 + 1e-9))
        .map(Duration::from_secs_f64)
        .collect()
}

/// The document so far, and how far down it has got.
struct Drawing {
    svg: Svg,
    y: f64,
}

impl Default for Drawing {
    fn default() -> Self {
        Drawing {
            svg: Svg::new(WIDTH, 0.0),
            y: 12.0,
        }
    }
}

impl Drawing {
    /// A line of text, the next one down.
    fn text(&mut self, x: f64, attributes: &str, text: &str) {
        self.y += 16.0;
        self.svg.text(x, self.y, attributes, text);
        self.y += 4.0;
    }

    /// The document, now that its height is known.
    fn finish(mut self) -> String {
        self.svg.set_height((self.y + MARGIN).ceil());
        self.svg.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A timeline of fixed spans: (thread, label, from ms, to ms).
    fn fixed(labels: &'static [&'static str], spans: &[(&str, &str, u64, u64)]) -> Timeline {
        let timeline = Timeline::with_labels(labels);
        let at = |ms| timeline.origin + Duration::from_millis(ms);
        for &(thread, label, from, to) in spans {
            timeline.record(thread, label, at(from), at(to));
        }
        timeline
    }

    fn gil_handover() -> Timeline {
        fixed(
            &["holds the GIL", "waits for it"],
            &[
                ("thread-1", "holds the GIL", 0, 5),
                ("thread-2", "waits for it", 0, 5),
                ("thread-2", "holds the GIL", 5, 10),
                ("thread-1", "waits for it", 5, 10),
                ("thread-1", "holds the GIL", 10, 15),
                ("thread-2", "waits for it", 10, 15),
            ],
        )
    }

    #[test]
    fn one_lane_per_thread_and_one_bar_per_span() {
        let timeline = gil_handover();
        let svg = Timeline::picture("The GIL", &[("", &timeline)], "measured here");
        assert_eq!(svg.matches("class=\"lane\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("class=\"bar\"").count(), 6, "{svg}");
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(">measured here</text>"));
        assert!(
            svg.contains(">holds the GIL</text>"),
            "in the legend: {svg}"
        );
        assert!(
            svg.contains(">15.0 ms</text>"),
            "the last tick, with its unit: {svg}"
        );
    }

    #[test]
    fn panels_share_one_axis() {
        let slow = fixed(
            &["sleep"],
            &[("a", "sleep", 0, 300), ("b", "sleep", 300, 600)],
        );
        let fast = fixed(
            &["sleep"],
            &[("a", "sleep", 0, 300), ("b", "sleep", 0, 300)],
        );
        let svg = Timeline::picture("t", &[("slow", &slow), ("fast", &fast)], "c");
        assert_eq!(svg.matches("class=\"lane\"").count(), 4);
        assert_eq!(svg.matches("class=\"bar\"").count(), 4);
        assert_eq!(svg.matches(">600 ms</text>").count(), 1, "one axis: {svg}");
        // The fast run's naps end half-way along the shared axis.
        let widths: Vec<f64> = svg
            .lines()
            .filter(|l| l.contains("class=\"bar\""))
            .map(|l| {
                let w = l.split("width=\"").nth(1).unwrap();
                w.split('"').next().unwrap().parse().unwrap()
            })
            .collect();
        assert!(
            widths.windows(2).all(|w| (w[0] - w[1]).abs() < 0.2),
            "{widths:?}"
        );
    }

    #[test]
    fn a_blip_still_shows_and_nothing_is_drawn_past_the_width() {
        let timeline = fixed(&[], &[("a", "long", 0, 6000), ("b", "blip", 3000, 3000)]);
        let svg = Timeline::picture("t", &[("", &timeline)], "c");
        assert!(svg.contains(&format!("width=\"{THINNEST}\"")), "{svg}");
        for line in svg.lines().filter(|l| l.starts_with("<rect class")) {
            let number = |name: &str| -> f64 {
                let v = line.split(&format!(" {name}=\"")).nth(1).unwrap();
                v.split('"').next().unwrap().parse().unwrap()
            };
            assert!(number("x") + number("width") <= WIDTH, "{line}");
        }
    }

    #[test]
    fn ticks_are_round_and_end_at_the_total() {
        let ms = Duration::from_millis;
        assert_eq!(ticks(ms(600)), [0, 200, 400, 600].map(ms));
        assert_eq!(ticks(ms(1234)), [0, 500, 1000].map(ms));
        assert_eq!(ticks(ms(15)), [0, 5, 10, 15].map(ms));
        assert_eq!(ticks(Duration::ZERO), [Duration::ZERO]);
    }

    #[test]
    fn the_same_timeline_draws_the_same_picture() {
        let svg = Timeline::picture(
            "Two threads share the GIL",
            &[("", &gil_handover())],
            "measured in this run: a fixed timeline",
        );
        assert_eq!(
            svg,
            Timeline::picture(
                "Two threads share the GIL",
                &[("", &gil_handover())],
                "measured in this run: a fixed timeline",
            )
        );
        insta::assert_snapshot!(svg);
    }
}
