//! Point files of `phare lookup --points`: the streaming reader (delimiters, quotes, byte-order
//! marks, Windows-1252 and mixed encodings, rows shorter or longer than the header) and both
//! output encodings. The first byte chooses the options; the rest is the file.
#![no_main]
use geo_types::{MultiPolygon, polygon};
use libfuzzer_sys::fuzz_target;
use phare::lookup::points::{self, BatchOptions, OutputEncoding};
use phare::{Layer, Level, Territory};
use std::path::Path;

/// Two unit squares side by side, one with an accented name.
fn layer() -> Layer {
    let square = |code: &str, name: &str, x0: f64| Territory {
        code: code.into(),
        name: name.into(),
        level: Level::Commune,
        departement: Some("01".into()),
        region: Some("84".into()),
        epci: None,
        population: None,
        geometry: MultiPolygon(vec![polygon![
            (x: x0, y: 0.0), (x: x0 + 1.0, y: 0.0), (x: x0 + 1.0, y: 1.0), (x: x0, y: 1.0)
        ]]),
    };
    Layer::new(
        vec![square("01001", "Ouest", 0.0), square("01002", "Évian; \"le\"", 1.0)],
        "fuzz",
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, file)) = data.split_first() else {
        return;
    };
    let layer = layer();
    let options = BatchOptions {
        columns: ["lon", "lat"],
        swapped: choice & 1 == 1,
        encoding: if choice & 2 == 2 {
            OutputEncoding::Windows1252
        } else {
            OutputEncoding::Utf8
        },
    };
    let mut out = Vec::new();
    let Ok(report) = points::locate_csv(
        file,
        Path::new("points.csv"),
        &mut out,
        Path::new("out.csv"),
        || Ok(points::Communes::new(&layer)),
        options,
    ) else {
        return;
    };
    assert_eq!(
        report.rows,
        report.located + report.outside + report.unreadable.n,
        "every row is located, outside or unreadable"
    );
    if options.encoding == OutputEncoding::Utf8 {
        assert!(std::str::from_utf8(&out).is_ok(), "the whole output is UTF-8");
    }
});
