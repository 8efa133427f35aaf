//! DBF attribute tables (fields, records, text encodings), beside a fixed one-square
//! shapefile; the first input byte picks a .cpg, or none.
#![no_main]
use libfuzzer_sys::fuzz_target;
use phare::boundaries::{LoadOptions, load};

const SHP: &[u8] = include_bytes!("../seeds/square.shp");
const SHX: &[u8] = include_bytes!("../seeds/square.shx");
const CPG: [&str; 4] = ["UTF-8", "CP1252", "ISO-8859-1", "nonsense"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, dbf)) = data.split_first() else {
        return;
    };
    let cpg = CPG.get(pick as usize).map(|c| c.as_bytes());
    let mut files = vec![("input.shp", SHP), ("input.shx", SHX), ("input.dbf", dbf)];
    files.extend(cpg.map(|c| ("input.cpg", c)));
    let path = phare_fuzz::write_files(&files);
    if cpg.is_none() {
        let _ = std::fs::remove_file(path.with_extension("cpg"));
    }
    let _ = load(&path, &LoadOptions::default());
});
