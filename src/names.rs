//! Name normalisation for lookups: "Saint-Étienne", "saint etienne" and "ST ETIENNE" are one key.
//!
//! Shared by lookups, survey readers and joins, and the atlas, so that no stage depends on
//! another only to fold names.

/// Lower-cases, strips accents and ligatures, turns hyphens, apostrophes and punctuation into
/// single spaces, and expands the abbreviations `st`/`ste` to `saint`/`sainte`.
pub fn normalise_name(name: &str) -> String {
    let mut flat = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
                flat.push('a')
            }
            'ç' | 'Ç' => flat.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => flat.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => flat.push('i'),
            'ñ' | 'Ñ' => flat.push('n'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => flat.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => flat.push('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => flat.push('y'),
            'œ' | 'Œ' => flat.push_str("oe"),
            'æ' | 'Æ' => flat.push_str("ae"),
            c if c.is_alphanumeric() => flat.extend(c.to_lowercase()),
            _ => flat.push(' '),
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
/// typo people make in codes: `01010` for `01001`). Stops early above `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; width * (a.len() + 1)];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
    }
    let d = rows[a.len() * width + b.len()];
    (d <= max).then_some(d)
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
        assert_eq!(edit_distance("lyon", "lion", 2), Some(1));
        assert_eq!(
            edit_distance("01010", "01001", 2),
            Some(1),
            "a transposition is one typo"
        );
        assert_eq!(edit_distance("lyon", "marseille", 2), None);
    }
}
