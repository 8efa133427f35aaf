//! The atlas workload of issue 5: the 13 metropolitan régions, communes coloured by density
//! on shared classes, one 2000x2000 PNG per région, on the embedded boundaries. Stage times
//! in process, then the whole `phare atlas` process.
//!
//! Run with `cargo bench --bench atlas`. Target: the whole process under 5 s.

use std::process::Command;
use std::time::Instant;

use phare::Level;
use phare::atlas::{self, Atlas, Breaks, Format, Per};
use phare::boundaries::embedded;
use phare::compose::map::{MapSpec, build_scene};
use phare::style::Style;
use phare::values::{self, BoundaryIndicator};

fn main() {
    let dir = std::env::temp_dir().join(format!("phare-bench-atlas-{}", std::process::id()));
    let t = Instant::now();
    let b = embedded::boundaries().expect("embedded boundaries");
    let t_load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let data =
        values::boundary_data(&b, Level::Commune, BoundaryIndicator::Density).expect("density");
    let t_data = t.elapsed().as_secs_f64();
    let style = Style::builtin("default").expect("style");
    let pages = atlas::pages(&b, Per::Region, true);
    let a = Atlas {
        boundaries: &b,
        data: &data,
        style: &style,
        spec: MapSpec {
            level: Level::Commune,
            width: 2000,
            height: 2000,
            ..Default::default()
        },
        breaks: Breaks::Shared,
        format: Format::Png,
        dir: dir.clone(),
        keep_scenes: false,
    };
    // One thread, stage by stage: where a page's time goes.
    let shared = a.shared_classes(&pages).expect("classes");
    let (mut t_scene, mut t_png) = (0.0, 0.0);
    for p in &pages {
        let spec = MapSpec {
            within: Some(p.within.clone()),
            classification: shared.clone(),
            ..a.spec.clone()
        };
        let t = Instant::now();
        let (scene, _) = build_scene(&b, &data, &style, &spec).expect("scene");
        t_scene += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let png = phare::render::raster::render_png(&scene, 1.0).expect("png");
        t_png += t.elapsed().as_secs_f64();
        assert!(!png.is_empty());
    }
    println!(
        "per page, one after the other: scene {:.0} ms, PNG (raster on all cores + encode) {:.0} ms",
        t_scene * 1e3 / pages.len() as f64,
        t_png * 1e3 / pages.len() as f64
    );
    let t = Instant::now();
    let results = a.draw(&pages, &pages, &|_, _| {}).expect("atlas");
    let t_pages = t.elapsed().as_secs_f64();
    assert!(results.iter().all(|r| r.outcome.is_ok()));
    println!(
        "in process: load {:.0} ms, density {:.0} ms, {} pages {:.2} s ({:.0} ms per page on {} threads)",
        t_load * 1e3,
        t_data * 1e3,
        pages.len(),
        t_pages,
        t_pages * 1e3 / pages.len() as f64 * rayon::current_num_threads() as f64,
        rayon::current_num_threads()
    );

    let out = dir.join("cli");
    let out_s = out.to_string_lossy().into_owned();
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_phare"))
            .args([
                "atlas",
                "--per",
                "region",
                "--level",
                "commune",
                "--value",
                "density",
                "--metropolitan",
                "--size",
                "2000",
                "-o",
                &out_s,
            ])
            .status()
            .expect("phare runs");
        times.push(t.elapsed().as_secs_f64());
        assert!(status.success());
    }
    times.sort_by(f64::total_cmp);
    let pngs = std::fs::read_dir(&out)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                .count()
        })
        .unwrap_or(0);
    println!(
        "whole process `phare atlas --metropolitan --level commune --value density --size 2000`: \
         {pngs} PNG, best {:.2} s, median {:.2} s (target < 5 s)",
        times[0], times[1]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
