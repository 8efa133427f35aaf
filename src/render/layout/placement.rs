//! Where furniture goes: an occupancy grid of the page (land and placed boxes) and the first
//! candidate spot that hides nothing.

use super::Rect;
use crate::render::scene::Path;

/// Where land is drawn on the page, on a coarse grid: furniture goes where it hides nothing.
#[derive(Debug, Clone)]
pub struct Occupancy {
    cell: f32,
    cols: usize,
    rows: usize,
    full: Vec<bool>,
}

impl Occupancy {
    /// An empty grid over a page, with cells of `cell` px.
    pub fn new(width: f32, height: f32, cell: f32) -> Occupancy {
        let cols = (width / cell).ceil().max(1.0) as usize;
        let rows = (height / cell).ceil().max(1.0) as usize;
        Occupancy {
            cell,
            cols,
            rows,
            full: vec![false; cols * rows],
        }
    }

    /// Marks the cells inside closed paths (even-odd scanline at cell centres) and the cells
    /// their vertices fall in (so thin islands count too).
    pub fn fill(&mut self, path: &Path) {
        let c = self.cell;
        let mut xs: Vec<f32> = Vec::new();
        for row in 0..self.rows {
            let y = (row as f32 + 0.5) * c;
            xs.clear();
            for ring in &path.subpaths {
                for (i, a) in ring.iter().enumerate() {
                    let b = ring[(i + 1) % ring.len()];
                    if (a[1] <= y) != (b[1] <= y) {
                        xs.push(a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]));
                    }
                }
            }
            xs.sort_by(f32::total_cmp);
            for pair in xs.chunks_exact(2) {
                let last = (pair[1] / c - 0.5).floor();
                if last < 0.0 {
                    continue;
                }
                let c0 = (pair[0] / c - 0.5).ceil().max(0.0) as usize;
                let c1 = (last as usize).min(self.cols - 1);
                for col in c0..=c1 {
                    self.full[row * self.cols + col] = true;
                }
            }
        }
        for ring in &path.subpaths {
            for p in ring {
                self.mark(Rect::new(p[0], p[1], 0.0, 0.0));
            }
        }
    }

    /// Marks every cell a rectangle touches (placed furniture, frames).
    pub fn mark(&mut self, r: Rect) {
        if let Some((c0, r0, c1, r1)) = self.cells(r) {
            for row in r0..=r1 {
                for col in c0..=c1 {
                    self.full[row * self.cols + col] = true;
                }
            }
        }
    }

    /// Fraction of the rectangle's cells that are occupied (1 when it leaves the page).
    pub fn covered(&self, r: Rect) -> f32 {
        let page = Rect::new(
            0.0,
            0.0,
            self.cols as f32 * self.cell,
            self.rows as f32 * self.cell,
        );
        if !page.contains(&r) {
            return 1.0;
        }
        match self.cells(r) {
            None => 1.0,
            Some((c0, r0, c1, r1)) => {
                let mut n = 0usize;
                for row in r0..=r1 {
                    n += self.full[row * self.cols + c0..=row * self.cols + c1]
                        .iter()
                        .filter(|&&f| f)
                        .count();
                }
                n as f32 / ((c1 - c0 + 1) * (r1 - r0 + 1)) as f32
            }
        }
    }

    fn cells(&self, r: Rect) -> Option<(usize, usize, usize, usize)> {
        let c = self.cell;
        let c0 = (r.x / c).floor().max(0.0) as usize;
        let r0 = (r.y / c).floor().max(0.0) as usize;
        // Right and bottom edges are exclusive, so boxes that only touch do not collide.
        let c1 = (((r.right() / c).ceil() as usize).saturating_sub(1).max(c0)).min(self.cols - 1);
        let r1 = (((r.bottom() / c).ceil() as usize).saturating_sub(1).max(r0)).min(self.rows - 1);
        (r.right() >= 0.0 && r.bottom() >= 0.0 && c0 <= c1 && r0 <= r1).then_some((c0, r0, c1, r1))
    }
}

/// A spot of a box inside an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// Bottom-left corner.
    BottomLeft,
    /// Top-left corner.
    TopLeft,
    /// Top-right corner.
    TopRight,
    /// Bottom-right corner.
    BottomRight,
    /// Middle of the left side.
    Left,
    /// Middle of the right side.
    Right,
    /// Middle of the bottom side.
    Bottom,
    /// Middle of the top side.
    Top,
}

/// Candidate places for a `w`×`h` box inside `area`, in the order of preference given.
pub fn candidates(area: Rect, w: f32, h: f32, order: &[Spot]) -> Vec<Rect> {
    let (l, t) = (area.x, area.y);
    let (r, b) = (area.right() - w, area.bottom() - h);
    let (cx, cy) = (area.x + (area.w - w) / 2.0, area.y + (area.h - h) / 2.0);
    order
        .iter()
        .map(|s| match s {
            Spot::BottomLeft => (l, b),
            Spot::TopLeft => (l, t),
            Spot::TopRight => (r, t),
            Spot::BottomRight => (r, b),
            Spot::Left => (l, cy),
            Spot::Right => (r, cy),
            Spot::Bottom => (cx, b),
            Spot::Top => (cx, t),
        })
        .map(|(x, y)| Rect::new(x, y, w, h))
        .collect()
}

/// The first candidate whose cells (grown by `gap`) are free of land and furniture, or the
/// least covered one when `strict` is false.
pub fn place(occ: &Occupancy, cands: &[Rect], gap: f32, strict: bool) -> Option<Rect> {
    let scored: Vec<(f32, Rect)> = cands
        .iter()
        .map(|r| (occ.covered(r.grow(gap)), *r))
        .collect();
    if let Some((_, r)) = scored.iter().find(|(s, _)| *s == 0.0) {
        return Some(*r);
    }
    if strict {
        return None;
    }
    scored
        .into_iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupancy_fills_polygon_interior_and_finds_free_corner() {
        let mut occ = Occupancy::new(100.0, 100.0, 5.0);
        // A triangle covering the top-left half.
        occ.fill(&Path {
            subpaths: vec![vec![[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]]],
            closed: true,
        });
        assert_eq!(occ.covered(Rect::new(5.0, 5.0, 10.0, 10.0)), 1.0);
        assert_eq!(occ.covered(Rect::new(80.0, 80.0, 15.0, 15.0)), 0.0);
        let cands = candidates(
            Rect::new(0.0, 0.0, 100.0, 100.0),
            20.0,
            20.0,
            &[Spot::TopLeft, Spot::BottomRight],
        );
        let spot = place(&occ, &cands, 0.0, true);
        assert_eq!(spot, Some(Rect::new(80.0, 80.0, 20.0, 20.0)));
        assert_eq!(
            place(&occ, &cands, 1.0, true),
            None,
            "a gap that leaves the page"
        );
        assert!(
            occ.covered(Rect::new(90.0, 90.0, 20.0, 20.0)) == 1.0,
            "off the page counts as covered"
        );
    }
}
