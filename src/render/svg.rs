//! SVG backend: a hand-written serialiser (a `String` and pushes), deterministic, coordinates
//! rounded to 0.1 px.
//!
//! Shared presentation attributes (`fill-rule="evenodd"`, round joins, the font family) sit
//! once on the root so that 35k territory paths stay small; each territory is one
//! `<path id="<code>">` with a `<title>` tooltip, editable in Inkscape or Illustrator.

use std::fmt::Write;

use rayon::prelude::*;

use super::scene::{Anchor, Fill, Item, Path, Rgba, Scene, Stroke, Text, Weight};

/// The font stack of every `<text>`: the embedded font the layout measured, then a fallback.
const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// How a scene is written: a standalone document by default, or an element for a page that
/// sizes it and writes its own titles (the dashboard).
#[derive(Debug, Clone, PartialEq)]
pub struct SvgOptions {
    /// Write the document's `<title>` and `<desc>` and each territory's `<title>` tooltip.
    pub titles: bool,
    /// Attributes of the root `<svg>` in place of the standalone document's size, `viewBox`
    /// and accessible name (`class`, `data-level`, `viewBox`, `aria-label`...); empty: the
    /// standalone ones. The shared presentation attributes are written in both cases.
    pub root: Vec<(String, String)>,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions {
            titles: true,
            root: Vec::new(),
        }
    }
}

/// Serialises `scene` as a standalone SVG document.
pub fn render_svg(scene: &Scene) -> String {
    render_svg_with(scene, &SvgOptions::default())
}

/// Serialises `scene` as SVG written as `options` say.
pub fn render_svg_with(scene: &Scene, options: &SvgOptions) -> String {
    let mut out = Vec::with_capacity(1024 + count_vertices(&scene.items) * 12);
    // Writing to memory cannot fail, and every piece written is a `String`.
    let _ = write_document(scene, options, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render_svg`] into a writer, such as the output file: the 35,000 territory paths of a
/// commune map are written as their parallel chunks come, never joined into one string.
pub fn write_svg(scene: &Scene, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_document(scene, &SvgOptions::default(), sink)
}

fn write_document(
    scene: &Scene,
    options: &SvgOptions,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut w = Writer {
        out: String::with_capacity(64 * 1024),
        sink,
        error: None,
        hatches: scene.hatch_fills(),
        clips: 0,
        titles: options.titles,
    };
    let out = &mut w.out;
    out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg""#);
    if options.root.is_empty() {
        out.push_str(r#" version="1.1" width=""#);
        num(out, scene.width);
        out.push_str(r#"" height=""#);
        num(out, scene.height);
        out.push_str(r#"" viewBox="0 0 "#);
        num(out, scene.width);
        out.push(' ');
        num(out, scene.height);
        out.push('"');
        if options.titles {
            out.push_str(r#" role="img" aria-labelledby="title desc""#);
        }
    }
    for (name, value) in &options.root {
        attr(out, name, value);
    }
    let _ = write!(
        out,
        r#" font-family="{FONT_FAMILY}" fill-rule="evenodd" stroke-linejoin="round" stroke-linecap="round">"#
    );
    out.push('\n');
    if options.titles {
        out.push_str("<title id=\"title\">");
        escape(out, &scene.title);
        out.push_str("</title>\n<desc id=\"desc\">");
        escape(out, &scene.description);
        out.push_str("</desc>\n");
    }
    w.defs();
    if scene.background.a > 0 {
        w.out.push_str(r#"<rect width="100%" height="100%""#);
        paint_attr(&mut w.out, "fill", scene.background);
        w.out.push_str("/>\n");
    }
    w.items(&scene.items);
    w.out.push_str("</svg>\n");
    w.flush();
    w.error.map_or(Ok(()), Err)
}

fn count_vertices(items: &[Item]) -> usize {
    items
        .iter()
        .map(|i| match i {
            Item::Shape { path, .. } => path.subpaths.iter().map(Vec::len).sum(),
            Item::Group { items, .. } => count_vertices(items),
            Item::Text(_) => 0,
        })
        .sum()
}

struct Writer<'a> {
    /// Text not yet handed to the sink.
    out: String,
    sink: &'a mut dyn std::io::Write,
    /// The first error of the sink: later writes are skipped.
    error: Option<std::io::Error>,
    /// Distinct hatch fills: `hatch-<index>` patterns.
    hatches: Vec<&'a Fill>,
    /// Clip paths written so far: `clip-<index>`.
    clips: usize,
    /// Territories keep their `<title>` tooltips.
    titles: bool,
}

impl Writer<'_> {
    /// Hands the text written so far to the sink.
    fn flush(&mut self) {
        let mut text = std::mem::take(&mut self.out);
        self.pass(&text);
        text.clear();
        self.out = text;
    }

    fn pass(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(e) = self.sink.write_all(text.as_bytes())
        {
            self.error = Some(e);
        }
    }

    /// One `<pattern>` per hatch fill: horizontal lines centred in a `spacing`-tall period,
    /// rotated; the raster backend builds the same tile.
    fn defs(&mut self) {
        if self.hatches.is_empty() {
            return;
        }
        self.out.push_str("<defs>\n");
        for (i, fill) in self.hatches.iter().enumerate() {
            let Fill::Hatch {
                background,
                color,
                width,
                spacing,
                angle,
            } = **fill
            else {
                continue;
            };
            let out = &mut self.out;
            let _ = write!(
                out,
                r#"<pattern id="hatch-{i}" patternUnits="userSpaceOnUse" width="8" height="{spacing}" patternTransform="rotate({})">"#,
                -angle
            );
            if let Some(bg) = background {
                let _ = write!(out, r#"<rect width="8" height="{spacing}""#);
                paint_attr(out, "fill", bg);
                out.push_str("/>");
            }
            let _ = write!(
                out,
                r#"<rect y="{}" width="8" height="{width}""#,
                spacing / 2.0 - width / 2.0
            );
            paint_attr(out, "fill", color);
            out.push_str("/></pattern>\n");
        }
        self.out.push_str("</defs>\n");
    }

    /// Items in order; runs of shapes and texts (35,000 territories) are written on all
    /// cores, in chunks joined in order.
    fn items(&mut self, items: &[Item]) {
        let mut rest = items;
        while let Some(first) = rest.first() {
            if let Item::Group { id, clip, items } = first {
                self.group(id.as_deref(), *clip, items);
                rest = &rest[1..];
                continue;
            }
            let end = rest
                .iter()
                .position(|i| matches!(i, Item::Group { .. }))
                .unwrap_or(rest.len());
            let (hatches, titles) = (&self.hatches, self.titles);
            let parts: Vec<String> = rest[..end]
                .par_chunks(256)
                .map(|chunk| {
                    let mut out = String::with_capacity(64 * 1024);
                    for item in chunk {
                        leaf(&mut out, hatches, titles, item);
                    }
                    out
                })
                .collect();
            self.flush();
            parts.iter().for_each(|p| self.pass(p));
            rest = &rest[end..];
        }
    }

    fn group(&mut self, id: Option<&str>, clip: Option<[f32; 4]>, items: &[Item]) {
        let clip_id = clip.map(|[x, y, w, h]| {
            let n = self.clips;
            self.clips += 1;
            let out = &mut self.out;
            let _ = write!(out, r#"<clipPath id="clip-{n}"><rect x=""#);
            num(out, x);
            out.push_str(r#"" y=""#);
            num(out, y);
            out.push_str(r#"" width=""#);
            num(out, w);
            out.push_str(r#"" height=""#);
            num(out, h);
            out.push_str("\"/></clipPath>\n");
            n
        });
        self.out.push_str("<g");
        if let Some(id) = id {
            attr(&mut self.out, "id", id);
        }
        if let Some(n) = clip_id {
            let _ = write!(self.out, r#" clip-path="url(#clip-{n})""#);
        }
        self.out.push_str(">\n");
        self.items(items);
        self.out.push_str("</g>\n");
    }
}

/// A shape (with its tooltip when `titles`) or a text (groups are written by
/// [`Writer::group`]).
fn leaf(out: &mut String, hatches: &[&Fill], titles: bool, item: &Item) {
    match item {
        Item::Shape {
            id,
            title,
            path,
            fill,
            stroke,
            ..
        } => shape(
            out,
            hatches,
            id.as_deref(),
            title.as_deref().filter(|_| titles),
            path,
            fill.as_ref(),
            *stroke,
        ),
        Item::Text(t) => text(out, t),
        Item::Group { .. } => {}
    }
}

fn shape(
    out: &mut String,
    hatches: &[&Fill],
    id: Option<&str>,
    title: Option<&str>,
    path: &Path,
    fill: Option<&Fill>,
    stroke: Option<Stroke>,
) {
    out.push_str("<path");
    if let Some(id) = id {
        attr(out, "id", id);
    }
    out.push_str(" d=\"");
    path_data(out, path);
    out.push('"');
    match fill {
        Some(Fill::Solid(c)) => paint_attr(out, "fill", *c),
        Some(f @ Fill::Hatch { .. }) => match hatches.iter().position(|h| *h == f) {
            Some(i) => {
                let _ = write!(out, r#" fill="url(#hatch-{i})""#);
            }
            None => out.push_str(r#" fill="none""#),
        },
        None => out.push_str(r#" fill="none""#),
    }
    if let Some(s) = stroke {
        stroke_attrs(out, s);
    }
    match title {
        Some(t) => {
            out.push_str("><title>");
            escape(out, t);
            out.push_str("</title></path>\n");
        }
        None => out.push_str("/>\n"),
    }
}

fn text(out: &mut String, t: &Text) {
    out.push_str("<text x=\"");
    num(out, t.x);
    out.push_str("\" y=\"");
    num(out, t.y);
    out.push_str("\" font-size=\"");
    num(out, t.size);
    out.push('"');
    if t.weight == Weight::Bold {
        out.push_str(r#" font-weight="bold""#);
    }
    match t.anchor {
        Anchor::Start => {}
        Anchor::Middle => out.push_str(r#" text-anchor="middle""#),
        Anchor::End => out.push_str(r#" text-anchor="end""#),
    }
    // Glyph contours overlap in places: fonts are filled with the non-zero rule.
    out.push_str(r#" fill-rule="nonzero""#);
    paint_attr(out, "fill", t.color);
    if let Some(h) = t.halo {
        stroke_attrs(out, h);
        out.push_str(r#" paint-order="stroke""#);
    }
    if t.text.starts_with(' ') || t.text.ends_with(' ') || t.text.contains("  ") {
        out.push_str(r#" xml:space="preserve""#);
    }
    out.push('>');
    escape(out, &t.text);
    out.push_str("</text>\n");
}

/// ` fill="#rrggbb"` (+ ` fill-opacity` when translucent).
fn paint_attr(out: &mut String, name: &str, c: Rgba) {
    let _ = write!(out, r##" {name}="#{:02x}{:02x}{:02x}""##, c.r, c.g, c.b);
    if c.a < 255 {
        let _ = write!(out, r#" {name}-opacity="{:.3}""#, f32::from(c.a) / 255.0);
    }
}

fn stroke_attrs(out: &mut String, s: Stroke) {
    paint_attr(out, "stroke", s.color);
    out.push_str(r#" stroke-width=""#);
    num_fine(out, s.width);
    out.push('"');
}

/// ` name="value"`, escaped.
fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"");
    escape(out, value);
    out.push('"');
}

/// `Mx y` then relative line-tos `l dx dy ...`, then `Z`: positions are rounded to 0.1 px
/// first and the steps taken between the rounded values, so nothing drifts, and the short
/// steps of a commune outline take a third of the characters of absolute coordinates.
/// Repeated points (after rounding) are dropped.
fn path_data(out: &mut String, path: &Path) {
    for sub in &path.subpaths {
        let start = out.len();
        let mut last: Option<(i64, i64)> = None;
        let mut points = 0;
        for p in sub {
            let q = (tenths(p[0]), tenths(p[1]));
            match last {
                Some(l) if l == q => continue,
                Some(l) => {
                    if points == 1 {
                        out.push('l');
                    }
                    step(out, q.0 - l.0, points > 1);
                    step(out, q.1 - l.1, true);
                }
                None => {
                    out.push('M');
                    decimal(out, q.0, false);
                    out.push(' ');
                    decimal(out, q.1, false);
                }
            }
            last = Some(q);
            points += 1;
        }
        if points < 2 {
            out.truncate(start);
        } else if path.closed {
            out.push('Z');
        }
    }
}

/// A relative step in tenths, without its leading zero (`.5`, `-1.2`), after a separator
/// when `sep` and the number does not start with a minus sign.
fn step(out: &mut String, t: i64, sep: bool) {
    if sep && t >= 0 {
        out.push(' ');
    }
    decimal(out, t, true);
}

fn tenths(v: f32) -> i64 {
    if v.is_finite() {
        super::round_i64(f64::from(v) * 10.0)
    } else {
        0
    }
}

/// A coordinate rounded to 0.1 px, without trailing zeros.
fn num(out: &mut String, v: f32) {
    decimal(out, tenths(v), false);
}

/// A stroke width: hairlines (0.3 px, 0.25 px) need more than 0.1 px precision.
fn num_fine(out: &mut String, v: f32) {
    let hundredths = if v.is_finite() {
        (f64::from(v) * 100.0).round() as i64
    } else {
        0
    };
    let _ = write!(out, "{}", hundredths as f64 / 100.0);
}

/// Tenths `t` as a decimal number (`12.5`, `-3`), and a fraction without its leading zero
/// when `short` (`.5`, `-.5`). Written by hand: a million path steps go through it.
fn decimal(out: &mut String, t: i64, short: bool) {
    let a = t.unsigned_abs();
    let (mut int, tenth) = (a / 10, a % 10);
    let mut buf = [0u8; 24];
    let mut i = buf.len();
    if tenth != 0 {
        buf[i - 2] = b'.';
        buf[i - 1] = b'0' + tenth as u8;
        i -= 2;
    }
    if int != 0 || tenth == 0 || !short {
        loop {
            i -= 1;
            buf[i] = b'0' + (int % 10) as u8;
            int /= 10;
            if int == 0 {
                break;
            }
        }
    }
    if t < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    out.extend(buf[i..].iter().map(|&b| char::from(b)));
}

/// XML text/attribute escaping, also right for HTML (the dashboard page, the atlas index): the
/// five markup characters become entities, characters XML 1.0 forbids are dropped.
pub fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_to_tenths() {
        let cases = [
            (0.0, "0"),
            (12.34, "12.3"),
            (12.35, "12.4"),
            (-0.04, "0"),
            (-0.05, "-0.1"),
            (-3.0, "-3"),
            (1234.56, "1234.6"),
        ];
        for (v, want) in cases {
            let mut s = String::new();
            num(&mut s, v);
            assert_eq!(s, want, "{v}");
        }
    }

    #[test]
    fn path_data_drops_repeats_and_degenerate_rings() {
        let path = Path {
            subpaths: vec![
                vec![[0.0, 0.0], [10.0, 0.01], [10.0, 0.0], [10.0, 10.0]],
                vec![[5.0, 5.0], [5.01, 5.0]],
            ],
            closed: true,
        };
        let mut s = String::new();
        path_data(&mut s, &path);
        assert_eq!(s, "M0 0l10 0 0 10Z");
        let mut s = String::new();
        let steps = Path {
            subpaths: vec![vec![
                [100.0, 50.0],
                [100.5, 49.2],
                [99.9, 49.2],
                [101.0, 52.0],
            ]],
            closed: false,
        };
        path_data(&mut s, &steps);
        assert_eq!(s, "M100 50l.5-.8-.6 0 1.1 2.8");
    }

    #[test]
    fn options_choose_the_root_and_the_titles() {
        let scene = Scene {
            width: 100.0,
            height: 50.0,
            background: Rgba::rgb(255, 255, 255),
            items: vec![Item::Shape {
                id: Some("69".into()),
                title: Some("Rhône (69) : 12,5 %".into()),
                path: Path {
                    subpaths: vec![vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]],
                    closed: true,
                },
                fill: None,
                stroke: None,
                bordered: false,
            }],
            title: "Carte".into(),
            description: "Une carte".into(),
        };
        let standalone = render_svg(&scene);
        assert!(standalone.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"100\" \
             height=\"50\" viewBox=\"0 0 100 50\" role=\"img\" aria-labelledby=\"title desc\" "
        ));
        assert!(standalone.contains("<title id=\"title\">Carte</title>\n<desc id=\"desc\">"));
        assert!(standalone.contains("><title>Rhône (69) : 12,5 %</title></path>"));
        let options = SvgOptions {
            titles: false,
            root: vec![("data-level".into(), "departement".into())],
        };
        let element = render_svg_with(&scene, &options);
        assert!(element.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" data-level=\"departement\" font-family="
        ));
        assert!(!element.contains("<title") && !element.contains("<desc"));
        assert!(element.contains("<path id=\"69\" d=\"M0 0l10 0 0 10Z\" fill=\"none\"/>"));
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        let mut s = String::new();
        escape(&mut s, "A&B <c> \"d\" l'e\u{1}");
        assert_eq!(s, "A&amp;B &lt;c&gt; &quot;d&quot; l&apos;e");
    }
}
