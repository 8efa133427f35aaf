//! Class breaks against known answers: hand-computed quantiles (R type 7), natural breaks
//! checked by brute force, Jiang's head/tail example, and the edge cases users hit
//! (ties, few distinct values, constant data, NaN, values outside manual breaks).

use phare::classify::{Closure, LabelStyle, Method, classify, sturges};
use phare::format::NumberFormat;

const NB: char = '\u{A0}';

fn counts(c: &phare::classify::Classification) -> Vec<usize> {
    c.classes.iter().map(|k| k.count).collect()
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
}

#[test]
fn quantiles_match_r_type7() {
    // R: quantile(1:10, probs = seq(0, 1, 0.25)) = 1 3.25 5.5 7.75 10
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    let c = classify(&v, &Method::Quantile, Some(4)).unwrap();
    assert_eq!(c.breaks, [1.0, 3.25, 5.5, 7.75, 10.0]);
    assert_eq!(counts(&c), [3, 2, 2, 3]);
    assert_eq!(c.closure, Closure::LeftClosed);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert_eq!(
        c.note(&NumberFormat::plain()),
        "Discrétisation : quantiles, 4 classes"
    );
}

#[test]
fn quantile_ties_give_unique_breaks_and_a_warning() {
    // Breaks: min = q25 = q50 = 0 (h = 2.75, 5.5), q75 = 2.25 (h = 8.25): the zeros collapse.
    let v = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
    let c = classify(&v, &Method::Quantile, Some(4)).unwrap();
    assert_eq!(c.breaks, [0.0, 2.25, 5.0]);
    assert_eq!(counts(&c), [9, 3]);
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("2 classes instead of 4")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn last_class_may_hold_the_maximum_alone() {
    // q67 (type 7) of 1,2,3,4,5,5,5,5,5 is 5 = max: the class [5 ; 5] is kept and labelled
    // "5", not "de 5 à 5" (geopandas#997).
    let v = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 5.0, 5.0];
    let c = classify(&v, &Method::Quantile, Some(3)).unwrap();
    assert!(
        close(&c.breaks, &[1.0, 11.0 / 3.0, 5.0, 5.0]),
        "{:?}",
        c.breaks
    );
    assert_eq!(counts(&c), [3, 1, 5]);
    assert_eq!(c.class_of(5.0), Some(2));
    assert_eq!(c.class_of(4.99), Some(1));
    // 3.667 shows as "4": still between the members 3 and 4, so no value looks misclassed.
    assert_eq!(
        c.labels(&NumberFormat::plain()),
        ["de 1 à moins de 4", "de 4 à moins de 5", "5"]
    );
}

#[test]
fn legend_bounds_share_one_precision() {
    // Quantile breaks 0.5, 7, 7.2, 12: « 7 » and « 7,2 » would mix precisions, and at 0
    // decimals 7 and 7.2 read the same: every bound gets one decimal, zeros kept.
    let c = classify(&[0.5, 7.0, 7.2, 12.0], &Method::Quantile, Some(3)).unwrap();
    assert!(close(&c.breaks, &[0.5, 7.0, 7.2, 12.0]), "{:?}", c.breaks);
    let plain = NumberFormat::plain();
    assert_eq!(c.break_labels(&plain), ["0,5", "7,0", "7,2", "12,0"]);
    assert_eq!(
        c.labels(&plain),
        [
            "de 0,5 à moins de 7,0",
            "de 7,0 à moins de 7,2",
            "de 7,2 à 12,0"
        ]
    );
    assert_eq!(
        c.labels_with(&plain, LabelStyle::Brackets),
        [
            "[0,5\u{202F}; 7,0[",
            "[7,0\u{202F}; 7,2[",
            "[7,2\u{202F}; 12,0]"
        ]
    );
    assert_eq!(
        c.legend_ticks(&plain, LabelStyle::Words),
        c.break_labels(&plain)
    );
    assert_eq!(
        c.legend_ticks(&plain, LabelStyle::Brackets),
        c.labels_with(&plain, LabelStyle::Brackets)
    );
    // Densities 12.3, 150, 1234.5: distinct as whole numbers, so whole numbers.
    let c = classify(&[12.3, 150.0, 1234.5], &Method::Quantile, Some(2)).unwrap();
    assert_eq!(c.label_decimals(&plain), 0);
    assert_eq!(c.break_labels(&plain), ["12", "150", "1\u{202F}234"]);
    // Shares: whole percentages when they are distinct...
    let share = NumberFormat::share();
    let c = classify(&[0.1, 0.125, 0.2, 0.35], &Method::Quantile, Some(3)).unwrap();
    assert_eq!(
        c.break_labels(&share),
        [
            format!("10{NB}%"),
            format!("12{NB}%"),
            format!("20{NB}%"),
            format!("35{NB}%")
        ]
    );
    // ...one decimal for all when two bounds need it.
    let c = classify(&[0.101, 0.104, 0.2, 0.35], &Method::Quantile, Some(3)).unwrap();
    assert_eq!(
        c.labels(&share),
        [
            format!("de 10,1 à moins de 10,4{NB}%"),
            format!("de 10,4 à moins de 20,0{NB}%"),
            format!("de 20,0 à 35,0{NB}%")
        ]
    );
    // Up to 3 decimals when fewer cannot tell the bounds apart...
    let c = classify(&[1.0, 1.004, 1.006, 2.0], &Method::Quantile, Some(3)).unwrap();
    assert_eq!(c.break_labels(&plain), ["1,000", "1,004", "1,006", "2,000"]);
    let c = classify(&[0.0, 0.000_12, 0.000_13, 1.0], &Method::Quantile, Some(3)).unwrap();
    // ...more only when 3 cannot.
    assert_eq!(c.label_decimals(&plain), 5);
    // Manual breaks keep the decimals they were written with: 2.5 is not « 2 ».
    let c = classify(&[1.0, 2.4, 2.6, 4.0], &"1,2.5,4".parse().unwrap(), None).unwrap();
    assert_eq!(c.labels(&plain), ["de 1,0 à moins de 2,5", "de 2,5 à 4,0"]);
    // A fixed precision wins.
    assert_eq!(
        c.break_labels(&plain.clone().with_decimals(2)),
        ["1,00", "2,50", "4,00"]
    );
}

#[test]
fn whole_number_data_gets_whole_bounds_rounded_up() {
    // Populations: a quantile break 250.5 between 250 and 251 reads « 251 », which is exact
    // for left-closed classes of whole numbers (250 below, 251 above).
    let c = classify(&[100.0, 250.0, 251.0, 1000.0], &Method::Quantile, Some(2)).unwrap();
    assert!(c.integers);
    assert_eq!(c.breaks, [100.0, 250.5, 1000.0]);
    assert_eq!(c.class_of(250.0), Some(0));
    assert_eq!(
        c.labels(&NumberFormat::plain()),
        ["de 100 à moins de 251", "de 251 à 1\u{202F}000"]
    );
    assert!(
        !classify(&[0.5, 2.0], &Method::Quantile, Some(1))
            .unwrap()
            .integers
    );
}

#[test]
fn single_member_classes() {
    // ckmeans puts 50 alone and 100 alone; breaks at midpoints between clusters (mapsf).
    let c = classify(
        &[1.0, 2.0, 3.0, 50.0, 100.0],
        &Method::NaturalBreaks,
        Some(3),
    )
    .unwrap();
    assert_eq!(c.breaks, [1.0, 26.5, 75.0, 100.0]);
    assert_eq!(counts(&c), [3, 1, 1]);
    assert_eq!(c.class_of(100.0), Some(2));
    assert_eq!(c.class_of(75.0), Some(2));
    assert_eq!(c.class_of(74.9), Some(1));
    // Whole-number data: the break 26.5 reads « 27 » (26 below, 27 above).
    assert_eq!(
        c.labels(&NumberFormat::plain()),
        ["de 1 à moins de 27", "de 27 à moins de 75", "de 75 à 100"]
    );
}

#[test]
fn natural_breaks_known_answer() {
    // The ckmeans / simple-statistics reference example: clusters 1..7, 12..16, 78..82.
    let v = [
        1.0, 12.0, 13.0, 14.0, 15.0, 16.0, 2.0, 2.0, 3.0, 5.0, 7.0, 1.0, 2.0, 5.0, 7.0, 1.0, 5.0,
        82.0, 1.0, 1.3, 1.1, 78.0,
    ];
    let c = classify(&v, &Method::NaturalBreaks, Some(3)).unwrap();
    assert_eq!(c.breaks, [1.0, 9.5, 47.0, 82.0]);
    assert_eq!(counts(&c), [15, 5, 2]);
}

/// Sum of squared deviations of contiguous groups of `sorted` cut at `cuts`.
fn sse(sorted: &[f64], cuts: &[usize]) -> f64 {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(sorted.len());
    bounds
        .windows(2)
        .map(|w| {
            let g = &sorted[w[0]..w[1]];
            let m = g.iter().sum::<f64>() / g.len() as f64;
            g.iter().map(|x| (x - m).powi(2)).sum::<f64>()
        })
        .sum()
}

/// Best SSE over every way of cutting `sorted` into k non-empty contiguous groups.
fn brute_force(sorted: &[f64], k: usize) -> f64 {
    fn rec(sorted: &[f64], k: usize, start: usize, cuts: &mut Vec<usize>, best: &mut f64) {
        if cuts.len() == k - 1 {
            *best = best.min(sse(sorted, cuts));
            return;
        }
        for c in start..sorted.len() {
            cuts.push(c);
            rec(sorted, k, c + 1, cuts, best);
            cuts.pop();
        }
    }
    let mut best = f64::INFINITY;
    rec(sorted, k, 1, &mut Vec::new(), &mut best);
    best
}

#[test]
fn natural_breaks_are_optimal_by_brute_force() {
    // Deterministic pseudo-random, skewed values (an LCG, squared), 14 values, k = 2..5.
    let mut x: u64 = 12345;
    let mut v: Vec<f64> = (0..14)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            (u * 10.0).powi(2).round() / 4.0
        })
        .collect();
    let c0 = classify(&v, &Method::NaturalBreaks, Some(3)).unwrap();
    v.sort_by(f64::total_cmp);
    for k in 2..=5 {
        let c = classify(&v, &Method::NaturalBreaks, Some(k)).unwrap();
        assert_eq!(c.len(), k);
        // Our cut positions: index of the first value of each class after the first.
        let cuts: Vec<usize> = c.breaks[1..k]
            .iter()
            .map(|b| v.partition_point(|x| x < b))
            .collect();
        let ours = sse(&v, &cuts);
        let best = brute_force(&v, k);
        assert!(
            (ours - best).abs() < 1e-9,
            "k={k}: ours {ours}, optimum {best}"
        );
    }
    assert_eq!(c0.len(), 3);
}

/// Optimal within-class SSE by Fisher's O(k n²) dynamic programme over prefix sums: an
/// implementation independent of the ckmeans crate.
fn fisher_optimum(sorted: &[f64], k: usize) -> f64 {
    let n = sorted.len();
    let (mut s1, mut s2) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    for (i, x) in sorted.iter().enumerate() {
        s1[i + 1] = s1[i] + x;
        s2[i + 1] = s2[i] + x * x;
    }
    let cost = |i: usize, j: usize| (s2[j] - s2[i]) - (s1[j] - s1[i]).powi(2) / (j - i) as f64;
    let mut best: Vec<f64> = (0..=n)
        .map(|j| if j == 0 { f64::INFINITY } else { cost(0, j) })
        .collect();
    for _ in 2..=k {
        best = (0..=n)
            .map(|j| {
                (1..j)
                    .map(|i| best[i] + cost(i, j))
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
    }
    best[n]
}

#[test]
fn natural_breaks_match_fisher_dynamic_programme() {
    // 300 skewed values with ties, k = 7: exact on all values, no sampling.
    let mut x: u64 = 7;
    let mut v: Vec<f64> = (0..300)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            (u.powi(3) * 1000.0).round()
        })
        .collect();
    v.sort_by(f64::total_cmp);
    let c = classify(&v, &Method::NaturalBreaks, Some(7)).unwrap();
    let cuts: Vec<usize> = c.breaks[1..7]
        .iter()
        .map(|b| v.partition_point(|x| x < b))
        .collect();
    let (ours, best) = (sse(&v, &cuts), fisher_optimum(&v, 7));
    assert!(
        (ours - best).abs() <= 1e-9 * best,
        "ours {ours}, Fisher {best}"
    );
}

#[test]
fn equal_intervals_and_outliers() {
    let v: Vec<f64> = (0..=10).map(f64::from).collect();
    let c = classify(&v, &Method::EqualInterval, Some(5)).unwrap();
    assert_eq!(c.breaks, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(counts(&c), [2, 2, 2, 2, 3]);
    // An outlier would leave classes empty: fewer classes, still of equal width.
    let c = classify(
        &[0.0, 1.0, 2.0, 3.0, 100.0],
        &Method::EqualInterval,
        Some(4),
    )
    .unwrap();
    assert_eq!(c.breaks, [0.0, 50.0, 100.0]);
    assert_eq!(counts(&c), [4, 1]);
    assert!(!c.warnings.is_empty());
}

#[test]
fn stddev_classes_around_the_mean() {
    // 1..9: mean 5, population sd = sqrt(60 / 9) = 2.582 (as mapsf's msd).
    let v: Vec<f64> = (1..=9).map(f64::from).collect();
    let sd = (60.0f64 / 9.0).sqrt();
    let c = classify(&v, &Method::StdDev, Some(3)).unwrap();
    assert!(
        close(&c.breaks, &[1.0, 5.0 - 0.5 * sd, 5.0 + 0.5 * sd, 9.0]),
        "{:?}",
        c.breaks
    );
    assert_eq!(counts(&c), [3, 3, 3]);
    let labels = c.labels(&NumberFormat::plain());
    assert!(
        labels[0].ends_with(&format!("(<{NB}\u{2212}0,5{NB}σ)")),
        "{labels:?}"
    );
    assert!(
        labels[1].ends_with(&format!("(\u{2212}0,5 à +0,5{NB}σ)")),
        "{labels:?}"
    );
    assert!(
        labels[2].ends_with(&format!("(≥{NB}+0,5{NB}σ)")),
        "{labels:?}"
    );
    // Even k: the mean is a break.
    let c = classify(&v, &Method::StdDev, Some(4)).unwrap();
    assert!(
        close(&c.breaks, &[1.0, 5.0 - sd, 5.0, 5.0 + sd, 9.0]),
        "{:?}",
        c.breaks
    );
    assert_eq!(counts(&c), [2, 2, 3, 2]);
    assert_eq!(c.mean_sd.map(|m| m.0), Some(5.0));
    assert_eq!(
        c.note(&NumberFormat::plain()),
        "Discrétisation : écarts à la moyenne, 4 classes (moyenne 5, écart-type 2,6)"
    );
}

#[test]
fn headtail_jiang_example() {
    // Jiang (2013): 1, 1/2, ..., 1/10 → means 0.2929 then 0.6111: 3 classes of 7, 2, 1.
    let v: Vec<f64> = (1..=10).map(|i| 1.0 / i as f64).collect();
    let c = classify(&v, &Method::HeadTail, None).unwrap();
    let m1 = v.iter().sum::<f64>() / 10.0;
    let m2 = (1.0 + 0.5 + 1.0 / 3.0) / 3.0;
    assert!(close(&c.breaks, &[0.1, m1, m2, 1.0]), "{:?}", c.breaks);
    assert_eq!(counts(&c), [7, 2, 1]);
}

#[test]
fn few_distinct_values_one_class_each() {
    // Likert-like data (mapclassify's "fewer unique values than classes").
    let v = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 2.0];
    let c = classify(&v, &Method::Quantile, Some(5)).unwrap();
    assert!(c.discrete);
    assert_eq!(counts(&c), [2, 3, 2]);
    assert_eq!(c.labels(&NumberFormat::plain()), ["1", "2", "3"]);
    assert_eq!(c.class_of(2.0), Some(1));
    assert!(c.warnings.iter().any(|w| w.contains("3 distinct values")));
    // Same with jenks: never an empty class.
    let c = classify(&v, &Method::NaturalBreaks, Some(5)).unwrap();
    assert_eq!(counts(&c), [2, 3, 2]);
}

#[test]
fn constant_data_is_one_class() {
    let c = classify(&[4.0, 4.0, 4.0], &Method::NaturalBreaks, Some(5)).unwrap();
    assert_eq!(c.breaks, [4.0, 4.0]);
    assert_eq!(counts(&c), [3]);
    assert_eq!(c.class_of(4.0), Some(0));
    assert_eq!(c.labels(&NumberFormat::percent()), [format!("4{NB}%")]);
}

#[test]
fn missing_values_are_ignored_and_counted() {
    let v = [
        f64::NAN,
        1.0,
        2.0,
        f64::INFINITY,
        3.0,
        4.0,
        f64::NEG_INFINITY,
    ];
    let c = classify(&v, &Method::Quantile, Some(2)).unwrap();
    assert_eq!(c.ignored, 3);
    assert_eq!(c.breaks, [1.0, 2.5, 4.0]);
    assert_eq!(c.class_of(f64::NAN), None);
    assert_eq!(c.class_of(f64::INFINITY), None);
    assert!(classify(&[f64::NAN], &Method::Quantile, None).is_err());
    assert!(classify(&[], &Method::Quantile, None).is_err());
}

#[test]
fn manual_breaks_leave_outside_values_unclassed() {
    let m: Method = "manual:10,20,50".parse().unwrap();
    let c = classify(&[5.0, 15.0, 25.0, 50.0, 60.0], &m, None).unwrap();
    assert_eq!(counts(&c), [1, 2]);
    assert_eq!(c.outside, 2);
    assert_eq!(c.class_of(5.0), None);
    assert_eq!(c.class_of(60.0), None);
    assert_eq!(c.class_of(20.0), Some(1));
    assert_eq!(c.class_of(50.0), Some(1));
    assert!(
        c.warnings
            .iter()
            .any(|w| w.starts_with("2 values fall outside")),
        "{:?}",
        c.warnings
    );
    // Empty manual classes are allowed (fixed classes to compare maps), with a warning.
    let c = classify(&[1.0, 2.0], &"0,10,20".parse().unwrap(), None).unwrap();
    assert_eq!(counts(&c), [2, 0]);
    // Open ends.
    let c = classify(&[-5.0, 0.0, 7.0], &"-inf,0,inf".parse().unwrap(), None).unwrap();
    assert_eq!(counts(&c), [1, 2]);
    assert_eq!(
        c.labels(&NumberFormat::plain()),
        ["moins de 0", "0 ou plus"]
    );
}

#[test]
fn method_parsing() {
    assert_eq!("Fisher".parse::<Method>().unwrap(), Method::NaturalBreaks);
    assert_eq!("ckmeans".parse::<Method>().unwrap(), Method::NaturalBreaks);
    assert_eq!("sd".parse::<Method>().unwrap(), Method::StdDev);
    assert_eq!("equal".parse::<Method>().unwrap(), Method::EqualInterval);
    assert_eq!("headtail".parse::<Method>().unwrap(), Method::HeadTail);
    assert_eq!(
        "10,20,50".parse::<Method>().unwrap(),
        Method::Manual(vec![10.0, 20.0, 50.0])
    );
    assert_eq!(
        "manual=0;12,5;100".parse::<Method>().unwrap(),
        Method::Manual(vec![0.0, 12.5, 100.0])
    );
    for bad in [
        "manual",
        "manual:10,5",
        "manual:10",
        "manual:a,b",
        "kmeans",
        "quantile:3",
    ] {
        let e = bad.parse::<Method>().unwrap_err();
        assert_eq!(e.kind, phare::ErrorKind::Usage, "{bad}");
        assert!(e.hint.is_some(), "{bad} has no hint");
    }
    assert!(classify(&[1.0], &Method::Quantile, Some(0)).is_err());
    assert!(classify(&[1.0], &Method::Quantile, Some(21)).is_err());
}

#[test]
fn default_class_count_is_sturges() {
    let v: Vec<f64> = (0..10).map(f64::from).collect();
    assert_eq!(classify(&v, &Method::Quantile, None).unwrap().len(), 4);
    assert_eq!(sturges(1000), 7);
}

#[test]
fn french_labels() {
    let c = classify(
        &[0.1, 0.12, 0.15, 0.2, 0.3, 0.35],
        &"0.1,0.125,0.2,0.35".parse().unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(
        c.labels(&NumberFormat::share()),
        [
            format!("de 10,0 à moins de 12,5{NB}%"),
            format!("de 12,5 à moins de 20,0{NB}%"),
            format!("de 20,0 à 35,0{NB}%"),
        ]
    );
    assert_eq!(
        c.labels_with(&NumberFormat::share(), LabelStyle::Brackets),
        [
            "[10,0\u{202F}; 12,5[",
            "[12,5\u{202F}; 20,0[",
            "[20,0\u{202F}; 35,0]"
        ]
    );
    assert_eq!(
        c.labels(&NumberFormat::share().with_decimals(1))[2],
        format!("de 20,0 à 35,0{NB}%")
    );
    let c = classify(
        &[1200.0, 5300.0, 25000.0],
        &"1000,5000,30000".parse().unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(
        c.labels(&NumberFormat::plain())[1],
        "de 5\u{202F}000 à 30\u{202F}000"
    );
    assert!(Closure::LeftClosed.note().contains("incluse"));
}

#[test]
fn communes_population_jenks_is_a_kmeans_optimum() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/geodata/communes.csv"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: ../shared absent");
        return;
    };
    let pop: Vec<f64> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(5)?.parse().ok())
        .collect();
    assert_eq!(pop.len(), 34875);
    let c = classify(&pop, &Method::NaturalBreaks, None).unwrap();
    assert_eq!(c.len(), 7);
    assert_eq!(counts(&c).iter().sum::<usize>(), 34875);
    assert_eq!(c.breaks[0], 0.0);
    // A 1-D k-means optimum: every value is nearer its own class mean than a neighbour's.
    let means: Vec<f64> = (0..7)
        .map(|i| {
            let m: Vec<f64> = pop
                .iter()
                .copied()
                .filter(|&v| c.class_of(v) == Some(i))
                .collect();
            m.iter().sum::<f64>() / m.len() as f64
        })
        .collect();
    for &v in &pop {
        let Some(i) = c.class_of(v) else {
            panic!("{v} unclassed")
        };
        let d = (v - means[i]).abs();
        assert!(i == 0 || d <= (v - means[i - 1]).abs() + 1e-6);
        assert!(i == 6 || d <= (v - means[i + 1]).abs() + 1e-6);
    }
}
