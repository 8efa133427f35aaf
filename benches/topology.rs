//! Timings of the embedded data: decoding it (with and without geometry) and rebuilding it
//! from `../shared/geodata` (`cargo bench --bench topology`; `-- light` or `-- full` decodes one
//! variant only, to time a whole process).

#[path = "../tests/support/shared_geodata.rs"]
mod shared_geodata;

use std::time::Instant;

use phare::Level;
use phare::boundaries::{self, LoadOptions, embedded};
use phare::topology::france;

fn main() {
    // `-- light` or `-- full`: decode one variant and stop, to time a whole process.
    match std::env::args().nth(1).as_deref() {
        Some("light") => {
            return println!(
                "{}",
                embedded::boundaries_without_geometry()
                    .expect("decodes")
                    .communes
                    .len()
            );
        }
        Some("full") => return println!("{}", embedded::cached().expect("decodes").communes.len()),
        _ => {}
    }
    // Each variant decodes once per process (it is cached), so it is timed cold, first.
    let t = Instant::now();
    let light = embedded::boundaries_without_geometry().expect("decodes");
    println!(
        "decode without geometry: {:>7.1} ms ({} communes)",
        ms(t),
        light.communes.len()
    );
    let t = Instant::now();
    let full = embedded::cached().expect("decodes");
    println!(
        "decode with geometry:    {:>7.1} ms ({} communes)",
        ms(t),
        full.communes.len()
    );
    let t = Instant::now();
    let copy = embedded::boundaries().expect("cached");
    println!(
        "clone from the cache:    {:>7.1} ms ({} départements)",
        ms(t),
        copy.departements.len()
    );

    let Some(from) = shared_geodata::shared_geodata() else {
        return;
    };
    let t = Instant::now();
    let load = |file: &str, level: Level| {
        boundaries::load(
            &from.join(file),
            &LoadOptions {
                level: Some(level),
                ..Default::default()
            },
        )
        .expect("loads")
    };
    let (c, d, r) = (
        load("communes.geojson", Level::Commune),
        load("departements.geojson", Level::Departement),
        load("regions.geojson", Level::Region),
    );
    println!("read ../shared GeoJSON:  {:>7.1} ms", ms(t));
    let t = Instant::now();
    let built = france::build(&c, &d, &r, france::DEFAULT_TOLERANCE).expect("builds");
    println!(
        "topology + dissolve + simplify: {:>7.1} ms ({} → {} vertices)",
        ms(t),
        built.simplify.before,
        built.simplify.after
    );
    let t = Instant::now();
    let mut bytes = Vec::new();
    built.write_to(&mut bytes).expect("writes");
    println!(
        "write TopoJSON:          {:>7.1} ms ({:.2} MB)",
        ms(t),
        bytes.len() as f64 / 1e6
    );
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
