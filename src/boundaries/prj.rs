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

/// The system of a `.prj` (WKT1 in its ESRI or OGC flavour, or WKT2); `Err` says why not.
///
/// WGS84-like geographic systems, Lambert-93 and UTM zones on GRS80/WGS84 are recognised by
/// name or EPSG code; anything else is handed to proj4wkt + proj4rs.
pub fn from_wkt(wkt: &str) -> Result<Crs, String> {
    let wkt = wkt.trim().trim_start_matches('\u{feff}');
    // Some tools write a bare "EPSG:2154" instead of WKT.
    if let Some(crs) = Some(wkt)
        .filter(|w| !w.contains('['))
        .and_then(Crs::from_name)
    {
        return Ok(crs);
    }
    let keyword = wkt
        .split('[')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    let flat: String = wkt
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let grs80_or_wgs84 = ["grs1980", "grs80", "wgs1984", "wgs84"]
        .iter()
        .any(|e| flat.contains(e));
    let greenwich = !flat.contains("primem") || flat.contains("primemgreenwich");
    match keyword.as_str() {
        "GEOGCS" | "GEOGCRS" | "GEODCRS" | "GEOGRAPHICCRS"
            if grs80_or_wgs84 && greenwich && flat.contains("degree") =>
        {
            return Ok(Crs::Wgs84);
        }
        "PROJCS" | "PROJCRS" | "PROJECTEDCRS" => {
            if flat.contains("lambert93") && (flat.contains("rgf93") || flat.contains("rgf1993")) {
                return Ok(Crs::Projected(Projection::Lambert93));
            }
            if let Some(crs) = top_level_epsg(wkt)
                .and_then(Crs::from_epsg)
                .filter(|c| !matches!(c, Crs::Other { .. }))
            {
                return Ok(crs);
            }
            if let Some((zone, south)) = utm_zone(&flat).filter(|_| grs80_or_wgs84 && greenwich) {
                return Ok(Crs::Projected(Projection::Utm { zone, south }));
            }
        }
        _ => {}
    }
    let proj_string =
        proj4wkt::wkt_to_projstring(wkt).map_err(|e| format!("unreadable WKT: {e}"))?;
    let proj = Proj::from_proj_string(&proj_string)
        .map_err(|e| format!("unsupported system {proj_string}: {e}"))?;
    Ok(Crs::Other {
        name: proj_string,
        proj: Box::new(proj),
    })
}

/// The EPSG code of the whole system: WKT1 puts the top-level `AUTHORITY["EPSG","2154"]` last,
/// WKT2 its `ID["EPSG",2154]` last too.
fn top_level_epsg(wkt: &str) -> Option<u16> {
    let upper = wkt.to_ascii_uppercase();
    let start = upper.rfind("AUTHORITY[").or_else(|| upper.rfind("ID["))?;
    // Only the outermost object's identifier follows the last closing bracket of its children.
    let tail = &upper[start..];
    if tail.matches(']').count() > 2 {
        return None;
    }
    let digits: String = tail
        .split(',')
        .nth(1)?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    tail.contains("EPSG").then(|| digits.parse().ok()).flatten()
}

/// Zone and hemisphere from a flattened name like `wgs1984utmzone20n` or `rgr1992utm40s`.
fn utm_zone(flat: &str) -> Option<(u8, bool)> {
    let rest = &flat[flat.find("utm")? + "utm".len()..];
    let rest = rest.strip_prefix("zone").unwrap_or(rest);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let zone: u8 = digits.parse().ok().filter(|z| (1..=60).contains(z))?;
    match rest[digits.len()..].chars().next()? {
        'n' => Some((zone, false)),
        's' => Some((zone, true)),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    const ESRI_L93: &str = r#"PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;
    const OGC_L93: &str = r#"PROJCS["RGF93 v1 / Lambert-93",GEOGCS["RGF93 v1",DATUM["Reseau_Geodesique_Francais_1993_v1",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6171"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4171"]],PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","2154"]]"#;
    const ESRI_WGS84: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    const ESRI_UTM40S: &str = r#"PROJCS["RGR_1992_UTM_40S",GEOGCS["GCS_RGR_1992",DATUM["D_RGR_1992",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",57.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const OGC_UTM20N: &str = r#"PROJCS["WGS 84 / UTM zone 20N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-63],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]"#;
    /// Web Mercator, a system phare does not know natively.
    const ESRI_3857: &str = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;

    fn projection(wkt: &str) -> Option<Projection> {
        match from_wkt(wkt) {
            Ok(Crs::Projected(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn recognises_french_systems() {
        assert_eq!(projection(ESRI_L93), Some(Projection::Lambert93));
        assert_eq!(projection(OGC_L93), Some(Projection::Lambert93));
        assert_eq!(projection("EPSG:2154"), Some(Projection::Lambert93));
        assert_eq!(
            projection(ESRI_UTM40S),
            Some(Projection::Utm {
                zone: 40,
                south: true
            })
        );
        assert_eq!(
            projection(OGC_UTM20N),
            Some(Projection::Utm {
                zone: 20,
                south: false
            })
        );
        assert!(matches!(from_wkt(ESRI_WGS84), Ok(Crs::Wgs84)));
        assert!(matches!(
            Crs::from_name("urn:ogc:def:crs:EPSG::2154"),
            Some(Crs::Projected(Projection::Lambert93))
        ));
        assert!(matches!(
            Crs::from_name("urn:ogc:def:crs:OGC:1.3:CRS84"),
            Some(Crs::Wgs84)
        ));
    }

    #[test]
    fn other_systems_go_through_proj4rs() {
        let crs = from_wkt(ESRI_3857).unwrap();
        assert!(matches!(crs, Crs::Other { .. }), "{crs:?}");
        // Notre-Dame in Web Mercator metres.
        let (x, y) = (261_589.671, 6_249_955.279);
        let mut g = MultiPolygon(vec![geo_types::Polygon::new(
            vec![(x, y), (x + 1.0, y), (x, y + 1.0)].into(),
            vec![],
        )]);
        crs.to_wgs84(&mut g).unwrap();
        let c = g.0[0].exterior().0[0];
        assert!(
            (c.x - 2.3499).abs() < 1e-5 && (c.y - 48.853).abs() < 1e-5,
            "{c:?}"
        );
        assert!(from_wkt("not a projection").is_err());
    }

    /// NTF (Paris) / Lambert II étendu, the pre-2000 French system: grads, Paris meridian and a
    /// datum shift, all read from the WKT; checked against proj4rs's own EPSG:27572.
    #[test]
    fn lambert_ii_etendu_from_wkt() {
        const WKT: &str = r#"PROJCS["NTF (Paris) / Lambert zone II",GEOGCS["NTF (Paris)",DATUM["Nouvelle_Triangulation_Francaise_Paris",SPHEROID["Clarke 1880 (IGN)",6378249.2,293.466021293627],TOWGS84[-168,-60,320,0,0,0,0]],PRIMEM["Paris",2.5969213],UNIT["grad",0.0157079632679489]],PROJECTION["Lambert_Conformal_Conic_1SP"],PARAMETER["latitude_of_origin",52],PARAMETER["central_meridian",0],PARAMETER["scale_factor",0.99987742],PARAMETER["false_easting",600000],PARAMETER["false_northing",2200000],UNIT["metre",1],AUTHORITY["EPSG","27572"]]"#;
        let crs = from_wkt(WKT).unwrap();
        assert!(matches!(crs, Crs::Other { .. }), "{crs:?}");
        let (wgs84, l2) = (
            Proj::from_epsg_code(4326).unwrap(),
            Proj::from_epsg_code(27572).unwrap(),
        );
        let mut p = (2.3499_f64.to_radians(), 48.853_f64.to_radians());
        proj4rs::transform::transform(&wgs84, &l2, &mut p).unwrap();
        assert!(
            (p.0 - 601_000.0).abs() < 2_000.0 && (p.1 - 2_428_000.0).abs() < 2_000.0,
            "{p:?}"
        );
        let mut g = MultiPolygon(vec![geo_types::Polygon::new(
            vec![p, (p.0 + 1.0, p.1), (p.0, p.1 + 1.0)].into(),
            vec![],
        )]);
        crs.to_wgs84(&mut g).unwrap();
        let c = g.0[0].exterior().0[0];
        assert!(
            (c.x - 2.3499).abs() < 1e-7 && (c.y - 48.853).abs() < 1e-7,
            "{c:?}"
        );
    }
}
