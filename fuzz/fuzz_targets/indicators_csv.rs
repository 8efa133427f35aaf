//! Commune indicator files as CSV.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_indicators};

fuzz_target!(|data: &[u8]| {
    let path = phare_fuzz::write_files(&[("input.csv", data)]);
    let _ = read_indicators(&path, &ReadOptions::default());
});
