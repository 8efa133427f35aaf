//! Text: metrics and glyph outlines from the embedded DejaVu Sans (never system fonts), so
//! the layout measures exactly what every backend draws.
//!
//! Sizes are em sizes in page pixels, like CSS `font-size`: the SVG and PDF backends pass the
//! same number to their own text engines. ab_glyph gives advances and `kern`-table kerning; no
//! shaping, which Latin/French text does not need.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve};

use super::scene::{Anchor, Text, Weight};

/// Size of a text run, in page pixels at the requested size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextMetrics {
    /// Advance width, kerning included.
    pub width: f32,
    /// Font ascent above the baseline (positive).
    pub ascent: f32,
    /// Font descent below the baseline (positive).
    pub descent: f32,
}

/// One glyph of a laid-out run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph index in the DejaVu face (the same index every backend uses).
    pub id: u16,
    /// The character it draws.
    pub ch: char,
    /// Pen position from the start of the run, px.
    pub x: f32,
    /// Advance to the next glyph (kerning with it included), px.
    pub advance: f32,
}

/// The embedded font file of a weight (for backends that embed it, e.g. PDF).
pub fn font_data(weight: Weight) -> &'static [u8] {
    match weight {
        Weight::Regular => dejavu::sans::regular(),
        Weight::Bold => dejavu::sans::bold(),
    }
}

/// The parsed face of a weight, parsed once.
fn face(weight: Weight) -> &'static FontRef<'static> {
    static REGULAR: OnceLock<FontRef<'static>> = OnceLock::new();
    static BOLD: OnceLock<FontRef<'static>> = OnceLock::new();
    let cell = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    // The font is compiled in: failing to parse it is a build defect, not a user error.
    cell.get_or_init(|| {
        FontRef::try_from_slice(font_data(weight)).expect("embedded DejaVu Sans parses")
    })
}

/// Pixels per font unit at `size`.
fn px_per_unit(font: &FontRef<'static>, size: f32) -> f32 {
    size / font.units_per_em().unwrap_or(2048.0)
}

/// The glyph of `c`; `None` when the font lacks it (it would draw .notdef).
pub fn glyph_id(c: char, weight: Weight) -> Option<u16> {
    let id = face(weight).glyph_id(c);
    (id.0 != 0).then_some(id.0)
}

/// Lays out `text` on one line: glyph ids and pen positions, kerning included.
pub fn layout(text: &str, size: f32, weight: Weight) -> Vec<PlacedGlyph> {
    let font = face(weight);
    let k = px_per_unit(font, size);
    let mut glyphs: Vec<PlacedGlyph> = Vec::with_capacity(text.len());
    let mut x = 0.0;
    let mut prev: Option<GlyphId> = None;
    for ch in text.chars() {
        let id = font.glyph_id(ch);
        if let (Some(p), Some(last)) = (prev, glyphs.last_mut()) {
            let kern = font.kern_unscaled(p, id) * k;
            last.advance += kern;
            x += kern;
        }
        let advance = font.h_advance_unscaled(id) * k;
        glyphs.push(PlacedGlyph {
            id: id.0,
            ch,
            x,
            advance,
        });
        x += advance;
        prev = Some(id);
    }
    glyphs
}

/// Width (kerning included), ascent and descent of `text` at `size` px.
pub fn measure(text: &str, size: f32, weight: Weight) -> TextMetrics {
    let font = face(weight);
    let k = px_per_unit(font, size);
    let width = layout(text, size, weight).iter().map(|g| g.advance).sum();
    TextMetrics {
        width,
        ascent: font.ascent_unscaled() * k,
        descent: -font.descent_unscaled() * k,
    }
}

/// X of the run's left edge once `anchor` is applied.
pub fn start_x(text: &Text, width: f32) -> f32 {
    match text.anchor {
        Anchor::Start => text.x,
        Anchor::Middle => text.x - width / 2.0,
        Anchor::End => text.x - width,
    }
}

/// The glyph outlines of a text run as one path in page coordinates (fill with non-zero
/// winding), or `None` for a run with no ink (empty, spaces only).
pub fn outline_path(text: &Text) -> Option<tiny_skia::Path> {
    let font = face(text.weight);
    let k = px_per_unit(font, text.size);
    let glyphs = layout(&text.text, text.size, text.weight);
    let width: f32 = glyphs.iter().map(|g| g.advance).sum();
    let x0 = start_x(text, width);
    let mut pb = tiny_skia::PathBuilder::new();
    for g in &glyphs {
        let Some(outline) = font.outline(GlyphId(g.id)) else {
            continue;
        };
        let (ox, oy) = (x0 + g.x, text.y);
        // Font units are y-up; the page is y-down.
        let p = |pt: ab_glyph::Point| (ox + pt.x * k, oy - pt.y * k);
        let mut last: Option<ab_glyph::Point> = None;
        for curve in &outline.curves {
            let start = match curve {
                OutlineCurve::Line(a, _)
                | OutlineCurve::Quad(a, _, _)
                | OutlineCurve::Cubic(a, _, _, _) => *a,
            };
            // ab_glyph flattens contours into one curve list: a jump starts a new contour.
            if last != Some(start) {
                if last.is_some() {
                    pb.close();
                }
                let (x, y) = p(start);
                pb.move_to(x, y);
            }
            let end = match *curve {
                OutlineCurve::Line(_, b) => {
                    let (x, y) = p(b);
                    pb.line_to(x, y);
                    b
                }
                OutlineCurve::Quad(_, c, b) => {
                    let ((cx, cy), (x, y)) = (p(c), p(b));
                    pb.quad_to(cx, cy, x, y);
                    b
                }
                OutlineCurve::Cubic(_, c1, c2, b) => {
                    let ((ax, ay), (bx, by), (x, y)) = (p(c1), p(c2), p(b));
                    pb.cubic_to(ax, ay, bx, by, x, y);
                    b
                }
            };
            last = Some(end);
        }
        if last.is_some() {
            pb.close();
        }
    }
    pb.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter and sign of written French, and the spaces French typography uses.
    const FRENCH: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\
        àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ«»’‘“”–—…€%°,;:!?.'\"()0123456789\u{202F}\u{00A0}";

    #[test]
    fn french_alphabet_has_no_notdef() {
        for weight in [Weight::Regular, Weight::Bold] {
            let missing: String = FRENCH
                .chars()
                .filter(|&c| glyph_id(c, weight).is_none())
                .collect();
            assert!(
                missing.is_empty(),
                "{weight:?} lacks glyphs for {missing:?}"
            );
        }
    }

    #[test]
    fn width_is_advance_sum_plus_kerning() {
        let font = face(Weight::Regular);
        let k = 14.0 / 2048.0;
        let text = "Données simulées";
        let ids: Vec<GlyphId> = text.chars().map(|c| font.glyph_id(c)).collect();
        let advances: f32 = ids.iter().map(|&g| font.h_advance_unscaled(g) * k).sum();
        let kerns: f32 = ids
            .windows(2)
            .map(|w| font.kern_unscaled(w[0], w[1]) * k)
            .sum();
        let m = measure(text, 14.0, Weight::Regular);
        assert!(
            (m.width - advances - kerns).abs() < 1e-3,
            "{} vs {}",
            m.width,
            advances + kerns
        );
        assert!(m.width > 100.0 && m.width < 130.0, "{}", m.width);
        assert!((m.ascent - 14.0 * 1901.0 / 2048.0).abs() < 0.01);
        assert!((m.descent - 14.0 * 483.0 / 2048.0).abs() < 0.01);
        // Bold is wider.
        assert!(measure(text, 14.0, Weight::Bold).width > m.width);
    }

    #[test]
    fn kerning_applies() {
        // DejaVu Sans kerns "AV" (kern table): the pair is narrower than its two advances.
        let pair = measure("AV", 20.0, Weight::Regular).width;
        let apart =
            measure("A", 20.0, Weight::Regular).width + measure("V", 20.0, Weight::Regular).width;
        assert!(pair < apart - 0.1, "AV {pair} vs {apart}");
    }

    #[test]
    fn anchors_shift_the_outline() {
        let mut t = Text {
            text: "Lyon".into(),
            x: 100.0,
            y: 50.0,
            size: 20.0,
            weight: Weight::Bold,
            anchor: Anchor::Start,
            color: super::super::scene::Rgba::rgb(0, 0, 0),
            halo: None,
        };
        let w = measure("Lyon", 20.0, Weight::Bold).width;
        let start = outline_path(&t).map(|p| p.bounds()).expect("ink");
        t.anchor = Anchor::End;
        let end = outline_path(&t).map(|p| p.bounds()).expect("ink");
        assert!((start.left() - end.left() - w).abs() < 1e-3);
        assert!(start.left() >= 100.0 && start.left() < 103.0);
        // "y" descends below the baseline, "L" rises to the cap height.
        let descent = measure("Lyon", 20.0, Weight::Bold).descent;
        assert!(
            start.bottom() > 52.0 && start.bottom() <= 50.0 + descent,
            "{start:?}"
        );
        assert!(start.top() > 50.0 - 20.0 && start.top() < 40.0, "{start:?}");
        t.text = "  ".into();
        assert!(outline_path(&t).is_none());
    }
}
