//! Shared-arc topology, as TopoJSON and mapshaper build it: how the embedded `geodata/` is
//! simplified without opening gaps between neighbours.
//!
//! Polygons are cut into *arcs* at junctions (points where the set of neighbouring rings
//! changes); a border shared by two communes becomes one arc that both rings reference, once
//! forward and once reversed. Simplifying each arc once ([`Topology::simplify`]) therefore
//! moves both neighbours identically, and dissolving communes into départements
//! ([`Topology::dissolve`]) is exact: drop the arcs used twice inside the group, stitch the
//! rest back into rings.
//!
//! Coordinates are integer millionths of a degree ([`Point`]): the source data has 6 decimals,
//! so vertices of neighbours coincide exactly and can be used as hash keys.

mod border;
mod dissolve;
pub mod france;
mod node;
mod simplify;
pub mod topojson;

use std::collections::HashMap;

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

pub use border::border_network;
pub use simplify::SimplifyStats;

/// A vertex in integer millionths of a degree: `[lon, lat]`.
pub type Point = [i32; 2];

/// Millionths of a degree per degree.
pub const SCALE: f64 = 1e6;

/// A ring as signed arc references, TopoJSON's convention: `i` is arc `i` forward, `!i`
/// (= `-i - 1`) is arc `i` reversed.
pub type Ring = Vec<i32>;

/// One polygon of arc references: exterior ring first, then holes.
pub type TopoPolygon = Vec<Ring>;

/// A multipolygon of arc references (one territory).
pub type Shape = Vec<TopoPolygon>;

/// Arcs shared by every shape built from them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topology {
    /// Each arc has at least two points; consecutive points differ.
    pub arcs: Vec<Vec<Point>>,
}

/// Rounds a lon/lat coordinate to a [`Point`].
pub fn point_of(c: Coord<f64>) -> Point {
    [(c.x * SCALE).round() as i32, (c.y * SCALE).round() as i32]
}

/// Arc index and direction of a signed reference.
pub fn arc_ref(r: i32) -> (usize, bool) {
    if r >= 0 {
        (r as usize, true)
    } else {
        (!r as usize, false)
    }
}

/// Concatenates the arcs of a ring into a closed ring of points; `None` when a reference is
/// out of range (a TopoJSON reader turns that into an error naming the geometry).
pub fn stitch_ring<T: Copy + PartialEq>(arcs: &[Vec<T>], ring: &[i32]) -> Option<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    for &r in ring {
        let (i, forward) = arc_ref(r);
        let arc = arcs.get(i)?;
        let mut push = |p: T| {
            if out.last() != Some(&p) {
                out.push(p);
            }
        };
        if forward {
            arc.iter().for_each(|&p| push(p));
        } else {
            arc.iter().rev().for_each(|&p| push(p));
        }
    }
    if let (Some(&first), Some(&last)) = (out.first(), out.last())
        && first != last
    {
        out.push(first);
    }
    Some(out)
}

impl Topology {
    /// Builds the topology of `shapes` (lon/lat degrees): one [`Shape`] per input, in order.
    ///
    /// Rings are noded (a vertex wherever two borders cross or touch between vertices) and cut at junctions; an arc and its reverse are stored once. Rings with
    /// fewer than three distinct vertices are dropped (and a polygon whose exterior is dropped).
    pub fn build<'a>(
        shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
    ) -> (Topology, Vec<Shape>) {
        Topology::build_on_grid(shapes, 1)
    }

    /// [`Topology::build`] with every vertex (input and noded) on a grid of `step` units:
    /// the grid of the file written, so that noding and simplification check the positions
    /// as they will be read back (rounding afterwards could make borders touch again).
    pub fn build_on_grid<'a>(
        shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
        step: i32,
    ) -> (Topology, Vec<Shape>) {
        let mut builder = Builder {
            step: step.max(1),
            ..Default::default()
        };
        let mut rings: Vec<Vec<Vec<Vec<u32>>>> = shapes
            .into_iter()
            .map(|mp| {
                mp.0.iter()
                    .filter_map(|poly| {
                        let exterior = builder.ring_ids(poly.exterior())?;
                        let mut rings = vec![exterior];
                        rings.extend(poly.interiors().iter().filter_map(|r| builder.ring_ids(r)));
                        Some(rings)
                    })
                    .collect()
            })
            .collect();
        builder.node(&mut rings.iter_mut().flatten().flatten().collect::<Vec<_>>());
        for ring in rings.iter().flatten().flatten() {
            builder.record_neighbours(ring);
        }
        let shapes = rings
            .iter()
            .map(|polys| {
                polys
                    .iter()
                    .map(|poly| poly.iter().map(|ring| builder.cut(ring)).collect())
                    .collect()
            })
            .collect();
        (Topology { arcs: builder.arcs }, shapes)
    }

    /// Total number of arc vertices (shared borders counted once).
    pub fn vertex_count(&self) -> usize {
        self.arcs.iter().map(Vec::len).sum()
    }

    /// First and last point of a signed arc reference, in its direction.
    fn ends(&self, r: i32) -> (Point, Point) {
        let (i, forward) = arc_ref(r);
        let arc = &self.arcs[i];
        let (a, b) = (arc[0], arc[arc.len() - 1]);
        if forward { (a, b) } else { (b, a) }
    }

    /// The points of a ring, closed.
    pub fn ring_points(&self, ring: &[i32]) -> Vec<Point> {
        stitch_ring(&self.arcs, ring).unwrap_or_default()
    }

    /// The lon/lat geometry of a shape.
    pub fn multipolygon(&self, shape: &Shape) -> MultiPolygon<f64> {
        let line = |ring: &Ring| {
            LineString(
                self.ring_points(ring)
                    .into_iter()
                    .map(|[x, y]| Coord {
                        x: x as f64 / SCALE,
                        y: y as f64 / SCALE,
                    })
                    .collect(),
            )
        };
        MultiPolygon(
            shape
                .iter()
                .filter_map(|poly| {
                    let (exterior, holes) = poly.split_first()?;
                    Some(Polygon::new(
                        line(exterior),
                        holes.iter().map(line).collect(),
                    ))
                })
                .collect(),
        )
    }
}

/// Metres per millionth of a degree of latitude (mean Earth radius 6 371 008.8 m).
pub(crate) const METRES_PER_UNIT: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0 / 1e6;

/// Signed area of a closed ring in m², on a local equirectangular frame (for thresholds).
pub(crate) fn area_m2(points: &[Point]) -> f64 {
    let lat = points.first().map_or(0.0, |p| p[1] as f64 / SCALE);
    doubled_area(points) as f64 / 2.0 * METRES_PER_UNIT * METRES_PER_UNIT * lat.to_radians().cos()
}

/// Twice the signed area of a closed ring (positive: counter-clockwise), exact.
pub(crate) fn doubled_area(points: &[Point]) -> i128 {
    points
        .windows(2)
        .map(|w| w[0][0] as i128 * w[1][1] as i128 - w[1][0] as i128 * w[0][1] as i128)
        .sum()
}

/// A position in [`Point`] units, rounded to a grid of `step` units.
fn on_grid([x, y]: [f64; 2], step: i32) -> Point {
    let step = step as f64;
    [
        ((x / step).round() * step) as i32,
        ((y / step).round() * step) as i32,
    ]
}

/// State of [`Topology::build`]: point ids, neighbours seen at each point, interned arcs.
#[derive(Default)]
struct Builder {
    ids: HashMap<Point, u32>,
    points: Vec<Point>,
    /// First (previous, next) neighbours seen at each point.
    neighbours: Vec<[u32; 2]>,
    junction: Vec<bool>,
    arcs: Vec<Vec<Point>>,
    /// Canonical point-id sequence of each arc → arc index.
    interned: HashMap<Vec<u32>, u32>,
    /// Grid step every point is rounded to (units of [`Point`]).
    step: i32,
}

const NONE: u32 = u32::MAX;

impl Builder {
    /// Point ids of a ring, without the closing point nor repeated points.
    fn ring_ids(&mut self, ring: &LineString<f64>) -> Option<Vec<u32>> {
        let mut ids: Vec<u32> = Vec::with_capacity(ring.0.len());
        for &c in &ring.0 {
            let id = self.point_id(on_grid([c.x * SCALE, c.y * SCALE], self.step));
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
        while ids.len() > 1 && ids.first() == ids.last() {
            ids.pop();
        }
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        (distinct.len() >= 3).then_some(ids)
    }

    /// The id of a point, adding it if new.
    fn point_id(&mut self, p: Point) -> u32 {
        let next = self.points.len() as u32;
        let id = *self.ids.entry(p).or_insert(next);
        if id == next {
            self.points.push(p);
            self.neighbours.push([NONE, NONE]);
            self.junction.push(false);
        }
        id
    }

    /// A point is a junction when it is seen with two different pairs of neighbours.
    fn record_neighbours(&mut self, ring: &[u32]) {
        let n = ring.len();
        for (k, &id) in ring.iter().enumerate() {
            let (prev, next) = (ring[(k + n - 1) % n], ring[(k + 1) % n]);
            let seen = &mut self.neighbours[id as usize];
            if seen[0] == NONE {
                *seen = [prev, next];
            } else if *seen != [prev, next] && *seen != [next, prev] {
                self.junction[id as usize] = true;
            }
        }
    }

    /// Cuts a ring into arcs at its junctions and returns the signed references.
    fn cut(&mut self, ring: &[u32]) -> Ring {
        let n = ring.len();
        let start = match ring.iter().position(|&id| self.junction[id as usize]) {
            Some(k) => k,
            // No junction: one closed arc, started at its smallest id so that a ring and its
            // reverse (an enclave and the hole around it) give the same arc.
            None => {
                let k = (0..n).min_by_key(|&k| ring[k]).unwrap_or(0);
                let mut arc: Vec<u32> = (0..=n).map(|j| ring[(k + j) % n]).collect();
                arc.shrink_to_fit();
                return vec![self.intern(arc)];
            }
        };
        let mut refs = Vec::new();
        let mut arc = vec![ring[start]];
        for j in 1..=n {
            let id = ring[(start + j) % n];
            arc.push(id);
            if self.junction[id as usize] {
                refs.push(self.intern(std::mem::replace(&mut arc, vec![id])));
            }
        }
        refs
    }

    /// The signed reference of an arc given as point ids, adding it if new.
    fn intern(&mut self, arc: Vec<u32>) -> i32 {
        let reversed: Vec<u32> = arc.iter().rev().copied().collect();
        let (key, forward) = if arc <= reversed {
            (arc, true)
        } else {
            (reversed, false)
        };
        let index = match self.interned.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.arcs.len() as u32;
                self.arcs
                    .push(key.iter().map(|&id| self.points[id as usize]).collect());
                self.interned.insert(key, i);
                i
            }
        };
        if forward {
            index as i32
        } else {
            !(index as i32)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use geo_types::polygon;

    /// A unit square (degrees) with its lower-left corner at (`x`, `y`), counter-clockwise.
    pub(crate) fn square(x: f64, y: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)]
    }

    /// A 3×3 grid of unit squares, row by row from the bottom left.
    pub(crate) fn grid() -> Vec<MultiPolygon<f64>> {
        (0..9)
            .map(|k| MultiPolygon(vec![square((k % 3) as f64, (k / 3) as f64)]))
            .collect()
    }

    #[test]
    fn grid_shares_each_inner_edge_once() {
        let (topo, shapes) = Topology::build(&grid());
        // 12 inner unit edges + 4 outer sides cut at junctions: 3 arcs per side, but the
        // outer corners are not junctions, so each corner joins two outer edges.
        let inner = 12;
        let outer = 8;
        assert_eq!(topo.arcs.len(), inner + outer);
        let mut uses = vec![(0, 0); topo.arcs.len()];
        for r in shapes.iter().flatten().flatten().flatten() {
            let (i, fwd) = arc_ref(*r);
            if fwd { uses[i].0 += 1 } else { uses[i].1 += 1 }
        }
        assert_eq!(uses.iter().filter(|u| **u == (1, 1)).count(), inner);
        assert_eq!(uses.iter().filter(|u| u.0 + u.1 == 1).count(), outer);
    }

    #[test]
    fn rings_round_trip() {
        let input = grid();
        let (topo, shapes) = Topology::build(&input);
        for (mp, shape) in input.iter().zip(&shapes) {
            let back = topo.multipolygon(shape);
            let ring = &back.0[0].exterior().0;
            assert_eq!(ring.len(), 5);
            let want: std::collections::BTreeSet<Point> =
                mp.0[0].exterior().0.iter().map(|&c| point_of(c)).collect();
            let got: std::collections::BTreeSet<Point> =
                ring.iter().map(|&c| point_of(c)).collect();
            assert_eq!(got, want);
            assert!(
                doubled_area(&topo.ring_points(&shape[0][0])) > 0,
                "orientation kept"
            );
        }
    }

    #[test]
    fn enclave_and_hole_share_one_closed_arc() {
        let outer = polygon![
            exterior: [(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)],
            interiors: [[(x: 1., y: 1.), (x: 1., y: 3.), (x: 3., y: 3.), (x: 3., y: 1.), (x: 1., y: 1.)]],
        ];
        let inner = polygon![(x: 3., y: 3.), (x: 1., y: 3.), (x: 1., y: 1.), (x: 3., y: 1.), (x: 3., y: 3.)];
        let (topo, shapes) =
            Topology::build(&[MultiPolygon(vec![outer]), MultiPolygon(vec![inner])]);
        assert_eq!(topo.arcs.len(), 2);
        let hole = shapes[0][0][1][0];
        let enclave = shapes[1][0][0][0];
        assert_eq!(hole, !enclave);
    }

    #[test]
    fn degenerate_rings_are_dropped() {
        let flat = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 0., y: 0.)];
        let (topo, shapes) = Topology::build(&[MultiPolygon(vec![flat])]);
        assert!(topo.arcs.is_empty());
        assert!(shapes[0].is_empty());
    }
}
