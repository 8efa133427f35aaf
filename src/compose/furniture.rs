//! Drawing primitives of the page's furniture: text width, wrapping and blocks of lines,
//! rectangles, polylines and the scale bar.

use crate::render::layout::{Frame, Rect};
use crate::render::scene::{Anchor, Fill, Item, Path, Rgba, Stroke, Text, Weight};

/// Width of a text run in px (DejaVu Sans metrics, the font every backend uses).
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    crate::render::text::measure(text, size, weight).width
}

/// Splits `text` into lines no wider than `max` px, breaking at spaces.
pub fn wrap(text: &str, size: f32, weight: Weight, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size, weight) > max {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A text run with the usual defaults (no halo).
pub fn text(
    s: impl Into<String>,
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    anchor: Anchor,
    color: Rgba,
) -> Item {
    Item::Text(Text {
        text: s.into(),
        x,
        y,
        size,
        weight,
        anchor,
        color,
        halo: None,
    })
}

/// A filled rectangle, optionally outlined.
pub fn rect_item(id: Option<&str>, r: Rect, fill: Option<Fill>, stroke: Option<Stroke>) -> Item {
    Item::Shape {
        id: id.map(str::to_string),
        title: None,
        path: r.path(),
        fill,
        stroke,
        bordered: false,
    }
}

/// Lines of text stacked from a top edge: returns the items and the height used.
pub fn text_block(
    lines: &[String],
    x: f32,
    top: f32,
    size: f32,
    weight: Weight,
    anchor: Anchor,
    color: Rgba,
) -> (Vec<Item>, f32) {
    let lead = size * 1.25;
    let items = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            text(
                l.clone(),
                x,
                top + size * 0.95 + i as f32 * lead,
                size,
                weight,
                anchor,
                color,
            )
        })
        .collect();
    (items, lines.len() as f32 * lead)
}

/// A scale bar: a round distance, drawn as two alternating segments with its label.
#[derive(Debug, Clone)]
pub struct ScaleBar {
    /// Length of the whole bar, km.
    pub km: f64,
    /// Length of the whole bar, px.
    pub px: f32,
    /// Font size.
    pub size: f32,
}

impl ScaleBar {
    /// The longest round length (1, 2, 5 × 10^k km) that fits in `max_px` on this frame.
    pub fn new(frame: &Frame, max_px: f32, size: f32) -> ScaleBar {
        let max_km = f64::from(max_px) / frame.scale / 1000.0;
        let mut km = 10f64.powf(max_km.log10().floor());
        for m in [5.0, 2.0] {
            if km * m <= max_km {
                km *= m;
                break;
            }
        }
        ScaleBar {
            km,
            px: (km * 1000.0 * frame.scale) as f32,
            size,
        }
    }

    /// The label, French style (`100 km`, `500 m`).
    pub fn label(&self) -> String {
        if self.km >= 1.0 {
            format!("{} km", self.km)
        } else {
            format!("{} m", (self.km * 1000.0).round())
        }
    }

    /// Box size: bar plus the label to its right.
    pub fn size(&self) -> (f32, f32) {
        (
            self.px + self.size * 0.5 + text_width(&self.label(), self.size, Weight::Regular),
            self.size * 1.2,
        )
    }

    /// Items drawing the bar with its top-left corner at `at`.
    pub fn draw(&self, at: [f32; 2], ink: Rgba) -> Vec<Item> {
        let h = (self.size * 0.35).max(2.0);
        let y = at[1] + self.size * 0.4;
        let half = self.px / 2.0;
        let white = Rgba::rgb(255, 255, 255);
        let edge = Some(Stroke {
            color: ink,
            width: (self.size * 0.06).max(0.5),
        });
        let mut items = vec![
            rect_item(
                None,
                Rect::new(at[0], y, half, h),
                Some(Fill::Solid(ink)),
                edge,
            ),
            rect_item(
                None,
                Rect::new(at[0] + half, y, half, h),
                Some(Fill::Solid(white)),
                edge,
            ),
        ];
        let mut t = Text {
            text: self.label(),
            x: at[0] + self.px + self.size * 0.5,
            y: y + h / 2.0 + self.size * 0.36,
            size: self.size,
            weight: Weight::Regular,
            anchor: Anchor::Start,
            color: ink,
            halo: None,
        };
        t.halo = Some(Stroke {
            color: white,
            width: self.size * 0.25,
        });
        items.push(Item::Text(t));
        items
    }
}

/// An open polyline (for outlines that must not be filled).
pub fn polyline(points: Vec<[f32; 2]>) -> Path {
    Path {
        subpaths: vec![points],
        closed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::Projection;
    use crate::render::layout::Bbox;

    #[test]
    fn wrap_breaks_at_spaces_within_width() {
        let lines = wrap(
            "Part des maires qui répondent oui à la question 4",
            20.0,
            Weight::Regular,
            200.0,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| text_width(l, 20.0, Weight::Regular) <= 200.0),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "Part des maires qui répondent oui à la question 4"
        );
    }

    #[test]
    fn scale_bar_is_round() {
        let world = Bbox {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 1_000_000.0,
            max_y: 1_000_000.0,
        };
        let f = Frame::fit(
            "t",
            Projection::Lambert93,
            world,
            Rect::new(0.0, 0.0, 1000.0, 1000.0),
            0.0,
        );
        // 1 px = 1 km: at most 180 px gives 100 km.
        let s = ScaleBar::new(&f, 180.0, 10.0);
        assert_eq!((s.km, s.px, s.label().as_str()), (100.0, 100.0, "100 km"));
        assert_eq!(ScaleBar::new(&f, 260.0, 10.0).km, 200.0);
        assert_eq!(ScaleBar::new(&f, 0.7, 10.0).label(), "500 m");
    }
}
