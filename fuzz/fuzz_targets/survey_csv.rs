//! Survey files as CSV: dialect sniffing, encodings, validation of every column; read as is,
//! then with invalid rows skipped, which must keep every row of a file that reads whole.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::survey::{ReadOptions, read_survey_bytes};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let name = Path::new("input.csv");
    let whole = read_survey_bytes(data.to_vec(), name, &ReadOptions::default());
    let skip = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    let skipping = read_survey_bytes(data.to_vec(), name, &skip);
    match (whole, skipping) {
        (Ok(whole), Ok(skipping)) => {
            assert_eq!(skipping.skipped.rows, 0);
            assert_eq!(whole.respondents, skipping.respondents);
        }
        (Ok(_), Err(e)) => panic!("a file read whole is refused with skip_invalid: {e}"),
        (Err(_), Ok(skipping)) => {
            assert!(skipping.skipped.rows > 0 && !skipping.respondents.is_empty());
            let lines = skipping.skipped.lines();
            assert!(skipping.respondents.iter().all(|r| !lines.contains(&r.line)));
        }
        (Err(_), Err(_)) => {}
    }
});
