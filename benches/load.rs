//! Loader timings on the full ../shared data (release): `cargo bench --bench load`.
//!
//! Target: communes.geojson (34,875 communes, 29 MB, 1.07 M vertices) loaded, plus an
//! R-tree of their bounding boxes, under 0.5 s on 2 cores.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use geo::BoundingRect;
use phare::boundaries::{self, LoadOptions};
use phare::projection::{Projection, area_km2, for_departement};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

fn shared(name: &str) -> Option<PathBuf> {
    ["/../shared/geodata", "/../../shared/geodata"]
        .iter()
        .map(|d| Path::new(&format!("{}{d}", env!("CARGO_MANIFEST_DIR"))).join(name))
        .find(|p| p.exists())
}

/// Best of `runs` timings of `f`.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("runs > 0"))
}

fn main() {
    // `cargo bench --bench load -- communes.geojson` times one file only (for profiling).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
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
        let (time, layer) = best(5, || boundaries::load(&path, &opts));
        match layer {
            Ok(layer) => println!(
                "load {name:<24} {:>4} features  {:>7.1} ms",
                layer.len(),
                time.as_secs_f64() * 1e3
            ),
            Err(e) => println!("load {name}: {e}"),
        }
    }
    if !only.is_empty() {
        return;
    }
    let Some(path) = shared("communes.geojson") else {
        return;
    };
    let (time, tree) = best(5, || {
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
        "load communes.geojson + R-tree of {} boxes: {:.1} ms (target < 500 ms)",
        tree.0.size(),
        time.as_secs_f64() * 1e3
    );
    let layer = tree.1;
    let (time, km2) = best(5, || {
        layer
            .territories
            .iter()
            .map(|t| {
                area_km2(
                    &t.geometry,
                    t.departement
                        .as_deref()
                        .map_or(Projection::Lambert93, for_departement),
                )
            })
            .sum::<f64>()
    });
    println!(
        "area_km2 of all communes (1.07 M vertices projected): {:.1} ms, {km2:.1} km²",
        time.as_secs_f64() * 1e3
    );
}
