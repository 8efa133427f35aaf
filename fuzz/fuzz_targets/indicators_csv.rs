//! Commune indicator files as CSV.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_indicators_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let name = Path::new("input.csv");
    let _ = read_indicators_bytes(data.to_vec(), name, &ReadOptions::default(), None);
});
