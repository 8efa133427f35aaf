//! Visvalingam–Whyatt simplification of each arc once, so neighbours keep identical borders.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::{METRES_PER_UNIT, Point, Ring, Shape, Topology, arc_ref, area_m2};

/// Fewest distinct vertices a ring keeps (when it had that many): small islands stay
/// recognisable quadrilaterals instead of collapsing to a line.
const MIN_RING_VERTICES: usize = 4;

/// What [`Topology::simplify`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimplifyStats {
    /// Arc vertices before.
    pub before: usize,
    /// Arc vertices after.
    pub after: usize,
    /// Rings that needed vertices back to stay a polygon.
    pub protected_rings: usize,
    /// Simplified segments given their vertices back because they crossed another one.
    pub repaired_crossings: usize,
}

impl Topology {
    /// Simplifies every arc once with Visvalingam–Whyatt: a vertex goes when its effective
    /// triangle (measured in metres on a local equirectangular frame) is smaller than
    /// `tolerance`² m². Arc ends (junctions) never move.
    ///
    /// `rings` are all rings that use these arcs: each keeps at least
    /// `min(4, its distinct vertices)` distinct vertices, by keeping back the most important
    /// vertices of its arcs, so no ring collapses. Arcs marked in `frozen` (see
    /// [`Topology::small_ring_arcs`]) keep all their vertices.
    pub fn simplify<'a>(
        &mut self,
        tolerance: f64,
        rings: impl IntoIterator<Item = &'a Ring>,
        frozen: &[bool],
    ) -> SimplifyStats {
        let threshold = tolerance * tolerance;
        let mut importance: Vec<Vec<f64>> = self
            .arcs
            .par_iter()
            .enumerate()
            .map(|(i, arc)| match frozen.get(i) {
                Some(true) => vec![f64::INFINITY; arc.len()],
                _ => effective_areas(arc),
            })
            .collect();
        let mut protected_rings = 0;
        for ring in rings {
            if self.protect(ring, &mut importance, threshold) {
                protected_rings += 1;
            }
        }
        let repaired_crossings = self.repair_crossings(&mut importance, threshold);
        let before = self.vertex_count();
        for (arc, imp) in self.arcs.iter_mut().zip(&importance) {
            let mut k = 0;
            arc.retain(|_| {
                k += 1;
                imp[k - 1] >= threshold
            });
        }
        SimplifyStats {
            before,
            after: self.vertex_count(),
            protected_rings,
            repaired_crossings,
        }
    }

    /// Puts back the removed vertices of simplified segments that cross another segment
    /// (a border cutting a neighbour's, or a ring crossing itself), until no new crossing is
    /// left. Crossings between two original segments were in the source and stay. Returns
    /// the number of segments restored.
    fn repair_crossings(&self, importance: &mut [Vec<f64>], threshold: f64) -> usize {
        let mut repaired = 0;
        loop {
            // Simplified segments: arc, index of the first and of the last original vertex.
            let mut segments = Vec::new();
            for (i, imp) in importance.iter().enumerate() {
                let kept: Vec<usize> = (0..imp.len()).filter(|&k| imp[k] >= threshold).collect();
                segments.extend(kept.windows(2).map(|w| (i, w[0], w[1])));
            }
            let ends = |&(i, a, b): &(usize, usize, usize)| (self.arcs[i][a], self.arcs[i][b]);
            let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = segments
                .iter()
                .enumerate()
                .map(|(n, s)| {
                    let (p, q) = ends(s);
                    let corner = |p: Point| [p[0] as f64, p[1] as f64];
                    GeomWithData::new(Rectangle::from_corners(corner(p), corner(q)), n)
                })
                .collect();
            let tree = RTree::bulk_load(boxes);
            let mut restore: Vec<usize> = tree
                .intersection_candidates_with_other_tree(&tree)
                .filter(|(s, t)| s.data < t.data)
                .filter(|(s, t)| {
                    let (u, v) = (segments[s.data], segments[t.data]);
                    let original = |(_, a, b): (usize, usize, usize)| b == a + 1;
                    !(original(u) && original(v)) && crosses(ends(&u), ends(&v))
                })
                .flat_map(|(s, t)| [s.data, t.data])
                .filter(|&n| segments[n].2 > segments[n].1 + 1)
                .collect();
            restore.sort_unstable();
            restore.dedup();
            if restore.is_empty() {
                return repaired;
            }
            repaired += restore.len();
            for n in restore {
                let (i, a, b) = segments[n];
                importance[i][a + 1..b]
                    .iter_mut()
                    .for_each(|x| *x = f64::INFINITY);
            }
        }
    }

    /// Raises the importance of a ring's best vertices until it keeps enough of them.
    /// Returns whether it had to.
    fn protect(&self, ring: &Ring, importance: &mut [Vec<f64>], threshold: f64) -> bool {
        let distinct = |keep: &dyn Fn(usize, usize) -> bool| -> usize {
            let mut points: Vec<Point> = Vec::new();
            for &r in ring {
                let (i, _) = arc_ref(r);
                points.extend(
                    self.arcs[i]
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| keep(i, *k))
                        .map(|(_, p)| *p),
                );
            }
            points.sort_unstable();
            points.dedup();
            points.len()
        };
        let needed = MIN_RING_VERTICES.min(distinct(&|_, _| true));
        if distinct(&|i, k| importance[i][k] >= threshold) >= needed {
            return false;
        }
        let mut candidates: Vec<(f64, usize, usize)> = ring
            .iter()
            .flat_map(|&r| {
                let (i, _) = arc_ref(r);
                importance[i]
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| **a < threshold)
                    .map(move |(k, &a)| (a, i, k))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, k) in candidates {
            importance[i][k] = f64::INFINITY;
            if distinct(&|i, k| importance[i][k] >= threshold) >= needed {
                break;
            }
        }
        true
    }
}

impl Topology {
    /// Arcs of the rings smaller than `max_area` m² left when all `shapes` are dissolved
    /// together: gaps and overlaps between neighbours whose borders the source did not make
    /// identical, and tiny islands. Simplifying the two sides of a gap separately would widen
    /// it (or turn it inside out); frozen, such defects stay exactly as small as in the source.
    pub fn small_ring_arcs<'a>(
        &self,
        shapes: impl IntoIterator<Item = &'a Shape>,
        max_area: f64,
    ) -> Vec<bool> {
        let mut frozen = vec![false; self.arcs.len()];
        for ring in self.stitch(&self.boundary_arcs(shapes)) {
            let m2 = area_m2(&self.ring_points(&ring)).abs();
            if m2 < max_area {
                ring.iter().for_each(|&r| frozen[arc_ref(r).0] = true);
            }
        }
        frozen
    }
}

/// Effective area (m²) at which each vertex of a polyline goes under Visvalingam–Whyatt;
/// the ends never go (infinite). Areas are made monotonic: a vertex never goes before one
/// removed earlier, so any threshold gives a consistent simplification.
fn effective_areas(arc: &[Point]) -> Vec<f64> {
    let n = arc.len();
    let mut areas = vec![f64::INFINITY; n];
    if n < 3 {
        return areas;
    }
    let lat = arc.iter().map(|p| p[1] as f64).sum::<f64>() / n as f64;
    let kx = METRES_PER_UNIT * (lat / super::SCALE).to_radians().cos();
    let xy: Vec<[f64; 2]> = arc
        .iter()
        .map(|p| [p[0] as f64 * kx, p[1] as f64 * METRES_PER_UNIT])
        .collect();
    let triangle = |a: usize, b: usize, c: usize| {
        let (p, q, r) = (xy[a], xy[b], xy[c]);
        ((q[0] - p[0]) * (r[1] - p[1]) - (r[0] - p[0]) * (q[1] - p[1])).abs() / 2.0
    };
    let mut prev: Vec<usize> = (0..n).map(|k| k.saturating_sub(1)).collect();
    let mut next: Vec<usize> = (0..n).map(|k| k + 1).collect();
    let mut current: Vec<f64> = vec![f64::INFINITY; n];
    let mut heap = BinaryHeap::new();
    for (k, area) in current.iter_mut().enumerate().take(n - 1).skip(1) {
        *area = triangle(k - 1, k, k + 1);
        heap.push(Reverse((Key(*area), k)));
    }
    let mut floor = 0.0f64;
    while let Some(Reverse((Key(area), k))) = heap.pop() {
        if area != current[k] || areas[k].is_finite() {
            continue;
        }
        floor = floor.max(area);
        areas[k] = floor;
        let (p, q) = (prev[k], next[k]);
        next[p] = q;
        prev[q] = p;
        for m in [p, q] {
            if m != 0 && m != n - 1 {
                current[m] = triangle(prev[m], m, next[m]);
                heap.push(Reverse((Key(current[m]), m)));
            }
        }
    }
    areas
}

/// Whether two segments cross or overlap other than at a shared end (exact, on integers).
fn crosses((a, b): (Point, Point), (c, d): (Point, Point)) -> bool {
    if a == c || a == d || b == c || b == d {
        return false;
    }
    let orient = |p: Point, q: Point, r: Point| {
        let v = (q[0] as i64 - p[0] as i64) * (r[1] as i64 - p[1] as i64)
            - (q[1] as i64 - p[1] as i64) * (r[0] as i64 - p[0] as i64);
        v.signum()
    };
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 == 0 && o2 == 0 {
        // Collinear: they overlap when their extents do.
        let overlap =
            |k: usize| a[k].min(b[k]) <= c[k].max(d[k]) && c[k].min(d[k]) <= a[k].max(b[k]);
        return overlap(0) && overlap(1);
    }
    o1 * o2 <= 0 && o3 * o4 <= 0
}

/// Total order on areas for the heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, MultiPolygon, Polygon};

    /// A zig-zag border at latitude 45° between a northern and a southern neighbour, with
    /// teeth of `tooth` millionths of a degree.
    fn zigzag_pair(tooth: i32) -> Vec<MultiPolygon<f64>> {
        let border: Vec<(f64, f64)> = (0..=10)
            .map(|k| {
                (
                    k as f64 * 0.001,
                    45.0 + if k % 2 == 1 { tooth as f64 / 1e6 } else { 0.0 },
                )
            })
            .collect();
        let ring = |far: f64| {
            let mut pts = border.clone();
            pts.extend([(0.01, far), (0.0, far), (0.0, 45.0)]);
            if far < 45.0 {
                pts.reverse();
            }
            MultiPolygon(vec![Polygon::new(LineString::from(pts), vec![])])
        };
        vec![ring(45.01), ring(44.99)]
    }

    #[test]
    fn effective_areas_keep_ends_and_order_vertices() {
        let arc: Vec<Point> = vec![[0, 0], [10, 1], [20, 0], [30, 100], [40, 0]];
        let a = effective_areas(&arc);
        assert!(a[0].is_infinite() && a[4].is_infinite());
        assert!(a[1] < a[3], "the small bump goes first");
        assert!(a[1] > 0.0);
    }

    #[test]
    fn neighbours_keep_identical_vertices() {
        let (mut topo, shapes) = Topology::build(&zigzag_pair(50));
        let before = topo.clone();
        // Teeth of 50 µ° (5.6 m) every 79 m: the widest triangle left (787 m × 5.6 m / 2 =
        // 2 200 m²) goes at 60 m (3 600 m²); at 1 m every tooth stays.
        let stats = topo.simplify(60.0, shapes.iter().flatten().flatten(), &[]);
        assert!(stats.after < stats.before);
        let north = topo.ring_points(&shapes[0][0][0]);
        let south = topo.ring_points(&shapes[1][0][0]);
        let mut shared: Vec<&Point> = north.iter().filter(|p| south.contains(p)).collect();
        shared.sort();
        shared.dedup();
        assert_eq!(
            shared.len(),
            2,
            "the zig-zag is straightened to its two junctions"
        );
        let mut light = before.clone();
        light.simplify(1.0, shapes.iter().flatten().flatten(), &[]);
        let north = light.ring_points(&shapes[0][0][0]);
        let south = light.ring_points(&shapes[1][0][0]);
        let mut shared: Vec<&Point> = north.iter().filter(|p| south.contains(p)).collect();
        shared.sort();
        shared.dedup();
        assert_eq!(shared.len(), 11, "every tooth kept, by both");
    }

    #[test]
    fn crossing_borders_get_their_vertices_back() {
        // A narrow bay (its tip's triangle is 86 000 m²) holds the tip of an islet that
        // straddles the bay's mouth: cutting the bay at 350 m (122 500 m²) would run the
        // coast through the islet.
        let coast = vec![
            (0.0, 0.0),
            (0.01, 0.0),
            (0.01, 0.01),
            (0.006, 0.01),
            (0.005, 0.003),
            (0.004, 0.01),
            (0.0, 0.01),
            (0.0, 0.0),
        ];
        let islet = vec![
            (0.0049, 0.0095),
            (0.0051, 0.0095),
            (0.0051, 0.0105),
            (0.0049, 0.0105),
            (0.0049, 0.0095),
        ];
        let shapes: Vec<MultiPolygon<f64>> = [coast, islet]
            .into_iter()
            .map(|r| MultiPolygon(vec![Polygon::new(LineString::from(r), vec![])]))
            .collect();
        let (mut topo, shapes) = Topology::build(&shapes);
        let stats = topo.simplify(350.0, shapes.iter().flatten().flatten(), &[]);
        assert_eq!(stats.repaired_crossings, 1, "{stats:?}");
        let coast = topo.ring_points(&shapes[0][0][0]);
        assert!(coast.contains(&[5000, 3000]), "the bay's tip is back");
        let islet = topo.ring_points(&shapes[1][0][0]);
        for s in coast.windows(2) {
            for t in islet.windows(2) {
                assert!(!crosses((s[0], s[1]), (t[0], t[1])), "{s:?} crosses {t:?}");
            }
        }
    }

    #[test]
    fn segment_crossings() {
        assert!(crosses(([0, 0], [10, 10]), ([0, 10], [10, 0])));
        assert!(
            !crosses(([0, 0], [10, 10]), ([10, 10], [20, 0])),
            "shared end"
        );
        assert!(!crosses(([0, 0], [10, 0]), ([0, 1], [10, 1])));
        assert!(
            crosses(([0, 0], [10, 0]), ([5, 0], [20, 0])),
            "collinear overlap"
        );
        assert!(
            crosses(([0, 0], [10, 0]), ([5, 0], [5, 5])),
            "touching inside"
        );
    }

    #[test]
    fn tiny_island_keeps_a_polygon() {
        // A 40-vertex circle of 30 m radius, far below a 500 m tolerance.
        let pts: Vec<(f64, f64)> = (0..=40)
            .map(|k| {
                let t = k as f64 / 40.0 * std::f64::consts::TAU;
                (3.0 + 0.0004 * t.cos(), 47.0 + 0.00027 * t.sin())
            })
            .collect();
        let island = MultiPolygon(vec![Polygon::new(LineString::from(pts), vec![])]);
        let (mut topo, shapes) = Topology::build(&[island]);
        let stats = topo.simplify(500.0, shapes.iter().flatten().flatten(), &[]);
        assert_eq!(stats.protected_rings, 1);
        let ring = topo.ring_points(&shapes[0][0][0]);
        assert_eq!(
            ring.len(),
            MIN_RING_VERTICES + 1,
            "closed ring of four distinct vertices"
        );
        assert!(super::super::doubled_area(&ring) > 0);
    }
}
