//! Noding: where two input borders cross or touch between their vertices, both get a vertex
//! there, so that every meeting of rings is a point they share.
//!
//! The source's communes are valid one by one, but neighbours whose borders the source did
//! not make identical cross each other between vertices (a thin overlap next to a thin gap).
//! Unnoded, dissolving such neighbours leaves their two borders in one ring that crosses
//! itself; noded, the overlap and the gap are rings of their own, which the dissolve absorbs
//! or keeps as holes (see [`super::Topology::dissolve`]).

use std::collections::HashMap;

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::{Builder, Point, on_grid};

/// Rounds of noding at most: a crossing point is rounded to the integer grid, which can in
/// rare cases make its new segments touch another one, noded in the next round.
const MAX_ROUNDS: usize = 8;

/// Distance (in [`Point`] units, at least one grid step) within which a crossing snaps to a
/// segment's end: 4 µdeg, 44 cm of latitude.
const SNAP: i32 = 4;

impl Builder {
    /// Inserts a vertex into every pair of segments of `rings` (point ids, unclosed) that
    /// cross or touch other than at a shared vertex: the crossing point rounded to the grid,
    /// or the vertex of one lying inside the other.
    pub(super) fn node(&mut self, rings: &mut [&mut Vec<u32>]) {
        for _ in 0..MAX_ROUNDS {
            let splits = self.splits(rings);
            let mut changed = false;
            for ring in rings.iter_mut() {
                changed |= self.split_ring(ring, &splits);
            }
            if !changed {
                break;
            }
        }
    }

    /// Points to insert into each segment (keyed by its ends' ids, smaller first).
    fn splits(&mut self, rings: &[&mut Vec<u32>]) -> HashMap<(u32, u32), Vec<u32>> {
        let mut segments: Vec<(u32, u32)> = rings
            .iter()
            .flat_map(|ring| {
                let n = ring.len();
                (0..n).map(move |k| segment_key(ring[k], ring[(k + 1) % n]))
            })
            .collect();
        segments.sort_unstable();
        segments.dedup();
        let corner = |p: Point| [p[0] as f64, p[1] as f64];
        let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = segments
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| {
                let (p, q) = (self.points[a as usize], self.points[b as usize]);
                GeomWithData::new(Rectangle::from_corners(corner(p), corner(q)), k)
            })
            .collect();
        let tree = RTree::bulk_load(boxes);
        let pairs: Vec<(usize, usize)> = tree
            .intersection_candidates_with_other_tree(&tree)
            .filter(|(s, t)| s.data < t.data)
            .map(|(s, t)| (s.data, t.data))
            .collect();
        let mut splits: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
        for (s, t) in pairs {
            let (u, v) = (segments[s], segments[t]);
            let at = |id: u32| self.points[id as usize];
            let found = meeting((at(u.0), at(u.1)), (at(v.0), at(v.1)), self.step);
            for (on, p) in found {
                let segment = if on == 0 { u } else { v };
                let id = self.point_id(p);
                if id != segment.0 && id != segment.1 {
                    splits.entry(segment).or_default().push(id);
                }
            }
        }
        splits
    }

    /// Inserts the split points of each segment of `ring`, in order along it; returns
    /// whether it inserted any.
    fn split_ring(&self, ring: &mut Vec<u32>, splits: &HashMap<(u32, u32), Vec<u32>>) -> bool {
        let n = ring.len();
        let mut out = Vec::with_capacity(n);
        for k in 0..n {
            let (a, b) = (ring[k], ring[(k + 1) % n]);
            out.push(a);
            if let Some(points) = splits.get(&segment_key(a, b)) {
                let (pa, pb) = (self.points[a as usize], self.points[b as usize]);
                let along = |id: &u32| {
                    let p = self.points[*id as usize];
                    (p[0] as i64 - pa[0] as i64) * (pb[0] as i64 - pa[0] as i64)
                        + (p[1] as i64 - pa[1] as i64) * (pb[1] as i64 - pa[1] as i64)
                };
                let length = along(&b);
                // Only points strictly between the ends: one rounded beyond an end would
                // turn the ring back on itself.
                let mut points: Vec<u32> = points
                    .iter()
                    .copied()
                    .filter(|p| (1..length).contains(&along(p)))
                    .collect();
                points.sort_by_key(along);
                points.dedup();
                out.extend(points);
            }
        }
        out.dedup();
        while out.len() > 1 && out.first() == out.last() {
            out.pop();
        }
        let changed = out != **ring;
        *ring = out;
        changed
    }
}

/// A segment's key: its ends' ids, smaller first.
fn segment_key(a: u32, b: u32) -> (u32, u32) {
    (a.min(b), a.max(b))
}

/// Where segments `u` and `v` meet other than at a shared end: each result is the segment
/// that must get a vertex (0 for `u`, 1 for `v`) and the vertex. A vertex of one lying inside
/// the other goes into the other; a proper crossing goes, rounded, into both.
fn meeting(u: (Point, Point), v: (Point, Point), step: i32) -> Vec<(usize, Point)> {
    let orient = |p: Point, q: Point, r: Point| -> i128 {
        (q[0] as i128 - p[0] as i128) * (r[1] as i128 - p[1] as i128)
            - (q[1] as i128 - p[1] as i128) * (r[0] as i128 - p[0] as i128)
    };
    // Whether `p`, collinear with segment `s`, lies strictly between its ends.
    let inside = |p: Point, s: (Point, Point)| {
        p != s.0
            && p != s.1
            && (0..2).all(|k| p[k] >= s.0[k].min(s.1[k]) && p[k] <= s.0[k].max(s.1[k]))
    };
    let (o1, o2) = (orient(u.0, u.1, v.0), orient(u.0, u.1, v.1));
    let (o3, o4) = (orient(v.0, v.1, u.0), orient(v.0, v.1, u.1));
    let mut found = Vec::new();
    for (o, p) in [(o1, v.0), (o2, v.1)] {
        if o == 0 && inside(p, u) {
            found.push((0, p));
        }
    }
    for (o, p) in [(o3, u.0), (o4, u.1)] {
        if o == 0 && inside(p, v) {
            found.push((1, p));
        }
    }
    if o1.signum() * o2.signum() < 0 && o3.signum() * o4.signum() < 0 {
        // u.0 + t (u.1 - u.0), t = o3 / (o3 - o4): exact ratio, rounded once.
        let t = o3 as f64 / (o3 - o4) as f64;
        let p = on_grid(
            [
                u.0[0] as f64 + t * (u.1[0] - u.0[0]) as f64,
                u.0[1] as f64 + t * (u.1[1] - u.0[1]) as f64,
            ],
            step,
        );
        // A crossing within a few grid steps of an end is that end: rounded apart from it,
        // the new vertex could cross the other side of a needle-thin tip (or make a spike).
        let snap = SNAP.max(step);
        let near = |q: Point| (q[0] - p[0]).abs() <= snap && (q[1] - p[1]).abs() <= snap;
        match [u.0, u.1, v.0, v.1].iter().position(|&q| near(q)) {
            Some(k) if k < 2 => found.push((1, [u.0, u.1][k])),
            Some(k) => found.push((0, [v.0, v.1][k - 2])),
            None => {
                found.push((0, p));
                found.push((1, p));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proper_crossing_goes_into_both() {
        let found = meeting(([0, 0], [10, 10]), ([0, 10], [10, 0]), 1);
        assert_eq!(found, vec![(0, [5, 5]), (1, [5, 5])]);
        // Crossing within SNAP steps of u's end (10, 10): that end goes into v.
        let found = meeting(([0, 0], [10, 10]), ([8, 12], [12, 8]), 1);
        assert_eq!(found, vec![(1, [10, 10])]);
    }

    #[test]
    fn touching_vertex_goes_into_the_other_segment_only() {
        assert_eq!(
            meeting(([0, 0], [10, 0]), ([4, 0], [4, 7]), 1),
            vec![(0, [4, 0])]
        );
        // Collinear overlap: each end inside the other segment.
        assert_eq!(
            meeting(([0, 0], [10, 0]), ([5, 0], [15, 0]), 1),
            vec![(0, [5, 0]), (1, [10, 0])]
        );
        assert!(
            meeting(([0, 0], [10, 0]), ([10, 0], [10, 5]), 1).is_empty(),
            "shared end"
        );
        assert!(
            meeting(([0, 0], [10, 0]), ([0, 1], [10, 1]), 1).is_empty(),
            "apart"
        );
    }
}
