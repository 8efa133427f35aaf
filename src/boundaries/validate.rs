//! Geometry problems of boundary files, found and reported per feature rather than hidden.
//!
//! Loaders accept invalid polygons (real reference data has a few, from crossings in the
//! source): rendering fills them with the non-zero rule and lookups test them even-odd, so both
//! give a defined answer. [`check`] says where they are, for `phare geodata check`.

use std::collections::BTreeMap;

use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{Kernel, Orientation};
use geo_types::{Coord, Line, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};
use serde::Serialize;

use crate::Layer;

/// What is wrong with a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A coordinate is NaN or infinite.
    NonFinite,
    /// Fewer than 3 distinct positions: the ring encloses no area.
    TooFewPoints,
    /// The same position twice in a row.
    DuplicatePoint,
    /// The ring goes out and comes straight back along the same line.
    Spike,
    /// Two non-adjacent edges of one ring cross, overlap or touch.
    SelfIntersection,
    /// Edges of two different rings of the feature (a hole and its shell, or two parts)
    /// cross or overlap.
    RingCrossing,
}

impl ProblemKind {
    /// All kinds, in report order.
    pub const ALL: [ProblemKind; 6] = [
        ProblemKind::NonFinite,
        ProblemKind::TooFewPoints,
        ProblemKind::DuplicatePoint,
        ProblemKind::Spike,
        ProblemKind::SelfIntersection,
        ProblemKind::RingCrossing,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::NonFinite => "non-finite coordinate",
            ProblemKind::TooFewPoints => "too few points",
            ProblemKind::DuplicatePoint => "duplicate point",
            ProblemKind::Spike => "spike",
            ProblemKind::SelfIntersection => "self-intersection",
            ProblemKind::RingCrossing => "ring crossing",
        }
    }
}

/// One problem of one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Index of the feature in the file (0-based, `index` in JSON; text reports count from 1).
    #[serde(rename = "index")]
    pub feature: usize,
    /// Its code.
    pub code: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// Polygon of the feature, from 1.
    pub polygon: usize,
    /// Ring of that polygon, from 1 (1 is the exterior).
    pub ring: usize,
    /// Where (lon, lat for loaded layers).
    pub at: [f64; 2],
}

/// Problems of every feature of `layer`, in file order.
pub fn check(layer: &Layer) -> Vec<Problem> {
    layer
        .territories
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, t)| {
            geometry_problems(&t.geometry)
                .into_iter()
                .map(move |(kind, polygon, ring, at)| Problem {
                    feature: i,
                    code: t.code.clone(),
                    kind,
                    polygon,
                    ring,
                    at: [at.x, at.y],
                })
        })
        .collect()
}

/// For each kind: how many problems and in how many features.
pub fn counts(problems: &[Problem]) -> BTreeMap<ProblemKind, (usize, usize)> {
    let mut out: BTreeMap<ProblemKind, (usize, std::collections::BTreeSet<usize>)> =
        BTreeMap::new();
    for p in problems {
        let e = out.entry(p.kind).or_default();
        e.0 += 1;
        e.1.insert(p.feature);
    }
    out.into_iter()
        .map(|(k, (n, features))| (k, (n, features.len())))
        .collect()
}

/// Problem kind, polygon and ring (from 1) and place.
type Found = (ProblemKind, usize, usize, Coord<f64>);

/// An edge's box, tagged with its ring (index in `rings`), its index in the ring and the
/// ring's edge count.
type Edge = GeomWithData<Rectangle<[f64; 2]>, (usize, usize, usize)>;

/// The problems of one geometry.
pub fn geometry_problems(geom: &MultiPolygon<f64>) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut rings: Vec<(usize, usize, Vec<Coord<f64>>)> = Vec::new();
    for (p, poly) in geom.0.iter().enumerate() {
        for (r, ring) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .enumerate()
        {
            let (p, r) = (p + 1, r + 1);
            if let Some(&c) = ring.0.iter().find(|c| !c.x.is_finite() || !c.y.is_finite()) {
                found.push((ProblemKind::NonFinite, p, r, c));
                continue;
            }
            let mut clean: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
            for &c in &ring.0 {
                if clean.last() == Some(&c) {
                    found.push((ProblemKind::DuplicatePoint, p, r, c));
                } else {
                    clean.push(c);
                }
            }
            // Closed rings: n distinct positions plus the closing one.
            if clean.len() < 4 {
                let at = clean.first().copied().unwrap_or_default();
                found.push((ProblemKind::TooFewPoints, p, r, at));
                continue;
            }
            let n = clean.len() - 1;
            for i in 0..n {
                let (prev, v, next) = (clean[(i + n - 1) % n], clean[i], clean[i + 1]);
                let back = geo::kernels::RobustKernel::orient2d(prev, v, next)
                    == Orientation::Collinear
                    && (prev.x - v.x) * (next.x - v.x) + (prev.y - v.y) * (next.y - v.y) > 0.0;
                if back {
                    found.push((ProblemKind::Spike, p, r, v));
                }
            }
            rings.push((p, r, clean));
        }
    }
    found.extend(crossings(&rings));
    found.sort_by_key(|f| (f.1, f.2, f.0));
    found.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3);
    found
}

/// Intersections between edges that should not meet, through an R-tree of edge boxes.
fn crossings(rings: &[(usize, usize, Vec<Coord<f64>>)]) -> Vec<Found> {
    let edges: Vec<Edge> = rings
        .iter()
        .enumerate()
        .flat_map(|(k, (_, _, c))| {
            let n = c.len() - 1;
            c.windows(2).enumerate().map(move |(i, w)| {
                let rect = Rectangle::from_corners([w[0].x, w[0].y], [w[1].x, w[1].y]);
                GeomWithData::new(rect, (k, i, n))
            })
        })
        .collect();
    let line = |e: &Edge| {
        let (k, i, _) = e.data;
        let c = &rings[k].2;
        Line::new(c[i], c[i + 1])
    };
    let tree = RTree::bulk_load(edges.clone());
    let mut found = Vec::new();
    for a in &edges {
        let (ka, ia, n) = a.data;
        for b in tree.locate_in_envelope_intersecting(&a.envelope()) {
            let (kb, ib, _) = b.data;
            if (kb, ib) <= (ka, ia) {
                continue;
            }
            let same = ka == kb;
            if same && (ib == ia + 1 || (ia == 0 && ib == n - 1)) {
                continue;
            }
            let Some(hit) = line_intersection(line(a), line(b)) else {
                continue;
            };
            let (at, counts) = match hit {
                LineIntersection::SinglePoint {
                    intersection,
                    is_proper,
                } => (intersection, is_proper || same),
                LineIntersection::Collinear { intersection } => (intersection.start, true),
            };
            if counts {
                let kind = if same {
                    ProblemKind::SelfIntersection
                } else {
                    ProblemKind::RingCrossing
                };
                let (p, r, _) = &rings[ka];
                found.push((kind, *p, *r, at));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, Polygon};

    fn poly(rings: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
        let mut rings = rings
            .iter()
            .map(|r| LineString::from(r.to_vec()))
            .collect::<Vec<_>>()
            .into_iter();
        let exterior = rings.next().unwrap();
        MultiPolygon(vec![Polygon::new(exterior, rings.collect())])
    }

    fn kinds(geom: &MultiPolygon<f64>) -> Vec<(ProblemKind, [f64; 2])> {
        geometry_problems(geom)
            .into_iter()
            .map(|(k, _, _, c)| (k, [c.x, c.y]))
            .collect()
    }

    #[test]
    fn a_square_is_valid() {
        let sq = poly(&[&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]]);
        assert!(geometry_problems(&sq).is_empty());
    }

    #[test]
    fn a_bowtie_crosses_itself_at_its_centre() {
        let bowtie = poly(&[&[(0., 0.), (2., 2.), (2., 0.), (0., 2.), (0., 0.)]]);
        assert_eq!(
            kinds(&bowtie),
            vec![(ProblemKind::SelfIntersection, [1.0, 1.0])]
        );
    }

    #[test]
    fn spikes_and_duplicates_are_located() {
        // (2, 0) → (3, 0) → back to (2, 0) direction: a spike at (3, 0); (1, 1) twice.
        let g = poly(&[&[
            (0., 0.),
            (2., 0.),
            (3., 0.),
            (2.5, 0.),
            (2., 2.),
            (1., 1.),
            (1., 1.),
            (0., 0.),
        ]]);
        let found = kinds(&g);
        assert!(
            found.contains(&(ProblemKind::Spike, [3.0, 0.0])),
            "{found:?}"
        );
        assert!(
            found.contains(&(ProblemKind::DuplicatePoint, [1.0, 1.0])),
            "{found:?}"
        );
    }

    #[test]
    fn a_hole_crossing_its_shell_and_a_degenerate_ring() {
        let g = poly(&[
            &[(0., 0.), (4., 0.), (4., 4.), (0., 4.), (0., 0.)],
            &[(1., 1.), (5., 1.), (5., 2.), (1., 2.), (1., 1.)],
        ]);
        let found = kinds(&g);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(k, _)| *k == ProblemKind::RingCrossing));
        let flat = poly(&[&[(0., 0.), (1., 1.), (0., 0.)]]);
        assert_eq!(kinds(&flat), vec![(ProblemKind::TooFewPoints, [0.0, 0.0])]);
    }
}
