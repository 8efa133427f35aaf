//! Standard deviations: classes one standard deviation wide around the mean, for data read as
//! distances from the average; the legend labels say where each class sits (« −0,5 à +0,5 σ »).
//!
//! ```
//! use phare::classify::{Method, classify};
//!
//! let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]; // mean 5, sd 2
//! let c = classify(&v, &Method::StdDev, Some(4)).unwrap();
//! assert_eq!(c.mean_sd, Some((5.0, 2.0)));
//! assert_eq!(c.breaks, [2.0, 3.0, 5.0, 7.0, 9.0]);
//! ```

/// Standard-deviation breaks: width one sd, centred on the mean (odd k, mapsf's `msd` with
/// `central = TRUE`) or with the mean as a break (even k, `central = FALSE`); the outer
/// classes run to the minimum and maximum. The sd is the population one (divided by n), as
/// in mapsf. Breaks outside the data range are dropped (those classes would be empty).
/// Returns (breaks, mean, sd).
pub(super) fn breaks(data: &[f64], k: usize) -> (Vec<f64>, f64, f64) {
    let n = data.len() as f64;
    let mean = data.iter().sum::<f64>() / n;
    let sd = (data.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let (min, max) = (data[0], data[data.len() - 1]);
    // Inner breaks in sd units: k = 5 → ±0.5, ±1.5; k = 4 → 0, ±1.
    let half = (k as f64 - 2.0) / 2.0; // furthest inner break, in sd units
    let inner = (0..k.saturating_sub(1)).map(|i| mean + (i as f64 - half) * sd);
    let mut breaks = vec![min];
    breaks.extend(inner.filter(|b| *b > min && *b < max));
    breaks.push(max);
    (breaks, mean, sd)
}
