//! Name normalisation for lookups: "Saint-Étienne", "saint etienne" and "ST ETIENNE" are one key.

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

/// Levenshtein distance on bytes (keys are ASCII after normalisation).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 3 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
        assert_eq!(edit_distance("lyon", "lion"), 1);
    }
}
