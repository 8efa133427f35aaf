//! Boundary loaders: GeoJSON and Shapefile, on small fixtures and on the full ../shared data.

use std::path::{Path, PathBuf};

use phare::boundaries::{self, LoadOptions};
use phare::{Layer, Level};

/// A file of ../shared/geodata, or `None` (test skipped) on a fresh clone without it.
/// (`../../shared` too: git worktrees sit one level deeper than the main checkout.)
fn shared(name: &str) -> Option<PathBuf> {
    let found = ["/../shared/geodata", "/../../shared/geodata"]
        .iter()
        .map(|d| Path::new(&format!("{}{d}", env!("CARGO_MANIFEST_DIR"))).join(name))
        .find(|p| p.exists());
    if found.is_none() {
        eprintln!("skipped: ../shared absent");
    }
    found
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
