//! Shapefile reader: `.shp` + `.shx` + `.dbf`, with the `.cpg` (text encoding) and `.prj`
//! (coordinate system) beside them.
//!
//! The DBF is decoded with an explicitly resolved encoding ([`super::encoding`]) so accents
//! survive, and coordinates are converted to WGS84 from whatever the `.prj` says
//! ([`super::prj`]). Files are read whole into memory, shapes converted in parallel.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape, ShapeReader, ShapeType};

use super::LoadOptions;
use super::encoding::{self, DbfEncoding};
use super::fields::Value;
use super::geojson::{check_unique, location, orient, outside_degrees};
use super::prj::{self, Crs, first_outside_degrees};
use crate::{Error, Layer, Result, Setting, Territory};

/// Reads a shapefile (the path of its `.shp`) into a layer in WGS84 lon/lat.
pub fn read(path: &Path, opts: &LoadOptions) -> Result<Layer> {
    let shp = crate::input::read(path, "shapefile")?;
    let shx_path = companion_required(path, "shx")?;
    let shx = crate::input::read(&shx_path, "shapefile index")?;
    let dbf_path = companion_required(path, "dbf")?;
    let dbf = crate::input::read(&dbf_path, "DBF file")?;

    let shapes = read_shapes(path, shp, shx)?;
    let (fields, records) = read_records(&dbf_path, dbf, opts)?;
    if shapes.len() != records.len() {
        return Err(Error::input(
            path,
            format!(
                "{} shapes but {} records in {}",
                shapes.len(),
                records.len(),
                file_name(&dbf_path)
            ),
        )
        .hint(
            "the .dbf has deleted records or belongs to another .shp: export the shapefile again",
        ));
    }
    let crs = read_crs(path)?;

    let mut territories = shapes
        .into_par_iter()
        .zip(records)
        .enumerate()
        .map(|(i, (shape, record))| territory(path, opts, &crs, &fields, i, shape, record))
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    if crs.is_wgs84() {
        let bad = territories
            .par_iter()
            .enumerate()
            .find_first(|(_, t)| first_outside_degrees(&t.geometry).is_some());
        if let Some((i, t)) = bad {
            let c = first_outside_degrees(&t.geometry).unwrap_or_default();
            let why = match companion(path, "prj") {
                Some(_) => "the .prj says WGS84 but",
                None => "there is no .prj, so WGS84 was assumed, but",
            };
            let mut e = outside_degrees(path, c).at(location(i, Some(&t.code), None));
            e.message = format!("{why} {}", e.message);
            return Err(e);
        }
    }
    territories
        .par_iter_mut()
        .for_each(|t| orient(&mut t.geometry));
    check_unique(path, &territories)?;
    Ok(Layer::new(territories, path.display().to_string()))
}

/// A file next to the `.shp` with another extension, in either case (`.dbf`/`.DBF`).
fn companion(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_string(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

/// A mandatory companion file, or an error saying which is missing.
fn companion_required(path: &Path, ext: &str) -> Result<PathBuf> {
    if !path.is_file() {
        // Report the .shp itself first.
        std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    }
    companion(path, ext).ok_or_else(|| {
        Error::input(path, format!("missing {} next to it", file_name(&path.with_extension(ext))))
            .hint("a shapefile is several files (.shp, .shx, .dbf, plus .prj and .cpg): copy them all, with the same name")
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// All shapes of the `.shp`, checking they are polygons.
fn read_shapes(path: &Path, shp: Vec<u8>, shx: Vec<u8>) -> Result<Vec<Shape>> {
    let bad = |e: shapefile::Error| {
        Error::input(path, format!("not a valid shapefile: {e}"))
            .hint("the .shp or .shx is damaged: export it again")
    };
    check_records(path, &shp, &shx)?;
    let mut reader = ShapeReader::with_shx(Cursor::new(shp), Cursor::new(shx)).map_err(bad)?;
    let kind = reader.header().shape_type;
    if !matches!(
        kind,
        ShapeType::Polygon | ShapeType::PolygonM | ShapeType::PolygonZ | ShapeType::NullShape
    ) {
        return Err(
            Error::input(path, format!("holds {kind} shapes, not polygons")).hint(
                "boundaries must be polygons (communes, départements...): give a polygon layer",
            ),
        );
    }
    let shapes = reader
        .iter_shapes()
        .enumerate()
        .map(|(i, shape)| shape.map_err(|e| bad(e).at(location(i, None, None))));
    shapes.collect()
}

/// Refuses records whose part or point counts do not fit in their size, before the shapefile
/// crate reserves memory for them (found by fuzzing: one record claiming 2 billion points made
/// it ask for 32 GB). Records are found as the crate finds them, through the `.shx`.
fn check_records(path: &Path, shp: &[u8], shx: &[u8]) -> Result<()> {
    let int = |b: &[u8], at: usize, big: bool| -> Option<i64> {
        let bytes: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if big {
            i32::from_be_bytes(bytes)
        } else {
            i32::from_le_bytes(bytes)
        } as i64)
    };
    let file_len = int(shp, 24, true).unwrap_or(0) * 2;
    // Records as the .shx indexes them and as a sequential read meets them (the crate reads
    // the .shp in sequence): both must be sound before the crate sizes its buffers.
    let indexed = shx
        .get(100..)
        .unwrap_or_default()
        .chunks_exact(8)
        .map_while(|e| {
            int(e, 0, true)
                .map(|w| w * 2)
                .filter(|&o| o >= 0 && o < file_len)
        });
    let mut sequential = Vec::new();
    let mut at: i64 = 100;
    while at < file_len.min(shp.len() as i64) {
        sequential.push(at);
        let Some(words) = int(shp, at as usize + 4, true).filter(|w| *w >= 0) else {
            break;
        };
        at += 8 + 2 * words;
    }
    let offsets: Vec<(usize, i64)> = indexed
        .enumerate()
        .chain(sequential.into_iter().enumerate())
        .collect();
    for (i, offset) in offsets {
        let offset = offset as usize;
        // Cut records are the crate's to report (as a read error).
        let Some(words) = int(shp, offset + 4, true) else {
            break;
        };
        let damaged = |what: String| {
            Error::input(path, format!("shape record {what}"))
                .at(location(i, None, None))
                .hint("the .shp is damaged: export it again")
        };
        if words < 0 {
            return Err(damaged(format!(
                "declares a negative length ({words} words)"
            )));
        }
        let Some(body) = shp.get(offset + 8..) else {
            break;
        };
        let size = (words * 2).min(body.len() as i64);
        let (parts, points, need) = match int(body, 0, false) {
            // Polygon and polyline: box, parts, points, part starts, x/y pairs.
            Some(3 | 5 | 13 | 15 | 23 | 25) => {
                let parts = int(body, 36, false).unwrap_or(0);
                let points = int(body, 40, false).unwrap_or(0);
                (parts, points, 44 + 4 * parts + 16 * points)
            }
            // Multipoint: box, points, x/y pairs.
            Some(8 | 18 | 28) => {
                let points = int(body, 36, false).unwrap_or(0);
                (0, points, 40 + 16 * points)
            }
            _ => continue,
        };
        if parts < 0 || points < 0 || need > size {
            return Err(damaged(format!(
                "declares {parts} parts and {points} points but holds {size} bytes"
            )));
        }
        // Part starts ascend within the points (the crate sizes each part by their gaps).
        let mut previous = 0;
        for k in 0..parts as usize {
            let start = int(body, 44 + 4 * k, false).unwrap_or(-1);
            if start < previous || start > points || (k == 0 && start != 0) {
                return Err(damaged(format!(
                    "part {} starts at point {start}, outside its {points} points",
                    k + 1
                )));
            }
            previous = start;
        }
    }
    Ok(())
}

/// Field names and records of the `.dbf`, decoded in the resolved encoding.
fn read_records(
    dbf_path: &Path,
    mut dbf: Vec<u8>,
    opts: &LoadOptions,
) -> Result<(Vec<String>, Vec<Row>)> {
    let (enc, source) = dbf_encoding(dbf_path, &dbf, opts)?;
    let utf8 = enc == DbfEncoding::Whatwg(encoding_rs::UTF_8);
    if let Some((record, field)) = utf8.then(|| encoding::first_non_utf8(&dbf)).flatten() {
        return Err(Error::input(
            dbf_path,
            format!("text is not UTF-8, although {source} says so"),
        )
        .at(format!("record {record}, field {field}"))
        .hint("it is probably Windows-1252: fix the .cpg or give the encoding CP1252")
        .about(Setting::DbfEncoding));
    }
    let decoder = match enc {
        DbfEncoding::Whatwg(e) => e,
        DbfEncoding::Dos(page) => {
            encoding::dos_to_windows_1252(&mut dbf, page);
            encoding_rs::WINDOWS_1252
        }
    };
    let mut reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(decoder))
        .build(Cursor::new(dbf))
        .map_err(|e| dbf_error(dbf_path, enc, &e))?;
    let fields = reader
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let records = reader
        .read_as::<Row>()
        .map_err(|e| dbf_error(dbf_path, enc, &e))?;
    Ok((fields, records))
}

fn dbf_error(dbf_path: &Path, enc: DbfEncoding, e: &dbase::Error) -> Error {
    Error::input(
        dbf_path,
        format!(
            "cannot read the attribute table (decoded as {}): {e}",
            enc.name()
        ),
    )
    .hint(format!(
        "if the text encoding is wrong, give the right one ({})",
        encoding::ACCEPTED
    ))
    .about(Setting::DbfEncoding)
}

/// The DBF text encoding and where it comes from: the option, else the `.cpg`, else the
/// language byte, else a guess.
fn dbf_encoding(
    dbf_path: &Path,
    dbf: &[u8],
    opts: &LoadOptions,
) -> Result<(DbfEncoding, &'static str)> {
    if let Some(label) = &opts.dbf_encoding {
        let enc = encoding::from_label(label).ok_or_else(|| {
            Error::usage(format!("unknown DBF encoding '{label}'"))
                .hint(format!("accepted: {}", encoding::ACCEPTED))
        });
        return enc.map(|e| (e, "the encoding given"));
    }
    if let Some(cpg) = companion(dbf_path, "cpg") {
        let bytes = crate::input::read(&cpg, ".cpg file")?;
        let label = String::from_utf8_lossy(&bytes);
        let enc = encoding::from_label(&label).ok_or_else(|| {
            Error::input(&cpg, format!("unknown encoding name '{}'", label.trim()))
                .hint(format!(
                    "write one of {} in it, or give the encoding to override it",
                    encoding::ACCEPTED
                ))
                .about(Setting::DbfEncoding)
        });
        return enc.map(|e| (e, "the .cpg"));
    }
    let language_driver = dbf.get(29).copied().unwrap_or(0);
    let header_len = dbf
        .get(8..10)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    Ok(match encoding::from_language_driver(language_driver) {
        Some(e) => (e, "the DBF header"),
        None => (
            encoding::guess(dbf.get(header_len..).unwrap_or_default()),
            "the content",
        ),
    })
}

/// The system of the `.prj`, or WGS84 when there is none (checked against the coordinates).
fn read_crs(path: &Path) -> Result<Crs> {
    let Some(prj_path) = companion(path, "prj") else {
        return Ok(Crs::Wgs84);
    };
    let bytes = crate::input::read(&prj_path, ".prj file")?;
    prj::from_wkt(&String::from_utf8_lossy(&bytes)).map_err(|why| {
        Error::input(&prj_path, format!("cannot use this coordinate system: {why}"))
            .hint("reproject the shapefile to WGS84 (EPSG:4326) or Lambert-93 (EPSG:2154), e.g. with QGIS or ogr2ogr")
    })
}

/// The territory of shape `i` and its record.
fn territory(
    path: &Path,
    opts: &LoadOptions,
    crs: &Crs,
    fields: &[String],
    i: usize,
    shape: Shape,
    record: Row,
) -> Result<Territory> {
    let get = |k: &str| {
        fields
            .iter()
            .position(|f| f == k)
            .and_then(|i| record.0.get(i))
            .map_or(Value::Null, value)
    };
    let mut t = opts
        .fields
        .territory(fields, get, opts.level, MultiPolygon(vec![]))
        .map_err(|e| e.in_file(path).at(location(i, None, None)))?;
    let at = || location(i, Some(&t.code), None);
    let kind = shape.shapetype();
    let geometry =
        match shape {
            Shape::NullShape => None,
            Shape::Polygon(p) => multipolygon(p.into_inner()),
            Shape::PolygonM(p) => multipolygon(p.into_inner()),
            Shape::PolygonZ(p) => multipolygon(p.into_inner()),
            _ => {
                return Err(Error::input(path, format!("shape is a {kind}, not a polygon"))
                .at(at())
                .hint("boundaries must be polygons: remove this shape or give a polygon layer"));
            }
        };
    let Some(mut geometry) = geometry else {
        return Err(Error::input(path, "shape has no geometry (null or empty)")
            .at(at())
            .hint("boundary files need an area for every territory: fix or remove this shape"));
    };
    crs.to_wgs84(&mut geometry).map_err(|e| {
        Error::input(
            path,
            format!("cannot convert from {} to WGS84: {e}", crs.describe()),
        )
        .at(at())
    })?;
    t.geometry = geometry;
    Ok(t)
}

/// A DBF record's values in field order: cheaper than `dbase::Record`'s map of names.
struct Row(Vec<FieldValue>);

impl dbase::ReadableRecord for Row {
    fn read_using<S: std::io::Read + std::io::Seek, M: std::io::Read + std::io::Seek>(
        fields: &mut dbase::FieldIterator<S, M>,
    ) -> std::result::Result<Row, dbase::FieldError> {
        fields
            .map(|f| f.map(|named| named.value))
            .collect::<std::result::Result<_, _>>()
            .map(Row)
    }
}

/// Polygons from shapefile rings: each outer ring starts a polygon, inner rings are the holes
/// of the outer ring before them (ESRI order). `None` without rings.
fn multipolygon<P: Xy>(rings: Vec<PolygonRing<P>>) -> Option<MultiPolygon<f64>> {
    let mut polygons: Vec<(LineString<f64>, Vec<LineString<f64>>)> = Vec::new();
    for ring in rings {
        match (ring, polygons.last_mut()) {
            (PolygonRing::Inner(points), Some((_, holes))) => holes.push(line(points)),
            // An inner ring with no outer ring before it can only be an outer ring.
            (PolygonRing::Outer(points) | PolygonRing::Inner(points), _) => {
                polygons.push((line(points), Vec::new()))
            }
        }
    }
    (!polygons.is_empty()).then(|| {
        MultiPolygon(
            polygons
                .into_iter()
                .map(|(e, h)| Polygon::new(e, h))
                .collect(),
        )
    })
}

/// A ring's points as a line string (for 2D points the allocation is reused in place).
fn line<P: Xy>(points: Vec<P>) -> LineString<f64> {
    LineString(points.into_iter().map(|p| p.xy()).collect())
}

/// The 2D position of a shapefile point of any kind.
trait Xy {
    fn xy(&self) -> Coord<f64>;
}

impl Xy for shapefile::Point {
    fn xy(&self) -> Coord<f64> {
        Coord {
            x: self.x,
            y: self.y,
        }
    }
}

impl Xy for shapefile::PointM {
    fn xy(&self) -> Coord<f64> {
        Coord {
            x: self.x,
            y: self.y,
        }
    }
}

impl Xy for shapefile::PointZ {
    fn xy(&self) -> Coord<f64> {
        Coord {
            x: self.x,
            y: self.y,
        }
    }
}

/// A DBF value as the field mapper sees it.
fn value(v: &FieldValue) -> Value {
    match v {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => Value::Text(s.clone()),
        FieldValue::Numeric(Some(n)) | FieldValue::Double(n) | FieldValue::Currency(n) => {
            Value::Number(*n)
        }
        FieldValue::Float(Some(n)) => Value::Number(f64::from(*n)),
        FieldValue::Integer(n) => Value::Number(f64::from(*n)),
        FieldValue::Logical(Some(b)) => Value::Text(b.to_string()),
        FieldValue::Date(Some(d)) => {
            Value::Text(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
        _ => Value::Null,
    }
}
