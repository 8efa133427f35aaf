//! Small text helpers shared by the readers and the join: French numbers, duplicate ids.
//! (Names are folded and compared with [`crate::names::normalise_name`] and
//! [`crate::names::edit_distance`], as lookups do.)

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use rayon::prelude::*;

/// Parses a number as French files write it: `6.5`, `6,5`, `1 234,5` (space, no-break or
/// narrow no-break space as thousands separator), `1.234,5`. Returns the value and whether a
/// decimal comma was used. Rejects `inf`, `NaN` and anything that is not a plain number.
pub(crate) fn parse_number(s: &str) -> Option<(f64, bool)> {
    let s = s.trim_matches(|c: char| c.is_whitespace());
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b".,+-eE ".contains(&b) || b >= 0x80)
    {
        return None;
    }
    if let Ok(v) = s.parse::<f64>() {
        return v.is_finite().then_some((v, false));
    }
    let last_comma = s.rfind(',');
    let last_dot = s.rfind('.');
    let comma_is_decimal = match (last_comma, last_dot) {
        (Some(c), Some(d)) => c > d,
        // Several commas and no dot: not a French number (and not a thousands separator either).
        (Some(_), None) if s.matches(',').count() > 1 => return None,
        (Some(_), None) => true,
        _ => false,
    };
    // Rewritten on the stack: a million weights with decimal commas allocate nothing.
    let mut buf = [0u8; 64];
    let mut len = 0;
    for c in s.chars() {
        let b = match c {
            ' ' | '\u{a0}' | '\u{202f}' => continue,
            ',' if comma_is_decimal => b'.',
            '.' if comma_is_decimal => continue,
            ',' => continue,
            c if c.is_ascii() => c as u8,
            _ => return None,
        };
        *buf.get_mut(len)? = b;
        len += 1;
    }
    let v: f64 = std::str::from_utf8(&buf[..len]).ok()?.parse().ok()?;
    v.is_finite().then_some((v, comma_is_decimal))
}

/// Groups of positions whose ids are equal (each group ascending, groups by first position).
/// Hashes in parallel and sorts: a million ids take a few tens of milliseconds, where a hash
/// map would miss the cache on every insert.
pub(crate) fn duplicate_groups<'a>(
    n: usize,
    id: impl Fn(usize) -> &'a str + Sync,
) -> Vec<Vec<usize>> {
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let mut keys: Vec<(u64, usize)> = (0..n)
        .into_par_iter()
        .map(|i| (hasher.hash_one(id(i)), i))
        .collect();
    keys.par_sort_unstable();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        // Equal hashes are almost always equal ids; compare to be sure.
        let mut same: Vec<Vec<usize>> = Vec::new();
        for &(_, i) in run {
            match same.iter_mut().find(|g| id(g[0]) == id(i)) {
                Some(g) => g.push(i),
                None => same.push(vec![i]),
            }
        }
        groups.extend(same.into_iter().filter(|g| g.len() > 1));
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers() {
        assert_eq!(parse_number("6.5"), Some((6.5, false)));
        assert_eq!(parse_number(" 6,5 "), Some((6.5, true)));
        assert_eq!(parse_number("1 234,5"), Some((1234.5, true)));
        assert_eq!(parse_number("1\u{202f}234,5"), Some((1234.5, true)));
        assert_eq!(parse_number("1.234,5"), Some((1234.5, true)));
        assert_eq!(parse_number("1,234.5"), Some((1234.5, false)));
        assert_eq!(parse_number("-2"), Some((-2.0, false)));
        assert_eq!(parse_number("1e3"), Some((1000.0, false)));
        for bad in ["", "abc", "inf", "NaN", "1,2,3", "12 %", "2016-11-29"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn duplicate_groups_in_order() {
        let ids = ["a", "b", "a", "c", "b", "a"];
        assert_eq!(
            duplicate_groups(ids.len(), |i| ids[i]),
            [vec![0, 2, 5], vec![1, 4]]
        );
        assert!(duplicate_groups(3, |i| ["x", "y", "z"][i]).is_empty());
    }
}
