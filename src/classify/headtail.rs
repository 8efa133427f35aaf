//! Head/tail breaks (Jiang 2013), for heavy-tailed data such as populations: split at the
//! mean, then split the head again while it stays a minority; the class count is a maximum.
//!
//! ```
//! use phare::classify::{Method, classify};
//!
//! let v = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 10.0, 50.0];
//! let c = classify(&v, &Method::HeadTail, Some(5)).unwrap();
//! // The head [10, 50] is 20 % of the values: split at 7. Its own head, [50], is half of it,
//! // no longer a minority: the splitting stops there, with 2 of the 5 classes allowed.
//! assert_eq!(c.breaks, [1.0, 7.0, 50.0]);
//! ```

/// Head/tail breaks stop when the head is no longer a minority (Jiang 2013: 40 %).
const HEAD_SHARE: f64 = 0.4;

/// Head/tail breaks: split at the mean, keep splitting the head (values ≥ mean) while it is a
/// minority (≤ 40 %) and the class count allows.
pub(super) fn breaks(data: &[f64], max_classes: usize, warnings: &mut Vec<String>) -> Vec<f64> {
    let mut breaks = vec![data[0]];
    let mut current = data;
    while breaks.len() < max_classes && current.len() > 1 && current[0] < current[current.len() - 1]
    {
        let mean = current.iter().sum::<f64>() / current.len() as f64;
        let head = &current[current.partition_point(|v| *v < mean)..];
        let share = head.len() as f64 / current.len() as f64;
        if share > HEAD_SHARE {
            if breaks.len() == 1 {
                warnings.push(format!(
                    "head/tail: {:.0} % of values are above the mean, the data is not heavy-tailed; \
                     quantile or jenks suit it better",
                    share * 100.0
                ));
                breaks.push(mean);
            }
            break;
        }
        breaks.push(mean);
        current = head;
    }
    breaks.push(data[data.len() - 1]);
    breaks
}
