//! GeoJSON boundary files: any bytes give a layer or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::boundaries::{LoadOptions, load};

fuzz_target!(|data: &[u8]| {
    let path = phare_fuzz::write_files(&[("input.geojson", data)]);
    let _ = load(&path, &LoadOptions::default());
});
