//! Points typed on the command line (`phare lookup --at`), read leniently but never guessed.

use crate::{Error, Result, Setting};

/// Parses "LON,LAT" (or "LAT,LON" with `lat_lon`); also accepts spaces or ';' as separator and
/// decimal commas when ';' separates.
pub fn parse_point(text: &str, lat_lon: bool) -> Result<(f64, f64)> {
    let bad = || {
        Error::usage(format!("cannot read the point '{text}'"))
            .hint("give it as LON,LAT in decimal degrees, e.g. 4.8357,45.7640, or ask for LAT,LON")
            .about(Setting::Point)
    };
    let parts: Vec<String> = if text.contains(';') {
        text.split(';')
            .map(|p| p.trim().replace(',', "."))
            .collect()
    } else if text.contains(',') {
        text.split(',').map(|p| p.trim().to_string()).collect()
    } else {
        text.split_whitespace().map(str::to_string).collect()
    };
    let [a, b] = parts.as_slice() else {
        return Err(bad());
    };
    let (a, b): (f64, f64) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if !a.is_finite() || !b.is_finite() {
        return Err(bad());
    }
    let (lon, lat) = if lat_lon { (b, a) } else { (a, b) };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(
            Error::usage(format!("'{text}' is not a longitude/latitude in degrees"))
                .hint("phare expects WGS84 degrees, not projected metres (Lambert-93)"),
        );
    }
    Ok((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::parse_point;

    #[test]
    fn points_parse_in_both_orders_and_reject_metres() {
        assert_eq!(
            parse_point("4.8357,45.7640", false).unwrap(),
            (4.8357, 45.764)
        );
        assert_eq!(
            parse_point("45.7640,4.8357", true).unwrap(),
            (4.8357, 45.764)
        );
        assert_eq!(
            parse_point("4,8357;45,7640", false).unwrap(),
            (4.8357, 45.764)
        );
        assert!(parse_point("842000,6519000", false).is_err());
        assert!(parse_point("abc", false).is_err());
    }
}
