//! The catalogue of bad inputs: every file report authors receive from colleagues gets a clear
//! answer. Each case pins the error kind (through the library) or the exit code (through the
//! `phare` binary), and that the message names the file and the line or feature.
//!
//! Files are written into a temporary folder by each test (small, readable here); the 2 GB file
//! is sparse (`File::set_len`): it takes no disk and must be refused before being read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use phare::boundaries::validate::{self, ProblemKind};
use phare::boundaries::{self, LoadOptions};
use phare::survey::{ReadOptions, read_indicators, read_survey};
use phare::{ErrorKind, Result};

/// Writes `bytes` to `dir/name`.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Asserts that `result` failed with `kind`, naming `path`'s file and every part of `parts`
/// (the location among them); returns the message.
#[track_caller]
fn expect<T>(result: Result<T>, kind: ErrorKind, path: &Path, parts: &[&str]) -> String {
    let Err(e) = result else {
        panic!("{} was accepted, expected a {kind:?} error", path.display())
    };
    let msg = e.to_string();
    assert_eq!(e.kind, kind, "{msg}");
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(msg.contains(name.as_ref()), "file not named: {msg}");
    for p in parts {
        assert!(msg.contains(p), "{p:?} not in: {msg}");
    }
    msg
}

fn load(path: &Path) -> Result<phare::Layer> {
    boundaries::load(path, &LoadOptions::default())
}

fn phare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(args)
        .output()
        .unwrap()
}

/// Asserts the exit code of `phare args` and that its stderr holds every part; returns stderr.
#[track_caller]
fn exits(args: &[&str], code: i32, parts: &[&str]) -> String {
    let out = phare(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "phare {args:?}: {stderr}");
    for p in parts {
        assert!(stderr.contains(p), "{p:?} not in: {stderr}");
    }
    stderr
}

/// A FeatureCollection of `features` (JSON texts), one per line after the first.
fn collection(features: &[String]) -> String {
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        features.join(",\n")
    )
}

/// A feature with `code` and a polygon of `ring` (positions as written).
fn feature(code: &str, ring: &str) -> String {
    format!(
        "{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{code}\",\"nom\":\"C{code}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{ring}]}}}}"
    )
}

const SQUARE: &str = "[[4.0,45.0],[4.1,45.0],[4.1,45.1],[4.0,45.1],[4.0,45.0]]";
/// The square east of [`SQUARE`].
const EAST: &str = "[[4.2,45.0],[4.3,45.0],[4.3,45.1],[4.2,45.1],[4.2,45.0]]";
/// Crosses itself at (4.05, 45.05): its two lobes are the west and east triangles.
const BOWTIE: &str = "[[4.0,45.0],[4.1,45.1],[4.1,45.0],[4.0,45.1],[4.0,45.0]]";

// ---- boundary files --------------------------------------------------------------------------

#[test]
fn empty_truncated_and_non_geojson_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, text) in [("empty.geojson", ""), ("blank.geojson", " \n\t\n")] {
        let p = write(d, name, text);
        // Nothing to locate in an empty file: the message names it and says it is empty.
        expect(load(&p), ErrorKind::Input, &p, &["empty file"]);
    }
    let full = collection(&[feature("01001", SQUARE), feature("01002", SQUARE)]);
    let p = write(d, "cut.geojson", &full[..full.len() * 2 / 3]);
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["line 3, column", "truncated JSON", "interrupted"],
    );
    let p = write(d, "other.json", "\n{\"name\": \"communes\", \"rows\": []}");
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["line 2, column 1", "not a GeoJSON FeatureCollection"],
    );
    let p = write(d, "array.json", "[1, 2, 3]");
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["line 1, column 1", "not GeoJSON", "starts with '['"],
    );
    let point = "{\"type\":\"Feature\",\"properties\":{\"code\":\"01003\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[4,45]}}";
    let p = write(
        d,
        "point.geojson",
        collection(&[feature("01001", SQUARE), point.into()]),
    );
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["feature 2 (code 01003, line 3)", "Point geometry"],
    );
    // Through the binary: exit 1, file and place on stderr.
    exits(
        &[
            "lookup",
            "--code",
            "01001",
            "--boundaries",
            &d.join("cut.geojson").to_string_lossy(),
        ],
        1,
        &["cut.geojson", "truncated JSON"],
    );
}

#[test]
fn null_geometry_and_open_rings_are_refused_per_feature() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let null = "{\"type\":\"Feature\",\"properties\":{\"code\":\"01002\"},\"geometry\":null}";
    let p = write(
        d,
        "null.geojson",
        collection(&[feature("01001", SQUARE), null.into()]),
    );
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["feature 2 (code 01002, line 3)", "no geometry"],
    );
    let open = "[[4.0,45.0],[4.1,45.0],[4.1,45.1],[4.0,45.1]]";
    let p = write(d, "open.geojson", collection(&[feature("01001", open)]));
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &[
            "feature 1 (code 01001, line 2)",
            "ring 1 of polygon 1 is not closed",
            "(4, 45) but ends at (4, 45.1)",
        ],
    );
    // A lone Feature goes through the same ring check.
    let p = write(d, "open-feature.geojson", feature("01001", open));
    expect(load(&p), ErrorKind::Input, &p, &["feature 1", "not closed"]);
}

#[test]
fn lambert93_coordinates_in_a_wgs84_file_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let ring = "[[842000,6519000],[843000,6519000],[843000,6520000],[842000,6519000]]";
    let p = write(
        dir.path(),
        "l93.geojson",
        collection(&[feature("69123", ring)]),
    );
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &[
            "feature 1 (code 69123, line 2)",
            "(842000, 6519000) are not longitude/latitude degrees",
            "Lambert-93",
        ],
    );
}

#[test]
fn self_intersections_are_reported_yet_lookups_and_maps_still_answer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = write(
        d,
        "bowtie.geojson",
        collection(&[feature("01001", BOWTIE), feature("01002", EAST)]),
    );
    let layer = load(&p).unwrap();
    let problems = validate::check(&layer);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, ProblemKind::SelfIntersection);
    assert_eq!(problems[0].code, "01001");
    assert!((problems[0].at[0] - 4.05).abs() < 1e-9 && (problems[0].at[1] - 45.05).abs() < 1e-9);

    let path = p.to_string_lossy();
    let out = phare(&["geodata", "check", &path]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("2 features, 1 with geometry problems")
            && stdout.contains("self-intersection           1 in 1 features")
            && stdout
                .contains("feature 1 (code 01001): self-intersection, polygon 1 ring 1, at (4.05"),
        "{stdout}"
    );
    assert!(
        stderr.contains("bowtie.geojson") && stderr.contains("feature 1 (code 01001)"),
        "{stderr}"
    );

    // Lookups: both lobes of the bowtie belong to it (even-odd), its crossing to nobody else.
    let index = phare::index::SpatialIndex::new(&layer);
    assert_eq!(index.locate(4.01, 45.05), Some(0));
    assert_eq!(index.locate(4.09, 45.05), Some(0));
    assert_eq!(index.locate(4.05, 45.01), None);
    let at = exits(
        &["lookup", "--at", "4.01,45.05", "--boundaries", &path],
        0,
        &[],
    );
    assert!(at.is_empty(), "{at}");

    // A map of it renders.
    let png = d.join("bowtie.png");
    exits(
        &[
            "map",
            "--boundaries",
            &path,
            "--level",
            "commune",
            "--value",
            "area",
            "--size",
            "300",
            "-o",
            &png.to_string_lossy(),
        ],
        0,
        &[],
    );
    assert!(std::fs::metadata(&png).unwrap().len() > 1000);
}

/// A one-square shapefile `name.shp/.shx/.dbf` with a CP1252 name, no .cpg.
fn shapefile(dir: &Path, name: &str) -> PathBuf {
    use shapefile::dbase::{self, FieldValue};
    let path = dir.join(format!("{name}.shp"));
    let table = dbase::TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(
        encoding_rs::WINDOWS_1252,
    ))
    .add_character_field("code".try_into().unwrap(), 5)
    .add_character_field("nom".try_into().unwrap(), 20);
    let mut writer = shapefile::Writer::from_path(&path, table).unwrap();
    let ring = [
        (4.0, 45.0),
        (4.0, 45.1),
        (4.1, 45.1),
        (4.1, 45.0),
        (4.0, 45.0),
    ]
    .map(|(x, y)| shapefile::Point::new(x, y));
    let mut record = dbase::Record::default();
    record.insert("code".into(), FieldValue::Character(Some("01001".into())));
    record.insert("nom".into(), FieldValue::Character(Some("Béon".into())));
    writer
        .write_shape_and_record(
            &shapefile::Polygon::with_rings(vec![shapefile::PolygonRing::Outer(ring.to_vec())]),
            &record,
        )
        .unwrap();
    drop(writer);
    path
}

#[test]
fn shapefiles_missing_a_sidecar_or_with_a_wrong_cpg() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shp = shapefile(d, "ok");
    assert_eq!(load(&shp).unwrap().territories[0].name, "Béon");

    let shp = shapefile(d, "nodbf");
    std::fs::remove_file(d.join("nodbf.dbf")).unwrap();
    expect(
        load(&shp),
        ErrorKind::Input,
        &shp,
        &["missing nodbf.dbf next to it"],
    );
    let shp = shapefile(d, "noshx");
    std::fs::remove_file(d.join("noshx.shx")).unwrap();
    expect(
        load(&shp),
        ErrorKind::Input,
        &shp,
        &["missing noshx.shx next to it"],
    );

    let shp = shapefile(d, "cpg");
    write(d, "cpg.cpg", "UTF-8");
    expect(
        load(&shp),
        ErrorKind::Input,
        &d.join("cpg.dbf"),
        &[
            "record 1, field nom",
            "not UTF-8, although the .cpg says so",
            "give the encoding CP1252",
        ],
    );
    exits(
        &[
            "lookup",
            "--code",
            "01001",
            "--boundaries",
            &shp.to_string_lossy(),
        ],
        1,
        &[
            "cpg.dbf",
            "record 1, field nom",
            "(command line: --dbf-encoding NAME)",
        ],
    );
}

// ---- survey and indicator files --------------------------------------------------------------

const HEADER: &str = "respondent_id,insee_com,weight,q4\n";

/// Reads a survey written from `text`, which must fail with an input error naming each part.
#[track_caller]
fn bad_survey(name: &str, text: impl AsRef<[u8]>, parts: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), name, text);
    expect(
        read_survey(&p, &ReadOptions::default()),
        ErrorKind::Input,
        &p,
        parts,
    )
}

#[test]
fn empty_and_binary_tables() {
    bad_survey("empty.csv", "", &["the file is empty"]);
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "empty-ind.csv", "\u{feff}");
    expect(
        read_indicators(&p, &ReadOptions::default()),
        ErrorKind::Input,
        &p,
        &["the file is empty"],
    );
    let mut blob = format!("{HEADER}R1,01001,1,1\n").into_bytes();
    blob.extend((0..=255u8).cycle().take(4096));
    bad_survey(
        "blob.csv",
        blob,
        &["line 3", "not a text CSV file (binary byte 0x00"],
    );
}

#[test]
fn mixed_delimiters_and_duplicate_ids() {
    bad_survey(
        "mixed.csv",
        "respondent_id;insee_com;weight;q4\nR1;01001;1;1\nR2,01002,1,2\n",
        &["line 3", "R2,01002,1,2"],
    );
    bad_survey(
        "dup.csv",
        format!("{HEADER}R1,01001,1,1\nR2,01001,1,2\nR1,01002,1,3\n"),
        &["line 4", "duplicate respondent id (first on line 2)"],
    );
}

#[test]
fn weights_zero_negative_or_not_numbers() {
    let msg = bad_survey(
        "weights.csv",
        format!("{HEADER}R1,01001,0,1\nR2,01001,-2.5,1\nR3,01001,abc,1\nR4,01001,1,1\n"),
        &["3 problems"],
    );
    for part in [
        "weights.csv:2: column 'weight': value '0': weight must be greater than 0",
        "weights.csv:3: column 'weight': value '-2.5': weight must be greater than 0",
        "weights.csv:4: column 'weight': value 'abc': weight is not a number",
    ] {
        assert!(msg.contains(part), "{part:?} not in: {msg}");
    }
}

#[test]
fn answer_codes_out_of_range() {
    bad_survey(
        "q4.csv",
        format!("{HEADER}R1,01001,1,1\nR2,01001,1,7\n"),
        &["line 3", "answer out of range", "7"],
    );
    bad_survey(
        "frag.csv",
        "respondent_id,insee_com,frag_emploi\nR1,01001,11\n",
        &["line 2", "score out of range"],
    );
}

// ---- files too big, directories, outputs -----------------------------------------------------

#[test]
fn a_two_gigabyte_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["huge.geojson", "huge.csv"] {
        let p = d.join(name);
        // Sparse: no disk blocks, but 2 GiB to whoever reads it.
        std::fs::File::create(&p).unwrap().set_len(2 << 30).unwrap();
        let msg = match name {
            "huge.csv" => expect(
                read_survey(&p, &ReadOptions::default()),
                ErrorKind::Input,
                &p,
                &["2.1 GB", "over phare's limit of 1.1 GB"],
            ),
            _ => expect(
                load(&p),
                ErrorKind::Input,
                &p,
                &["2.1 GB", "over phare's limit"],
            ),
        };
        assert!(msg.contains("split the file"), "{msg}");
    }
    exits(
        &["stats", "--survey", &d.join("huge.csv").to_string_lossy()],
        1,
        &["huge.csv", "over phare's limit"],
    );
}

#[test]
fn a_directory_given_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("communes.geojson");
    std::fs::create_dir(&d).unwrap();
    expect(load(&d), ErrorKind::Input, &d, &["is a directory"]);
    expect(
        read_survey(&d, &ReadOptions::default()),
        ErrorKind::Input,
        &d,
        &["is a directory"],
    );
    exits(
        &["stats", "--survey", &d.to_string_lossy()],
        1,
        &["communes.geojson", "is a directory"],
    );
}

/// The library's errors speak of settings; the command line names its flags in their hints.
#[test]
fn hints_name_the_flag_of_the_setting_at_fault() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.svg");
    exits(
        &[
            "map",
            "--level",
            "region",
            "--within",
            "dep:69",
            "-o",
            &map.to_string_lossy(),
        ],
        2,
        &[
            "a région map cannot be drawn within one département",
            "colour communes or départements (command line: --level LEVEL)",
        ],
    );
    let survey = write(
        dir.path(),
        "gaps.csv",
        format!("{HEADER}R1,01001,1,1\n,,,\nR2,01002,1,2\n"),
    );
    exits(
        &["survey", "check", &survey.to_string_lossy(), "--strict"],
        1,
        &[
            "gaps.csv: line 3",
            "(warnings are refused as errors) (command line: --strict)",
        ],
    );
    assert!(!map.exists());
}

/// Outputs that cannot be written exit 3 and leave nothing behind. Tests run as root, whom
/// permission bits do not stop, so the unwritable folder is one below a regular file: no
/// user can create it (ENOTDIR), deterministically.
#[test]
fn outputs_that_cannot_be_written_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = write(d, "plain-file", "x");
    let target = file.join("maps").join("map.png");
    exits(
        &["map", "--size", "200", "-o", &target.to_string_lossy()],
        3,
        &["plain-file/maps/map.png", "cannot create folder"],
    );
    let folder = d.join("folder.png");
    std::fs::create_dir(&folder).unwrap();
    exits(
        &["map", "--size", "200", "-o", &folder.to_string_lossy()],
        3,
        &["folder.png", "is a directory"],
    );
    // Writing over one of the run's inputs is refused, and the input is left as it was.
    let survey = write(
        d,
        "answers.csv",
        format!("{HEADER}R1,01001,1,1\nR2,01002,2,2\n"),
    );
    let before = std::fs::read(&survey).unwrap();
    let s = survey.to_string_lossy();
    exits(
        &["stats", "--survey", &s, "-o", &s],
        3,
        &["answers.csv", "refusing to overwrite"],
    );
    // The join report too, and before the survey is even read.
    exits(
        &["survey", "check", &s, "--report", &s],
        3,
        &["answers.csv", "refusing to overwrite"],
    );
    assert_eq!(std::fs::read(&survey).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 3, "{leftovers:?}");
}

/// The exit codes are a contract: `phare --help` and the README state the same four.
#[test]
fn exit_codes_are_documented_alike() {
    let help = String::from_utf8(phare(&["--help"]).stdout).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (code, kind, help_word, readme_word) in [
        (0, None, "success", "success"),
        (1, Some(ErrorKind::Input), "bad input", "bad input"),
        (2, Some(ErrorKind::Usage), "usage", "usage"),
        (
            3,
            Some(ErrorKind::Output),
            "output",
            "an output could not be written",
        ),
    ] {
        if let Some(kind) = kind {
            assert_eq!(kind.exit_code(), code);
        }
        assert!(
            help.contains(&format!("  {code}  {help_word}")),
            "--help lacks exit {code}: {help}"
        );
        assert!(
            readme.contains(&format!("| {code} | {readme_word}")),
            "README lacks exit {code}"
        );
    }
    // And they are what the binary returns.
    exits(&["lookup", "--code", "69123"], 0, &[]);
    exits(
        &["lookup", "--at", "842000,6519000"],
        2,
        &["not a longitude/latitude"],
    );
    exits(&["map", "--no-such-option"], 2, &[]);
}

// ---- nothing lost ------------------------------------------------------------------------------

/// `phare map` killed with SIGKILL while it writes leaves the previous map byte for byte, and
/// a temporary file named `.map.png.<pid>.phare-tmp` that the next run into the folder
/// removes. The kill lands when the temporary file appears (polled in a tight loop); should
/// the run win the race and rename first, the attempt is repeated.
#[test]
fn a_map_killed_while_writing_leaves_the_previous_one_intact() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let map = d.join("map.png");
    let previous = b"the previous map, which must survive".to_vec();
    let temp_of = |pid: u32| d.join(format!(".map.png.{pid}{}", phare::output::TMP_SUFFIX));
    let mut leftover = None;
    for _ in 0..5 {
        std::fs::write(&map, &previous).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_phare"))
            .args(["map", "--size", "3000", "-o"])
            .arg(&map)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let temp = temp_of(child.id());
        while !temp.exists() && child.try_wait().unwrap().is_none() {}
        child.kill().unwrap();
        child.wait().unwrap();
        if temp.exists() {
            leftover = Some(temp);
            break;
        }
    }
    let Some(temp) = leftover else {
        panic!("in 5 runs the kill never landed while the map was being written")
    };
    assert_eq!(std::fs::read(&map).unwrap(), previous);

    // The next run writing into the folder cleans it, and leaves the previous map alone.
    exits(
        &[
            "map",
            "--size",
            "200",
            "-o",
            &d.join("other.svg").to_string_lossy(),
        ],
        0,
        &[],
    );
    assert!(!temp.exists(), "{} was not cleaned", temp.display());
    assert_eq!(std::fs::read(&map).unwrap(), previous);
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["map.png", "other.svg", "other.svg.json"]);
}

/// `phare geodata check` on the reference data: the source files are valid (GEOS-valid, as
/// ../shared/geodata/README.md says), and so is every level of the embedded topology: the
/// dissolved départements and régions too, where neighbouring communes' borders cross between
/// vertices (noded at the build, on the grid of the written file).
#[test]
fn geodata_check_counts_on_the_reference_data() {
    if let Some(g) = crate::common::shared_geodata() {
        let files = [
            "communes.geojson",
            "departements.geojson",
            "regions.geojson",
        ]
        .map(|f| g.join(f).to_string_lossy().into_owned());
        let mut args = vec!["geodata", "check"];
        args.extend(files.iter().map(String::as_str));
        let out = phare(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        for (file, n) in [("communes", 34875), ("departements", 101), ("regions", 18)] {
            let line = format!("{file}.geojson: {n} features, 0 with geometry problems");
            assert!(stdout.contains(&line), "{line:?} not in {stdout}");
        }
    }
    let out = phare(&["geodata", "check", "--max", "100"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "embedded commune: 34875 features, 0 with geometry problems",
        "embedded departement: 101 features, 0 with geometry problems",
        "embedded region: 18 features, 0 with geometry problems",
    ] {
        assert!(stdout.contains(line), "{line:?} not in {stdout}");
    }
}

// ---- inputs the fuzzers found ----------------------------------------------------------------

const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");

/// Each crashed (panic or 32 GB allocation) before its fix; now each is read or refused.
#[test]
fn inputs_found_by_fuzzing_are_answered() {
    let bad = Path::new(BAD);
    // A shape record claiming ~2 billion points: refused before any allocation.
    let p = bad.join("fuzz-huge-record.shp");
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["feature 1", "points but holds", "export it again"],
    );
    // A record of negative length holding 654 million parts: the crate allocated 2.6 GB.
    let p = bad.join("fuzz-unindexed-record.shp");
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &["feature 1", "negative length", "export it again"],
    );
    // A part starting at point -820641792: the crate sized the part by the gap (13 GB).
    let p = bad.join("fuzz-part-start.shp");
    expect(
        load(&p),
        ErrorKind::Input,
        &p,
        &[
            "feature 2",
            "part 1 starts at point -820641792, outside its 21 points",
        ],
    );
    // A DBF code whose first bytes decode to multi-byte characters: the département is taken
    // by characters, not bytes (it panicked slicing inside '÷').
    let p = bad.join("fuzz-code-bytes.shp");
    let layer = load(&p).unwrap();
    assert_eq!(layer.territories[0].departement.as_deref(), Some("0÷"));
    // A cell reference whose column overflows calamine's arithmetic.
    let p = bad.join("fuzz-cell-overflow.xlsx");
    expect(
        read_survey(&p, &ReadOptions::default()),
        ErrorKind::Input,
        &p,
        &["cannot read the spreadsheet"],
    );
}
