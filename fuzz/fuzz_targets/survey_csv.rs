//! Survey files as CSV: dialect sniffing, encodings, validation of every column.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_survey_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = read_survey_bytes(data.to_vec(), Path::new("input.csv"), &ReadOptions::default());
});
