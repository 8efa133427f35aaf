//! Shapefiles: the input carries .shp, .shx and .dbf (see `phare_fuzz::split`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::boundaries::{LoadOptions, load};

fuzz_target!(|data: &[u8]| {
    let [shp, shx, dbf] = phare_fuzz::split::<3>(data);
    let path = phare_fuzz::write_files(&[
        ("input.shp", shp),
        ("input.shx", shx),
        ("input.dbf", dbf),
    ]);
    let _ = load(&path, &LoadOptions::default());
});
