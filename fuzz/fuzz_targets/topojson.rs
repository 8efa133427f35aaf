//! TopoJSON boundary files (arcs, transforms, deltas).
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::boundaries::{LoadOptions, load};

fuzz_target!(|data: &[u8]| {
    let path = phare_fuzz::write_files(&[("input.topojson", data)]);
    let _ = load(&path, &LoadOptions::default());
});
