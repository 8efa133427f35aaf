//! Spatial index: which territory contains a point?
//!
//! An R-tree (`rstar`) over the bounding boxes of every polygon part, then an exact
//! crossing-number test on the candidate's rings. Holes and enclaves are respected (all rings
//! of a part are tested together, even-odd), and a point on a border shared by two
//! territories gets exactly one answer: edges are evaluated in a canonical order, so both
//! neighbours compute the same crossing, and the half-open rule gives the point to the
//! territory on the east side of the edge (or north for horizontal edges).

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::Layer;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// One polygon part with its rings flattened and its edges bucketed by horizontal band, so a
/// point is tested only against the edges that can cross its latitude.
#[derive(Debug)]
struct Part {
    territory: u32,
    min_y: f64,
    band_height: f64,
    /// Edge endpoints, `[x0, y0, x1, y1]` with `y0 <= y1` (canonical order).
    edges: Vec<[f64; 4]>,
    /// For each band, the indexes of edges whose y-range overlaps it.
    bands: Vec<Vec<u32>>,
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
        let mut bands = vec![Vec::new(); n_bands];
        let band_of = |y: f64| (((y - min_y) / band_height) as usize).min(n_bands - 1);
        for (i, e) in edges.iter().enumerate() {
            for band in &mut bands[band_of(e[1])..=band_of(e[3])] {
                band.push(i as u32);
            }
        }
        Part {
            territory,
            min_y,
            band_height,
            edges,
            bands,
        }
    }

    /// Even-odd crossing test, half-open in y (`y0 <= y < y1`), strict in x.
    fn contains(&self, x: f64, y: f64) -> bool {
        let band = ((y - self.min_y) / self.band_height) as usize;
        let Some(candidates) = self.bands.get(band.min(self.bands.len() - 1)) else {
            return false;
        };
        let mut inside = false;
        for &i in candidates {
            let [x0, y0, x1, y1] = self.edges[i as usize];
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
                let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
                for e in &p.edges {
                    lo = [lo[0].min(e[0]).min(e[2]), lo[1].min(e[1])];
                    hi = [hi[0].max(e[0]).max(e[2]), hi[1].max(e[3])];
                }
                GeomWithData::new(Rectangle::from_corners(lo, hi), i as u32)
            })
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
            parts,
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
        let found: Vec<Option<usize>> = order
            .par_iter()
            .with_min_len(4096)
            .map(|&(_, i)| {
                let p = points[i as usize];
                self.locate(p[0], p[1])
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
}
