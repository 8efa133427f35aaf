//! Survey files as CSV: dialect sniffing, encodings, validation of every column.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_survey};

fuzz_target!(|data: &[u8]| {
    let path = phare_fuzz::write_files(&[("input.csv", data)]);
    let _ = read_survey(&path, &ReadOptions::default());
});
