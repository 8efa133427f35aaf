//! Survey files as .xlsx workbooks (zip + XML through calamine).
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_indicators, read_survey};

fuzz_target!(|data: &[u8]| {
    let path = phare_fuzz::write_files(&[("input.xlsx", data)]);
    let _ = read_survey(&path, &ReadOptions::default());
    let _ = read_indicators(&path, &ReadOptions::default());
});
