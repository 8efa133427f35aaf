//! Page geometry of a map: frames (a piece of the world drawn into a page rectangle at one
//! scale and projection), the occupancy grid that tells where land is drawn, and the placement
//! of furniture boxes (legend, scale bar, locator) where they hide no territory.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use geo_types::MultiPolygon;
use rayon::prelude::*;
use serde::Serialize;

use super::scene::Path;
use crate::projection::Projection;

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

/// Projects the vertices of many geometries: by bilinear interpolation in a grid of exact
/// projections when there are many more vertices than grid nodes, else exactly. The
/// projection's transcendental functions cost more than the rest of a commune map's scene;
/// cells are at most 0.1°, off by 1.5 m at most over France (1/250 px on a 3000-px map).
struct Projector<'a> {
    proj: &'a Projection,
    grid: Option<Grid>,
}

/// Exact projections at the nodes of a lon/lat grid.
struct Grid {
    lon0: f64,
    lat0: f64,
    step: f64,
    cols: usize,
    rows: usize,
    xy: Vec<(f64, f64)>,
}

impl<'a> Projector<'a> {
    /// Largest grid cell, degrees.
    const MAX_STEP: f64 = 0.1;

    fn new(proj: &'a Projection, geoms: &[&MultiPolygon<f64>]) -> Projector<'a> {
        let (n, ll) = geoms
            .par_iter()
            .map(|g| {
                let mut b = Bbox::EMPTY;
                let mut n = 0usize;
                for c in
                    g.0.iter()
                        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                        .flat_map(|r| &r.0)
                {
                    b.add(c.x, c.y);
                    n += 1;
                }
                (n, b)
            })
            .reduce(|| (0, Bbox::EMPTY), |a, b| (a.0 + b.0, a.1.union(b.1)));
        // Sixteen vertices per node at least, or the grid saves little.
        let step = (ll.width() * ll.height() * 16.0 / n.max(1) as f64)
            .sqrt()
            .max(Self::MAX_STEP / 10.0);
        if !ll.is_valid() || step > Self::MAX_STEP {
            return Projector { proj, grid: None };
        }
        let cols = (ll.width() / step).ceil() as usize + 2;
        let rows = (ll.height() / step).ceil() as usize + 2;
        let xy = (0..rows * cols)
            .into_par_iter()
            .map(|i| {
                let (r, c) = (i / cols, i % cols);
                proj.forward(ll.min_x + c as f64 * step, ll.min_y + r as f64 * step)
            })
            .collect();
        let grid = Grid {
            lon0: ll.min_x,
            lat0: ll.min_y,
            step,
            cols,
            rows,
            xy,
        };
        Projector {
            proj,
            grid: Some(grid),
        }
    }

    #[inline]
    fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let Some(g) = &self.grid else {
            return self.proj.forward(lon, lat);
        };
        let fx = (lon - g.lon0) / g.step;
        let fy = (lat - g.lat0) / g.step;
        let c = (fx.max(0.0) as usize).min(g.cols - 2);
        let r = (fy.max(0.0) as usize).min(g.rows - 2);
        let (tx, ty) = (fx - c as f64, fy - r as f64);
        let i = r * g.cols + c;
        let (a, b, d, e) = (g.xy[i], g.xy[i + 1], g.xy[i + g.cols], g.xy[i + g.cols + 1]);
        let lerp = |p: f64, q: f64, t: f64| p + (q - p) * t;
        (
            lerp(lerp(a.0, b.0, tx), lerp(d.0, e.0, tx), ty),
            lerp(lerp(a.1, b.1, tx), lerp(d.1, e.1, tx), ty),
        )
    }
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
    /// and [`border_network`] can draw that border once.
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
                        super::round_i64((x - self.x0) * self.scale / step) as i32,
                        super::round_i64((self.y0 - y) * self.scale / step) as i32,
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

/// The outlines of `rings` (closed paths of one frame, snapped by [`Frame::path`]) as open
/// polylines in which an edge shared by two rings appears once. Stroked over fills that tile,
/// every border then gets one stroke instead of one per neighbour: half the ink work, and a
/// translucent border is as light between neighbours as along the coast.
pub fn border_network(rings: &[&Path]) -> Path {
    fn key(p: &[f32; 2]) -> u64 {
        (u64::from(p[0].to_bits()) << 32) | u64::from(p[1].to_bits())
    }
    fn edges(ring: &[[f32; 2]]) -> impl Iterator<Item = (u64, u64)> + '_ {
        let n = ring.len();
        (0..n).map(move |i| (key(&ring[i]), key(&ring[(i + 1) % n])))
    }
    let rings: Vec<&Vec<[f32; 2]>> = rings
        .iter()
        .flat_map(|p| &p.subpaths)
        .filter(|r| r.len() >= 2)
        .collect();
    type Edges = HashSet<(u64, u64), BuildHasherDefault<EdgeHasher>>;
    // One set per thread, each holding the edges whose first vertex hashes to it: the sets
    // fill in parallel, and membership does not depend on how many there are.
    let shards = rayon::current_num_threads().max(1);
    let shard_of = |a: u64| {
        let mut h = EdgeHasher::default();
        h.write_u64(a);
        (h.finish() % shards as u64) as usize
    };
    let total: usize = rings.iter().map(|r| r.len()).sum();
    let seen: Vec<Edges> = (0..shards)
        .into_par_iter()
        .map(|k| {
            let mut set = Edges::with_capacity_and_hasher(total / shards + 1, Default::default());
            for ring in &rings {
                set.extend(edges(ring).filter(|e| shard_of(e.0) == k));
            }
            set
        })
        .collect();
    let runs = rings
        .par_iter()
        .map(|ring| {
            let n = ring.len();
            // Of an edge and its reverse, the ring that runs it towards the larger key draws it.
            let keep: Vec<bool> = edges(ring)
                .map(|(a, b)| a < b || !seen[shard_of(b)].contains(&(b, a)))
                .collect();
            let Some(start) = keep.iter().position(|k| !k) else {
                let mut closed = (*ring).clone();
                closed.push(ring[0]);
                return vec![closed];
            };
            // From the first edge left out, so that no run wraps around the ring's start.
            let mut out = Vec::new();
            let mut run: Vec<[f32; 2]> = Vec::new();
            for i in (1..=n).map(|j| (start + j) % n) {
                if keep[i] {
                    if run.is_empty() {
                        run.push(ring[i]);
                    }
                    run.push(ring[(i + 1) % n]);
                } else if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                out.push(run);
            }
            out
        })
        .collect::<Vec<_>>();
    Path {
        subpaths: runs.into_iter().flatten().collect(),
        closed: false,
    }
}

/// A multiply-rotate hash for vertex keys (SipHash costs more than the rest of the network).
#[derive(Default)]
struct EdgeHasher(u64);

impl Hasher for EdgeHasher {
    fn finish(&self) -> u64 {
        // The final mix of MurmurHash3: the table uses both the low and the high bits.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|b| self.write_u64(u64::from(*b)));
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(23) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
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

    fn ring(points: Vec<(f64, f64)>) -> MultiPolygon<f64> {
        use geo_types::{LineString, Polygon};
        MultiPolygon(vec![Polygon::new(LineString::from(points), vec![])])
    }

    #[test]
    fn projector_grid_is_within_a_metre_of_the_exact_projection() {
        // 500,000 vertices over metropolitan France: enough for the grid.
        let points: Vec<(f64, f64)> = (0..500_000)
            .map(|i| {
                let t = f64::from(i) / 500_000.0;
                (-5.2 + 15.0 * t, 41.3 + 9.8 * ((t * 977.0).fract()))
            })
            .collect();
        let g = ring(points.clone());
        let l93 = Projection::Lambert93;
        let proj = Projector::new(&l93, &[&g]);
        assert!(proj.grid.is_some(), "many vertices use the grid");
        for &(lon, lat) in points.iter().step_by(97) {
            let (x, y) = proj.forward(lon, lat);
            let (ex, ey) = l93.forward(lon, lat);
            assert!(
                (x - ex).hypot(y - ey) < 1.0,
                "{lon} {lat}: {x} {y} vs {ex} {ey}"
            );
        }
        // A few vertices are projected exactly.
        let small = ring(vec![(2.0, 46.0), (3.0, 46.0), (3.0, 47.0), (2.0, 46.0)]);
        assert!(Projector::new(&l93, &[&small]).grid.is_none());
    }

    #[test]
    fn border_network_strokes_shared_edges_once() {
        let sq = |x: f32| vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0]];
        let (a, b) = (
            Path {
                subpaths: vec![sq(0.0)],
                closed: true,
            },
            Path {
                subpaths: vec![sq(1.0)],
                closed: true,
            },
        );
        let net = border_network(&[&a, &b]);
        assert!(!net.closed);
        // Seven unit edges: eight in both squares, the shared one once.
        let edges: usize = net.subpaths.iter().map(|s| s.len() - 1).sum();
        assert_eq!(edges, 7, "{:?}", net.subpaths);
        let shared = |s: &Vec<[f32; 2]>| {
            s.windows(2).any(|w| {
                (w[0] == [1.0, 0.0] && w[1] == [1.0, 1.0])
                    || (w[0] == [1.0, 1.0] && w[1] == [1.0, 0.0])
            })
        };
        assert_eq!(net.subpaths.iter().filter(|s| shared(s)).count(), 1);
        // A ring alone is closed on itself.
        let lone = border_network(&[&a]);
        assert_eq!(
            lone.subpaths,
            vec![vec![
                [0.0, 0.0],
                [1.0, 0.0],
                [1.0, 1.0],
                [0.0, 1.0],
                [0.0, 0.0]
            ]]
        );
    }
}
