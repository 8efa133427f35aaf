//! Name normalisation for lookups: "Saint-Étienne", "saint etienne" and "ST ETIENNE" are one key.
//!
//! Shared by lookups, survey readers and joins, and the atlas, so that no stage depends on
//! another only to fold names.

/// Lower-cases, strips accents and ligatures (any script, through `deunicode`: « Œ » → `oe`,
/// « Ł » → `l`), turns hyphens, apostrophes and punctuation into single spaces, and expands the
/// abbreviations `st`/`ste` to `saint`/`sainte`.
///
/// ```
/// use phare::names::normalise_name;
///
/// assert_eq!(normalise_name("Saint-Étienne"), "saint etienne");
/// assert_eq!(normalise_name("ST ETIENNE"), "saint etienne");
/// ```
pub fn normalise_name(name: &str) -> String {
    let mut flat = String::with_capacity(name.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            flat.extend(c.to_lowercase());
        } else {
            flat.push(' ');
        }
    };
    for c in name.chars() {
        match c {
            // Symbols stay separators (deunicode would spell « ° » as `deg`).
            c if c.is_ascii() || !c.is_alphanumeric() => push(c),
            c => match deunicode::deunicode_char(c) {
                Some(ascii) if !ascii.is_empty() => ascii.chars().for_each(&mut push),
                _ => push(c),
            },
        }
    }
    let words: Vec<&str> = flat
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect();
    words.join(" ")
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions, which is the
/// typo people make in codes: `01010` for `01001`), or `None` above `max`.
///
/// ```
/// use phare::names::edit_distance;
///
/// assert_eq!(edit_distance("01010", "01001", 1), Some(1));
/// assert_eq!(edit_distance("lyon", "marseille", 2), None);
/// ```
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    // Lengths alone rule out most candidates of a suggestion scan, without a table.
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return None;
    }
    Some(strsim::osa_distance(a, b)).filter(|d| *d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_hyphens_and_abbreviations_fold() {
        assert_eq!(normalise_name("Saint-Étienne"), "saint etienne");
        assert_eq!(normalise_name("ST ETIENNE"), "saint etienne");
        assert_eq!(normalise_name("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(normalise_name("Mœuvres"), "moeuvres");
        assert_eq!(normalise_name("Łódź"), "lodz", "beyond Latin-1");
        assert_eq!(edit_distance("lyon", "lion", 2), Some(1));
        assert_eq!(
            edit_distance("01010", "01001", 2),
            Some(1),
            "a transposition is one typo"
        );
        assert_eq!(edit_distance("lyon", "marseille", 2), None);
    }
}
