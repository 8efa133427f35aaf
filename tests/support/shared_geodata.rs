//! Where the full reference data set lives for tests and benches: one file that the library's
//! unit tests, the integration tests and the benches include by path, so that this test helper
//! is no part of the library's public API.

/// The full reference data set `../shared/geodata` beside the checkout, when present.
///
/// Tests and benches on the full data use it; with `PHARE_REQUIRE_SHARED=1` (set by `.ci/run`
/// where the data exists) its absence is an error instead of a skip.
pub fn shared_geodata() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/geodata");
    if dir.join("communes.geojson").is_file() {
        Some(dir)
    } else if std::env::var_os("PHARE_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("PHARE_REQUIRE_SHARED=1 but {} is missing", dir.display())
    } else {
        eprintln!("skipped: ../shared/geodata is absent");
        None
    }
}
