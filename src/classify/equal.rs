//! Equal intervals: classes of the same width between the minimum and the maximum. An outlier
//! would leave classes empty: then fewer, wider classes, still of equal width, with a warning.
//!
//! ```
//! use phare::classify::{Method, classify};
//!
//! let c = classify(&[0.0, 1.0, 2.0, 3.0, 4.0, 8.0], &Method::EqualInterval, Some(4)).unwrap();
//! assert_eq!(c.breaks, [0.0, 2.0, 4.0, 6.0, 8.0]);
//! let c = classify(&[0.0, 1.0, 2.0, 3.0, 100.0], &Method::EqualInterval, Some(4)).unwrap();
//! assert_eq!(c.breaks, [0.0, 50.0, 100.0], "two classes: three or four would leave some empty");
//! assert!(!c.warnings.is_empty());
//! ```

/// Equal-width breaks; if a class would be empty (outliers), fewer, wider classes, still
/// all of equal width.
pub(super) fn breaks(data: &[f64], asked: usize, warnings: &mut Vec<String>) -> Vec<f64> {
    let (min, max) = (data[0], data[data.len() - 1]);
    for k in (1..=asked).rev() {
        let width = (max - min) / k as f64;
        let breaks: Vec<f64> = (0..=k)
            .map(|i| if i == k { max } else { min + width * i as f64 })
            .collect();
        let all_filled = breaks.windows(2).enumerate().all(|(i, w)| {
            let lo = data.partition_point(|v| *v < w[0]);
            let hi = if i + 1 == k {
                data.len()
            } else {
                data.partition_point(|v| *v < w[1])
            };
            hi > lo
        });
        if all_filled {
            if k < asked {
                warnings.push(format!(
                    "equal intervals: {asked} classes would leave some empty (gaps in the data), using {k}"
                ));
            }
            return breaks;
        }
    }
    vec![min, max]
}
