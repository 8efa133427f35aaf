//! Boundary loaders: GeoJSON and Shapefile, on small fixtures and on the full ../shared data.

use std::path::{Path, PathBuf};

use phare::boundaries::{self, LoadOptions};
use phare::projection::Projection;
use phare::{Layer, Level};

/// A file of ../shared/geodata, or `None` (skipped) on a fresh clone without it.
fn shared(name: &str) -> Option<PathBuf> {
    crate::common::shared_geodata().map(|d| d.join(name))
}

fn load(path: &Path) -> Layer {
    match boundaries::load(path, &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn geojson_all_communes_codes_as_text_and_accents() {
    let Some(path) = shared("communes.geojson") else {
        return;
    };
    let layer = load(&path);
    assert_eq!(layer.len(), 34_875);
    for code in ["01001", "2A004", "97101", "75056"] {
        let t = layer.get(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(t.level, Level::Commune);
    }
    let abergement = layer.get("01001").unwrap();
    assert_eq!(abergement.name, "L'Abergement-Clémenciat");
    assert_eq!(abergement.departement.as_deref(), Some("01"));
    assert_eq!(abergement.region.as_deref(), Some("84"));
    assert_eq!(abergement.population, Some(860));
    assert_eq!(
        abergement.geometry.0[0].exterior().0[0],
        geo_types::coord! { x: 4.958372, y: 46.153276 }
    );
    assert!(layer.territories.iter().any(|t| t.name == "Mœuvres"));
    assert_eq!(
        layer.get("2A004").unwrap().departement.as_deref(),
        Some("2A")
    );
    assert_eq!(layer.get("75056").unwrap().population, Some(2_103_778));
    assert_eq!(layer.get("22016").unwrap().epci, None);
    let vertices: usize = layer
        .territories
        .iter()
        .map(|t| geo::CoordsIter::coords_count(&t.geometry))
        .sum();
    assert_eq!(vertices, 1_075_277);
}

#[test]
fn shapefile_lambert93_cp1252_departements_match_geojson() {
    let (Some(shp), Some(json)) = (
        shared("departements-l93.shp"),
        shared("departements.geojson"),
    ) else {
        return;
    };
    let shp = load(&shp);
    let json = load(&json);
    assert_eq!(shp.len(), 101);
    let ardeche = shp.get("07").unwrap();
    assert_eq!(ardeche.name, "Ardèche");
    assert_eq!(ardeche.level, Level::Departement);
    assert_eq!(ardeche.region.as_deref(), Some("84"));
    assert_eq!(shp.get("2A").unwrap().name, "Corse-du-Sud");
    let mut worst: f64 = 0.0;
    for t in &json.territories {
        let s = shp
            .get(&t.code)
            .unwrap_or_else(|| panic!("{} missing", t.code));
        assert_eq!(s.name, t.name);
        assert_eq!(s.geometry.0.len(), t.geometry.0.len(), "{}", t.code);
        let pairs = geo::CoordsIter::coords_iter(&s.geometry)
            .zip(geo::CoordsIter::coords_iter(&t.geometry));
        for (a, b) in pairs {
            worst = worst.max((a.x - b.x).abs()).max((a.y - b.y).abs());
        }
    }
    // The README's round trip gives 1e-13°; 1e-9° is 0.1 mm.
    assert!(worst < 1e-9, "{worst}");
}

#[test]
fn shapefile_utf8_communes_equal_geojson() {
    let (Some(shp), Some(json)) = (shared("communes-wgs84.shp"), shared("communes.geojson")) else {
        return;
    };
    let (shp, json) = (load(&shp), load(&json));
    assert_eq!(shp.len(), 34_875);
    assert_eq!(shp.get("01001").unwrap().name, "L'Abergement-Clémenciat");
    for t in &json.territories {
        assert_eq!(shp.get(&t.code), Some(t), "{}", t.code);
    }
}

// ---------------------------------------------------------------------------------------------
// Small fixtures: tests/fixtures/load-communes.geojson holds five real communes cut from
// ../shared/geodata/communes.geojson (IGN/INSEE, Licence Ouverte 2.0): 01001, 07010, 2A004,
// 59405 Mœuvres, 97101.

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/load-communes.geojson"
);
const ESRI_L93: &str = r#"PROJCS["RGF_1993_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;

fn fixture() -> Layer {
    load(Path::new(FIXTURE))
}

/// The error message of loading `path`, which must fail.
fn error(path: &Path, opts: &LoadOptions) -> String {
    match boundaries::load(path, opts) {
        Ok(l) => panic!(
            "{} loaded {} territories, expected an error",
            path.display(),
            l.len()
        ),
        Err(e) => e.to_string(),
    }
}

fn assert_has(message: &str, parts: &[&str]) {
    for p in parts {
        assert!(message.contains(p), "{p:?} not in: {message}");
    }
}

/// Writes `text` to `dir/name` and returns the path.
fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The largest coordinate difference between two layers' geometries, in degrees.
fn max_difference(a: &Layer, b: &Layer) -> f64 {
    let mut worst: f64 = 0.0;
    for t in &a.territories {
        let u = b
            .get(&t.code)
            .unwrap_or_else(|| panic!("{} missing", t.code));
        assert_eq!(
            geo::CoordsIter::coords_count(&t.geometry),
            geo::CoordsIter::coords_count(&u.geometry)
        );
        for (p, q) in
            geo::CoordsIter::coords_iter(&t.geometry).zip(geo::CoordsIter::coords_iter(&u.geometry))
        {
            worst = worst.max((p.x - q.x).abs()).max((p.y - q.y).abs());
        }
    }
    worst
}

#[test]
fn geojson_fixture_loads_with_codes_names_and_parents() {
    let layer = fixture();
    assert_eq!(layer.len(), 5);
    let codes: Vec<&str> = layer.territories.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["01001", "07010", "2A004", "59405", "97101"]);
    let moeuvres = layer.get("59405").unwrap();
    assert_eq!(moeuvres.name, "Mœuvres");
    assert_eq!(moeuvres.departement.as_deref(), Some("59"));
    assert_eq!(layer.get("2A004").unwrap().name, "Ajaccio");
    assert_eq!(
        layer.get("97101").unwrap().departement.as_deref(),
        Some("971")
    );
    // RFC 7946 orientation: exterior rings counter-clockwise.
    for t in &layer.territories {
        for p in &t.geometry.0 {
            assert!(geo::Winding::is_ccw(p.exterior()), "{}", t.code);
        }
    }
}

#[test]
fn geojson_single_feature_and_polygon_geometry() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "one.geojson",
        br#"{"type":"Feature","properties":{"code":"2A004","nom":"Ajaccio"},"geometry":{"type":"Polygon","coordinates":[[[8.7,41.9],[8.8,41.9],[8.8,42.0],[8.7,41.9]]]}}"#,
    );
    let layer = load(&f);
    assert_eq!(layer.get("2A004").unwrap().geometry.0.len(), 1);
    // Polygon inside a collection, coordinates before type, a 3D position, codes as numbers.
    let f = write(
        dir.path(),
        "numbers.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":1001,"population":"860"},"geometry":{"coordinates":[[[4.9,46.1,200.0],[5.0,46.1,210.0],[5.0,46.2,220.0],[4.9,46.1,200.0]]],"type":"Polygon"}}]}"#,
    );
    let layer = load(&f);
    let t = layer.get("01001").expect("code 1001 restored to 01001");
    assert_eq!(t.population, Some(860));
    assert_eq!(
        t.geometry.0[0].exterior().0.len(),
        4,
        "third ordinates dropped"
    );
    // The code in the feature's own "id" (as some exports put it), in a collection and alone.
    let square =
        r#"{"type":"Polygon","coordinates":[[[8.7,41.9],[8.8,41.9],[8.8,42.0],[8.7,41.9]]]}"#;
    let with_id = format!(
        r#"{{"type":"Feature","id":"2A004","properties":{{"nom":"Ajaccio"}},"geometry":{square}}}"#
    );
    let collection = format!(r#"{{"type":"FeatureCollection","features":[{with_id}]}}"#);
    for (name, text) in [("id.geojson", &collection), ("id-one.geojson", &with_id)] {
        let layer = load(&write(dir.path(), name, text.as_bytes()));
        assert_eq!(
            layer.get("2A004").map(|t| t.name.as_str()),
            Some("Ajaccio"),
            "{name}"
        );
    }
}

#[test]
fn geojson_crs_member_in_lambert93_is_converted() {
    let json = fixture();
    let mut text = String::from(
        r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":["#,
    );
    for (i, t) in json
        .territories
        .iter()
        .filter(|t| !t.code.starts_with("97"))
        .enumerate()
    {
        let mut g = t.geometry.clone();
        Projection::Lambert93.forward_geometry(&mut g);
        let geometry = geojson::Geometry::from(&g);
        let sep = if i > 0 { "," } else { "" };
        text += &format!(
            r#"{sep}{{"type":"Feature","properties":{{"code":"{}","nom":"{}"}},"geometry":{geometry}}}"#,
            t.code, t.name
        );
    }
    text += "]}";
    let dir = tempfile::tempdir().unwrap();
    let l93 = load(&write(dir.path(), "l93.geojson", text.as_bytes()));
    assert_eq!(l93.len(), 4);
    assert!(max_difference(&l93, &json) < 1e-9);
    assert_eq!(l93.get("59405").unwrap().name, "Mœuvres");
}

#[test]
fn geojson_errors_name_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let opts = LoadOptions::default();
    let missing = d.join("nowhere.geojson");
    assert_has(
        &error(&missing, &opts),
        &["nowhere.geojson", "cannot read", "check the path"],
    );
    assert_has(
        &error(&write(d, "empty.geojson", b" \n"), &opts),
        &["empty.geojson", "empty file"],
    );

    let full = std::fs::read_to_string(FIXTURE).unwrap();
    let truncated = write(d, "truncated.geojson", &full.as_bytes()[..3000]);
    let line = 1 + full[..3000].matches('\n').count();
    assert_has(
        &error(&truncated, &opts),
        &[
            "truncated.geojson",
            "truncated JSON",
            &format!("line {line}, column"),
        ],
    );

    let bad = write(d, "syntax.geojson", b"{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\" \"properties\":{}}]}");
    assert_has(
        &error(&bad, &opts),
        &["syntax.geojson", "invalid JSON", "line 3, column 19"],
    );

    let array = write(d, "array.geojson", b"[1, 2, 3]");
    assert_has(
        &error(&array, &opts),
        &[
            "array.geojson",
            "not GeoJSON",
            "starts with '['",
            "line 1, column 1",
        ],
    );
    let topo = write(d, "topo.json", br#"{"type":"Topology","objects":{}}"#);
    assert_has(
        &error(&topo, &opts),
        &["topo.json", "not a GeoJSON FeatureCollection", "Topology"],
    );

    let feature = |code: &str, geometry: &str| {
        format!(r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{geometry}}}"#)
    };
    let square = r#"{"type":"Polygon","coordinates":[[[2,48],[3,48],[3,49],[2,48]]]}"#;
    let collection = |features: &[String]| {
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
            features.join(",\n")
        )
    };

    let null = write(
        d,
        "null.geojson",
        collection(&[feature("75056", square), feature("69123", "null")]).as_bytes(),
    );
    assert_has(
        &error(&null, &opts),
        &[
            "null.geojson",
            "feature 2 (code 69123, line 3)",
            "no geometry",
            "fix or remove",
        ],
    );

    let point = r#"{"type":"Point","coordinates":[2,48]}"#;
    let points = write(
        d,
        "point.geojson",
        collection(&[feature("13055", point)]).as_bytes(),
    );
    assert_has(
        &error(&points, &opts),
        &[
            "point.geojson",
            "feature 1 (code 13055, line 2)",
            "Point geometry",
            "not a Polygon",
        ],
    );

    let dup = collection(&[
        feature("75056", square),
        feature("69123", square),
        feature("75056", square),
    ]);
    let dup = write(d, "dup.geojson", dup.as_bytes());
    assert_has(
        &error(&dup, &opts),
        &[
            "dup.geojson",
            "code 75056 appears twice, in features 1 and 3",
        ],
    );

    let projected = r#"{"type":"Polygon","coordinates":[[[652296.97,6861636.36],[652400,6861636],[652400,6861700],[652296.97,6861636.36]]]}"#;
    let l93 = write(
        d,
        "l93.geojson",
        collection(&[feature("75056", square), feature("75101", projected)]).as_bytes(),
    );
    assert_has(
        &error(&l93, &opts),
        &[
            "l93.geojson",
            "feature 2 (code 75101, line 3)",
            "652296.97",
            "looks like projected coordinates, e.g. Lambert-93",
            "reproject to WGS84",
        ],
    );

    let bad_coords = r#"{"type":"Polygon","coordinates":[[["2","48"]]]}"#;
    let strings = write(
        d,
        "strings.geojson",
        collection(&[feature("75056", bad_coords)]).as_bytes(),
    );
    assert_has(
        &error(&strings, &opts),
        &["strings.geojson", "not valid GeoJSON", "line 2, column"],
    );

    let no_code = write(d, "nocode.geojson", br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":1},"geometry":null}]}"#);
    assert_has(
        &error(&no_code, &opts),
        &[
            "nocode.geojson",
            "feature 1",
            "no code property",
            "choose the property that holds the codes",
        ],
    );
    let setting = boundaries::load(&no_code, &opts).unwrap_err().setting;
    assert_eq!(
        setting,
        Some(phare::Setting::IdField),
        "the CLI names --id-field"
    );

    let latin1 = write(
        d,
        "latin1.geojson",
        b"{\"type\":\"FeatureCollection\",\n\"features\":[{\"nom\":\"Ard\xE8che\"}]}",
    );
    assert_has(
        &error(&latin1, &opts),
        &["latin1.geojson", "not UTF-8", "line 2, column 24"],
    );
}

// ---------------------------------------------------------------------------------------------
// Shapefiles written here with the shapefile crate: the fixture's mainland communes in
// Lambert-93, names in a CP1252 DBF.

/// Writes `name.shp/.shx/.dbf` with the fixture's communes (projected with `projection`, or in
/// degrees), the DBF in `encoding`; no `.cpg`/`.prj` (the tests add them).
fn write_shapefile(
    dir: &Path,
    name: &str,
    projection: Option<Projection>,
    encoding: &'static encoding_rs::Encoding,
) -> PathBuf {
    use shapefile::dbase::{self, FieldValue};
    let path = dir.join(format!("{name}.shp"));
    let table =
        dbase::TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding))
            .add_character_field("code".try_into().unwrap(), 5)
            .add_character_field("nom".try_into().unwrap(), 45)
            .add_numeric_field("population".try_into().unwrap(), 9, 0);
    let mut writer = shapefile::Writer::from_path(&path, table).unwrap();
    for t in fixture()
        .territories
        .iter()
        .filter(|t| !t.code.starts_with("97"))
    {
        let mut rings = Vec::new();
        for p in &t.geometry.0 {
            let ring = |ls: &geo_types::LineString<f64>| -> Vec<shapefile::Point> {
                ls.0.iter()
                    .map(|c| {
                        let (x, y) = projection.map_or((c.x, c.y), |pr| pr.forward(c.x, c.y));
                        shapefile::Point::new(x, y)
                    })
                    .collect()
            };
            rings.push(shapefile::PolygonRing::Outer(ring(p.exterior())));
            rings.extend(
                p.interiors()
                    .iter()
                    .map(|h| shapefile::PolygonRing::Inner(ring(h))),
            );
        }
        let mut record = dbase::Record::default();
        record.insert("code".into(), FieldValue::Character(Some(t.code.clone())));
        record.insert("nom".into(), FieldValue::Character(Some(t.name.clone())));
        record.insert(
            "population".into(),
            FieldValue::Numeric(t.population.map(|p| p as f64)),
        );
        writer
            .write_shape_and_record(&shapefile::Polygon::with_rings(rings), &record)
            .unwrap();
    }
    drop(writer);
    path
}

#[test]
fn shapefile_cp1252_lambert93_with_cpg_and_prj() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shp = write_shapefile(
        d,
        "communes",
        Some(Projection::Lambert93),
        encoding_rs::WINDOWS_1252,
    );
    write(d, "communes.prj", ESRI_L93.as_bytes());
    let dbf = std::fs::read(d.join("communes.dbf")).unwrap();
    assert!(
        dbf.windows(2).any(|w| w == b"M\x9C"),
        "Mœuvres is CP1252 in the DBF"
    );
    let json = fixture();
    for cpg in [
        "CP1252",
        "ANSI 1252",
        "1252",
        "windows-1252",
        "latin1",
        "ISO-8859-1",
    ] {
        write(d, "communes.cpg", cpg.as_bytes());
        let layer = load(&shp);
        assert_eq!(layer.len(), 4, "{cpg}");
        assert_eq!(layer.get("59405").unwrap().name, "Mœuvres", "{cpg}");
        assert_eq!(
            layer.get("01001").unwrap().name,
            "L'Abergement-Clémenciat",
            "{cpg}"
        );
        assert_eq!(layer.get("07010").unwrap().population, Some(17_274));
        assert!(max_difference(&layer, &json) < 1e-9, "{cpg}");
    }
    // No .cpg: the DBF's language byte (written as CP1252 by dbase) decides.
    std::fs::remove_file(d.join("communes.cpg")).unwrap();
    assert_eq!(load(&shp).get("59405").unwrap().name, "Mœuvres");
    // Neither .cpg nor language byte: bytes that are not UTF-8 are read as Windows-1252.
    let mut dbf = std::fs::read(d.join("communes.dbf")).unwrap();
    dbf[29] = 0;
    std::fs::write(d.join("communes.dbf"), &dbf).unwrap();
    assert_eq!(load(&shp).get("59405").unwrap().name, "Mœuvres");
}

#[test]
fn shapefile_utf8_without_prj_and_encoding_override() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shp = write_shapefile(d, "wgs84", None, encoding_rs::UTF_8);
    let json = fixture();
    // No .prj, degrees: WGS84 assumed; no .cpg, UTF-8 language byte.
    let layer = load(&shp);
    assert_eq!(layer.get("59405").unwrap().name, "Mœuvres");
    assert_eq!(max_difference(&layer, &json), 0.0);
    // A wrong .cpg garbles, --dbf-encoding fixes.
    write(d, "wgs84.cpg", b"1252");
    assert_eq!(load(&shp).get("59405").unwrap().name, "MÅ“uvres");
    let opts = LoadOptions {
        dbf_encoding: Some("utf8".into()),
        ..LoadOptions::default()
    };
    let layer = boundaries::load(&shp, &opts).unwrap();
    assert_eq!(layer.get("59405").unwrap().name, "Mœuvres");
}

#[test]
fn shapefile_errors_name_the_missing_file_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let opts = LoadOptions::default();
    let shp = write_shapefile(
        d,
        "l93",
        Some(Projection::Lambert93),
        encoding_rs::WINDOWS_1252,
    );

    // Projected coordinates and no .prj.
    assert_has(
        &error(&shp, &opts),
        &[
            "l93.shp",
            "feature 1 (code 01001)",
            "no .prj",
            "looks like projected coordinates",
            "give a .prj",
        ],
    );
    write(d, "l93.prj", ESRI_L93.as_bytes());
    assert_eq!(load(&shp).len(), 4);

    // A .cpg claiming UTF-8 over CP1252 bytes fails loudly instead of garbling.
    write(d, "l93.cpg", b"UTF-8");
    assert_has(
        &error(&shp, &opts),
        &[
            "l93.dbf",
            "record 1, field nom",
            "not UTF-8, although the .cpg says so",
            "give the encoding CP1252",
        ],
    );

    // Unknown encodings: in the .cpg (names it) and as an option (a usage error).
    write(d, "l93.cpg", b"klingon");
    assert_has(
        &error(&shp, &opts),
        &[
            "l93.cpg",
            "unknown encoding name 'klingon'",
            "CP1252",
            "UTF-8",
            "give the encoding to override it",
        ],
    );
    let setting = boundaries::load(&shp, &opts).unwrap_err().setting;
    assert_eq!(
        setting,
        Some(phare::Setting::DbfEncoding),
        "the CLI names --dbf-encoding"
    );
    let bad_opt = LoadOptions {
        dbf_encoding: Some("EBCDIC-FR".into()),
        ..LoadOptions::default()
    };
    let e = boundaries::load(&shp, &bad_opt).unwrap_err();
    assert_eq!(e.kind, phare::ErrorKind::Usage);
    assert_has(
        &e.to_string(),
        &[
            "unknown DBF encoding 'EBCDIC-FR'",
            "accepted: UTF-8, CP1252",
        ],
    );
    std::fs::remove_file(d.join("l93.cpg")).unwrap();

    // A garbage .prj.
    write(d, "l93.prj", b"PROJCS[nonsense");
    assert_has(
        &error(&shp, &opts),
        &["l93.prj", "cannot use this coordinate system"],
    );
    write(d, "l93.prj", ESRI_L93.as_bytes());

    // Missing companions.
    std::fs::rename(d.join("l93.dbf"), d.join("l93.dbf.bak")).unwrap();
    assert_has(
        &error(&shp, &opts),
        &["l93.shp", "missing l93.dbf", "a shapefile is several files"],
    );
    std::fs::rename(d.join("l93.dbf.bak"), d.join("l93.dbf")).unwrap();
    std::fs::rename(d.join("l93.shx"), d.join("l93.shx.bak")).unwrap();
    assert_has(
        &error(&shp, &opts),
        &["l93.shp", "missing l93.shx", "a shapefile is several files"],
    );
    std::fs::rename(d.join("l93.shx.bak"), d.join("l93.shx")).unwrap();

    // Points are not boundaries.
    use shapefile::dbase;
    let table = dbase::TableWriterBuilder::new().add_character_field("code".try_into().unwrap(), 5);
    let points = d.join("points.shp");
    let mut writer = shapefile::Writer::from_path(&points, table).unwrap();
    let mut record = dbase::Record::default();
    record.insert(
        "code".into(),
        dbase::FieldValue::Character(Some("75056".into())),
    );
    writer
        .write_shape_and_record(&shapefile::Point::new(2.35, 48.85), &record)
        .unwrap();
    drop(writer);
    assert_has(
        &error(&points, &opts),
        &["points.shp", "Point shapes, not polygons"],
    );
}
