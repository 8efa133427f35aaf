//! The embedded default data: counts and codes, shared borders identical between
//! neighbours, départements and régions tiling exactly like their communes, enclaves kept,
//! size, and a byte-for-byte reproducible build from `../shared`.

use std::collections::HashMap;
use std::path::Path;

use geo::Contains;
use geo_types::{Coord, MultiPolygon, Point};
use phare::boundaries::{Boundaries, embedded};
use phare::projection::{Projection, area_km2};
use phare::territory::is_overseas_departement;

fn data() -> &'static Boundaries {
    embedded::cached().expect("embedded data decodes")
}

#[test]
fn embedded_counts_and_known_codes() {
    let b = data();
    assert_eq!(b.communes.len(), 34_875);
    assert_eq!(b.departements.len(), 101);
    assert_eq!(b.regions.len(), 18);
    let c = b.communes.get("01001").expect("01001");
    assert_eq!(c.name, "L'Abergement-Clémenciat");
    assert_eq!(
        (c.departement.as_deref(), c.region.as_deref()),
        (Some("01"), Some("84"))
    );
    assert_eq!(c.epci.as_deref(), Some("200069193"));
    assert!(c.population.is_some_and(|p| p > 0));
    assert_eq!(
        b.communes.get("2A004").map(|c| c.name.as_str()),
        Some("Ajaccio")
    );
    assert_eq!(
        b.communes.get("97411").map(|c| c.departement.as_deref()),
        Some(Some("974"))
    );
    assert_eq!(
        b.communes.get("75056").and_then(|c| c.population),
        Some(2_103_778)
    );
    assert_eq!(
        b.departements.get("2B").map(|d| d.region.as_deref()),
        Some(Some("94"))
    );
    assert_eq!(
        b.regions.get("11").map(|r| r.name.as_str()),
        Some("Île-de-France")
    );
    assert!(
        b.communes
            .territories
            .iter()
            .all(|t| !t.geometry.0.is_empty()),
        "every commune has a geometry"
    );
}

#[test]
fn without_geometry_has_the_same_territories() {
    let light = embedded::boundaries_without_geometry().expect("decodes");
    let full = data();
    for (a, b) in [
        (&light.communes, &full.communes),
        (&light.departements, &full.departements),
        (&light.regions, &full.regions),
    ] {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.territories.iter().zip(&b.territories) {
            assert_eq!(
                (&x.code, &x.name, &x.departement, &x.region, x.population),
                (&y.code, &y.name, &y.departement, &y.region, y.population)
            );
            assert!(x.geometry.0.is_empty());
        }
    }
}

/// A vertex as an exact key: shared vertices decode from the same integers to the same bits.
type Key = [u64; 2];
fn key(c: Coord<f64>) -> Key {
    [c.x.to_bits(), c.y.to_bits()]
}

/// Directed edges of every ring of these geometries, with their number of uses.
fn edges<'a>(geoms: impl Iterator<Item = &'a MultiPolygon<f64>>) -> HashMap<(Key, Key), u32> {
    let mut out = HashMap::new();
    for ring in geoms
        .flat_map(|g| &g.0)
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    {
        for w in ring.0.windows(2) {
            *out.entry((key(w[0]), key(w[1]))).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn neighbours_share_identical_borders() {
    let b = data();
    let communes = edges(b.communes.territories.iter().map(|t| &t.geometry));
    // No overlap: no edge is used twice in the same direction, but for two edges of one
    // grid step (1e-5°, about 1 m) where the source's neighbours overlap by less than that
    // and the build snaps them onto the grid of the file (13035/13105, 72051/72253).
    let twice: Vec<_> = communes.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(twice.len(), 2, "edges walked twice the same way: {twice:?}");
    for (&(a, b), _) in twice {
        let d = |i: usize| (f64::from_bits(a[i]) - f64::from_bits(b[i])).abs();
        assert!(d(0) + d(1) <= 1.5e-5, "one grid step: {a:?} {b:?}");
    }
    // Every edge either has its reverse in exactly one neighbour, or lies on the outline of
    // France (coast, national border, holes no commune fills) that the régions, dissolved
    // from the same arcs, draw; the rest are the source's own small gaps and overlaps
    // between communes (0.2 km² in all), which the dissolve absorbs.
    let unmatched = |e: &HashMap<(Key, Key), u32>| -> std::collections::HashSet<(Key, Key)> {
        e.keys()
            .filter(|(a, b)| !e.contains_key(&(*b, *a)))
            .copied()
            .collect()
    };
    let outline = unmatched(&communes);
    let regions = edges(b.regions.territories.iter().map(|t| &t.geometry));
    let france = unmatched(&regions);
    assert!(
        france.is_subset(&outline),
        "the outline of France is made of commune edges"
    );
    let shared = communes.len() - outline.len();
    let defects = outline.len() - france.len();
    eprintln!(
        "{shared} shared edges, {} on the outline, {defects} around source slivers",
        france.len()
    );
    assert!(shared > 1_000_000 / 2, "{shared} shared edges");
    assert!(
        defects * 100 < shared,
        "{defects} unmatched edges inside France"
    );
    // Département and région borders are made of commune edges, in the same direction.
    let departements = edges(b.departements.territories.iter().map(|t| &t.geometry));
    for e in departements.keys().chain(regions.keys()) {
        assert!(
            communes.contains_key(e),
            "a département or région edge is not a commune edge"
        );
    }
}

#[test]
fn departements_and_regions_tile_like_their_communes() {
    let b = data();
    let metro = |dep: Option<&str>| dep.is_some_and(|d| !is_overseas_departement(d));
    let sum = |layer: &phare::Layer, is_metro: &dyn Fn(&phare::Territory) -> bool| -> f64 {
        layer
            .territories
            .iter()
            .filter(|t| is_metro(t))
            .map(|t| area_km2(&t.geometry, Projection::Lambert93))
            .sum()
    };
    let communes = sum(&b.communes, &|t| metro(t.departement.as_deref()));
    let departements = sum(&b.departements, &|t| metro(t.departement.as_deref()));
    let regions = sum(&b.regions, &|t| t.code.as_str() >= "11");
    assert!(
        (communes - 548_861.0).abs() < 100.0,
        "metropolitan France {communes} km²"
    );
    assert!(
        (departements / communes - 1.0).abs() < 1e-6,
        "{departements} vs {communes}"
    );
    assert!(
        (regions / communes - 1.0).abs() < 1e-6,
        "{regions} vs {communes}"
    );
}

#[test]
fn enclaves_survive() {
    let b = data();
    let geometry = |code: &str| &b.departements.get(code).expect(code).geometry;
    // Valréas (84, Enclave des Papes) lies inside the Drôme's outline but in a hole of it.
    let valreas = Point::new(4.986238, 44.380542);
    assert!(
        b.communes
            .get("84138")
            .expect("Valréas")
            .geometry
            .contains(&valreas)
    );
    assert!(geometry("84").contains(&valreas));
    assert!(!geometry("26").contains(&valreas));
    assert!(geometry("26").0.iter().any(|p| {
        p.interiors()
            .iter()
            .any(|h| geo_types::Polygon::new(h.clone(), vec![]).contains(&valreas))
    }));
    // Llívia (Spain) is a hole of the Pyrénées-Orientales and of Occitanie.
    let llivia = Point::new(1.98, 42.465);
    for g in [geometry("66"), &b.regions.get("76").expect("76").geometry] {
        assert!(!g.contains(&llivia));
        assert!(g.0.iter().any(|p| {
            p.interiors()
                .iter()
                .any(|h| geo_types::Polygon::new(h.clone(), vec![]).contains(&llivia))
        }));
    }
}

/// Budget of `geodata/` (issue 2: under 10 MB), so that it cannot silently grow.
const GEODATA_BUDGET: u64 = 10_000_000;

#[test]
fn geodata_stays_small_and_is_attributed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let total: u64 = std::fs::read_dir(&dir)
        .expect("geodata/")
        .map(|e| e.expect("entry").metadata().expect("metadata").len())
        .sum();
    assert!(total < GEODATA_BUDGET, "geodata/ is {total} bytes");
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("geodata/README.md");
    for needle in [
        "ADMIN EXPRESS",
        "Code officiel géographique",
        "Licence Ouverte 2.0",
        "phare geodata build",
    ] {
        assert!(readme.contains(needle), "README lacks {needle}");
    }
}

#[test]
fn build_from_shared_reproduces_the_shipped_file() {
    let Some(from) = crate::common::shared_geodata() else {
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(["geodata", "build", "--from"])
        .arg(&from)
        .arg("-o")
        .arg(out.path())
        .output()
        .expect("runs phare");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let built = std::fs::read(out.path().join("france.topojson")).expect("written");
    assert!(
        built == embedded::DATA,
        "rebuilding geodata/ from ../shared changed france.topojson"
    );
    let built = std::fs::read(out.path().join("communes.csv")).expect("written");
    assert!(
        built == embedded::COMMUNES,
        "rebuilding geodata/ from ../shared changed communes.csv"
    );
    let history = std::fs::read(out.path().join("cog-history.csv")).expect("copied");
    assert_eq!(
        history,
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/cog-history.csv"))
            .expect("shipped")
    );
}

#[test]
fn geodata_cli_rejects_a_bad_tolerance_and_a_missing_folder() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_phare"))
            .args(args)
            .output()
            .expect("runs")
    };
    let bad = run(&["geodata", "build", "--tolerance=-3", "-o", "unused"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--tolerance"));
    let missing = run(&[
        "geodata",
        "build",
        "--from",
        "/nonexistent-phare-dir",
        "-o",
        "unused",
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("communes.geojson"));
    let info = run(&["geodata", "info"]);
    assert!(info.status.success());
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(
        text.contains("34875 territories") && text.contains("Licence Ouverte 2.0"),
        "{text}"
    );
}

#[test]
fn simplified_communes_are_valid_polygons() {
    use geo::Validation;
    let invalid: Vec<&str> = data()
        .communes
        .territories
        .iter()
        .filter(|t| !t.geometry.is_valid())
        .map(|t| t.code.as_str())
        .collect();
    assert!(invalid.is_empty(), "invalid communes: {invalid:?}");
}
