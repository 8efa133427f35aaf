//! Territory labels: anchored at the pole of inaccessibility of the largest part (inside even
//! for concave shapes), with a halo, placed biggest territory first and dropped when they
//! would overlap another label or a piece of furniture.

use geo_types::{Coord, LineString, Polygon};

use super::furniture::text_width;
use crate::render::layout::Rect;
use crate::render::scene::{Anchor, Path, Rgba, Stroke, Text, Weight};

/// A label to place.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// INSEE code of the territory, to name it when its label is left out.
    pub code: String,
    /// Text.
    pub text: String,
    /// Territory outline on the page (its largest part is used).
    pub path: Path,
    /// The frame the label must stay in.
    pub within: Rect,
}

/// Outer area of a ring (shoelace), px².
fn ring_area(r: &[[f32; 2]]) -> f32 {
    let mut a = 0.0;
    for (i, p) in r.iter().enumerate() {
        let q = r[(i + 1) % r.len()];
        a += p[0] * q[1] - q[0] * p[1];
    }
    (a / 2.0).abs()
}

/// Anchor point of a page path: polylabel on its largest ring, with the area of that ring.
fn anchor(path: &Path) -> Option<([f32; 2], f32)> {
    let ring = path
        .subpaths
        .iter()
        .max_by(|a, b| ring_area(a).total_cmp(&ring_area(b)))?;
    let area = ring_area(ring);
    let ls: LineString<f64> = ring
        .iter()
        .map(|p| Coord {
            x: f64::from(p[0]),
            y: f64::from(p[1]),
        })
        .collect();
    let pt = polylabel::polylabel(&Polygon::new(ls, vec![]), &0.5).ok()?;
    Some(([pt.x() as f32, pt.y() as f32], area))
}

/// Labels placed, and the candidates left out (by index), which the map must report.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// Texts drawn.
    pub texts: Vec<Text>,
    /// Indices in the candidates of the labels left out, in candidate order.
    pub dropped: Vec<usize>,
}

/// Places labels of `size` px: largest territories first, skipping those whose text box
/// overlaps an earlier label or an obstacle, or is wider than the territory itself.
pub fn place(cands: &[Candidate], size: f32, obstacles: &[Rect], ink: Rgba) -> Placement {
    let min_area = size * size * 2.0;
    let mut anchored: Vec<(usize, [f32; 2], f32)> = cands
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let bbox_ok = c
                .path
                .subpaths
                .iter()
                .flatten()
                .fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                    (lo.min(p[0]), hi.max(p[0]))
                });
            (bbox_ok.1 - bbox_ok.0 >= size * 1.5).then_some(())?;
            let (p, a) = anchor(&c.path)?;
            (a >= min_area).then_some((i, p, a))
        })
        .collect();
    anchored.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut taken: Vec<Rect> = Vec::new();
    let mut out = Vec::new();
    let mut placed = vec![false; cands.len()];
    for (i, p, area) in anchored {
        let c = &cands[i];
        let w = text_width(&c.text, size, Weight::Regular);
        if w * size * 0.6 > area {
            continue;
        }
        let r = Rect::new(p[0] - w / 2.0, p[1] - size * 0.55, w, size * 1.1).grow(size * 0.15);
        if !c.within.contains(&r) || taken.iter().chain(obstacles).any(|t| t.overlaps(&r)) {
            continue;
        }
        taken.push(r);
        placed[i] = true;
        out.push(Text {
            text: c.text.clone(),
            x: p[0],
            y: p[1] + size * 0.36,
            size,
            weight: Weight::Regular,
            anchor: Anchor::Middle,
            color: ink,
            halo: Some(Stroke {
                color: Rgba {
                    r: 255,
                    g: 255,
                    b: 255,
                    a: 220,
                },
                width: size * 0.28,
            }),
        });
    }
    Placement {
        texts: out,
        dropped: (0..cands.len()).filter(|&i| !placed[i]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f32, y: f32, s: f32) -> Path {
        Path {
            subpaths: vec![vec![[x, y], [x + s, y], [x + s, y + s], [x, y + s]]],
            closed: true,
        }
    }

    #[test]
    fn labels_sit_inside_and_never_overlap() {
        let page = Rect::new(0.0, 0.0, 400.0, 400.0);
        let cands = vec![
            Candidate {
                code: "G".into(),
                text: "Grand".into(),
                path: square(0.0, 0.0, 200.0),
                within: page,
            },
            // Same centre as the first: its label would collide and is dropped.
            Candidate {
                code: "D".into(),
                text: "Double".into(),
                path: square(50.0, 50.0, 100.0),
                within: page,
            },
            Candidate {
                code: "L".into(),
                text: "Loin".into(),
                path: square(250.0, 250.0, 100.0),
                within: page,
            },
            // Too small for its text.
            Candidate {
                code: "M".into(),
                text: "Minuscule".into(),
                path: square(380.0, 0.0, 10.0),
                within: page,
            },
        ];
        let placed = place(&cands, 12.0, &[], Rgba::rgb(0, 0, 0));
        let texts: Vec<&str> = placed.texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Grand", "Loin"]);
        assert_eq!(placed.dropped, [1, 3]);
        assert!((placed.texts[0].x - 100.0).abs() < 1.0);
        // An obstacle over the second square removes its label.
        let placed = place(
            &cands,
            12.0,
            &[Rect::new(280.0, 280.0, 40.0, 40.0)],
            Rgba::rgb(0, 0, 0),
        );
        assert_eq!(placed.texts.len(), 1);
        assert_eq!(placed.dropped, [1, 2, 3]);
    }
}
