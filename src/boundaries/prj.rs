//! Coordinate reference systems of boundary files: a `.prj` (WKT, ESRI or OGC), an old-style
//! GeoJSON `crs` member or an EPSG code, and the conversion of geometries to WGS84.
//!
//! The French systems (WGS84/RGF93 geographic, Lambert-93, the overseas UTM zones) are
//! recognised by name and converted with [`crate::projection`]; anything else goes through
//! proj4wkt + proj4rs.

use geo::MapCoordsInPlace;
use geo_types::{Coord, MultiPolygon};
use proj4rs::Proj;
use proj4rs::transform::{Transform, TransformClosure};

use crate::projection::Projection;

/// The coordinate system a file's coordinates are in.
#[derive(Debug, Clone)]
pub enum Crs {
    /// Longitude/latitude degrees on WGS84 or an equivalent datum (RGF93, ETRS89).
    Wgs84,
    /// Lambert-93 or a UTM zone on GRS80/WGS84.
    Projected(Projection),
    /// Any other system PROJ knows, with the text it came from.
    Other {
        /// Where it came from (the proj string), for messages.
        name: String,
        /// The source system.
        proj: Box<Proj>,
    },
}

impl Crs {
    /// The system of an EPSG code, if known: WGS84-equivalent geographic codes, Lambert-93,
    /// the French overseas UTM and WGS 84 / UTM codes are handled natively, others by proj4rs.
    pub fn from_epsg(code: u16) -> Option<Crs> {
        let utm = |zone, south| Some(Crs::Projected(Projection::Utm { zone, south }));
        match code {
            4326 | 4171 | 4258 | 4978 | 9777 => Some(Crs::Wgs84),
            2154 | 9794 => Some(Crs::Projected(Projection::Lambert93)),
            5490 => utm(20, false),
            2972 => utm(22, false),
            2975 => utm(40, true),
            4471 => utm(38, true),
            32601..=32660 => utm((code - 32600) as u8, false),
            32701..=32760 => utm((code - 32700) as u8, true),
            _ => Proj::from_epsg_code(code).ok().map(|proj| Crs::Other {
                name: format!("EPSG:{code}"),
                proj: Box::new(proj),
            }),
        }
    }

    /// The system named by an OGC CRS name (`EPSG:2154`, `urn:ogc:def:crs:EPSG::2154`,
    /// `urn:ogc:def:crs:OGC:1.3:CRS84`), as old GeoJSON files write in their `crs` member.
    pub fn from_name(name: &str) -> Option<Crs> {
        let upper = name.trim().to_ascii_uppercase();
        if upper.ends_with("CRS84") || upper.ends_with("CRS:84") {
            return Some(Crs::Wgs84);
        }
        let (_, code) = upper.rsplit_once(':')?;
        if !upper.contains("EPSG") {
            return None;
        }
        Crs::from_epsg(code.trim().parse().ok()?)
    }

    /// True for lon/lat degrees (no conversion needed).
    pub fn is_wgs84(&self) -> bool {
        matches!(self, Crs::Wgs84)
    }

    /// A short name for messages.
    pub fn describe(&self) -> String {
        match self {
            Crs::Wgs84 => "WGS84 longitude/latitude".into(),
            Crs::Projected(p @ Projection::Lambert93) => format!("Lambert-93 (EPSG:{})", p.epsg()),
            Crs::Projected(p @ Projection::Utm { zone, south }) => {
                format!(
                    "UTM zone {zone}{} (EPSG:{})",
                    if *south { 'S' } else { 'N' },
                    p.epsg()
                )
            }
            Crs::Other { name, .. } => name.clone(),
        }
    }

    /// Converts a geometry in this system to WGS84 lon/lat degrees, in place.
    pub fn to_wgs84(&self, geom: &mut MultiPolygon<f64>) -> Result<(), String> {
        match self {
            Crs::Wgs84 => Ok(()),
            Crs::Projected(p) => {
                p.inverse_geometry(geom);
                Ok(())
            }
            Crs::Other { proj, .. } => {
                let wgs84 = Proj::from_epsg_code(4326).map_err(|e| e.to_string())?;
                let mut coords = Coords(geom);
                proj4rs::transform::transform(proj, &wgs84, &mut coords)
                    .map_err(|e| e.to_string())?;
                geom.try_map_coords_in_place(|c| {
                    let c = Coord {
                        x: c.x.to_degrees(),
                        y: c.y.to_degrees(),
                    };
                    if c.x.is_finite() && c.y.is_finite() {
                        Ok(c)
                    } else {
                        Err("a point could not be converted".to_string())
                    }
                })
            }
        }
    }
}

/// Lets proj4rs transform a multipolygon's coordinates in place.
struct Coords<'a>(&'a mut MultiPolygon<f64>);

impl Transform for Coords<'_> {
    fn transform_coordinates<F: TransformClosure>(
        &mut self,
        f: &mut F,
    ) -> proj4rs::errors::Result<()> {
        // `try_map_coords_in_place` wants an `Fn`; proj4rs hands out an `FnMut`.
        let f = std::cell::RefCell::new(f);
        self.0.try_map_coords_in_place(|c| {
            (f.borrow_mut())(c.x, c.y, 0.0).map(|(x, y, _)| Coord { x, y })
        })
    }
}

/// The first coordinate outside longitude ±180 / latitude ±90, if any: such a file holds
/// projected coordinates, not degrees.
pub fn first_outside_degrees(geom: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    use geo::CoordsIter;
    geom.coords_iter()
        .find(|c| !(c.x.abs() <= 180.0 && c.y.abs() <= 90.0))
}
