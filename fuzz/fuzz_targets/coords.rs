//! Coordinates typed on the command line (`--at`), and style overrides (`--set key=value`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::lookup::parse_point;
use phare::style::Style;
use std::sync::OnceLock;

/// Parsing the builtin style takes longer than the rest: once, then cloned.
static BASE: OnceLock<Style> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for lat_lon in [false, true] {
        if let Ok((lon, lat)) = parse_point(text, lat_lon) {
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        }
    }
    let _ = BASE.get_or_init(Style::default).clone().set_pair(text);
});
