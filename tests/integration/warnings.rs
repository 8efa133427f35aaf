//! Nothing silent (issue 11, points 1-3): every warning a stage computes reaches stderr and
//! the sidecar, dropped labels are named, and empty results are errors or warnings.

use crate::common;

use std::path::Path;

fn sidecar(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("sidecar written");
    serde_json::from_str(&text).expect("sidecar is JSON")
}

fn warnings_of(json: &serde_json::Value) -> Vec<String> {
    json["warnings"]
        .as_array()
        .expect("a warnings list")
        .iter()
        .map(|w| w.as_str().expect("a sentence").to_string())
        .collect()
}

/// 21 communes of the Ain with values 1 to 21 and one with 100: equal intervals cannot fill
/// more than two classes.
fn skewed_indicators(dir: &Path) {
    let codes = [
        "01001", "01002", "01004", "01005", "01006", "01007", "01008", "01009", "01010", "01011",
        "01012", "01013", "01014", "01015", "01016", "01017", "01019", "01021", "01022", "01023",
        "01024", "01025",
    ];
    let mut csv = String::from("codgeo,emp\n");
    for (i, code) in codes.iter().enumerate() {
        let v = if i + 1 == codes.len() { 100 } else { i + 1 };
        csv += &format!("{code},{v}\n");
    }
    std::fs::write(dir.join("emp.csv"), csv).expect("fixture written");
}

#[test]
fn classification_warning_reaches_stderr_and_sidecar() {
    let dir = tempfile::tempdir().expect("temp dir");
    skewed_indicators(dir.path());
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--indicators",
            "emp.csv",
            "--value",
            "emp",
            "--method",
            "equal-interval",
            "--classes",
            "5",
            "--within",
            "dep:01",
            "-o",
            "emp.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let using_2 = "equal intervals: 5 classes would leave some empty (gaps in the data), using 2";
    assert!(stderr.contains(&format!("warning: {using_2}")), "{stderr}");
    let json = sidecar(&dir.path().join("emp.svg.json"));
    assert_eq!(json["classes"].as_array().map(Vec::len), Some(2));
    assert!(warnings_of(&json).iter().any(|w| w == using_2), "{json}");
}

#[test]
fn dropped_labels_are_named_on_stderr_and_in_sidecar() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--level",
            "departement",
            "--value",
            "population",
            "--labels",
            "name",
            "-o",
            "dep.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json = sidecar(&dir.path().join("dep.svg.json"));
    let dropped: Vec<&str> = json["labels_dropped"]
        .as_array()
        .expect("a labels_dropped list")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    // Finistère, both Corsican départements and the petite couronne have no room.
    for code in ["29", "2A", "2B", "75", "92", "93", "94"] {
        assert!(dropped.contains(&code), "{code} not in {dropped:?}");
    }
    // Labelled ones are not listed: the Gironde and the Rhône have room.
    assert!(
        !dropped.contains(&"33") && !dropped.contains(&"69"),
        "{dropped:?}"
    );
    let sentence = format!("{} of 96 labels left out", dropped.len());
    let warning = warnings_of(&json)
        .into_iter()
        .find(|w| w.starts_with(&sentence))
        .unwrap_or_else(|| panic!("no '{sentence}' warning in {json}"));
    assert!(warning.contains("Finistère (29)"), "{warning}");
    assert!(
        warning.contains("Île-de-France zoom is drawn without labels"),
        "{warning}"
    );
    assert!(stderr.contains(&format!("warning: {warning}")), "{stderr}");
}

#[test]
fn a_file_that_joins_no_row_is_an_error_naming_the_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("deps.csv"), "codgeo,emp\n01,5\n69,7\n").expect("written");
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--indicators",
            "deps.csv",
            "--value",
            "emp",
            "-o",
            "d.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("deps.csv: none of the 2 rows matches a commune (codes such as 01, 69)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a file of département or région codes"),
        "{stderr}"
    );
    assert!(!dir.path().join("d.svg").exists());
}

#[test]
fn an_all_hatched_map_says_so_and_names_the_coarser_level() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(
        dir.path(),
        &[
            "map", "--level", "commune", "--within", "dep:69", "--min-n", "20", "-o", "c.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json = sidecar(&dir.path().join("c.svg.json"));
    assert!(json["classes"].as_array().is_some_and(Vec::is_empty));
    let warnings = warnings_of(&json);
    let coarser = "no commune has an effective sample (Kish n eff.) of 20 (--min-n) for q4:oui: \
                   at the region level, 5 have enough; try --level region";
    assert!(warnings.iter().any(|w| w == coarser), "{warnings:?}");
    let hatched = warnings
        .iter()
        .find(|w| w.starts_with("every commune with answers is hatched"))
        .unwrap_or_else(|| panic!("no hatched warning in {warnings:?}"));
    for w in [coarser, hatched.as_str()] {
        assert!(stderr.contains(&format!("warning: {w}")), "{stderr}");
    }
}

#[test]
fn small_multiples_and_atlas_pages_carry_their_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--by-actor",
            "--level",
            "departement",
            "--value",
            "frag_emploi:mean",
            "--min-n",
            "20",
            "-o",
            "actors.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json = sidecar(&dir.path().join("actors.svg.json"));
    let warnings = warnings_of(&json);
    // Too few mayors per département in the sample: the panel says its map shows no value,
    // and which level would show some.
    let coarser = "Maires: no departement has an effective sample (Kish n eff.) of 20 (--min-n) \
                   for frag_emploi:mean: at the region level, 5 have enough; try --level region";
    assert!(warnings.iter().any(|w| w == coarser), "{warnings:?}");
    assert!(stderr.contains(&format!("warning: {coarser}")), "{stderr}");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("Maires: every departement with answers is hatched")),
        "{warnings:?}"
    );
    // Each panel's own warnings are listed with its heading, and printed.
    for panel in json["panels"].as_array().expect("panels") {
        let heading = panel["heading"].as_str().expect("heading");
        for w in warnings_of(&panel["provenance"]) {
            let listed = format!("{heading}: {w}");
            assert!(warnings.contains(&listed), "{listed} not in {warnings:?}");
            assert!(stderr.contains(&format!("warning: {listed}")), "{stderr}");
        }
    }

    let out = common::phare_in(
        dir.path(),
        &[
            "atlas",
            "--level",
            "commune",
            "--value",
            "population",
            "--labels",
            "code",
            "--size",
            "600",
            "--format",
            "svg",
            "-o",
            "atlas",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let index = sidecar(&dir.path().join("atlas/atlas.json"));
    let pages = index.as_array().expect("one entry per page");
    let with_drops = pages
        .iter()
        .filter(|p| {
            p["provenance"]["labels_dropped"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
        })
        .collect::<Vec<_>>();
    // Île-de-France's 1,266 communes cannot all be labelled on a 600 px page.
    assert!(
        with_drops.iter().any(|p| p["code"] == "11"),
        "Île-de-France dropped no label"
    );
    for page in with_drops {
        let w = warnings_of(&page["provenance"])
            .into_iter()
            .find(|w| w.contains("labels left out"))
            .expect("the drop is stated");
        let code = page["code"].as_str().expect("page code");
        assert!(
            stderr.contains(&format!("warning: page {code} ")),
            "{stderr}"
        );
        assert!(stderr.contains(&w), "{stderr}");
    }
}

/// Values keyed by commune drawn on a département map match no territory: the map says so
/// instead of drawing France in grey.
#[test]
fn boundaries_matching_none_of_the_data_say_so() {
    use phare::Level;
    use phare::boundaries::embedded;
    use phare::compose::map::{MapSpec, build_scene};
    use phare::values::{BoundaryIndicator, boundary_data};

    let b = embedded::cached().expect("embedded boundaries decode");
    let data =
        boundary_data(b, Level::Commune, BoundaryIndicator::Population).expect("populations");
    let spec = MapSpec {
        level: Level::Departement,
        width: 400,
        height: 400,
        ..Default::default()
    };
    let style = phare::style::Style::builtin("default").expect("default style");
    let (_, prov) = build_scene(b, &data, &style, &spec).expect("map drawn");
    assert!(prov.classes.is_empty());
    let expected = format!(
        "none of the {} departement codes of the boundaries matches the data's {} codes \
         (such as 01001, 01002, 01004)",
        b.departements.territories.len(),
        data.values.len()
    );
    assert!(
        prov.warnings.iter().any(|w| w.starts_with(&expected)),
        "{:?}",
        prov.warnings
    );
}

#[test]
fn profile_json_and_stderr_list_the_join_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("ind.csv"), "codgeo,emp\n69123,5\n99999,3\n").expect("written");
    let out = common::phare_in(
        dir.path(),
        &["profile", "Lyon", "--indicators", "ind.csv", "--json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let unmatched = "ind.csv: 1 of 2 rows match no commune and are left out (line 3 '99999')";
    assert!(
        stderr.contains(&format!("warning: {unmatched}")),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("profile JSON");
    assert_eq!(warnings_of(&json), [unmatched]);
}

#[test]
fn dashboard_series_warnings_reach_stderr_and_the_page_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(
        dir.path(),
        &["dashboard", "--within", "reg:94", "-o", "corse.html"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let html = std::fs::read_to_string(dir.path().join("corse.html")).expect("page written");
    // `warning: <level>|<measure>|<actor>: <sentence>`, the sentence in that series' data.
    let series: Vec<(&str, &str)> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .filter_map(|l| l.split_once(": "))
        .filter(|(key, _)| key.contains('|'))
        .collect();
    assert!(!series.is_empty(), "no series warning in {stderr}");
    for (key, sentence) in series {
        assert!(
            html.contains(&format!("\"{key}\":")),
            "{key} not in the page"
        );
        assert!(html.contains(sentence), "'{sentence}' not in the page");
    }
}

/// The README's map without `--min-n`: no région of the 304-mayor sample reaches n eff. 30, and
/// the map says so, pointing to France as a whole rather than a coarser map level.
#[test]
fn the_default_map_says_no_region_has_enough_and_where_to_read_france() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(dir.path(), &["map", "-o", "m.svg"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warnings = warnings_of(&sidecar(&dir.path().join("m.svg.json")));
    let expected = "no region has an effective sample (Kish n eff.) of 30 (--min-n) for q4:oui, \
                    at any level of the map: `phare stats` gives France as a whole";
    assert!(
        warnings.iter().any(|w| w.starts_with(expected)),
        "{warnings:?}"
    );
    assert!(stderr.contains(&format!("warning: {expected}")), "{stderr}");
}

/// A count given for some communes of a département only: the département's total is a
/// partial sum, and the map says which.
#[test]
fn a_count_summed_from_part_of_a_departement_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("men.csv"),
        "CODGEO;NB_MEN\n01001;320\n01002;110\n69123;250000\n",
    )
    .expect("written");
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--indicators",
            "men.csv",
            "--value",
            "NB_MEN",
            "--level",
            "departement",
            "-o",
            "m.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warnings = warnings_of(&sidecar(&dir.path().join("m.svg.json")));
    let w = warnings
        .iter()
        .find(|w| w.starts_with("2 departements are summed from only part of their communes"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(w.contains("01 (2 of ") && w.contains("69 (1 of "), "{w}");
    assert!(stderr.contains(&format!("warning: {w}")), "{stderr}");
}

/// INSEE's secret marker in the mapped column: the territory is drawn « non renseigné » and
/// the map says how many values were set aside.
#[test]
fn secret_values_of_the_mapped_column_are_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("filo.csv"),
        "CODGEO;MED21\n01001;23450\n01002;s\n01004;21000,5\n",
    )
    .expect("written");
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--indicators",
            "filo.csv",
            "--value",
            "MED21",
            "--level",
            "commune",
            "--within",
            "dep:01",
            "-o",
            "m.svg",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let warnings = warnings_of(&sidecar(&dir.path().join("m.svg.json")));
    let expected = "filo.csv: column 'MED21': 1 values marked not available or secret";
    assert!(
        warnings.iter().any(|w| w.starts_with(expected)),
        "{warnings:?}"
    );
    assert!(stderr.contains(&format!("warning: {expected}")), "{stderr}");
}
