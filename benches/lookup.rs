//! Lookup workloads of issue 2 on the full reference data (`../shared/geodata`):
//! load + index the 34,875 communes, locate 1,000,000 random points of metropolitan France,
//! and stream them as CSV through the batch pipeline (index built inside, in memory).
//!
//! Run: `cargo bench --bench lookup`. Whole-process comparisons with geopandas are in the
//! README (hyperfine, `../shared/bench/run-anchor.sh pip-sjoin`).

#[path = "../tests/support/shared_geodata.rs"]
mod shared_geodata;

use std::time::Instant;

use phare::Level;
use phare::boundaries::{self, LoadOptions};
use phare::index::SpatialIndex;
use phare::lookup::points;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// SplitMix64: deterministic points without a dependency.
fn random_points(n: usize) -> Vec<[f64; 2]> {
    let mut s: u64 = 2016;
    let mut next = || {
        s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| [-5.2 + 13.5 * next(), 41.3 + 9.8 * next()])
        .collect()
}

fn main() {
    let Some(dir) = shared_geodata::shared_geodata() else {
        return;
    };
    let path = dir.join("communes.geojson");
    let opts = LoadOptions {
        level: Some(Level::Commune),
        ..Default::default()
    };
    let mut load = Vec::new();
    let mut layer = None;
    for _ in 0..5 {
        let t = Instant::now();
        let l = boundaries::load(&path, &opts).expect("load");
        let index = SpatialIndex::new(&l);
        load.push(t.elapsed().as_secs_f64());
        std::hint::black_box(&index);
        layer = Some(l);
    }
    let layer = layer.expect("loaded");
    println!(
        "load communes.geojson + build index: {:.3} s (median of 5)",
        median(load)
    );

    let index = SpatialIndex::new(&layer);
    let points = random_points(1_000_000);
    let mut par = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let hits = index.locate_many(&points);
        par.push(t.elapsed().as_secs_f64());
        found = hits.iter().flatten().count();
    }
    let t = Instant::now();
    let single = points
        .iter()
        .filter(|p| index.locate(p[0], p[1]).is_some())
        .count();
    let single_s = t.elapsed().as_secs_f64();
    assert_eq!(single, found);
    let par_s = median(par);
    println!(
        "1,000,000 points: {:.3} s on all cores = {:.2} M points/s ({found} in a commune); single thread {:.2} M points/s",
        par_s,
        1.0 / par_s,
        1.0 / single_s
    );

    let mut csv = String::from("id,lon,lat\n");
    for (i, p) in points.iter().enumerate() {
        csv.push_str(&format!("{i},{:.7},{:.7}\n", p[0], p[1]));
    }
    let mut runs = Vec::new();
    for _ in 0..3 {
        let mut out = Vec::with_capacity(csv.len() * 2);
        let t = Instant::now();
        let report = points::locate_csv(
            csv.as_bytes(),
            std::path::Path::new("points.csv"),
            &mut out,
            std::path::Path::new("located.csv"),
            || Ok(points::Communes::new(&layer)),
            points::BatchOptions {
                columns: ["lon", "lat"],
                swapped: false,
                encoding: points::OutputEncoding::Utf8,
            },
        )
        .expect("locates");
        runs.push(t.elapsed().as_secs_f64());
        assert_eq!(report.located, found);
    }
    println!(
        "CSV of 1,000,000 points -> located CSV, in memory, index built inside: {:.3} s (median of 3)",
        median(runs)
    );
}
