//! Small hand-written SVG pictures, for a browser or the book: the pools
//! lesson's Amdahl chart and every [`Timeline`](crate::Timeline) (see
//! [`Timeline::picture`](crate::Timeline::picture)).
//!
//! An SVG file is text: a `<svg>` element with a width and a height, then
//! shapes and text at coordinates in pixels, `y` growing downwards. No
//! crate is needed to write a few of them.
//!
//! ```
//! let mut picture = workshop::svg::Svg::new(200.0, 50.0);
//! picture.text(100.0, 30.0, "text-anchor=\"middle\"", "a < b");
//! let text = picture.finish();
//! assert!(text.contains(">a &lt; b</text>"));
//! assert!(text.trim_end().ends_with("</svg>"));
//! ```

use std::fmt::Write;

/// An SVG document being written: white background, sans-serif text.
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// A document `width` by `height` pixels, on a white background.
    pub fn new(width: f64, height: f64) -> Self {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    /// Changes the height, for a picture that knows it only once drawn.
    pub fn set_height(&mut self, height: f64) {
        self.height = height;
    }

    /// Text at (`x`, `y`), with more attributes (`text-anchor="end"`,
    /// `fill="gray"`…) written as they are; the text itself is escaped.
    pub fn text(&mut self, x: f64, y: f64, attributes: &str, text: &str) {
        let space = if attributes.is_empty() { "" } else { " " };
        let _ = writeln!(
            self.body,
            "<text x=\"{x:.1}\" y=\"{y:.1}\"{space}{attributes}>{}</text>",
            escape(text)
        );
    }

    /// A shape written as it is: `<path d="…"/>`, `<circle …/>`.
    pub fn shape(&mut self, element: impl AsRef<str>) {
        self.body.push_str(element.as_ref());
        self.body.push('\n');
    }

    /// The finished document.
    pub fn finish(self) -> String {
        let Svg {
            width,
            height,
            body,
        } = self;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\">\n\
             <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{body}</svg>\n"
        )
    }
}

/// `text` with the characters that mean something in SVG (`&`, `<`, `>`,
/// `"`) escaped, for text and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The machine a picture was measured on, as a picture's caption says it:
/// `2 cores (as the OS reports them), linux x86_64`.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cores} cores (as the OS reports them), {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// The file a lesson section's picture is drawn into with `--pictures DIR`:
/// `gil-watch.svg`, then `gil-watch-2.svg` for a second picture of the same
/// section. `cargo xtask book` finds them by this name.
pub fn picture_file(lesson: &str, section: &str, number: usize) -> String {
    match number {
        0 | 1 => format!("{lesson}-{section}.svg"),
        n => format!("{lesson}-{section}-{n}.svg"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_one_svg_element_with_escaped_text() {
        let mut picture = Svg::new(10.0, 20.0);
        picture.text(1.0, 2.0, "", "\"&\"");
        picture.shape("<circle cx=\"1\" cy=\"1\" r=\"1\"/>");
        let text = picture.finish();
        assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\""));
        assert_eq!(text.matches("<svg").count(), 1);
        assert!(text.contains("<text x=\"1.0\" y=\"2.0\">&quot;&amp;&quot;</text>"));
        assert!(text.ends_with("</svg>\n"));
    }

    #[test]
    fn pictures_are_named_after_their_section() {
        assert_eq!(picture_file("gil", "watch", 1), "gil-watch.svg");
        assert_eq!(picture_file("gil", "watch", 2), "gil-watch-2.svg");
    }
}
