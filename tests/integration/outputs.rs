//! Outputs that fit the user's tools, through the real binary: point files in one encoding,
//! points out of range or swapped, tables by extension (CSV, French CSV, Excel, JSON), PNG
//! resolution metadata, atlas folders without pages of an earlier run.

use std::path::Path;

use calamine::{Data, Reader};

use crate::common::phare_in;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn succeeded(out: &std::process::Output) {
    assert!(out.status.success(), "{}", stderr(out));
}

/// Orléans (45234), whose name has an accent, with decimal commas.
const ORLEANS: (&str, &str) = ("1,9093", "47,9025");

#[test]
fn points_in_windows_1252_come_out_in_one_encoding() {
    let dir = tempfile::tempdir().expect("temp dir");
    // What old Excel saves on a French system: `;`, Windows-1252 (`à` and `é` one byte
    // each); the last row lacks a field.
    let input =
        b"lieu;lon;lat;remarque\nMairie;4,8357;45,7676;\xE0 revoir\nCaf\xE9 ;1,9093;47,9025\n";
    std::fs::write(dir.path().join("points.csv"), input).expect("input");

    let out = phare_in(
        dir.path(),
        &["lookup", "--points", "points.csv", "-o", "out.csv"],
    );
    succeeded(&out);
    let err = stderr(&out);
    assert!(err.contains("read as Windows-1252"), "{err}");
    assert!(
        err.contains("1 row(s) with fewer fields than the header (first at line 3)"),
        "{err}"
    );
    let text = String::from_utf8(std::fs::read(dir.path().join("out.csv")).expect("output"))
        .expect("the whole output is UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "lieu;lon;lat;remarque;commune_code;commune_name;departement;region",
            "Mairie;4,8357;45,7676;à revoir;69123;Lyon;69;84",
            "Café ;1,9093;47,9025;;45234;Orléans;45;24",
        ]
    );

    // For old Excel: the same rows, every byte Windows-1252.
    let out = phare_in(
        dir.path(),
        &[
            "lookup",
            "--points",
            "points.csv",
            "--output-encoding",
            "windows-1252",
            "-o",
            "ansi.csv",
        ],
    );
    succeeded(&out);
    let bytes = std::fs::read(dir.path().join("ansi.csv")).expect("output");
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let (text, _, malformed) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!malformed);
    assert_eq!(text.lines().nth(2), Some(lines[2]));

    // The encoding shapes a CSV only.
    let out = phare_in(
        dir.path(),
        &[
            "lookup",
            "--points",
            "points.csv",
            "--output-encoding",
            "windows-1252",
            "-o",
            "out.xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!dir.path().join("out.xlsx").exists());
}

#[test]
fn points_out_of_range_outside_france_or_swapped_are_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("points.csv"),
        "id,lon,lat\n1,4.8357,45.7676\n2,4.8,95\n3,200,45\n4,-6,46\n",
    )
    .expect("input");
    let out = phare_in(dir.path(), &["lookup", "--points", "points.csv"]);
    succeeded(&out);
    let err = stderr(&out);
    assert!(
        err.contains(
            "points.csv: 4 rows: 1 in a commune, 1 outside every commune, 2 with unreadable coordinates"
        ),
        "{err}"
    );
    assert!(
        err.contains("2 row(s) with unreadable coordinates or beyond ±180° longitude / ±90° latitude (first at line 3)"),
        "{err}"
    );
    assert!(!err.contains("--lat-lon"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\n2,4.8,95,,,,\n"), "{stdout}");

    // Latitude first under the names lon, lat: everything falls outside France.
    std::fs::write(
        dir.path().join("swapped.csv"),
        "id,lon,lat\n1,45.7676,4.8357\n2,47.9025,1.9093\n3,48.8530,2.3499\n",
    )
    .expect("input");
    let out = phare_in(dir.path(), &["lookup", "--points", "swapped.csv"]);
    succeeded(&out);
    let err = stderr(&out);
    assert!(
        err.contains("0 in a commune, 3 outside every commune"),
        "{err}"
    );
    assert!(
        err.contains("3 of the 3 tried fall in a commune with longitude and latitude swapped")
            && err.contains("add --lat-lon"),
        "{err}"
    );
    let out = phare_in(
        dir.path(),
        &["lookup", "--points", "swapped.csv", "--lat-lon"],
    );
    succeeded(&out);
    assert!(stderr(&out).contains("3 in a commune"), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1,45.7676,4.8357,69123,Lyon,69,84"),
        "{stdout}"
    );

    // The same for one point typed the other way round.
    let out = phare_in(dir.path(), &["lookup", "--at", "45.7676,4.8357"]);
    succeeded(&out);
    let err = stderr(&out);
    assert!(
        err.contains("with longitude and latitude swapped it falls in Lyon (69123)")
            && err.contains("add --lat-lon"),
        "{err}"
    );
}

fn xlsx_rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book = calamine::open_workbook_auto(path).expect("a workbook");
    let range = book.worksheet_range(sheet).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn tables_take_the_format_of_their_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = |args: &[&str]| {
        let mut all = vec!["stats", "--level", "region"];
        all.extend_from_slice(args);
        phare_in(dir.path(), &all)
    };

    // A real workbook: codes as text, counts and shares as numbers.
    succeeded(&stats(&["-o", "stats.xlsx"]));
    let rows = xlsx_rows(&dir.path().join("stats.xlsx"), "stats");
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(rows[1][col("code")], Data::String("FR".into()));
    let ara = rows
        .iter()
        .find(|r| r[col("code")] == Data::String("84".into()))
        .expect("Auvergne-Rhône-Alpes");
    assert_eq!(
        ara[col("name")],
        Data::String("Auvergne-Rhône-Alpes".into())
    );
    assert!(
        matches!(ara[col("n")], Data::Float(n) if n >= 1.0),
        "{ara:?}"
    );
    assert!(
        matches!(ara[col("value")], Data::Float(v) if (0.0..=1.0).contains(&v)),
        "{ara:?}"
    );
    assert_eq!(rows.len(), 1 + 1 + 18, "header, France, 18 régions");

    // The French CSV dialect: BOM, `;`, decimal comma; the same rows as the workbook.
    succeeded(&stats(&["-o", "stats.csv", "--csv", "fr"]));
    let text = std::fs::read_to_string(dir.path().join("stats.csv")).expect("csv");
    let text = text.strip_prefix('\u{FEFF}').expect("a byte-order mark");
    assert!(text.starts_with("level;code;name;"), "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("region;84;"))
        .expect("row 84");
    let value = match &ara[col("value")] {
        Data::Float(v) => v.to_string().replace('.', ","),
        other => panic!("{other:?}"),
    };
    assert!(line.contains(&format!(";{value};")), "{line} / {value}");

    // JSON: an array of objects, keys in column order.
    succeeded(&stats(&["-o", "stats.json"]));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("stats.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(19));
    assert_eq!(json[0]["code"], "FR");

    // Anything else is a usage error before any work, as with map.
    for bad in [
        &["-o", "stats.txt"][..],
        &["-o", "stats.xls"],
        &["-o", "stats.xlsx", "--csv", "fr"],
    ] {
        let out = stats(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(".csv"), "{}", stderr(&out));
    }
    assert!(!dir.path().join("stats.txt").exists());

    // lookup --points: the same three formats.
    std::fs::write(
        dir.path().join("points.csv"),
        format!("id;lon;lat\n007;{};{}\n008;x;y\n", ORLEANS.0, ORLEANS.1),
    )
    .expect("input");
    let lookup = |out: &str| phare_in(dir.path(), &["lookup", "--points", "points.csv", "-o", out]);
    succeeded(&lookup("points.xlsx"));
    let rows = xlsx_rows(&dir.path().join("points.xlsx"), "points");
    assert_eq!(rows[0][3], Data::String("commune_code".into()));
    assert_eq!(
        rows[1][..6],
        [
            Data::String("007".into()),
            Data::Float(1.9093),
            Data::Float(47.9025),
            Data::String("45234".into()),
            Data::String("Orléans".into()),
            Data::String("45".into()),
        ]
    );
    assert_eq!(rows[2][1], Data::String("x".into()));
    succeeded(&lookup("points.json"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("points.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json[0]["commune_name"], "Orléans");
    assert_eq!(json[0]["lon"], 1.9093);
    assert_eq!(json[1]["commune_code"], serde_json::Value::Null);
    let out = lookup("points.ods");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// The resolution a PNG records, in dots per inch (pHYs holds whole pixels per metre: 150 dpi
/// is 5906 px/m, read back as 150.01).
fn png_dpi(path: &Path) -> (u32, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("the PNG"),
    ));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    let dims = info.pixel_dims.expect("a pHYs chunk");
    assert_eq!(dims.unit, png::Unit::Meter);
    assert_eq!(dims.xppu, dims.yppu);
    (info.width, f64::from(dims.xppu) * 0.0254)
}

#[test]
fn pngs_record_their_real_resolution() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = phare_in(
        dir.path(),
        &[
            "map",
            "--level",
            "region",
            "--width-cm",
            "18",
            "--dpi",
            "300",
            "-o",
            "map.png",
        ],
    );
    succeeded(&out);
    let (width, dpi) = png_dpi(&dir.path().join("map.png"));
    assert_eq!(width, 2126);
    assert!((dpi - 300.0).abs() < 0.05, "{dpi} dpi");

    let out = phare_in(
        dir.path(),
        &[
            "atlas",
            "--level",
            "departement",
            "--value",
            "population",
            "--width-cm",
            "5",
            "--dpi",
            "200",
            "--only",
            "94",
            "-o",
            "atlas",
        ],
    );
    succeeded(&out);
    let (width, dpi) = png_dpi(&dir.path().join("atlas/94-corse.png"));
    assert_eq!(width, 394);
    assert!((dpi - 200.0).abs() < 0.05, "{dpi} dpi");

    // Small multiples go through the same writer.
    let out = phare_in(
        dir.path(),
        &[
            "map",
            "--by-actor",
            "--value",
            "frag_emploi:mean",
            "--level",
            "region",
            "--width-cm",
            "25.4",
            "--dpi",
            "250",
            "-o",
            "actors.png",
        ],
    );
    succeeded(&out);
    let (width, dpi) = png_dpi(&dir.path().join("actors.png"));
    assert_eq!(width, 2500, "10 inches at 250 dpi");
    assert!((dpi - 250.0).abs() < 0.05, "{dpi} dpi");

    // Without --dpi a map records the style's resolution (150 dpi at its 1200 px), not 96.
    let out = phare_in(dir.path(), &["map", "--level", "region", "-o", "plain.png"]);
    succeeded(&out);
    let (_, dpi) = png_dpi(&dir.path().join("plain.png"));
    assert!((dpi - 150.0).abs() < 0.05, "{dpi} dpi");

    let out = phare_in(dir.path(), &["profile", "69123", "-o", "fiche.png"]);
    succeeded(&out);
    let (_, dpi) = png_dpi(&dir.path().join("fiche.png"));
    assert!((dpi - 300.0).abs() < 0.05, "{dpi} dpi");
}

#[test]
fn a_second_atlas_run_leaves_only_its_own_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let atlas = |extra: &[&str]| {
        let mut args = vec![
            "atlas",
            "--level",
            "departement",
            "--value",
            "population",
            "--size",
            "200",
            "-o",
            "atlas",
        ];
        args.extend_from_slice(extra);
        phare_in(dir.path(), &args)
    };
    succeeded(&atlas(&[]));
    let folder = dir.path().join("atlas");
    // Files phare did not list stay, whatever their names.
    std::fs::write(folder.join("notes.txt"), "mine").expect("notes");
    std::fs::write(folder.join("99-mine.png"), "mine").expect("a png of the user's");
    let out = atlas(&["--metropolitan"]);
    succeeded(&out);
    let err = stderr(&out);
    assert!(
        err.contains("removed 5 page(s) of the previous atlas in atlas that this run does not draw (01-guadeloupe.png, ...)"),
        "{err}"
    );
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("atlas folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let pngs: Vec<&String> = files.iter().filter(|f| f.ends_with(".png")).collect();
    assert_eq!(pngs.len(), 13 + 1, "{files:?}");
    assert!(files.contains(&"99-mine.png".to_string()) && files.contains(&"notes.txt".to_string()));
    assert!(!files.iter().any(|f| f.starts_with("04-")), "{files:?}");

    // Another format: the previous run's PNG pages go, the SVG pages are listed.
    let out = atlas(&["--metropolitan", "--format", "svg"]);
    succeeded(&out);
    assert!(
        stderr(&out).contains("removed 13 page(s)"),
        "{}",
        stderr(&out)
    );
    let left: Vec<String> = std::fs::read_dir(&folder)
        .expect("atlas folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".png") || f.ends_with(".svg"))
        .collect();
    assert_eq!(left.len(), 13 + 1, "{left:?}");
}
