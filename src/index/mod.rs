//! Spatial index: which territory contains a point?
//!
//! An R-tree (`rstar`) over the bounding boxes of every polygon part, then an exact
//! crossing-number test on the candidate's rings. Holes and enclaves are respected (all rings
//! of a part are tested together, even-odd), and a point on a border shared by two
//! territories gets exactly one answer: edges are evaluated in a canonical order, so both
//! neighbours compute the same crossing, and the half-open rule gives the point to the
//! territory on the east side of the edge (or north for horizontal edges).
//!
//! Batches ([`SpatialIndex::locate_many`]) go through a [`Grid`] instead, built on first
//! use: a cell lookup replaces the tree descent, three times cheaper per point, with the
//! same answers.

use std::sync::OnceLock;

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::Layer;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// One polygon part with its rings flattened and its edges bucketed by horizontal band, so a
/// point is tested only against the edges that can cross its latitude.
#[derive(Debug)]
struct Part {
    territory: u32,
    /// Bounding box, `[min_x, min_y, max_x, max_y]`.
    bbox: [f64; 4],
    min_y: f64,
    band_height: f64,
    /// Edge endpoints, `[x0, y0, x1, y1]` with `y0 <= y1` (canonical order), band after band:
    /// an edge spanning several bands is copied into each, so that a band's edges lie
    /// together in memory (one cache miss, not one per edge).
    edges: Vec<[f64; 4]>,
    /// Start of each band's edges in `edges` (one more entry than bands).
    bands: Vec<u32>,
}

impl Part {
    fn new(territory: u32, polygon: &geo_types::Polygon<f64>) -> Part {
        let mut edges = Vec::new();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for w in ring.0.windows(2) {
                let (a, b) = (w[0], w[1]);
                if a.y == b.y && a.x == b.x {
                    continue;
                }
                edges.push(if a.y <= b.y {
                    [a.x, a.y, b.x, b.y]
                } else {
                    [b.x, b.y, a.x, a.y]
                });
            }
        }
        let min_y = edges.iter().map(|e| e[1]).fold(f64::INFINITY, f64::min);
        let max_y = edges.iter().map(|e| e[3]).fold(f64::NEG_INFINITY, f64::max);
        let n_bands = (edges.len() / 6).clamp(1, 64);
        let band_height = ((max_y - min_y) / n_bands as f64).max(f64::MIN_POSITIVE);
        let min_x = edges
            .iter()
            .map(|e| e[0].min(e[2]))
            .fold(f64::INFINITY, f64::min);
        let max_x = edges
            .iter()
            .map(|e| e[0].max(e[2]))
            .fold(f64::NEG_INFINITY, f64::max);
        let band_of = |y: f64| (((y - min_y) / band_height) as usize).min(n_bands - 1);
        let mut bands = vec![0u32; n_bands + 1];
        for e in &edges {
            for b in band_of(e[1])..=band_of(e[3]) {
                bands[b + 1] += 1;
            }
        }
        for b in 1..bands.len() {
            bands[b] += bands[b - 1];
        }
        let mut next = bands.clone();
        let mut banded = vec![[0.0; 4]; bands[n_bands] as usize];
        for e in &edges {
            for b in band_of(e[1])..=band_of(e[3]) {
                banded[next[b] as usize] = *e;
                next[b] += 1;
            }
        }
        Part {
            territory,
            bbox: [min_x, min_y, max_x, max_y],
            min_y,
            band_height,
            edges: banded,
            bands,
        }
    }

    /// Even-odd crossing test, half-open in y (`y0 <= y < y1`), strict in x.
    fn contains(&self, x: f64, y: f64) -> bool {
        let band = ((y - self.min_y) / self.band_height) as usize;
        let band = band.min(self.bands.len().saturating_sub(2));
        let (Some(&start), Some(&end)) = (self.bands.get(band), self.bands.get(band + 1)) else {
            return false;
        };
        let mut inside = false;
        for &[x0, y0, x1, y1] in &self.edges[start as usize..end as usize] {
            if y0 <= y && y < y1 {
                let x_cross = x0 + (y - y0) * (x1 - x0) / (y1 - y0);
                if x < x_cross {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// An R-tree over the polygon parts of one layer.
#[derive(Debug)]
pub struct SpatialIndex {
    tree: RTree<Entry>,
    parts: Vec<Part>,
    grid: OnceLock<Grid>,
}

impl SpatialIndex {
    /// Indexes every polygon part of every territory of `layer` (in parallel).
    pub fn new(layer: &Layer) -> SpatialIndex {
        use rayon::prelude::*;
        let parts: Vec<Part> = layer
            .territories
            .par_iter()
            .enumerate()
            .flat_map_iter(|(t, territory)| {
                territory
                    .geometry
                    .0
                    .iter()
                    .map(move |p| Part::new(t as u32, p))
            })
            .filter(|p| !p.edges.is_empty())
            .collect();
        let entries = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let [x0, y0, x1, y1] = p.bbox;
                GeomWithData::new(Rectangle::from_corners([x0, y0], [x1, y1]), i as u32)
            })
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
            parts,
            grid: OnceLock::new(),
        }
    }

    /// Position in the layer of the territory containing (`lon`, `lat`), if any. Where the
    /// data overlaps, the territory listed first in the layer wins, so answers never depend on
    /// the tree's internal order.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|entry| &self.parts[entry.data as usize])
            .filter(|part| part.contains(lon, lat))
            .map(|part| part.territory as usize)
            .min()
    }

    /// Locates many points on all cores; the answers keep the input order.
    ///
    /// Points are visited in Z-order (Morton order of a 2¹⁶ grid over their extent), so
    /// neighbouring queries reuse the same tree nodes and polygon edges from the cache.
    pub fn locate_many(&self, points: &[[f64; 2]]) -> Vec<Option<usize>> {
        use rayon::prelude::*;
        let finite = points
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite());
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in finite {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        let cell = |v: f64, axis: usize| -> u32 {
            let t = (v - lo[axis]) / (hi[axis] - lo[axis]).max(f64::MIN_POSITIVE);
            if t.is_finite() {
                (t.clamp(0.0, 1.0) * 65535.0) as u32
            } else {
                0
            }
        };
        let mut order: Vec<(u64, u32)> = points
            .par_iter()
            .enumerate()
            .map(|(i, p)| (morton(cell(p[0], 0), cell(p[1], 1)), i as u32))
            .collect();
        order.par_sort_unstable();
        let grid = self.grid.get_or_init(|| Grid::new(&self.parts));
        let found: Vec<Option<usize>> = order
            .par_iter()
            .with_min_len(4096)
            .map(|&(_, i)| {
                let [x, y] = points[i as usize];
                let hit = |k: &&u32| {
                    let p = &self.parts[**k as usize];
                    let [x0, y0, x1, y1] = p.bbox;
                    x0 <= x && x <= x1 && y0 <= y && y <= y1 && p.contains(x, y)
                };
                let (listed, large) = grid.candidates(x, y);
                // Listed parts are in territory order: the first hit is the smallest.
                let first = listed.iter().find(hit);
                first
                    .into_iter()
                    .chain(large.iter().filter(hit))
                    .map(|&k| self.parts[k as usize].territory as usize)
                    .min()
            })
            .collect();
        let mut answers = vec![None; points.len()];
        for (&(_, i), hit) in order.iter().zip(found) {
            answers[i as usize] = hit;
        }
        answers
    }

    /// Number of indexed polygon parts.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// Cells per degree of the [`Grid`]: 1/64° is 1.7 km by 1.2 km in metropolitan France, about
/// the size of a commune, so a cell lists two or three parts.
const CELLS_PER_DEGREE: f64 = 64.0;

/// A two-level grid over the parts' bounding boxes: whole degrees first (only those holding a
/// part get cells, so the overseas départements cost nothing for the ocean between them),
/// then 64 × 64 cells per degree, each listing the parts whose box meets it in part order
/// (that is territory order), so the first part containing a point is the R-tree's answer.
#[derive(Debug)]
struct Grid {
    /// Global cell coordinates of the first cell (whole degrees).
    origin: [i64; 2],
    /// Degrees across and up.
    degrees: [usize; 2],
    /// Block of 64 × 64 cells of each degree, or `u32::MAX` for an empty one.
    blocks: Vec<u32>,
    /// Start of each cell's parts in `parts` (one more entry than cells).
    offsets: Vec<u32>,
    parts: Vec<u32>,
    /// Parts too big to list cell by cell (a bounding box over 64 square degrees: none in
    /// French data), tested for every point.
    large: Vec<u32>,
}

/// Cells above which a part goes to [`Grid::large`].
const LARGE: i64 = 1 << 18;

const SIDE: i64 = CELLS_PER_DEGREE as i64;

impl Grid {
    fn new(parts: &[Part]) -> Grid {
        let cell = |v: f64| (v * CELLS_PER_DEGREE).floor() as i64;
        let ranges: Vec<[i64; 4]> = parts
            .iter()
            .map(|p| {
                [
                    cell(p.bbox[0]),
                    cell(p.bbox[1]),
                    cell(p.bbox[2]),
                    cell(p.bbox[3]),
                ]
            })
            .collect();
        let is_large = |r: &[i64; 4]| (r[2] - r[0] + 1) * (r[3] - r[1] + 1) > LARGE;
        let large = (0..ranges.len() as u32)
            .filter(|&k| is_large(&ranges[k as usize]))
            .collect();
        let gridded: Vec<&[i64; 4]> = ranges.iter().filter(|r| !is_large(r)).collect();
        let lo = |k: usize| {
            gridded
                .iter()
                .map(|r| r[k])
                .min()
                .unwrap_or(0)
                .div_euclid(SIDE)
        };
        let hi = |k: usize| {
            gridded
                .iter()
                .map(|r| r[k])
                .max()
                .unwrap_or(0)
                .div_euclid(SIDE)
        };
        let origin = [lo(0), lo(1)];
        let degrees = [
            (hi(2) - origin[0] + 1) as usize,
            (hi(3) - origin[1] + 1) as usize,
        ];
        let mut blocks = vec![u32::MAX; degrees[0] * degrees[1]];
        let mut n_blocks = 0;
        for r in &gridded {
            for dy in r[1].div_euclid(SIDE)..=r[3].div_euclid(SIDE) {
                for dx in r[0].div_euclid(SIDE)..=r[2].div_euclid(SIDE) {
                    let b = &mut blocks
                        [(dy - origin[1]) as usize * degrees[0] + (dx - origin[0]) as usize];
                    if *b == u32::MAX {
                        *b = n_blocks;
                        n_blocks += 1;
                    }
                }
            }
        }
        let mut grid = Grid {
            origin: origin.map(|o| o * SIDE),
            degrees,
            blocks,
            offsets: vec![0; n_blocks as usize * (SIDE * SIDE) as usize + 1],
            parts: Vec::new(),
            large,
        };
        // Two passes: count the parts of each cell, then place them (in part order).
        let cells =
            |r: [i64; 4]| (r[1]..=r[3]).flat_map(move |y| (r[0]..=r[2]).map(move |x| (x, y)));
        for r in &gridded {
            for (x, y) in cells(**r) {
                if let Some(c) = grid.cell(x, y) {
                    grid.offsets[c + 1] += 1;
                }
            }
        }
        for c in 1..grid.offsets.len() {
            grid.offsets[c] += grid.offsets[c - 1];
        }
        let mut next = grid.offsets.clone();
        grid.parts = vec![0; grid.offsets.last().copied().unwrap_or(0) as usize];
        for (k, r) in ranges.iter().enumerate().filter(|(_, r)| !is_large(r)) {
            for (x, y) in cells(*r) {
                if let Some(c) = grid.cell(x, y) {
                    grid.parts[next[c] as usize] = k as u32;
                    next[c] += 1;
                }
            }
        }
        grid
    }

    /// Index of the cell at global cell coordinates (`x`, `y`), if it holds any part.
    fn cell(&self, x: i64, y: i64) -> Option<usize> {
        let (gx, gy) = (x - self.origin[0], y - self.origin[1]);
        let (dx, dy) = (gx.div_euclid(SIDE), gy.div_euclid(SIDE));
        if gx < 0 || gy < 0 || dx as usize >= self.degrees[0] || dy as usize >= self.degrees[1] {
            return None;
        }
        let b = self.blocks[dy as usize * self.degrees[0] + dx as usize];
        (b != u32::MAX).then(|| {
            b as usize * (SIDE * SIDE) as usize
                + (gy.rem_euclid(SIDE) * SIDE + gx.rem_euclid(SIDE)) as usize
        })
    }

    /// Parts whose bounding box may hold (`x`, `y`): those of its cell, in part order, then
    /// the large ones.
    fn candidates(&self, x: f64, y: f64) -> (&[u32], &[u32]) {
        if !x.is_finite() || !y.is_finite() {
            return (&[], &[]);
        }
        let cell = |v: f64| (v * CELLS_PER_DEGREE).floor() as i64;
        let listed = match self.cell(cell(x), cell(y)) {
            Some(c) => &self.parts[self.offsets[c] as usize..self.offsets[c + 1] as usize],
            None => &[],
        };
        (listed, &self.large)
    }
}

/// Interleaves the bits of two 16-bit cell coordinates.
fn morton(x: u32, y: u32) -> u64 {
    let spread = |mut v: u64| {
        v &= 0xffff;
        v = (v | (v << 8)) & 0x00ff_00ff;
        v = (v | (v << 4)) & 0x0f0f_0f0f;
        v = (v | (v << 2)) & 0x3333_3333;
        (v | (v << 1)) & 0x5555_5555
    };
    spread(x as u64) | (spread(y as u64) << 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, Territory};
    use geo_types::{MultiPolygon, polygon};

    fn square(code: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> Territory {
        Territory {
            code: code.into(),
            name: code.into(),
            level: Level::Commune,
            departement: None,
            region: None,
            epci: None,
            population: None,
            geometry: MultiPolygon(vec![
                polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)],
            ]),
        }
    }

    #[test]
    fn shared_border_gets_one_answer_and_holes_are_outside() {
        let mut ring = square("A", 0.0, 0.0, 1.0, 1.0);
        // A hole in A, filled by C (an enclave).
        ring.geometry.0[0].interiors_push(vec![
            (0.4, 0.4),
            (0.6, 0.4),
            (0.6, 0.6),
            (0.4, 0.6),
            (0.4, 0.4),
        ]);
        let layer = Layer::new(
            vec![
                ring,
                square("B", 1.0, 0.0, 2.0, 1.0),
                square("C", 0.4, 0.4, 0.6, 0.6),
            ],
            "test",
        );
        let index = SpatialIndex::new(&layer);
        assert_eq!(index.locate(0.2, 0.2), Some(0));
        assert_eq!(index.locate(1.5, 0.5), Some(1));
        assert_eq!(
            index.locate(0.5, 0.5),
            Some(2),
            "the enclave, not the ring around it"
        );
        // On the shared edge x = 1: the east side wins, exactly one answer.
        assert_eq!(index.locate(1.0, 0.5), Some(1));
        assert_eq!(index.locate(3.0, 0.5), None);
        let many = index.locate_many(&[
            [1.5, 0.5],
            [f64::NAN, 0.0],
            [0.2, 0.2],
            [0.5, 0.5],
            [9.0, 9.0],
        ]);
        assert_eq!(
            many,
            [Some(1), None, Some(0), Some(2), None],
            "input order kept"
        );
        assert_eq!(index.locate(f64::NAN, 0.5), None);
    }

    #[test]
    fn the_grid_answers_like_the_tree_with_large_and_overlapping_parts() {
        // Z, last, is too big for the grid (40° square) and under everything; B and B2
        // overlap each other; points fall on cell and degree boundaries too.
        let layer = Layer::new(
            vec![
                square("A", 0.0, 0.0, 1.0, 1.0),
                square("B", 1.0, 0.0, 2.0, 1.0),
                square("B2", 1.5, 0.5, 2.5, 1.5),
                square("F", 30.0, 30.0, 30.01, 30.01),
                square("Z", -20.0, -20.0, 20.0, 20.0),
            ],
            "test",
        );
        let index = SpatialIndex::new(&layer);
        let steps = (0..=400).map(|k| -1.0 + k as f64 / 128.0);
        let mut points: Vec<[f64; 2]> = steps
            .clone()
            .flat_map(|x| steps.clone().map(move |y| [x, y]))
            .collect();
        points.extend([[30.005, 30.005], [25.0, 25.0], [f64::INFINITY, 0.0]]);
        let many = index.locate_many(&points);
        for (p, hit) in points.iter().zip(&many) {
            assert_eq!(index.locate(p[0], p[1]), *hit, "at {p:?}");
        }
        assert_eq!(
            index.locate_many(&[[0.5, 0.5], [1.75, 0.75], [30.005, 30.005], [9.0, 9.0]]),
            [Some(0), Some(1), Some(3), Some(4)]
        );
    }
}
