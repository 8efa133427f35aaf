//! Files of points for `phare lookup --points` (a GIS or spreadsheet export): delimiter,
//! quoting, coordinate columns, decimal commas, against one square commune.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::Layer;
use phare::boundaries::{LoadOptions, load};
use phare::lookup::points::{Communes, locate_csv};
use std::path::Path;
use std::sync::OnceLock;

/// One commune, 01001, covering longitudes 4 to 6 and latitudes 45 to 47.
const SQUARE: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
"properties":{"code":"01001","nom":"Carré"},"geometry":{"type":"Polygon",
"coordinates":[[[4,45],[6,45],[6,47],[4,47],[4,45]]]}}]}"#;

static LAYER: OnceLock<Layer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let layer = LAYER.get_or_init(|| {
        let path = phare_fuzz::write_files(&[("square.geojson", SQUARE.as_bytes())]);
        load(&path, &LoadOptions::default()).expect("the square commune loads")
    });
    let mut out = Vec::new();
    let report = locate_csv(
        data,
        Path::new("input.csv"),
        &mut out,
        Path::new("output.csv"),
        || Ok(Communes::new(layer)),
        ["lon", "lat"],
    );
    if let Ok(report) = report {
        assert!(report.located + report.unreadable <= report.rows);
    }
});
