//! Dissolve by arcs: the boundary of a group of shapes is the sum of their rings' arcs where
//! an arc used once forward and once backward (a border inside the group) cancels out.

use std::collections::HashMap;

use super::{Point, Ring, Shape, TopoPolygon, Topology, arc_ref, area_m2, doubled_area};

impl Topology {
    /// Merges `shapes` into one shape whose rings use the same arcs: borders between members
    /// vanish, enclaves and holes that no member fills stay holes.
    ///
    /// Outer rings come out counter-clockwise, holes clockwise (the orientation of the
    /// input, as RFC 7946 and the build keep it); each hole goes into the smallest outer
    /// ring that contains it.
    pub fn dissolve<'a>(&self, shapes: impl IntoIterator<Item = &'a Shape>) -> Shape {
        let kept = self.boundary_arcs(shapes);
        let rings = self.stitch(&kept);
        self.assemble(rings)
    }

    /// Directed arcs left after cancelling opposite pairs, in order of first use.
    pub(super) fn boundary_arcs<'a>(
        &self,
        shapes: impl IntoIterator<Item = &'a Shape>,
    ) -> Vec<i32> {
        let mut net: HashMap<usize, i32> = HashMap::new();
        let mut order = Vec::new();
        for &r in shapes.into_iter().flatten().flatten().flatten() {
            let (i, forward) = arc_ref(r);
            let n = net.entry(i).or_insert_with(|| {
                order.push(i);
                0
            });
            *n += if forward { 1 } else { -1 };
        }
        let mut kept = Vec::new();
        for i in order {
            let n = net[&i];
            let r = if n > 0 { i as i32 } else { !(i as i32) };
            kept.extend(std::iter::repeat_n(r, n.unsigned_abs() as usize));
        }
        kept
    }

    /// Chains directed arcs into closed rings. Where several arcs leave the same point (two
    /// parts touching at a corner), the sharpest left turn is taken, so the parts come out as
    /// separate rings rather than one self-touching ring.
    pub(super) fn stitch(&self, kept: &[i32]) -> Vec<Ring> {
        let mut outgoing: HashMap<Point, Vec<usize>> = HashMap::new();
        for (k, &r) in kept.iter().enumerate() {
            outgoing.entry(self.ends(r).0).or_default().push(k);
        }
        let mut used = vec![false; kept.len()];
        let mut rings = Vec::new();
        for s in 0..kept.len() {
            if used[s] {
                continue;
            }
            used[s] = true;
            let mut ring = vec![kept[s]];
            let start = self.ends(kept[s]).0;
            let mut node = self.ends(kept[s]).1;
            while node != start {
                let last = ring[ring.len() - 1];
                let next = outgoing
                    .get(&node)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&k| !used[k])
                    .max_by(|&a, &b| {
                        self.turn(last, kept[a])
                            .total_cmp(&self.turn(last, kept[b]))
                            .then(b.cmp(&a))
                    });
                // Every point has as many arcs in as out, so a chain always closes; an open
                // chain could only come from inconsistent input and is closed as it is.
                let Some(k) = next else { break };
                used[k] = true;
                ring.push(kept[k]);
                node = self.ends(kept[k]).1;
            }
            self.split_loops(ring, &mut rings);
        }
        rings
    }

    /// Splits a ring that passes twice through the same point into simple loops (a ring may
    /// not touch itself; separate rings touching at a point are valid), pushed to `out`.
    fn split_loops(&self, ring: Ring, out: &mut Vec<Ring>) {
        let mut path: Vec<i32> = Vec::with_capacity(ring.len());
        // Start point of each arc on the path, to find where a loop closes.
        let mut starts: Vec<Point> = Vec::with_capacity(ring.len());
        for r in ring {
            let (from, to) = self.ends(r);
            path.push(r);
            starts.push(from);
            if let Some(i) = starts.iter().position(|&p| p == to)
                && i > 0
            {
                out.push(path.split_off(i));
                starts.truncate(i);
            }
        }
        if !path.is_empty() {
            out.push(path);
        }
    }

    /// Angle of the turn from the end of arc `from` into arc `to` (positive: left).
    fn turn(&self, from: i32, to: i32) -> f64 {
        let segment = |r: i32, at_end: bool| -> [f64; 2] {
            let (i, forward) = arc_ref(r);
            let arc = &self.arcs[i];
            let n = arc.len();
            // Direction of travel along the first or last segment of the arc as walked.
            let (a, b) = match (forward, at_end) {
                (true, true) => (arc[n - 2], arc[n - 1]),
                (true, false) => (arc[0], arc[1]),
                (false, true) => (arc[1], arc[0]),
                (false, false) => (arc[n - 1], arc[n - 2]),
            };
            [(b[0] - a[0]) as f64, (b[1] - a[1]) as f64]
        };
        let (u, v) = (segment(from, true), segment(to, false));
        (u[0] * v[1] - u[1] * v[0]).atan2(u[0] * v[0] + u[1] * v[1])
    }

    /// Sorts rings into outer rings (counter-clockwise) and holes, each hole into the
    /// smallest outer ring containing it.
    ///
    /// Rings that are not part of the union are dropped, by the winding number of the other
    /// rings at a point of each: a counter-clockwise ring inside another outer ring is an
    /// overlap between members (covered twice), a clockwise ring outside everything is an
    /// inside-out leftover, and a hole under [`MIN_HOLE_AREA`] is a sliver between members
    /// that the source left open. So a group of communes that overlap a little still gives
    /// one clean polygon (the area changes by those defects only: 0.2 km² for all France).
    fn assemble(&self, rings: Vec<Ring>) -> Shape {
        let rings: Vec<(Ring, Vec<Point>, i128)> = rings
            .into_iter()
            .map(|ring| {
                let points = self.ring_points(&ring);
                let area = doubled_area(&points);
                (ring, points, area)
            })
            .collect();
        let probe = |points: &[Point]| {
            [
                (points[0][0] as f64 + points[1][0] as f64) / 2.0,
                (points[0][1] as f64 + points[1][1] as f64) / 2.0,
            ]
        };
        let mut outers: Vec<(TopoPolygon, &[Point], i128)> = Vec::new();
        let mut holes = Vec::new();
        for (k, (ring, points, area)) in rings.iter().enumerate() {
            let p = probe(points);
            let covered: i32 = rings
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, r)| winding(&r.1, p))
                .sum();
            if *area > 0 && covered <= 0 {
                outers.push((vec![ring.clone()], points, *area));
            } else if *area < 0 && covered >= 1 && -area_m2(points) >= MIN_HOLE_AREA {
                holes.push((ring.clone(), p));
            }
        }
        for (ring, p) in holes {
            let host = outers
                .iter()
                .enumerate()
                .filter(|(_, (_, outer, _))| winding(outer, p) != 0)
                .min_by_key(|(_, (_, _, area))| *area)
                .map(|(k, _)| k);
            // Every kept hole is covered by some outer ring, so a host is always found.
            if let Some(k) = host {
                outers[k].0.push(ring);
            }
        }
        outers.into_iter().map(|(poly, _, _)| poly).collect()
    }
}

/// Holes of a dissolved shape smaller than this (m²) are slivers between members, dropped.
/// The source's real holes start at 16 000 m² (coastal lagoons); its slivers are under 100 m².
pub const MIN_HOLE_AREA: f64 = 1000.0;

/// Winding number of a closed ring of integer points around `p` (counter-clockwise: +1).
fn winding(ring: &[Point], p: [f64; 2]) -> i32 {
    let mut w = 0;
    for s in ring.windows(2) {
        let (a, b) = (
            [s[0][0] as f64, s[0][1] as f64],
            [s[1][0] as f64, s[1][1] as f64],
        );
        let side = (b[0] - a[0]) * (p[1] - a[1]) - (p[0] - a[0]) * (b[1] - a[1]);
        if a[1] <= p[1] {
            if b[1] > p[1] && side > 0.0 {
                w += 1;
            }
        } else if b[1] <= p[1] && side < 0.0 {
            w -= 1;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::super::tests::{grid, square};
    use super::*;
    use geo::Area;
    use geo_types::{MultiPolygon, polygon};

    #[test]
    fn grid_dissolves_to_its_outline() {
        let (topo, shapes) = Topology::build(&grid());
        let merged = topo.dissolve(&shapes);
        assert_eq!(merged.len(), 1, "one polygon");
        assert_eq!(merged[0].len(), 1, "no hole");
        let mp = topo.multipolygon(&merged);
        assert_eq!(mp.signed_area(), 9.0);
        // 8 outer arcs, corners and edge midpoints: 12 distinct points.
        assert_eq!(mp.0[0].exterior().0.len(), 13);
    }

    #[test]
    fn ring_of_eight_keeps_the_centre_as_a_hole() {
        let (topo, shapes) = Topology::build(&grid());
        let ring: Vec<&Shape> = shapes
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != 4)
            .map(|(_, s)| s)
            .collect();
        let merged = topo.dissolve(ring);
        assert_eq!(merged.len(), 1);
        assert_eq!(
            merged[0].len(),
            2,
            "outer ring and the hole of the missing centre"
        );
        let mp = topo.multipolygon(&merged);
        assert_eq!(mp.unsigned_area(), 8.0);
        assert_eq!(mp.0[0].interiors()[0].0.len(), 5);
        // The hole uses the centre square's arcs, reversed.
        let mut hole: Vec<i32> = merged[0][1].iter().map(|&r| !r).collect();
        let mut centre = shapes[4][0][0].clone();
        hole.sort();
        centre.sort();
        assert_eq!(hole, centre);
    }

    #[test]
    fn corner_touching_parts_stay_separate_rings() {
        // Two squares meeting at (1, 1), plus a third making an L with the first.
        let input = vec![
            MultiPolygon(vec![square(0., 0.)]),
            MultiPolygon(vec![square(1., 1.)]),
            MultiPolygon(vec![square(1., 0.)]),
        ];
        let (topo, shapes) = Topology::build(&input);
        let diagonal = topo.dissolve(&shapes[..2]);
        assert_eq!(diagonal.len(), 2, "two polygons touching at a point");
        for poly in &diagonal {
            assert_eq!(topo.ring_points(&poly[0]).len(), 5);
        }
        let all = topo.dissolve(&shapes);
        assert_eq!(all.len(), 1);
        assert_eq!(topo.multipolygon(&all).unsigned_area(), 3.0);
    }

    #[test]
    fn a_hole_touching_the_outline_is_its_own_ring() {
        // The 3×3 grid without its centre and its top-right square: the hole touches the
        // notch at (2, 2), where the stitching passes twice.
        let (topo, shapes) = Topology::build(&grid());
        let merged = topo.dissolve(
            shapes
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != 4 && *k != 8)
                .map(|(_, s)| s),
        );
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].len(), 2, "outer ring and hole");
        assert_eq!(topo.multipolygon(&merged).unsigned_area(), 7.0);
        for ring in &merged[0] {
            let points = topo.ring_points(ring);
            let mut distinct = points[1..].to_vec();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), points.len() - 1, "no point visited twice");
        }
    }

    #[test]
    fn overlaps_between_members_are_absorbed() {
        // The west square bulges 0.1° into the east one: a lens covered twice.
        let west = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1.1, y: 0.5), (x: 1., y: 1.), (x: 0., y: 1.), (x: 0., y: 0.)];
        let east = polygon![(x: 1., y: 0.), (x: 2., y: 0.), (x: 2., y: 1.), (x: 1., y: 1.), (x: 1., y: 0.5), (x: 1., y: 0.)];
        let (topo, shapes) = Topology::build(&[MultiPolygon(vec![west]), MultiPolygon(vec![east])]);
        let merged = topo.dissolve(&shapes);
        assert_eq!(merged.len(), 1, "the lens is not a polygon of its own");
        assert_eq!(merged[0].len(), 1);
        assert!((topo.multipolygon(&merged).unsigned_area() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn borders_crossing_between_vertices_dissolve_into_simple_rings() {
        // The west square's east side zigzags across the east square's west side, crossing
        // x = 1 at (1, 0.5), a vertex of neither: an overlap below, a gap above.
        let west = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1.1, y: 0.3), (x: 0.9, y: 0.7), (x: 1., y: 1.), (x: 0., y: 1.), (x: 0., y: 0.)];
        let east = polygon![(x: 1., y: 0.), (x: 2., y: 0.), (x: 2., y: 1.), (x: 1., y: 1.), (x: 1., y: 0.)];
        let (topo, shapes) = Topology::build(&[MultiPolygon(vec![west]), MultiPolygon(vec![east])]);
        let merged = topo.multipolygon(&topo.dissolve(&shapes));
        let problems = crate::boundaries::validate::geometry_problems(&merged);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(merged.0.len(), 1);
        assert_eq!(merged.0[0].interiors().len(), 1, "the gap stays a hole");
        // The outline's 2 × 1 minus the gap, the triangle (1, 0.5), (1, 1), (0.9, 0.7).
        assert!(
            (merged.unsigned_area() - (2.0 - 0.025)).abs() < 1e-9,
            "{}",
            merged.unsigned_area()
        );
    }

    #[test]
    fn enclave_of_another_group_stays_a_hole() {
        let outer = polygon![
            exterior: [(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)],
            interiors: [[(x: 1., y: 1.), (x: 1., y: 3.), (x: 3., y: 3.), (x: 3., y: 1.), (x: 1., y: 1.)]],
        ];
        let neighbour = polygon![(x: 4., y: 0.), (x: 6., y: 0.), (x: 6., y: 4.), (x: 4., y: 4.), (x: 4., y: 0.)];
        let enclave = polygon![(x: 1., y: 1.), (x: 3., y: 1.), (x: 3., y: 3.), (x: 1., y: 3.), (x: 1., y: 1.)];
        let input: Vec<MultiPolygon<f64>> = [outer, neighbour, enclave]
            .into_iter()
            .map(|p| MultiPolygon(vec![p]))
            .collect();
        let (topo, shapes) = Topology::build(&input);
        let host = topo.dissolve(&shapes[..2]);
        assert_eq!(host.len(), 1);
        assert_eq!(
            host[0].len(),
            2,
            "the enclave is still a hole of the merged host"
        );
        assert_eq!(topo.multipolygon(&host).unsigned_area(), 16.0 - 4.0 + 8.0);
        let everything = topo.dissolve(&shapes);
        assert_eq!(
            everything,
            vec![vec![everything[0][0].clone()]],
            "filled: no hole left"
        );
    }
}
