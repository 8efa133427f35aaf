//! The rules of INSEE codes, in one place: which département a commune belongs to, which
//! commune a municipal arrondissement belongs to, which codes are overseas, and how codes
//! damaged by spreadsheets are restored.
//!
//! Codes stay plain text everywhere (`01001`, `2A004`, `97411`): they are keys, never numbers,
//! and every rule about their shape lives here so that loaders, joins and lookups agree.

use super::Level;

/// Département of a commune code: `97411` → `974`, `2A004` → `2A`, `69123` → `69`.
///
/// Overseas communes (`97…`) have three-character départements, all others two. Counts
/// characters, not bytes: codes come from user files and may hold anything. `None` when the
/// code is too short to hold a département.
///
/// ```
/// use phare::territory::code::departement_of_commune;
/// assert_eq!(departement_of_commune("97411"), Some("974"));
/// assert_eq!(departement_of_commune("2A004"), Some("2A"));
/// assert_eq!(departement_of_commune("7"), None);
/// ```
pub fn departement_of_commune(code: &str) -> Option<&str> {
    let n = if code.starts_with("97") { 3 } else { 2 };
    let mut ends = code.char_indices().map(|(i, c)| i + c.len_utf8());
    ends.nth(n - 1).map(|end| &code[..end])
}

/// The commune of a municipal arrondissement: Paris (75101-75120 → 75056), Lyon
/// (69381-69389 → 69123) and Marseille (13201-13216 → 13055). `None` for any other text,
/// including the communes' own codes and codes that are not exactly five digits.
///
/// ```
/// use phare::territory::code::commune_of_arrondissement;
/// assert_eq!(commune_of_arrondissement("75108"), Some("75056"));
/// assert_eq!(commune_of_arrondissement("075108"), None);
/// ```
pub fn commune_of_arrondissement(code: &str) -> Option<&'static str> {
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.parse::<u32>().ok()? {
        75101..=75120 => Some("75056"),
        69381..=69389 => Some("69123"),
        13201..=13216 => Some("13055"),
        _ => None,
    }
}

/// True for the five overseas départements (971-976) and, through
/// [`departement_of_commune`], their communes.
pub fn is_overseas_departement(dep: &str) -> bool {
    dep.len() == 3 && dep.starts_with("97")
}

/// The département of an overseas région, each of which holds exactly one: `01` Guadeloupe
/// → `971` ... `06` Mayotte → `976`. `None` for metropolitan régions.
pub fn overseas_departement_of_region(region: &str) -> Option<&'static str> {
    match region {
        "01" => Some("971"),
        "02" => Some("972"),
        "03" => Some("973"),
        "04" => Some("974"),
        "06" => Some("976"),
        _ => None,
    }
}

/// True when `code` has the shape of a commune code: five digits, or `2A`/`2B` and three
/// digits (Corsica).
pub fn is_commune_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && (b[..2].iter().all(u8::is_ascii_digit) || matches!(&b[..2], b"2A" | b"2B"))
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// Restores leading zeros lost by spreadsheets (`1001` → `01001`, `1` → `01`) and upper-cases
/// Corsica's `2a` → `2A`.
pub fn normalise_code(code: &str, level: Level) -> String {
    let code = code.trim().to_ascii_uppercase();
    let width = match level {
        Level::Commune => 5,
        Level::Departement | Level::Region => 2,
    };
    if code.len() < width && code.chars().all(|c| c.is_ascii_digit()) {
        format!("{code:0>width$}")
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departements_of_real_communes() {
        for (commune, dep) in [
            ("97411", "974"), // Saint-Denis (La Réunion)
            ("97101", "971"), // Les Abymes
            ("97611", "976"), // Mamoudzou
            ("2A004", "2A"),  // Ajaccio
            ("2B033", "2B"),  // Bastia
            ("69123", "69"),  // Lyon
            ("01001", "01"),  // L'Abergement-Clémenciat
        ] {
            assert_eq!(departement_of_commune(commune), Some(dep), "{commune}");
        }
        assert_eq!(departement_of_commune("9"), None);
        assert_eq!(departement_of_commune("97"), None);
        // Characters, not bytes: slicing two bytes would cut 'é' in half.
        assert_eq!(departement_of_commune("6é123"), Some("6é"));
    }

    #[test]
    fn arrondissements_lead_to_their_commune() {
        for (arrondissement, commune) in [
            ("75101", "75056"),
            ("75108", "75056"),
            ("75120", "75056"),
            ("69381", "69123"),
            ("69389", "69123"),
            ("13201", "13055"),
            ("13216", "13055"),
        ] {
            assert_eq!(
                commune_of_arrondissement(arrondissement),
                Some(commune),
                "{arrondissement}"
            );
        }
        for code in [
            "75100", "75121", "69380", "69390", "13200", "13217", "7510", "751011", "75056",
            "075108", "+7510", "+75108", " 75108",
        ] {
            assert_eq!(commune_of_arrondissement(code), None, "{code}");
        }
    }

    #[test]
    fn overseas_membership() {
        assert!(
            ["971", "972", "973", "974", "976"]
                .iter()
                .all(|d| is_overseas_departement(d))
        );
        let dep = departement_of_commune("97411").unwrap();
        assert!(is_overseas_departement(dep));
        assert!(!is_overseas_departement("97") && !is_overseas_departement("69"));
        assert_eq!(overseas_departement_of_region("04"), Some("974"));
        assert_eq!(overseas_departement_of_region("06"), Some("976"));
        assert_eq!(overseas_departement_of_region("84"), None);
    }

    #[test]
    fn commune_code_shapes() {
        assert!(is_commune_code("01001") && is_commune_code("2A004") && is_commune_code("97411"));
        assert!(!is_commune_code("1001") && !is_commune_code("2C004") && !is_commune_code("0100A"));
    }

    #[test]
    fn codes_restored_after_a_spreadsheet() {
        assert_eq!(normalise_code("1001", Level::Commune), "01001");
        assert_eq!(normalise_code(" 2a004 ", Level::Commune), "2A004");
        assert_eq!(normalise_code("1", Level::Departement), "01");
        assert_eq!(normalise_code("974", Level::Departement), "974");
    }
}
