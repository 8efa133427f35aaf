//! Manual breaks: the user's bounds, all of them (k classes → k + 1 values, ±infinity allowed).
//! They may leave values outside or classes empty: those values are drawn as no data and both
//! are warned about, never silently recoloured (mapsf#56).
//!
//! ```
//! use phare::classify::{Method, classify};
//!
//! let method: Method = "manual:0,10,20".parse().unwrap();
//! let c = classify(&[2.0, 5.0, 12.0, 25.0], &method, None).unwrap();
//! assert_eq!(c.classes.iter().map(|k| k.count).collect::<Vec<_>>(), [2, 1]);
//! assert_eq!(c.outside, 1);
//! assert!("manual:10,5".parse::<Method>().is_err());
//! ```

use super::{Classification, MAX_CLASSES};
use crate::error::{Error, Result};

/// Classifies `data` (sorted, finite) with the user's `breaks`: values outside get no class,
/// empty classes stay, and both are warned about.
pub(super) fn classify(
    data: &[f64],
    breaks: &[f64],
    mut c: Classification,
) -> Result<Classification> {
    check_breaks(breaks)?;
    c.breaks = breaks.to_vec();
    c.fill_classes(data);
    c.outside = data.len() - c.classes.iter().map(|k| k.count).sum::<usize>();
    if c.outside > 0 {
        c.warnings.push(format!(
            "{} values fall outside the manual breaks [{} ; {}] (data range {} to {}): they get no class and are shown as no data",
            c.outside,
            breaks[0],
            breaks[breaks.len() - 1],
            data[0],
            data[data.len() - 1]
        ));
    }
    let empty: Vec<String> = (1..=c.classes.len())
        .filter(|&i| c.classes[i - 1].count == 0)
        .map(|i| i.to_string())
        .collect();
    if !empty.is_empty() {
        c.warnings
            .push(format!("manual classes {} are empty", empty.join(", ")));
    }
    Ok(c)
}

/// Parses a list of breaks: `10,20,50`, or `0;12,5;100` (decimal commas), `-inf` and `inf`
/// allowed at the ends.
pub(super) fn parse_breaks(list: &str) -> Result<Vec<f64>> {
    let (sep, decimal_comma) = if list.contains(';') {
        (';', true)
    } else {
        (',', false)
    };
    let breaks = list
        .split(sep)
        .map(|t| {
            let t = t.trim();
            let norm = if decimal_comma {
                t.replace(',', ".")
            } else {
                t.to_string()
            };
            let v = match norm.to_ascii_lowercase().as_str() {
                "inf" | "+inf" | "∞" | "+∞" => Ok(f64::INFINITY),
                "-inf" | "−inf" | "-∞" | "−∞" => Ok(f64::NEG_INFINITY),
                n => n.parse::<f64>(),
            };
            v.map_err(|_| {
                Error::usage(format!("manual break `{t}` is not a number"))
                    .hint("write breaks as 10,20,50, or 0;12,5;100 with decimal commas")
            })
        })
        .collect::<Result<Vec<f64>>>()?;
    check_breaks(&breaks)?;
    Ok(breaks)
}

/// Manual breaks must be at least two, not NaN, strictly ascending.
pub(super) fn check_breaks(breaks: &[f64]) -> Result<()> {
    let hint = "give all bounds in ascending order, e.g. manual:0,10,20,50 for 3 classes";
    if breaks.len() < 2 {
        return Err(Error::usage(format!(
            "manual breaks need at least 2 values (got {})",
            breaks.len()
        ))
        .hint(hint));
    }
    if breaks.iter().any(|b| b.is_nan()) {
        return Err(Error::usage("a manual break is NaN").hint(hint));
    }
    if breaks.len() - 1 > MAX_CLASSES {
        return Err(Error::usage(format!(
            "{} manual classes: at most {MAX_CLASSES}",
            breaks.len() - 1
        )));
    }
    if let Some(w) = breaks.windows(2).find(|w| w[0] >= w[1]) {
        return Err(Error::usage(format!(
            "manual breaks are not strictly ascending: {} then {}",
            w[0], w[1]
        ))
        .hint(hint));
    }
    Ok(())
}
