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
