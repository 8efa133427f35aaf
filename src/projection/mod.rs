//! Map projections of French territories: Lambert-93 for the mainland and Corsica, UTM for the
//! five overseas départements, and planar areas in those projections.
//!
//! Implemented from the official formulas (IGN notes NTG_71 for the Lambert conformal conic,
//! Krüger's series to the sixth order for the transverse Mercator) on the GRS80 ellipsoid of
//! RGF93 and its overseas siblings, so that projecting costs no allocation and a few
//! transcendental calls per vertex, and matches PROJ to well below a millimetre.

mod lcc;
mod tm;

use geo::MapCoordsInPlace;
use geo_types::{LineString, MultiPolygon};

/// GRS80 semi-major axis (metres), the ellipsoid of RGF93 and of the overseas RGAF09, RGFG95,
/// RGR92 and RGM04.
const GRS80_A: f64 = 6_378_137.0;
/// GRS80 flattening.
const GRS80_F: f64 = 1.0 / 298.257_222_101;

/// A projection from WGS84/RGF93 lon/lat degrees to metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// RGF93 / Lambert-93 (EPSG:2154), mainland France and Corsica.
    Lambert93,
    /// Universal Transverse Mercator on GRS80: `zone` 1-60, `south` for the southern hemisphere.
    Utm {
        /// UTM zone, 1 to 60.
        zone: u8,
        /// Southern hemisphere (false northing 10,000 km).
        south: bool,
    },
}

impl Projection {
    /// Projects lon/lat degrees to (x, y) metres.
    #[inline]
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (lon, lat) = (lon.to_radians(), lat.to_radians());
        match *self {
            Projection::Lambert93 => lcc::LAMBERT93.forward(lon, lat),
            Projection::Utm { zone, south } => tm::utm_forward(zone, south, lon, lat),
        }
    }

    /// Unprojects (x, y) metres to lon/lat degrees.
    pub fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        let (lon, lat) = match *self {
            Projection::Lambert93 => lcc::LAMBERT93.inverse(x, y),
            Projection::Utm { zone, south } => tm::utm_inverse(zone, south, x, y),
        };
        (lon.to_degrees(), lat.to_degrees())
    }

    /// EPSG code of the official French system using this projection (RGF93 / Lambert-93,
    /// RGAF09 / UTM 20N, RGFG95 / UTM 22N, RGR92 / UTM 40S, RGM04 / UTM 38S); other UTM zones
    /// get the WGS 84 / UTM code (326zz north, 327zz south).
    pub fn epsg(&self) -> u32 {
        match *self {
            Projection::Lambert93 => 2154,
            Projection::Utm {
                zone: 20,
                south: false,
            } => 5490,
            Projection::Utm {
                zone: 22,
                south: false,
            } => 2972,
            Projection::Utm {
                zone: 40,
                south: true,
            } => 2975,
            Projection::Utm {
                zone: 38,
                south: true,
            } => 4471,
            Projection::Utm { zone, south } => {
                (if south { 32700 } else { 32600 }) + u32::from(zone)
            }
        }
    }

    /// Projects every vertex of a geometry in place.
    pub fn forward_geometry(&self, geom: &mut MultiPolygon<f64>) {
        geom.map_coords_in_place(|c| self.forward(c.x, c.y).into());
    }

    /// Unprojects every vertex of a geometry in place.
    pub fn inverse_geometry(&self, geom: &mut MultiPolygon<f64>) {
        geom.map_coords_in_place(|c| self.inverse(c.x, c.y).into());
    }
}

/// The official projection of a département: UTM for the overseas ones, Lambert-93 otherwise.
pub fn for_departement(dep: &str) -> Projection {
    match dep {
        "971" | "972" => Projection::Utm {
            zone: 20,
            south: false,
        },
        "973" => Projection::Utm {
            zone: 22,
            south: false,
        },
        "974" => Projection::Utm {
            zone: 40,
            south: true,
        },
        "976" => Projection::Utm {
            zone: 38,
            south: true,
        },
        _ => Projection::Lambert93,
    }
}

/// Area in km² of a lon/lat geometry once projected (holes subtracted), without allocating.
///
/// Lambert-93 and UTM are conformal, not equal-area: this is the planar area that maps and
/// official statistics use (metropolitan France: 548,861 km² in Lambert-93).
pub fn area_km2(geom: &MultiPolygon<f64>, proj: Projection) -> f64 {
    let mut m2 = 0.0;
    for poly in &geom.0 {
        m2 += ring_area(poly.exterior(), proj).abs();
        for hole in poly.interiors() {
            m2 -= ring_area(hole, proj).abs();
        }
    }
    m2 / 1e6
}

/// Signed shoelace area of a projected ring, relative to its first vertex to keep precision.
fn ring_area(ring: &LineString<f64>, proj: Projection) -> f64 {
    if proj == Projection::Lambert93 {
        let radians = ring.0.iter().map(|c| (c.x.to_radians(), c.y.to_radians()));
        return lcc::LAMBERT93.twice_area(radians) / 2.0;
    }
    let mut pts = ring.0.iter().map(|c| proj.forward(c.x, c.y));
    let Some((x0, y0)) = pts.next() else {
        return 0.0;
    };
    let (mut px, mut py) = (0.0, 0.0);
    let mut twice = 0.0;
    for (x, y) in pts {
        let (x, y) = (x - x0, y - y0);
        twice += px * y - x * py;
        (px, py) = (x, y);
    }
    twice / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Coord, Polygon};

    /// The shoelace of exactly projected vertices, which the Lambert-93 fast path replaces.
    fn projected_shoelace(ring: &LineString<f64>) -> f64 {
        let pts: Vec<(f64, f64)> = ring
            .0
            .iter()
            .map(|c| Projection::Lambert93.forward(c.x, c.y))
            .collect();
        let (x0, y0) = pts[0];
        pts.windows(2)
            .map(|w| (w[0].0 - x0) * (w[1].1 - y0) - (w[1].0 - x0) * (w[0].1 - y0))
            .sum::<f64>()
            / 2.0
    }

    #[test]
    fn lambert93_areas_equal_the_shoelace_of_projected_vertices() {
        // A 0.1° square near Lyon, a long thin ring in Brittany, a big one over Corsica.
        let rings = [
            vec![
                (4.8, 45.7),
                (4.9, 45.7),
                (4.9, 45.8),
                (4.8, 45.8),
                (4.8, 45.7),
            ],
            vec![
                (-4.5, 48.3),
                (-1.0, 48.31),
                (-1.0, 48.35),
                (-4.5, 48.33),
                (-4.5, 48.3),
            ],
            vec![
                (8.5, 41.3),
                (9.6, 41.3),
                (9.6, 43.0),
                (8.5, 43.0),
                (8.5, 41.3),
            ],
        ];
        for ring in rings {
            let ring = LineString(ring.into_iter().map(|(x, y)| Coord { x, y }).collect());
            let want = projected_shoelace(&ring);
            let got = ring_area(&ring, Projection::Lambert93);
            assert!(((got - want) / want).abs() < 1e-9, "{got} vs {want}");
            let poly = MultiPolygon(vec![Polygon::new(ring, vec![])]);
            assert!((area_km2(&poly, Projection::Lambert93) - want.abs() / 1e6).abs() < 1e-6);
        }
    }
}
