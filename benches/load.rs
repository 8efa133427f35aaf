//! Loader timings on the full ../shared data (release): `cargo bench --bench load`, or
//! `cargo bench --bench load -- communes.geojson` for one file (e.g. under `perf`).
//!
//! Target: communes.geojson (34,875 communes, 29 MB, 1.07 M vertices) loaded, plus an
//! R-tree of their bounding boxes, under 0.5 s on 2 cores. Each line gives the best wall time
//! of 5 runs and the CPU time per run (all threads): on a shared machine the wall time alone
//! says little.

#[path = "../tests/support/shared_geodata.rs"]
mod shared_geodata;

use std::path::PathBuf;
use std::time::Instant;

use geo::BoundingRect;
use phare::boundaries::{self, LoadOptions};
use phare::projection::{Projection, area_km2, for_departement};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

const RUNS: usize = 5;

/// A file of ../shared/geodata, or `None` (skipped) on a fresh clone without it.
fn shared(name: &str) -> Option<PathBuf> {
    shared_geodata::shared_geodata().map(|d| d.join(name))
}

/// CPU seconds used by this process so far (user + system, all threads), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Runs `f` RUNS times: best wall milliseconds, CPU milliseconds per run, last result.
fn measure<T>(mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let cpu = cpu_seconds();
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..RUNS {
        drop(out.take()); // drop the previous result outside the timed part
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        out = Some(v);
    }
    let cpu_ms = (cpu_seconds() - cpu) * 1e3 / RUNS as f64;
    (best, cpu_ms, out.expect("RUNS > 0"))
}

fn main() {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if only.is_empty() {
        // Decoded once per process (cached): timed cold, first. CPU counts all threads.
        let cpu = cpu_seconds();
        let t = Instant::now();
        let b = phare::boundaries::embedded::cached().expect("embedded data decodes");
        println!(
            "decode embedded geodata {:>6} communes {:>7.1} ms wall {:>7.1} ms CPU",
            b.communes.len(),
            t.elapsed().as_secs_f64() * 1e3,
            (cpu_seconds() - cpu) * 1e3
        );
    }
    let opts = LoadOptions::default();
    let files = [
        "communes.geojson",
        "communes-wgs84.shp",
        "departements-l93.shp",
        "departements.geojson",
    ];
    for name in files
        .into_iter()
        .filter(|f| only.is_empty() || only.iter().any(|o| o == f))
    {
        let Some(path) = shared(name) else {
            eprintln!("skipped {name}: ../shared absent");
            continue;
        };
        match measure(|| boundaries::load(&path, &opts)) {
            (wall, cpu, Ok(layer)) => {
                println!(
                    "load {name:<22} {:>6} features {wall:>7.1} ms wall {cpu:>7.1} ms CPU",
                    layer.len()
                )
            }
            (_, _, Err(e)) => println!("load {name}: {e}"),
        }
    }
    if !only.is_empty() {
        return;
    }
    let Some(path) = shared("communes.geojson") else {
        return;
    };
    let (wall, cpu, (tree, layer)) = measure(|| {
        let layer = boundaries::load(&path, &opts).expect("communes load");
        let boxes = layer
            .territories
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let r = t.geometry.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        (RTree::bulk_load(boxes), layer)
    });
    println!(
        "load communes.geojson + R-tree of {} boxes: {wall:.1} ms wall {cpu:.1} ms CPU (target < 500 ms)",
        tree.size()
    );
    let (wall, cpu, km2) = measure(|| {
        let proj = |t: &phare::Territory| {
            t.departement
                .as_deref()
                .map_or(Projection::Lambert93, for_departement)
        };
        layer
            .territories
            .iter()
            .map(|t| area_km2(&t.geometry, proj(t)))
            .sum::<f64>()
    });
    println!(
        "area_km2 of every commune, one thread (1.07 M vertices): {wall:.1} ms wall {cpu:.1} ms CPU, {km2:.1} km²"
    );
}
