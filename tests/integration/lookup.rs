//! Lookup correctness on known places, on the embedded data and on the full reference data.

use std::path::Path;
use std::process::Command;

use phare::boundaries::{self, LoadOptions};
use phare::index::SpatialIndex;
use phare::{Layer, Level};

fn phare(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(args)
        .output()
        .expect("phare runs")
}

fn code_at(layer: &Layer, index: &SpatialIndex, lon: f64, lat: f64) -> Option<String> {
    index
        .locate(lon, lat)
        .map(|i| layer.territories[i].code.clone())
}

/// Places whose commune is beyond doubt, with the commune's code (None: no French commune).
const KNOWN: &[(&str, f64, f64, Option<&str>)] = &[
    ("Lyon, hôtel de ville", 4.8357, 45.7676, Some("69123")),
    ("Paris, Notre-Dame", 2.3499, 48.8530, Some("75056")),
    (
        "Valréas, Enclave des Papes (Vaucluse inside the Drôme)",
        4.9907,
        44.3842,
        Some("84138"),
    ),
    ("Llívia, Spanish enclave", 1.9806, 42.4647, None),
    ("Ajaccio", 8.7369, 41.9192, Some("2A004")),
    (
        "Saint-Denis de La Réunion",
        55.4504,
        -20.8789,
        Some("97411"),
    ),
    ("Atlantic ocean", -6.0, 46.0, None),
];

fn check_known(layer: &Layer) {
    let index = SpatialIndex::new(layer);
    for &(place, lon, lat, expected) in KNOWN {
        assert_eq!(
            code_at(layer, &index, lon, lat).as_deref(),
            expected,
            "{place}"
        );
    }
    let valreas = layer.get("84138").expect("Valréas");
    assert_eq!(valreas.departement.as_deref(), Some("84"));
}

#[test]
fn known_places_on_embedded_data() {
    let b = boundaries::embedded::boundaries().expect("embedded data");
    check_known(&b.communes);
}

#[test]
fn known_places_and_every_interior_point_on_full_data() {
    let Some(dir) = crate::common::shared_geodata() else {
        return;
    };
    let opts = LoadOptions {
        level: Some(Level::Commune),
        ..Default::default()
    };
    let layer = boundaries::load(&dir.join("communes.geojson"), &opts).expect("communes load");
    assert_eq!(layer.len(), 34_875);
    check_known(&layer);

    // communes.csv holds a point inside each commune (pole of inaccessibility): each must be
    // found in its own commune.
    let index = SpatialIndex::new(&layer);
    let mut reader = csv::Reader::from_path(dir.join("communes.csv")).expect("communes.csv");
    let mut wrong = Vec::new();
    let mut n = 0;
    for r in reader.records() {
        let r = r.expect("record");
        let (code, lon, lat) = (
            &r[0],
            r[6].parse::<f64>().unwrap(),
            r[7].parse::<f64>().unwrap(),
        );
        n += 1;
        if code_at(&layer, &index, lon, lat).as_deref() != Some(code) {
            wrong.push(code.to_string());
        }
    }
    assert_eq!(n, 34_875);
    assert!(
        wrong.is_empty(),
        "interior points found elsewhere: {wrong:?}"
    );

    // Batches go through a grid, single points through the R-tree: the same answers, on
    // random points of metropolitan France and on every vertex (points on borders).
    let mut s: u64 = 7;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut points: Vec<[f64; 2]> = (0..100_000)
        .map(|_| [-5.2 + 13.5 * next(), 41.3 + 9.8 * next()])
        .collect();
    points.extend(
        layer.territories[..2000]
            .iter()
            .flat_map(|t| t.geometry.0[0].exterior().0.iter().map(|c| [c.x, c.y])),
    );
    let many = index.locate_many(&points);
    let differ = points
        .iter()
        .zip(&many)
        .filter(|(p, hit)| index.locate(p[0], p[1]) != **hit)
        .count();
    assert_eq!(differ, 0, "of {} points", points.len());
    assert!(many.iter().flatten().count() > 60_000);
}

#[test]
fn a_point_on_a_shared_border_gets_one_deterministic_answer() {
    let b = boundaries::embedded::boundaries().expect("embedded data");
    let layer = &b.communes;
    let index = SpatialIndex::new(layer);
    // Find an edge of Lyon shared, reversed, with Villeurbanne, and ask for its midpoint.
    let ring = |code: &str| layer.get(code).unwrap().geometry.0[0].exterior().0.clone();
    let (lyon, villeurbanne) = (ring("69123"), ring("69266"));
    let shared = lyon
        .windows(2)
        .find(|e| {
            villeurbanne
                .windows(2)
                .any(|f| f[0] == e[1] && f[1] == e[0])
        })
        .expect("Lyon and Villeurbanne share a border edge");
    let (x, y) = (
        (shared[0].x + shared[1].x) / 2.0,
        (shared[0].y + shared[1].y) / 2.0,
    );
    let first = code_at(layer, &index, x, y);
    assert!(
        matches!(first.as_deref(), Some("69123") | Some("69266")),
        "{first:?}"
    );
    for _ in 0..3 {
        assert_eq!(code_at(layer, &index, x, y), first);
    }
}

#[test]
fn cli_lookup_by_code_name_point_and_former_code() {
    let out = phare(&["lookup", "--code", "69123", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["code"], "69123");
    assert_eq!(v[0]["name"], "Lyon");
    assert_eq!(v[0]["departement"], "69");
    assert_eq!(v[0]["region"], "84");
    assert_eq!(v[0]["region_name"], "Auvergne-Rhône-Alpes");

    // Former code of a 2025 commune nouvelle (chef-lieu change): Conques → Conques-en-Rouergue.
    let out = phare(&["lookup", "--code", "12076", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["code"], "12218");
    assert_eq!(v[0]["match"]["kind"], "former_code");

    // Arrondissement and lost leading zero.
    let v: serde_json::Value =
        serde_json::from_slice(&phare(&["lookup", "--code", "75108", "--json"]).stdout).unwrap();
    assert_eq!(v[0]["code"], "75056");
    let v: serde_json::Value =
        serde_json::from_slice(&phare(&["lookup", "--code", "1001", "--json"]).stdout).unwrap();
    assert_eq!(v[0]["code"], "01001");

    // Name: accent-, case- and hyphen-insensitive; homonyms listed with their département.
    let out = phare(&["lookup", "--name", "saint etienne"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("42218") && text.contains("Saint-Étienne"),
        "{text}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&phare(&["lookup", "--name", "SAINT-MARTIN", "--json"]).stdout)
            .unwrap();
    let deps: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["departement"].as_str().unwrap())
        .collect();
    assert!(
        deps.len() > 1,
        "Saint-Martin homonyms in several départements: {deps:?}"
    );

    // Point, both orders.
    let v: serde_json::Value =
        serde_json::from_slice(&phare(&["lookup", "--at", "4.8357,45.7676", "--json"]).stdout)
            .unwrap();
    assert_eq!(v[0]["code"], "69123");
    let v: serde_json::Value = serde_json::from_slice(
        &phare(&["lookup", "--at", "45.7676,4.8357", "--lat-lon", "--json"]).stdout,
    )
    .unwrap();
    assert_eq!(v[0]["code"], "69123");
}

#[test]
fn cli_empty_lookups_exit_zero_with_a_message_and_errors_exit_nonzero() {
    let out = phare(&["lookup", "--at", "1.9806,42.4647"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no commune at this point"));
    let out = phare(&["lookup", "--name", "Lyom"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean: Lyon"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = phare(&["lookup", "--at", "842000,6519000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a longitude/latitude"));
    let out = phare(&[
        "lookup",
        "--at",
        "4.8,45.7",
        "--boundaries",
        "no/such/file.geojson",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.geojson"));
}

#[test]
fn cli_batch_appends_commune_columns_and_keeps_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("points.csv");
    std::fs::write(
        &input,
        "id;lon;lat\n1;4,8357;45,7676\n2;1,9806;42,4647\n3;abc;45\n4;55.4504;-20.8789\n",
    )
    .unwrap();
    let output = dir.path().join("out.csv");
    let out = phare(&[
        "lookup",
        "--points",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&output).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id;lon;lat;commune_code;commune_name;departement;region"
    );
    assert_eq!(lines[1], "1;4,8357;45,7676;69123;Lyon;69;84");
    assert_eq!(lines[2], "2;1,9806;42,4647;;;;");
    assert_eq!(lines[3], "3;abc;45;;;;");
    assert!(
        lines[4].starts_with("4;55.4504;-20.8789;97411;Saint-Denis;974;04"),
        "{}",
        lines[4]
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "4 rows: 2 in a commune, 1 outside every commune, 1 with unreadable coordinates"
    ));
    // The input is never overwritten.
    let out = phare(&[
        "lookup",
        "--points",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(Path::new(&input).exists());
}
