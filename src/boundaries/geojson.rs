//! GeoJSON reader: a FeatureCollection (or a single Feature) of Polygon/MultiPolygon features.
//!
//! Speed matters (34,875 communes, 29 MB): the collection is scanned once with serde into
//! features whose properties and geometry stay raw JSON slices of the file, then those slices
//! are parsed in parallel straight into `geo_types` (no intermediate `geojson::Geometry`,
//! which costs ~5x the time and 3x the memory). A lone Feature goes through the `geojson`
//! crate, where speed does not matter.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use serde_json::value::RawValue;

use super::LoadOptions;
use super::fields::Value;
use super::prj::{Crs, first_outside_degrees};
use crate::{Error, Layer, Result, Setting, Territory};

/// Reads a GeoJSON boundary file into a layer in WGS84 lon/lat.
pub fn read(path: &Path, opts: &LoadOptions) -> Result<Layer> {
    let bytes = crate::input::read(path, "GeoJSON file")?;
    let text = decode(path, &bytes)?;
    let territories = parse(path, text, opts)?;
    check_unique(path, &territories)?;
    Ok(Layer::new(territories, path.display().to_string()))
}

/// The file as UTF-8 text, without a byte-order mark.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(path, "empty file").hint("expected a GeoJSON FeatureCollection"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position(bytes, e.valid_up_to());
        Error::input(path, "not UTF-8 text")
            .at(format!("line {line}, column {column}"))
            .hint("GeoJSON is UTF-8 (RFC 7946): re-save the file as UTF-8")
    })
}

/// The top level of a GeoJSON document, with features left raw.
#[derive(Deserialize)]
struct Document<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    features: Option<Vec<RawFeature<'a>>>,
    crs: Option<Json>,
}

/// One feature, its members still unparsed slices of the file.
#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    properties: Option<&'a RawValue>,
    #[serde(borrow)]
    geometry: Option<&'a RawValue>,
    /// The feature's own identifier, used as a property `id` when there is none.
    #[serde(borrow)]
    id: Option<&'a RawValue>,
}

/// What a feature's geometry turned out to be.
enum Shape {
    Polygons(MultiPolygon<f64>),
    /// `null`, or a polygon with no ring.
    Missing,
    /// Another type (Point, LineString, GeometryCollection...).
    Other(String),
    /// A ring whose last position is not its first (RFC 7946 §3.1.6), numbered from 1.
    Unclosed {
        polygon: usize,
        ring: usize,
        first: Coord<f64>,
        last: Coord<f64>,
    },
}

fn parse(path: &Path, text: &str, opts: &LoadOptions) -> Result<Vec<Territory>> {
    // serde would also read a struct from an array; say plainly that GeoJSON is an object.
    let (line, column) = position(text.as_bytes(), text.len() - text.trim_start().len());
    let top = format!("line {line}, column {column}");
    if let Some(first) = text.trim_start().chars().next().filter(|&c| c != '{') {
        return Err(Error::input(
            path,
            format!("not GeoJSON: the file starts with '{first}', not '{{'"),
        )
        .at(top)
        .hint("expected {\"type\": \"FeatureCollection\", \"features\": [...]}"));
    }
    let doc: Document = serde_json::from_str(text).map_err(|e| json_error(path, &e, 0, text))?;
    let kind = doc.kind.as_deref().unwrap_or("");
    let crs = file_crs(path, doc.crs.as_ref())?;
    let mut territories = match (kind, doc.features) {
        ("FeatureCollection", Some(features)) => features
            .par_iter()
            .enumerate()
            .map(|(i, f)| raw_feature(path, text, opts, crs.is_wgs84(), i, f))
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<Result<Vec<_>>>()?,
        ("FeatureCollection", None) => {
            return Err(
                Error::input(path, "FeatureCollection without a \"features\" array")
                    .at(top)
                    .hint("a GeoJSON FeatureCollection lists its features in \"features\": [...]"),
            );
        }
        ("Feature", _) => vec![single_feature(path, text, opts, crs.is_wgs84())?],
        ("Polygon" | "MultiPolygon", _) => {
            return Err(Error::input(
                path,
                format!("a bare {kind} geometry has no properties, hence no code"),
            )
            .at(top)
            .hint("wrap it in a Feature whose properties hold a \"code\" (and \"nom\")"));
        }
        _ => {
            let what = if kind.is_empty() {
                "no \"type\" member".to_string()
            } else {
                format!("type \"{kind}\"")
            };
            return Err(
                Error::input(path, format!("not a GeoJSON FeatureCollection ({what})"))
                    .at(top)
                    .hint("expected {\"type\": \"FeatureCollection\", \"features\": [...]}"),
            );
        }
    };
    if !crs.is_wgs84() {
        territories.par_iter_mut().try_for_each(|t| {
            crs.to_wgs84(&mut t.geometry).map_err(|e| {
                Error::input(
                    path,
                    format!("cannot convert from {} to WGS84: {e}", crs.describe()),
                )
                .at(format!("code {}", t.code))
            })
        })?;
    }
    territories
        .par_iter_mut()
        .for_each(|t| orient(&mut t.geometry));
    Ok(territories)
}

/// The system named by an old-style (2008) `crs` member; none means WGS84 (RFC 7946).
fn file_crs(path: &Path, crs: Option<&Json>) -> Result<Crs> {
    let Some(crs) = crs.filter(|c| !c.is_null()) else {
        return Ok(Crs::Wgs84);
    };
    let name = crs.pointer("/properties/name").and_then(Json::as_str).ok_or_else(|| {
        Error::input(path, format!("unsupported \"crs\" member {crs}"))
            .hint("phare reads named CRS like \"urn:ogc:def:crs:EPSG::2154\"; better, reproject to WGS84 and drop \"crs\"")
    })?;
    Crs::from_name(name).ok_or_else(|| {
        Error::input(path, format!("unknown coordinate system \"{name}\" in the \"crs\" member"))
            .hint("reproject the file to WGS84 (EPSG:4326), e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson")
    })
}

/// Builds the territory of feature `i` of a collection.
fn raw_feature(
    path: &Path,
    text: &str,
    opts: &LoadOptions,
    degrees: bool,
    i: usize,
    f: &RawFeature,
) -> Result<Territory> {
    let place = Place {
        index: i,
        text,
        offset: f
            .geometry
            .or(f.properties)
            .map(|r| offset_in(text, r.get())),
    };
    let at = |code: Option<&str>| place.at(code);
    if f.kind.as_deref() != Some("Feature") {
        return Err(Error::input(path, "not a GeoJSON Feature (its \"type\" is not \"Feature\")")
            .at(at(None))
            .hint("every element of \"features\" must be {\"type\": \"Feature\", \"properties\": ..., \"geometry\": ...}"));
    }
    let mut props: Properties = match f.properties {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|_| {
            Error::input(path, "\"properties\" is not an object")
                .at(at(None))
                .hint("properties must be a JSON object or null")
        })?,
        None => Properties(Vec::new()),
    };
    let shape = match f.geometry {
        None => Shape::Missing,
        Some(raw) => match super::polygon_text::polygons(raw.get()) {
            Some(polygons) => shape(
                polygons
                    .into_iter()
                    .map(|p| p.into_iter().map(Ring).collect())
                    .collect(),
            ),
            None => serde_json::from_str::<Shape>(raw.get())
                .map_err(|e| json_error(path, &e, offset_in(text, raw.get()), text))?,
        },
    };
    if let Some(id) =
        f.id.filter(|_| !props.0.iter().any(|(k, _)| k.eq_ignore_ascii_case("id")))
    {
        props.0.push((Cow::Borrowed("id"), id));
    }
    let get = |k: &str| {
        let raw = props
            .0
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, raw)| raw.get());
        raw.and_then(|r| serde_json::from_str(r).ok())
            .map_or(Value::Null, |v| value(&v))
    };
    NAMES.with_borrow_mut(|names| {
        // Features of a file share their property names: keep the last list, allocate on change.
        if !names
            .iter()
            .map(String::as_str)
            .eq(props.0.iter().map(|(k, _)| k.as_ref()))
        {
            *names = props.0.iter().map(|(k, _)| k.to_string()).collect();
        }
        territory(path, opts, degrees, &place, names, get, shape)
    })
}

thread_local! {
    /// Property names of the last feature parsed on this thread.
    static NAMES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The shape of polygons given as rings (exterior first): polygons without rings are
/// dropped, and an open ring is reported rather than silently closed.
fn shape(polygons: Vec<Vec<Ring>>) -> Shape {
    for (p, rings) in polygons.iter().enumerate() {
        for (r, ring) in rings.iter().enumerate() {
            if let (Some(&first), Some(&last)) = (ring.0.first(), ring.0.last())
                && first != last
            {
                return Shape::Unclosed {
                    polygon: p + 1,
                    ring: r + 1,
                    first,
                    last,
                };
            }
        }
    }
    let parts: Vec<Polygon<f64>> = polygons
        .into_iter()
        .filter_map(|rings| {
            let mut rings = rings.into_iter().map(|r| LineString(r.0));
            let exterior = rings.next()?;
            Some(Polygon::new(exterior, rings.collect()))
        })
        .collect();
    if parts.is_empty() {
        Shape::Missing
    } else {
        Shape::Polygons(MultiPolygon(parts))
    }
}

/// A document that is a single Feature, read with the `geojson` crate.
fn single_feature(path: &Path, text: &str, opts: &LoadOptions, degrees: bool) -> Result<Territory> {
    let feature: geojson::Feature = text.parse().map_err(|e: geojson::Error| {
        Error::input(path, format!("invalid GeoJSON Feature: {e}"))
            .hint("fix the feature or export a FeatureCollection")
    })?;
    // Through the collection's geometry reader, so both paths judge rings alike.
    let shape = match &feature.geometry {
        None => Shape::Missing,
        Some(g) => serde_json::to_string(g)
            .and_then(|json| serde_json::from_str::<Shape>(&json))
            .map_err(|e| {
                Error::input(path, format!("invalid GeoJSON geometry: {e}"))
                    .hint("fix the feature or export a FeatureCollection")
            })?,
    };
    let place = Place {
        index: 0,
        text,
        offset: None,
    };
    let mut props = feature.properties.unwrap_or_default();
    if let Some(id) = feature
        .id
        .filter(|_| !props.keys().any(|k| k.eq_ignore_ascii_case("id")))
    {
        let id = match id {
            geojson::feature::Id::String(s) => Json::String(s),
            geojson::feature::Id::Number(n) => Json::Number(n),
        };
        props.insert("id".to_string(), id);
    }
    let names: Vec<String> = props.keys().cloned().collect();
    let get = |k: &str| props.get(k).map_or(Value::Null, value);
    territory(path, opts, degrees, &place, &names, get, shape)
}

/// The territory of a feature from its properties and geometry; `degrees` checks that the
/// coordinates are lon/lat (the file claims WGS84).
fn territory(
    path: &Path,
    opts: &LoadOptions,
    degrees: bool,
    place: &Place,
    names: &[String],
    get: impl Fn(&str) -> Value,
    shape: Shape,
) -> Result<Territory> {
    let mut t = opts
        .fields
        .territory(names, get, opts.level, MultiPolygon(vec![]))
        .map_err(|e| e.in_file(path).at(place.at(None)))?;
    let problem = match shape {
        Shape::Polygons(m) => {
            if let Some(c) = first_outside_degrees(&m).filter(|_| degrees) {
                return Err(outside_degrees(path, c).at(place.at(Some(&t.code))));
            }
            t.geometry = m;
            return Ok(t);
        }
        Shape::Missing => "has no geometry (null or empty)".to_string(),
        Shape::Other(kind) => format!("has a {kind} geometry, not a Polygon or MultiPolygon"),
        Shape::Unclosed {
            polygon,
            ring,
            first,
            last,
        } => {
            return Err(Error::input(
                path,
                format!(
                    "ring {ring} of polygon {polygon} is not closed: it starts at ({}, {}) but ends at ({}, {})",
                    first.x, first.y, last.x, last.y
                ),
            )
            .at(place.at(Some(&t.code)))
            .hint("GeoJSON rings end on their first position (RFC 7946): export the file again, or repair it (e.g. mapshaper -clean)"));
        }
    };
    Err(Error::input(path, format!("feature {problem}"))
        .at(place.at(Some(&t.code)))
        .hint("boundary files need an area for every territory: fix or remove this feature"))
}

/// Where a feature sits, for messages: its index and where it starts in the file (its line is
/// only counted when an error needs it).
struct Place<'a> {
    index: usize,
    text: &'a str,
    offset: Option<usize>,
}

impl Place<'_> {
    fn at(&self, code: Option<&str>) -> String {
        location(
            self.index,
            code,
            self.offset.map(|o| position(self.text.as_bytes(), o).0),
        )
    }
}

/// "feature 12 (code 01001, line 14)", numbering features from 1 as people count them.
pub(super) fn location(i: usize, code: Option<&str>, line: Option<usize>) -> String {
    let mut details: Vec<String> = Vec::new();
    if let Some(c) = code {
        details.push(format!("code {c}"));
    }
    if let Some(l) = line {
        details.push(format!("line {l}"));
    }
    match details.is_empty() {
        true => format!("feature {}", i + 1),
        false => format!("feature {} ({})", i + 1, details.join(", ")),
    }
}

/// A property value as the field mapper sees it; codes stored as numbers keep their digits.
fn value(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::String(s) => Value::Text(s.clone()),
        Json::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        other => Value::Text(other.to_string()),
    }
}

/// The error for projected coordinates in a file read as degrees (shared with shapefiles).
pub(super) fn outside_degrees(path: &Path, c: Coord<f64>) -> Error {
    Error::input(path, format!("coordinates ({}, {}) are not longitude/latitude degrees (outside ±180/±90)", c.x, c.y))
        .hint("looks like projected coordinates, e.g. Lambert-93; reproject to WGS84 or give a .prj with a shapefile")
}

/// Orients rings as RFC 7946 says (exteriors counter-clockwise, holes clockwise), in place,
/// so renderers can fill with the non-zero rule whatever the source wrote.
pub(super) fn orient(geom: &mut MultiPolygon<f64>) {
    for p in &mut geom.0 {
        p.exterior_mut(|e| {
            if twice_signed_area(&e.0) < 0.0 {
                e.0.reverse();
            }
        });
        p.interiors_mut(|holes| {
            for h in holes.iter_mut().filter(|h| twice_signed_area(&h.0) > 0.0) {
                h.0.reverse();
            }
        });
    }
}

/// Shoelace sum, positive for counter-clockwise rings (cheaper than `geo::Winding`).
fn twice_signed_area(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2)
        .map(|w| {
            (w[0].x - ring[0].x) * (w[1].y - ring[0].y)
                - (w[1].x - ring[0].x) * (w[0].y - ring[0].y)
        })
        .sum()
}

/// Rejects two features with the same code, naming both.
pub(super) fn check_unique(path: &Path, territories: &[Territory]) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(territories.len());
    for (i, t) in territories.iter().enumerate() {
        if let Some(first) = seen.insert(&t.code, i) {
            return Err(Error::input(
                path,
                format!(
                    "code {} appears twice, in features {} and {}",
                    t.code,
                    first + 1,
                    i + 1
                ),
            )
            .at(location(i, Some(&t.code), None))
            .hint("codes must be unique: remove the duplicate, or pick another property for the codes")
            .about(Setting::IdField));
        }
    }
    Ok(())
}

/// A serde_json error as a located input error; `offset` is where the parsed slice starts.
fn json_error(path: &Path, e: &serde_json::Error, offset: usize, text: &str) -> Error {
    let (line0, col0) = position(text.as_bytes(), offset);
    let line = line0 + e.line().saturating_sub(1);
    let column = if e.line() <= 1 {
        col0 + e.column().saturating_sub(1)
    } else {
        e.column()
    };
    let at = format!("line {line}, column {column}");
    // serde_json appends " at line L column C" relative to the slice: drop it, we give ours.
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m)
        .to_string();
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => Error::input(path, format!("truncated JSON: {msg}"))
            .at(at)
            .hint("the file ends too early: was the download or export interrupted?"),
        Category::Syntax => Error::input(path, format!("invalid JSON: {msg}")).at(at).hint("fix the JSON syntax at that place"),
        Category::Data | Category::Io => Error::input(path, format!("not valid GeoJSON: {msg}"))
            .at(at)
            .hint("expected a FeatureCollection of Polygon/MultiPolygon features with [lon, lat] positions"),
    }
}

/// Byte offset of `sub` inside `text` (`sub` must be a slice of `text`).
fn offset_in(text: &str, sub: &str) -> usize {
    (sub.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len())
}

/// 1-based line and column (in characters) of a byte offset.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, column)
}

/// A ring's positions, deserialized without an intermediate `Vec<Vec<f64>>`.
struct Ring(Vec<Coord<f64>>);

impl<'de> Deserialize<'de> for Ring {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Ring, D::Error> {
        struct RingVisitor;
        impl<'de> Visitor<'de> for RingVisitor {
            type Value = Ring;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a ring: an array of [lon, lat] positions")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Ring, A::Error> {
                let mut coords = Vec::with_capacity(seq.size_hint().unwrap_or(16));
                while let Some(Position(c)) = seq.next_element()? {
                    coords.push(c);
                }
                Ok(Ring(coords))
            }
        }
        d.deserialize_seq(RingVisitor)
    }
}

/// One `[x, y]` or `[x, y, z, ...]` position; extra ordinates are skipped (GeoJSON and
/// TopoJSON arcs alike).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Position(pub(crate) Coord<f64>);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Position, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [lon, lat]")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Position, A::Error> {
                let x = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Position(Coord { x, y }))
            }
        }
        d.deserialize_seq(PositionVisitor)
    }
}

/// A feature's properties: names (borrowed unless escaped) and unparsed values, so only the
/// few properties a territory needs get parsed.
struct Properties<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Properties<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct PropertiesVisitor;
        impl<'de> Visitor<'de> for PropertiesVisitor {
            type Value = Properties<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of properties")
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
                Ok(Properties(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut props = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(Name(k)) = map.next_key()? {
                    props.push((k, map.next_value()?));
                }
                Ok(Properties(props))
            }
        }
        d.deserialize_any(PropertiesVisitor)
    }
}

/// An object key, borrowed from the file unless it holds escapes.
struct Name<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                v: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Name(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(NameVisitor)
    }
}

/// A geometry object parsed in one pass when `type` comes before `coordinates` (as every
/// writer puts it), else with the coordinates kept raw and parsed once the type is known.
impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ShapeVisitor;
        impl<'de> Visitor<'de> for ShapeVisitor {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a GeoJSON geometry object or null")
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Shape, E> {
                Ok(Shape::Missing)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Shape, A::Error> {
                let mut kind: Option<Name<'de>> = None;
                let mut polygons: Option<Vec<Vec<Ring>>> = None;
                let mut deferred: Option<&'de RawValue> = None;
                while let Some(Name(key)) = map.next_key()? {
                    match (key.as_ref(), kind.as_ref().map(|k| k.0.as_ref())) {
                        ("type", _) => kind = Some(map.next_value()?),
                        ("coordinates", Some("Polygon")) => {
                            polygons = Some(vec![map.next_value()?]);
                        }
                        ("coordinates", Some("MultiPolygon")) => {
                            polygons = Some(map.next_value()?);
                        }
                        ("coordinates", _) => deferred = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| de::Error::missing_field("type"))?.0;
                let polygons = match (polygons, deferred, kind.as_ref()) {
                    (Some(polygons), _, _) => polygons,
                    (None, Some(raw), "Polygon") => {
                        vec![serde_json::from_str(raw.get()).map_err(de::Error::custom)?]
                    }
                    (None, Some(raw), "MultiPolygon") => {
                        serde_json::from_str(raw.get()).map_err(de::Error::custom)?
                    }
                    (None, _, "Polygon" | "MultiPolygon") => Vec::new(),
                    (None, _, other) => return Ok(Shape::Other(other.to_string())),
                };
                Ok(shape(polygons))
            }
        }
        d.deserialize_any(ShapeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text fast path reads every geometry of the full commune file exactly as serde does
    /// (one feature in five, to stay quick in debug builds).
    #[test]
    fn fast_path_reads_geometries_as_serde_does() {
        let Some(g) = crate::shared_geodata() else {
            return;
        };
        let text = std::fs::read_to_string(g.join("communes.geojson")).expect("readable");
        let doc: Document = serde_json::from_str(&text).expect("GeoJSON");
        let features = doc.features.expect("features");
        assert_eq!(features.len(), 34_875);
        let mut compared = 0;
        for f in features.iter().step_by(5) {
            let raw = f.geometry.expect("geometry").get();
            let fast = super::super::polygon_text::polygons(raw).expect("the usual shape");
            let fast = shape(
                fast.into_iter()
                    .map(|p| p.into_iter().map(Ring).collect())
                    .collect(),
            );
            let (Shape::Polygons(fast), Ok(Shape::Polygons(serde))) =
                (fast, serde_json::from_str::<Shape>(raw))
            else {
                panic!("not polygons: {raw:.80}");
            };
            assert_eq!(fast, serde);
            compared += 1;
        }
        assert_eq!(compared, 6975);
    }
}
