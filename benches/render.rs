//! Backend speed on a France-sized synthetic map: 34,969 "communes" (a jittered 187x187 grid
//! whose neighbours share their edge vertices, like a topology-clean map), ~1.1 M vertices,
//! on a 3000x3000 page, each commune stroked; then the same fills drawn as the map draws
//! them: under one border network (each shared edge once, translucent hairline) and a
//! thicker coarse network (the régions). Run: `cargo bench --bench render`.

use std::time::Instant;

use phare::Level;
use phare::compose::map::{MapSpec, build_scene};
use phare::render::scene::{Anchor, Fill, Item, Path, Rgba, Scene, Stroke, Text, Weight};
use phare::render::{pdf, raster, svg};
use phare::style::Style;
use phare::values::{self, BoundaryIndicator};

const GRID: usize = 187;
const PAGE: f32 = 3000.0;
/// Extra vertices on each cell edge (4 corners + 4 x 7 = 32 per ring).
const EDGE_POINTS: usize = 7;

/// A deterministic pseudo-random number in [-1, 1] from integers.
fn jitter(a: usize, b: usize, c: usize) -> f32 {
    let mut h = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ c as u64;
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    (h % 20_001) as f32 / 10_000.0 - 1.0
}

/// Grid node (i, j) in page px, jittered.
fn node(i: usize, j: usize) -> [f32; 2] {
    let cell = (PAGE - 100.0) / GRID as f32;
    [
        50.0 + i as f32 * cell + jitter(i, j, 1) * cell * 0.2,
        50.0 + j as f32 * cell + jitter(i, j, 2) * cell * 0.2,
    ]
}

/// The points strictly between nodes a and b; identical for both cells sharing the edge.
fn edge(a: (usize, usize), b: (usize, usize)) -> Vec<[f32; 2]> {
    let (lo, hi, rev) = if a <= b { (a, b, false) } else { (b, a, true) };
    let (p, q) = (node(lo.0, lo.1), node(hi.0, hi.1));
    let mut pts: Vec<[f32; 2]> = (1..=EDGE_POINTS)
        .map(|k| {
            let t = k as f32 / (EDGE_POINTS + 1) as f32;
            let wiggle = jitter(lo.0 * 1000 + lo.1, hi.0 * 1000 + hi.1, k) * 1.5;
            [
                p[0] + (q[0] - p[0]) * t + wiggle,
                p[1] + (q[1] - p[1]) * t - wiggle,
            ]
        })
        .collect();
    if rev {
        pts.reverse();
    }
    pts
}

fn scene() -> Scene {
    let palette = [
        (255, 255, 204),
        (199, 233, 180),
        (127, 205, 187),
        (65, 182, 196),
        (29, 145, 192),
        (34, 94, 168),
        (12, 44, 132),
    ];
    let mut items = Vec::with_capacity(GRID * GRID + 4);
    for j in 0..GRID {
        for i in 0..GRID {
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let mut ring = Vec::with_capacity(4 * (EDGE_POINTS + 1));
            for k in 0..4 {
                ring.push(node(corners[k].0, corners[k].1));
                ring.extend(edge(corners[k], corners[(k + 1) % 4]));
            }
            let class = ((jitter(i, j, 3) + 1.0) * 3.5) as usize % 7;
            let (r, g, b) = palette[class];
            let fill = if (i * 31 + j * 17) % 97 == 0 {
                Fill::Hatch {
                    background: Some(Rgba::rgb(240, 240, 240)),
                    color: Rgba::rgb(120, 120, 120),
                    width: 1.0,
                    spacing: 5.0,
                    angle: 45.0,
                }
            } else {
                Fill::Solid(Rgba::rgb(r, g, b))
            };
            items.push(Item::Shape {
                id: Some(format!("{:05}", j * GRID + i)),
                title: Some(format!(
                    "Commune {} : {:.1} %",
                    j * GRID + i,
                    class as f32 * 7.5
                )),
                path: Path {
                    subpaths: vec![ring],
                    closed: true,
                },
                fill: Some(fill),
                stroke: Some(Stroke {
                    color: Rgba::rgb(255, 255, 255),
                    width: 0.25,
                }),
                bordered: false,
            });
        }
    }
    for (k, label) in [
        "Taux de pauvreté — communes de France",
        "Source : données simulées",
        "12,5\u{202F}%",
    ]
    .iter()
    .enumerate()
    {
        items.push(Item::Text(Text {
            text: label.to_string(),
            x: 1500.0,
            y: 40.0 + k as f32 * 1400.0,
            size: 36.0,
            weight: Weight::Bold,
            anchor: Anchor::Middle,
            color: Rgba::rgb(20, 20, 20),
            halo: Some(Stroke {
                color: Rgba::rgb(255, 255, 255),
                width: 4.0,
            }),
        }));
    }
    Scene {
        width: PAGE,
        height: PAGE,
        background: Rgba::rgb(255, 255, 255),
        items,
        title: "Bench".into(),
        description: "Synthetic France-sized map".into(),
    }
}

/// The map's way: fills marked `bordered`, then the network of every shared edge as one
/// stroke-only item (0.25 px, 60 % white), then every 20th grid line 2 px dark grey.
fn network_scene() -> Scene {
    let mut scene = scene();
    for item in &mut scene.items {
        if let Item::Shape {
            stroke, bordered, ..
        } = item
        {
            *stroke = None;
            *bordered = true;
        }
    }
    let line = |a: (usize, usize), b: (usize, usize)| {
        let mut l = vec![node(a.0, a.1)];
        l.extend(edge(a, b));
        l.push(node(b.0, b.1));
        l
    };
    let (mut fine, mut coarse) = (Vec::new(), Vec::new());
    for j in 0..=GRID {
        for i in 0..=GRID {
            for next in [(i + 1, j), (i, j + 1)] {
                if next.0 > GRID || next.1 > GRID {
                    continue;
                }
                let on_coarse = if next.0 > i { j % 20 == 0 } else { i % 20 == 0 };
                if on_coarse {
                    coarse.push(line((i, j), next));
                }
                fine.push(line((i, j), next));
            }
        }
    }
    for (subpaths, color, width) in [
        (
            fine,
            Rgba {
                a: 153,
                ..Rgba::rgb(255, 255, 255)
            },
            0.25,
        ),
        (coarse, Rgba::rgb(43, 43, 43), 2.0),
    ] {
        scene.items.push(Item::Shape {
            id: None,
            title: None,
            path: Path {
                subpaths,
                closed: false,
            },
            fill: None,
            stroke: Some(Stroke { color, width }),
            bordered: false,
        });
    }
    scene
}

/// CPU seconds this process has used (user + system), from /proc: wall time alone means
/// little on a shared machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat(5): 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn time<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut best = f64::MAX;
    let mut out = None;
    let cpu = cpu_seconds();
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    let cpu = (cpu_seconds() - cpu) / runs as f64;
    println!(
        "{label:<34} {:>8.1} ms wall (best of {runs}), {:>6.0} ms CPU/run",
        best * 1000.0,
        cpu * 1000.0
    );
    out.expect("at least one run")
}

fn main() {
    let t = Instant::now();
    let scene = scene();
    let vertices: usize = scene
        .items
        .iter()
        .map(|i| {
            if let Item::Shape { path, .. } = i {
                path.subpaths.iter().map(Vec::len).sum()
            } else {
                0
            }
        })
        .sum();
    println!(
        "scene: {} items, {vertices} vertices, {PAGE}x{PAGE} px (built in {:.0} ms)",
        scene.items.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    println!("threads: {}", rayon::current_num_threads());
    let pixmap = time("raster: render_pixmap", 3, || {
        raster::render_pixmap(&scene, 1.0).expect("renders")
    });
    time("raster: encode PNG (fast)", 3, || {
        raster::encode_png(pixmap.clone(), 96.0, &[]).expect("encodes")
    });
    let png = time("raster: render_png (total)", 3, || {
        raster::render_png(&scene, 1.0).expect("renders")
    });
    println!("  PNG: {:.1} MB", png.len() as f64 / 1e6);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    pool.install(|| {
        time("raster: render_pixmap, 1 thread", 1, || {
            raster::render_pixmap(&scene, 1.0).expect("renders")
        })
    });
    let svg = time("svg: render_svg", 3, || svg::render_svg(&scene));
    println!("  SVG: {:.1} MB", svg.len() as f64 / 1e6);
    let pdf = time("pdf: render_pdf", 1, || {
        pdf::render_pdf(&scene, 300.0).expect("renders")
    });
    println!("  PDF: {:.1} MB", pdf.len() as f64 / 1e6);
    // Without borders every fill gets the anti-aliased feather instead.
    let mut bare = scene.clone();
    for item in &mut bare.items {
        if let Item::Shape { stroke, .. } = item {
            *stroke = None;
        }
    }
    time("raster: fills only (feathered)", 3, || {
        raster::render_pixmap(&bare, 1.0).expect("renders")
    });
    let network = network_scene();
    time("raster: fills + border networks", 5, || {
        raster::render_pixmap(&network, 1.0).expect("renders")
    });
    pool.install(|| {
        time("raster: networks, 1 thread", 3, || {
            raster::render_pixmap(&network, 1.0).expect("renders")
        })
    });
    // The real thing: `phare map --level commune --value density --classes 7 --size 3000`.
    let b = phare::boundaries::embedded::boundaries().expect("embedded boundaries");
    let data =
        values::boundary_data(&b, Level::Commune, BoundaryIndicator::Density).expect("density");
    let spec = MapSpec {
        level: Level::Commune,
        width: 3000,
        height: 3000,
        classes: Some(7),
        ..Default::default()
    };
    let (density, _) = build_scene(&b, &data, &Style::default(), &spec).expect("scene");
    time("raster: commune density map", 5, || {
        raster::render_pixmap(&density, 1.0).expect("renders")
    });
}
