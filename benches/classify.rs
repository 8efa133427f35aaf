//! Classification speed on commune-sized data: 34,875 values, 7 classes.
//!
//! `cargo bench --bench classify`. Uses commune populations from ../shared when present
//! (heavy-tailed, many ties), else a synthetic log-normal sample of the same size.

use std::hint::black_box;
use std::time::{Duration, Instant};

use phare::classify::{Method, classify};

fn values() -> (Vec<f64>, &'static str) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/geodata/communes.csv"
    );
    if let Ok(text) = std::fs::read_to_string(path) {
        let v: Vec<f64> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(5)?.parse().ok())
            .collect();
        return (v, "commune populations (../shared)");
    }
    // Log-normal via Box-Muller over a fixed LCG: exp(6 + 1.2 z).
    let mut x: u64 = 42;
    let mut uniform = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let v = (0..34_875)
        .map(|_| {
            let z = (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
            (6.0 + 1.2 * z).exp()
        })
        .collect();
    (v, "synthetic log-normal")
}

/// Median of `runs` timings.
fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
}

fn main() {
    let (v, source) = values();
    println!("{} values: {source}", v.len());
    let methods = [
        ("natural breaks (ckmeans, exact)", Method::NaturalBreaks),
        ("quantile", Method::Quantile),
        ("equal interval", Method::EqualInterval),
        ("std dev", Method::StdDev),
        ("head/tail", Method::HeadTail),
        (
            "manual",
            Method::Manual(vec![0.0, 100.0, 500.0, 2000.0, 10_000.0, 1e7]),
        ),
    ];
    for (name, m) in methods {
        let c = classify(&v, &m, Some(7)).expect("bench data classifies");
        let d = time(11, || {
            black_box(classify(black_box(&v), &m, Some(7)).ok());
        });
        println!("{name:34} k={} {:>9.2} ms", c.len(), d.as_secs_f64() * 1e3);
    }
    let c = classify(&v, &Method::NaturalBreaks, Some(7)).expect("bench data classifies");
    let d = time(11, || {
        black_box(
            v.iter()
                .map(|&x| c.class_of(x))
                .filter(Option::is_some)
                .count(),
        );
    });
    println!(
        "{:34}     {:>9.2} ms",
        "class_of on every value",
        d.as_secs_f64() * 1e3
    );
}
