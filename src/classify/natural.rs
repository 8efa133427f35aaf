//! Natural breaks (Jenks): the partition that minimises the within-class sum of squares,
//! computed exactly on every value by the ckmeans dynamic programme (Wang & Song), not on a
//! sample as QGIS does.
//!
//! ```
//! use phare::classify::{Method, classify};
//!
//! let v = [1.0, 2.0, 1.0, 6.0, 10.0, 6.0, 10.0];
//! let c = classify(&v, &Method::NaturalBreaks, Some(3)).unwrap();
//! // Clusters {1, 1, 2}, {6, 6}, {10, 10}: each break halfway between two of them.
//! assert_eq!(c.breaks, [1.0, 4.0, 8.0, 10.0]);
//! ```

use super::{MAX_CLASSES, midpoint};
use crate::error::{Error, ErrorKind, Result};

/// Natural breaks: ckmeans clusters, each break halfway between the largest value of a
/// cluster and the smallest of the next, as mapsf's `ckmeans` (`Ckmeans.1d.dp::ahist(style =
/// "midpoints")`) and classInt's `fisher` do; the partition is the optimal one either way.
pub(super) fn breaks(data: &[f64], k: usize) -> Result<Vec<f64>> {
    let k =
        u8::try_from(k).map_err(|_| Error::usage(format!("{k} classes: at most {MAX_CLASSES}")))?;
    let (sorted, ranges) = ckmeans::ckmeans_indices(data, k).map_err(|e| Error {
        kind: ErrorKind::Input,
        path: None,
        location: None,
        message: format!("natural breaks failed: {e:?}"),
        hint: Some("try another method, e.g. quantile".into()),
        setting: None,
    })?;
    let mut breaks = vec![sorted[0]];
    breaks.extend(
        ranges
            .windows(2)
            .map(|w| midpoint(sorted[w[0].1], sorted[w[1].0])),
    );
    breaks.push(sorted[sorted.len() - 1]);
    Ok(breaks)
}
