//! Survey files as .xlsx workbooks (zip + XML through calamine).
//!
//! phare contains calamine's panics on damaged workbooks (`catch_unwind` in the table reader,
//! reported as a damaged spreadsheet), but libFuzzer's panic hook aborts at the panic itself,
//! before any unwinding: the default hook is put back so only panics that escape phare (caught
//! by libfuzzer-sys around each input) count as crashes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_indicators_bytes, read_survey_bytes};
use std::path::Path;
use std::sync::Once;

static DEFAULT_HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    let name = Path::new("input.xlsx");
    let _ = read_survey_bytes(data.to_vec(), name, &ReadOptions::default());
    let _ = read_indicators_bytes(data.to_vec(), name, &ReadOptions::default(), None);
});
