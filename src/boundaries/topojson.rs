//! TopoJSON: read any user file into a [`Layer`], and write phare's own topology
//! (`geodata/france.topojson`: objects `communes`, `departements`, `regions` sharing arcs).
//!
//! Decoding goes through typed serde structs (no `serde_json::Value` tree), so the embedded
//! data decodes fast; the property type and the arc type are generic so that
//! [`super::embedded`] can read its known properties directly and skip the arcs entirely
//! when it only needs codes and names.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

use super::LoadOptions;
use super::fields::Value;
pub(crate) use super::geojson::Position;
use crate::topology;
use crate::{Error, Layer, Level, Result, Setting};

/// Reads a TopoJSON file: the object named after the level (`communes`, `departements`,
/// `regions`, ...) or else the first object; properties through [`super::FieldNames`].
pub fn read(path: &Path, opts: &LoadOptions) -> Result<Layer> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let doc: Document<serde_json::Map<String, serde_json::Value>, Vec<Vec<Position>>> =
        parse(path, &bytes)?;
    let arcs = doc.decoded_arcs(path)?;
    let level_of_name = |name: &str| name.parse::<Level>().ok();
    let (name, object) = match opts.level {
        Some(level) => doc
            .objects
            .0
            .iter()
            .find(|(name, _)| level_of_name(name) == Some(level)),
        None => None,
    }
    .or_else(|| doc.objects.0.first())
    .ok_or_else(|| {
        Error::input(path, "the topology has no object").hint("export at least one layer")
    })?;
    let level = opts.level.or_else(|| level_of_name(name));
    let mut territories = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (k, feature) in object.features().into_iter().enumerate() {
        let geometry = feature
            .multipolygon(&arcs)
            .map_err(|m| feature_error(path, name, k, feature, m))?;
        let props = feature.properties.clone().unwrap_or_default();
        let mut names: Vec<String> = props.keys().cloned().collect();
        if feature.id.is_some() && !props.contains_key("id") {
            names.push("id".into());
        }
        let get = |key: &str| match props.get(key).or(if key == "id" {
            feature.id.as_ref()
        } else {
            None
        }) {
            Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
            Some(serde_json::Value::Number(n)) => {
                n.as_f64().map(Value::Number).unwrap_or(Value::Null)
            }
            Some(serde_json::Value::Null) | None => Value::Null,
            Some(other) => Value::Text(other.to_string()),
        };
        let territory = opts
            .fields
            .territory(&names, get, level, geometry)
            .map_err(|e| e.in_file(path).at(format!("object '{name}', geometry {k}")))?;
        if let Some(first) = seen.insert(territory.code.clone(), k) {
            return Err(
                Error::input(path, format!("code {} appears twice", territory.code))
                    .at(format!("object '{name}', geometries {first} and {k}"))
                    .hint(
                        "each territory needs its own code; choose another property for the codes",
                    )
                    .about(Setting::IdField),
            );
        }
        territories.push(territory);
    }
    Ok(Layer::new(territories, path.display().to_string()))
}

fn feature_error<P>(
    path: &Path,
    object: &str,
    k: usize,
    feature: &GeometryObject<P>,
    message: String,
) -> Error {
    let id = feature
        .id
        .as_ref()
        .map(|id| format!(" (id {id})"))
        .unwrap_or_default();
    Error::input(path, message)
        .at(format!("object '{object}', geometry {k}{id}"))
        .hint(
            "the file is not a valid polygon TopoJSON; re-export it (mapshaper -o format=topojson)",
        )
}

/// Parses a TopoJSON document, with the line and column of a syntax error.
pub(crate) fn parse<P: DeserializeOwned, A: DeserializeOwned, R: DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<Document<P, A, R>> {
    let doc: Document<P, A, R> = serde_json::from_slice(bytes).map_err(|e| {
        Error::input(path, format!("not a valid TopoJSON file: {e}"))
            .at(format!("line {}, column {}", e.line(), e.column()))
            .hint("check the file is complete TopoJSON (a GeoJSON file should end in .geojson)")
    })?;
    if doc.kind != "Topology" {
        return Err(
            Error::input(path, format!("type is '{}', expected 'Topology'", doc.kind))
                .hint("a GeoJSON file should be named .geojson"),
        );
    }
    if doc.arcs.is_none() {
        return Err(Error::input(path, "the topology has no 'arcs' member")
            .hint("the file is truncated or not TopoJSON"));
    }
    Ok(doc)
}

/// A TopoJSON document with properties `P` and arcs `A` (`Vec<Vec<Position>>`, or
/// `serde::de::IgnoredAny` to skip them) and arc references `R` (likewise).
#[derive(Debug, Deserialize)]
pub(crate) struct Document<P, A, R = Nested> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    transform: Option<Transform>,
    #[serde(default = "Objects::empty")]
    pub(crate) objects: Objects<P, R>,
    arcs: Option<A>,
}

/// The quantisation of a TopoJSON file: arcs hold integer deltas, scaled and translated.
#[derive(Debug, Deserialize)]
pub(crate) struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

impl Transform {
    /// The absolute positions of one quantised arc.
    pub(crate) fn decode(&self, arc: &[Position]) -> Vec<Coord<f64>> {
        let (mut x, mut y) = (0.0, 0.0);
        arc.iter()
            .map(|p| {
                x += p.0.x;
                y += p.0.y;
                Coord {
                    x: x * self.scale[0] + self.translate[0],
                    y: y * self.scale[1] + self.translate[1],
                }
            })
            .collect()
    }
}

impl<P> Document<P, Vec<Vec<Position>>> {
    /// Absolute lon/lat arcs: delta-decoded and transformed when the file is quantised.
    pub(crate) fn decoded_arcs(&self, path: &Path) -> Result<Vec<Vec<Coord<f64>>>> {
        let arcs = self.arcs.as_deref().unwrap_or_default();
        if let Some(k) = arcs.iter().position(|a| a.is_empty()) {
            return Err(Error::input(path, "an arc has no position").at(format!("arc {k}")));
        }
        Ok(match &self.transform {
            Some(t) => arcs.iter().map(|arc| t.decode(arc)).collect(),
            None => arcs
                .iter()
                .map(|arc| arc.iter().map(|p| p.0).collect())
                .collect(),
        })
    }
}

/// The named objects, in file order (the first one is the default layer).
#[derive(Debug)]
pub(crate) struct Objects<P, R = Nested>(pub(crate) Vec<(String, GeometryObject<P, R>)>);

impl<P, R> Objects<P, R> {
    /// No object: a missing `objects` member, reported after the type check.
    fn empty() -> Self {
        Objects(Vec::new())
    }
}

impl<'de, P: Deserialize<'de>, R: Deserialize<'de>> Deserialize<'de> for Objects<P, R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Ordered<P, R>(PhantomData<(P, R)>);
        impl<'de, P: Deserialize<'de>, R: Deserialize<'de>> Visitor<'de> for Ordered<P, R> {
            type Value = Objects<P, R>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of named geometry objects")
            }
            fn visit_map<M: MapAccess<'de>>(
                self,
                mut map: M,
            ) -> std::result::Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Objects(out))
            }
        }
        d.deserialize_map(Ordered(PhantomData))
    }
}

/// One TopoJSON geometry object (a feature, or a collection of them).
#[derive(Debug, Deserialize)]
pub(crate) struct GeometryObject<P, R = Nested> {
    #[serde(rename = "type")]
    kind: Option<String>,
    arcs: Option<R>,
    #[serde(default = "Option::default")]
    pub(crate) properties: Option<P>,
    #[serde(default = "Vec::new")]
    geometries: Vec<GeometryObject<P, R>>,
    #[serde(default)]
    pub(crate) id: Option<serde_json::Value>,
}

impl<P, R> GeometryObject<P, R> {
    /// The features of a top-level object: the members of a collection, or the object itself.
    pub(crate) fn features(&self) -> Vec<&GeometryObject<P, R>> {
        match self.kind.as_deref() {
            Some("GeometryCollection") => self.geometries.iter().collect(),
            _ => vec![self],
        }
    }

    /// The features, owned (their properties move into territories without a copy).
    pub(crate) fn into_features(self) -> Vec<GeometryObject<P, R>> {
        match self.kind.as_deref() {
            Some("GeometryCollection") => self.geometries,
            _ => vec![self],
        }
    }
}

impl<P> GeometryObject<P> {
    /// Pushes the index of every arc this object (and its members) references.
    pub(crate) fn arc_indexes(&self, out: &mut Vec<usize>) {
        fn walk(n: &Nested, out: &mut Vec<usize>) {
            match n {
                Nested::List(items) => items.iter().for_each(|i| walk(i, out)),
                Nested::Index(r) => {
                    if let Ok(r) = i32::try_from(*r) {
                        out.push(topology::arc_ref(r).0);
                    }
                }
            }
        }
        if let Some(refs) = &self.arcs {
            walk(refs, out);
        }
        self.geometries.iter().for_each(|g| g.arc_indexes(out));
    }

    /// The geometry of this feature from decoded arcs; an error message when it is not made of
    /// polygons or references a missing arc.
    pub(crate) fn multipolygon<T>(
        &self,
        arcs: &[Vec<T>],
    ) -> std::result::Result<MultiPolygon<f64>, String>
    where
        T: Copy + PartialEq + Into<Coord<f64>>,
    {
        let mut polygons = Vec::new();
        self.push_polygons(arcs, &mut polygons)?;
        Ok(MultiPolygon(polygons))
    }

    fn push_polygons<T>(
        &self,
        arcs: &[Vec<T>],
        out: &mut Vec<Polygon<f64>>,
    ) -> std::result::Result<(), String>
    where
        T: Copy + PartialEq + Into<Coord<f64>>,
    {
        let kind = self.kind.as_deref();
        let depth = match kind {
            None => return Ok(()),
            Some("Polygon") => 2,
            Some("MultiPolygon") => 3,
            Some("GeometryCollection") => {
                return self
                    .geometries
                    .iter()
                    .try_for_each(|g| g.push_polygons(arcs, out));
            }
            Some(other) => return Err(format!("geometry type {other}: phare maps polygons only")),
        };
        let Some(refs) = &self.arcs else {
            return Err(format!("{} without 'arcs'", kind.unwrap_or("")));
        };
        let polygons: Vec<&Nested> = if depth == 2 {
            vec![refs]
        } else {
            refs.list()?.iter().collect()
        };
        for polygon in polygons {
            let mut rings = polygon.list()?.iter().map(|ring| {
                let refs = ring
                    .list()?
                    .iter()
                    .map(Nested::index)
                    .collect::<std::result::Result<Vec<i32>, _>>()?;
                let points = topology::stitch_ring(arcs, &refs).ok_or_else(|| {
                    let bad = refs
                        .iter()
                        .map(|&r| topology::arc_ref(r).0)
                        .find(|&i| i >= arcs.len())
                        .unwrap_or(0);
                    format!("arc {bad} out of range (the file has {} arcs)", arcs.len())
                })?;
                Ok(LineString(points.into_iter().map(Into::into).collect()))
            });
            if let Some(exterior) = rings.next() {
                out.push(Polygon::new(
                    exterior?,
                    rings.collect::<std::result::Result<_, String>>()?,
                ));
            }
        }
        Ok(())
    }
}

/// Arc references of any depth (a Polygon's are two deep, a MultiPolygon's three), read
/// without buffering the JSON.
#[derive(Debug)]
pub(crate) enum Nested {
    Index(i64),
    List(Vec<Nested>),
}

impl Nested {
    fn list(&self) -> std::result::Result<&[Nested], String> {
        match self {
            Nested::List(l) => Ok(l),
            Nested::Index(_) => Err("arcs nested too shallow for the geometry type".into()),
        }
    }
    fn index(&self) -> std::result::Result<i32, String> {
        match self {
            Nested::Index(i) => i32::try_from(*i).map_err(|_| format!("arc {i} out of range")),
            Nested::List(_) => Err("arcs nested too deep for the geometry type".into()),
        }
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Nested;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("arc indexes in nested arrays")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Nested, E> {
                Ok(Nested::Index(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Nested, E> {
                i64::try_from(v)
                    .map(Nested::Index)
                    .map_err(|_| E::custom("arc index too large"))
            }
            fn visit_seq<S: SeqAccess<'de>>(
                self,
                mut seq: S,
            ) -> std::result::Result<Nested, S::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
                while let Some(n) = seq.next_element()? {
                    out.push(n);
                }
                Ok(Nested::List(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Territory;
    use crate::boundaries::FieldNames;
    use crate::topology::Topology;
    use crate::topology::topojson::{Object, write};
    use geo::Area;

    fn write_file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }

    fn opts(level: Option<Level>) -> LoadOptions {
        LoadOptions {
            level,
            ..Default::default()
        }
    }

    /// Two unit squares side by side sharing arc 1, quantised (scale 0.5, translate 2,40).
    const TWO: &str = r#"{"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[2,40]},
"objects":{"regions":{"type":"GeometryCollection","geometries":[]},
"communes":{"type":"GeometryCollection","geometries":[
 {"type":"Polygon","arcs":[[0,1]],"properties":{"code":"1001","nom":"Ouest","population":12}},
 {"type":"MultiPolygon","arcs":[[[2,-2]]],"id":"01002","properties":{"nom":"Est"}}]}},
"arcs":[[[2,0],[-2,0],[0,2],[2,0]],[[2,2],[0,-2]],[[2,2],[2,0],[0,-2],[-2,0]]]}"#;

    #[test]
    fn reads_quantised_arcs_properties_and_ids() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_file(&dir, "two.topojson", TWO);
        let layer = read(&path, &opts(Some(Level::Commune))).expect("reads");
        assert_eq!(layer.len(), 2);
        let west = layer.get("01001").expect("code padded to 5 characters");
        assert_eq!(
            (
                west.name.as_str(),
                west.population,
                west.departement.as_deref()
            ),
            ("Ouest", Some(12), Some("01"))
        );
        assert_eq!(west.geometry.unsigned_area(), 1.0);
        assert_eq!(
            west.geometry.0[0].exterior().0[0],
            Coord { x: 3.0, y: 40.0 }
        );
        let east = layer.get("01002").expect("code from the geometry id");
        assert_eq!(east.geometry.unsigned_area(), 1.0);
        // The shared arc gives both squares the same border vertices.
        let xs = |t: &Territory| {
            t.geometry.0[0]
                .exterior()
                .0
                .iter()
                .filter(|c| c.x == 3.0)
                .count()
        };
        assert_eq!((xs(west), xs(east)), (3, 3));
    }

    #[test]
    fn picks_the_object_by_level_else_the_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_file(&dir, "two.topojson", TWO);
        assert_eq!(
            read(&path, &opts(Some(Level::Region)))
                .expect("reads")
                .len(),
            0
        );
        assert_eq!(
            read(&path, &opts(Some(Level::Commune)))
                .expect("reads")
                .len(),
            2
        );
        assert_eq!(
            read(&path, &opts(None)).expect("reads").len(),
            0,
            "first object: regions"
        );
        let explicit = LoadOptions {
            level: Some(Level::Commune),
            fields: FieldNames {
                name: Some("NOM".into()),
                ..Default::default()
            },
            dbf_encoding: None,
        };
        assert_eq!(
            read(&path, &explicit)
                .expect("reads")
                .get("01002")
                .map(|t| t.name.as_str()),
            Some("Est")
        );
    }

    #[test]
    fn reads_unquantised_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = r#"{"type":"Topology","objects":{"d":{"type":"Polygon","arcs":[[0]],"properties":{"code":"2A","nom":"Corse-du-Sud"}}},
            "arcs":[[[8.5,41.5,0],[9.5,41.5,0],[9.5,42.5,0],[8.5,41.5,0]]]}"#;
        let layer = read(
            &write_file(&dir, "d.topojson", text),
            &opts(Some(Level::Departement)),
        )
        .expect("reads");
        assert_eq!(
            layer.get("2A").map(|t| t.geometry.unsigned_area()),
            Some(0.5)
        );
    }

    #[test]
    fn round_trips_the_writer() {
        let grid: Vec<MultiPolygon<f64>> = (0..4)
            .map(|k| {
                MultiPolygon(vec![crate::topology::tests::square(
                    (k % 2) as f64,
                    (k / 2) as f64,
                )])
            })
            .collect();
        let (topo, shapes) = Topology::build(&grid);
        let territories: Vec<Territory> = (0..4)
            .map(|k| Territory {
                code: format!("0100{}", k + 1),
                name: format!("Case \"{k}\" é"),
                level: Level::Commune,
                departement: Some("01".into()),
                region: Some("84".into()),
                epci: None,
                population: Some(k as u64),
                geometry: MultiPolygon(vec![]),
            })
            .collect();
        let mut bytes = Vec::new();
        write(
            &mut bytes,
            &topo,
            &[Object {
                name: "communes",
                territories: &territories,
                shapes: &shapes,
                properties: true,
            }],
        )
        .expect("writes");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("grid.topojson");
        std::fs::write(&path, &bytes).expect("write");
        let layer = read(&path, &opts(None)).expect("reads back");
        assert_eq!(layer.len(), 4);
        for (k, (t, g)) in layer.territories.iter().zip(&grid).enumerate() {
            assert_eq!(t.name, format!("Case \"{k}\" é"));
            assert_eq!(
                (t.epci.as_deref(), t.population, t.region.as_deref()),
                (None, Some(k as u64), Some("84"))
            );
            assert!((t.geometry.signed_area() - g.signed_area()).abs() < 1e-9);
        }
    }

    fn error(text: &str) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_file(&dir, "bad.topojson", text);
        read(&path, &opts(Some(Level::Commune)))
            .expect_err("must fail")
            .to_string()
    }

    #[test]
    fn errors_say_where_and_what() {
        let e = error("{\"type\":\"Topology\",\n\"objects\":{,}}");
        assert!(e.contains("line 2, column 12"), "{e}");
        let e = error(r#"{"type":"Topology","objects":{"c":{"type":"Polygon","arcs":[[0]]}}}"#);
        assert!(e.contains("no 'arcs'"), "{e}");
        let e = error(r#"{"type":"FeatureCollection","features":[]}"#);
        assert!(e.contains("expected 'Topology'"), "{e}");
        let bad_ref = TWO.replace("[[2,-2]]", "[[2,-9]]");
        let e = error(&bad_ref);
        assert!(
            e.contains("arc 8 out of range (the file has 3 arcs)")
                && e.contains("geometry 1 (id \"01002\")"),
            "{e}"
        );
        let e = error(&TWO.replace("\"Polygon\"", "\"LineString\""));
        assert!(
            e.contains("LineString") && e.contains("object 'communes', geometry 0"),
            "{e}"
        );
        let e = error(&TWO.replace("\"nom\":\"Est\"", "\"code\":\"01001\""));
        assert!(e.contains("code 01001 appears twice"), "{e}");
    }
}
