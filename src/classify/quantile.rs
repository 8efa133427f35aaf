//! Quantiles: the same number of values in each class, R's quantile type 7 as mapsf and
//! classInt compute them. Ties can make two breaks equal: the classifier then merges them and
//! says so.
//!
//! ```
//! use phare::classify::{Method, classify};
//!
//! let c = classify(&[1.0, 2.0, 3.0, 4.0, 10.0], &Method::Quantile, Some(4)).unwrap();
//! assert_eq!(c.breaks, [1.0, 2.0, 3.0, 4.0, 10.0]);
//! assert_eq!(c.classes.iter().map(|k| k.count).collect::<Vec<_>>(), [1, 1, 1, 2]);
//! ```

/// The k + 1 quantile breaks of `sorted` (ascending, not empty), minimum and maximum included.
pub(super) fn breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    (0..=k)
        .map(|i| quantile7(sorted, i as f64 / k as f64))
        .collect()
}

/// R's default quantile (type 7): linear interpolation between order statistics at
/// h = (n − 1) p. `sorted` is ascending and not empty.
pub(super) fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_type7() {
        let d = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile7(&d, 0.25), 2.0);
        assert_eq!(quantile7(&d, 0.5), 3.0);
        assert!((quantile7(&d, 0.9) - 7.6).abs() < 1e-12);
    }
}
