//! Page rectangles, projected boxes and frames: where a piece of the world lands on the page.

use geo_types::MultiPolygon;
use rayon::prelude::*;
use serde::Serialize;

use super::grid::Projector;
use crate::projection::Projection;
use crate::render::scene::Path;

/// A rectangle on the page, px, origin top-left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// A rectangle from its top-left corner and size.
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// True when the two rectangles share interior area.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
    /// True when `o` lies entirely inside this rectangle.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - 0.01
            && o.y >= self.y - 0.01
            && o.right() <= self.right() + 0.01
            && o.bottom() <= self.bottom() + 0.01
    }
    /// The rectangle grown by `d` on every side (shrunk when negative).
    pub fn grow(&self, d: f32) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }
    /// `[x, y, w, h]`, the scene's clip format.
    pub fn array(&self) -> [f32; 4] {
        [self.x, self.y, self.w, self.h]
    }
    /// The closed outline of this rectangle.
    pub fn path(&self) -> Path {
        let (x0, y0, x1, y1) = (self.x, self.y, self.right(), self.bottom());
        Path {
            subpaths: vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]],
            closed: true,
        }
    }
}

/// A bounding box in projected metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bbox {
    /// West.
    pub min_x: f64,
    /// South.
    pub min_y: f64,
    /// East.
    pub max_x: f64,
    /// North.
    pub max_y: f64,
}

impl Bbox {
    /// The empty box, neutral for [`Bbox::add`].
    pub const EMPTY: Bbox = Bbox {
        min_x: f64::MAX,
        min_y: f64::MAX,
        max_x: f64::MIN,
        max_y: f64::MIN,
    };
    /// Extends the box to hold a point.
    pub fn add(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }
    /// The union of two boxes.
    pub fn union(mut self, o: Bbox) -> Bbox {
        self.min_x = self.min_x.min(o.min_x);
        self.min_y = self.min_y.min(o.min_y);
        self.max_x = self.max_x.max(o.max_x);
        self.max_y = self.max_y.max(o.max_y);
        self
    }
    /// False for the empty box.
    pub fn is_valid(&self) -> bool {
        self.min_x <= self.max_x && self.min_y <= self.max_y
    }
    /// Width, metres.
    pub fn width(&self) -> f64 {
        self.max_x - self.min_x
    }
    /// Height, metres.
    pub fn height(&self) -> f64 {
        self.max_y - self.min_y
    }
    /// The box grown by a fraction of its larger side on every side.
    pub fn pad(&self, frac: f64) -> Bbox {
        let d = self.width().max(self.height()) * frac;
        Bbox {
            min_x: self.min_x - d,
            min_y: self.min_y - d,
            max_x: self.max_x + d,
            max_y: self.max_y + d,
        }
    }
}

/// The projected bounding box of some geometries (their exteriors, on all cores).
pub fn projected_bbox<'a>(
    proj: &Projection,
    geoms: impl Iterator<Item = &'a MultiPolygon<f64>>,
) -> Bbox {
    let geoms: Vec<&MultiPolygon<f64>> = geoms.collect();
    let proj = Projector::new(proj, &geoms);
    geoms
        .par_iter()
        .map(|g| {
            let mut b = Bbox::EMPTY;
            for c in g.0.iter().flat_map(|p| &p.exterior().0) {
                let (x, y) = proj.forward(c.x, c.y);
                b.add(x, y);
            }
            b
        })
        .reduce(|| Bbox::EMPTY, Bbox::union)
}

/// A piece of the world drawn into a page rectangle: projection, scale, placement.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Identifier (`main`, `inset-974`, `locator`...), used as SVG group id.
    pub id: String,
    /// Projection from lon/lat to metres.
    pub proj: Projection,
    /// The page rectangle (the frame's border and clip).
    pub rect: Rect,
    /// Pixels per metre.
    pub scale: f64,
    /// Projected x drawn at the rectangle's left edge.
    pub x0: f64,
    /// Projected y drawn at the rectangle's top edge.
    pub y0: f64,
}

impl Frame {
    /// Fits `world` centred into `rect`, keeping `margin` px free on every side.
    pub fn fit(
        id: impl Into<String>,
        proj: Projection,
        world: Bbox,
        rect: Rect,
        margin: f32,
    ) -> Frame {
        let iw = f64::from((rect.w - 2.0 * margin).max(1.0));
        let ih = f64::from((rect.h - 2.0 * margin).max(1.0));
        let scale = (iw / world.width().max(1.0)).min(ih / world.height().max(1.0));
        let cx = (world.min_x + world.max_x) / 2.0;
        let cy = (world.min_y + world.max_y) / 2.0;
        let x0 = cx - f64::from(rect.w) / 2.0 / scale;
        let y0 = cy + f64::from(rect.h) / 2.0 / scale;
        Frame {
            id: id.into(),
            proj,
            rect,
            scale,
            x0,
            y0,
        }
    }

    /// Page position of projected metres.
    #[inline]
    pub fn page(&self, x: f64, y: f64) -> [f32; 2] {
        [
            self.rect.x + ((x - self.x0) * self.scale) as f32,
            self.rect.y + ((self.y0 - y) * self.scale) as f32,
        ]
    }

    /// The frame shrunk to the page extent of `world` (plus `margin` px), keeping its scale:
    /// used once the scale is decided, so the border hugs the content.
    pub fn hug(&self, world: Bbox, margin: f32) -> Frame {
        let [l, t] = self.page(world.min_x, world.max_y);
        let [r, b] = self.page(world.max_x, world.min_y);
        let rect = Rect::new(
            l - margin,
            t - margin,
            r - l + 2.0 * margin,
            b - t + 2.0 * margin,
        );
        let mut f = self.clone();
        f.x0 = self.x0 + f64::from(rect.x - self.rect.x) / self.scale;
        f.y0 = self.y0 - f64::from(rect.y - self.rect.y) / self.scale;
        f.rect = rect;
        f
    }

    /// A geometry as a page path, its vertices snapped to a grid of `tol` px and repeats
    /// dropped (a commune map keeps a fraction of its vertices), holes under three pixels
    /// dropped (generalisation slivers, which would show as dots). Snapping depends on the
    /// vertex alone, so two neighbours get exactly the same shared border: their fills tile
    /// and [`super::border_network`] can draw that border once.
    pub fn path(&self, g: &MultiPolygon<f64>, tol: f32) -> Path {
        self.path_with(&Projector::new(&self.proj, &[g]), g, tol)
    }

    fn path_with(&self, proj: &Projector, g: &MultiPolygon<f64>, tol: f32) -> Path {
        let step = f64::from(tol.max(1e-3));
        let mut subpaths = Vec::with_capacity(g.0.len());
        for poly in &g.0 {
            for (i, ring) in std::iter::once(poly.exterior())
                .chain(poly.interiors())
                .enumerate()
            {
                let mut cells: Vec<[i32; 2]> = Vec::with_capacity(ring.0.len());
                for c in &ring.0 {
                    let (x, y) = proj.forward(c.x, c.y);
                    let q = [
                        crate::render::round_i64((x - self.x0) * self.scale / step) as i32,
                        crate::render::round_i64((self.y0 - y) * self.scale / step) as i32,
                    ];
                    if cells.last() != Some(&q) {
                        cells.push(q);
                    }
                }
                if cells.len() > 1 && cells.first() == cells.last() {
                    cells.pop();
                }
                let out: Vec<[f32; 2]> = cells
                    .iter()
                    .map(|q| {
                        [
                            self.rect.x + (f64::from(q[0]) * step) as f32,
                            self.rect.y + (f64::from(q[1]) * step) as f32,
                        ]
                    })
                    .collect();
                if out.len() >= 3 && (i == 0 || extent(&out) >= 3.0) {
                    subpaths.push(out);
                }
            }
        }
        Path {
            subpaths,
            closed: true,
        }
    }
}

/// The larger side of a ring's bounding box, px.
pub fn extent(ring: &[[f32; 2]]) -> f32 {
    let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
    for p in ring {
        for k in 0..2 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    (hi[0] - lo[0]).max(hi[1] - lo[1])
}

/// The border network ([`crate::topology::border_network`]) of closed page paths snapped by
/// [`Frame::path`], as one open path.
pub fn border_network(paths: &[&Path]) -> Path {
    let rings: Vec<&[[f32; 2]]> = paths
        .iter()
        .flat_map(|p| &p.subpaths)
        .map(Vec::as_slice)
        .collect();
    Path {
        subpaths: crate::topology::border_network(&rings),
        closed: false,
    }
}

/// Projects many geometries into one frame in parallel, in input order.
pub fn paths(frame: &Frame, geoms: &[&MultiPolygon<f64>], tol: f32) -> Vec<Path> {
    let proj = Projector::new(&frame.proj, geoms);
    geoms
        .par_iter()
        .map(|g| frame.path_with(&proj, g, tol))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_fit_centres_and_keeps_aspect() {
        let world = Bbox {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 200.0,
            max_y: 100.0,
        };
        let f = Frame::fit(
            "t",
            Projection::Lambert93,
            world,
            Rect::new(10.0, 10.0, 100.0, 100.0),
            0.0,
        );
        assert_eq!(f.page(0.0, 100.0), [10.0, 35.0]);
        assert_eq!(f.page(200.0, 0.0), [110.0, 85.0]);
        let h = f.hug(world, 2.0);
        assert_eq!(h.rect, Rect::new(8.0, 33.0, 104.0, 54.0));
        assert_eq!(h.page(0.0, 100.0), [10.0, 35.0]);
    }

    #[test]
    fn border_network_of_paths_is_one_open_path() {
        let square = |x: f32| Path {
            subpaths: vec![vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0]]],
            closed: true,
        };
        let net = border_network(&[&square(0.0), &square(1.0)]);
        assert!(!net.closed);
        assert_eq!(net.subpaths.iter().map(|s| s.len() - 1).sum::<usize>(), 7);
    }
}
