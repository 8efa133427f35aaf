//! Text encoding of a shapefile's DBF: an explicit option, else the `.cpg`, else the DBF
//! language-driver byte, else a guess (UTF-8 if the bytes are valid UTF-8, else Windows-1252).
//!
//! The `shapefile` crate's own `.cpg` handling misses `ANSI 1252` and `latin1` and falls back
//! to lossy UTF-8, which garbles French accents (`Saint-�tienne`), so phare resolves the
//! encoding itself and builds the DBF reader with it.

use encoding_rs::Encoding;

/// Names accepted for `--dbf-encoding` and in `.cpg` files, for messages.
pub const ACCEPTED: &str = "UTF-8, CP1252 / Windows-1252 / ANSI 1252 / 1252, ISO-8859-1 / latin1, \
     ISO-8859-15, CP1250-CP1258, or any WHATWG label (e.g. windows-1250, koi8-r, shift_jis)";

/// The encoding a label names (`.cpg` content or `--dbf-encoding`), case-insensitively.
pub fn from_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_start_matches('\u{feff}').trim();
    let upper = label.to_ascii_uppercase();
    let upper = upper
        .strip_prefix("ANSI")
        .map_or(upper.as_str(), str::trim_start);
    let digits = upper.strip_prefix("CP").unwrap_or(upper);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return code_page(digits);
    }
    match upper {
        "UTF8" | "UTF-8" => Some(encoding_rs::UTF_8),
        _ => {
            Encoding::for_label(upper.as_bytes()).or_else(|| Encoding::for_label(label.as_bytes()))
        }
    }
}

/// Windows/ISO code page numbers as `.cpg` files write them (`1252`, `88591`, `65001`).
fn code_page(number: &str) -> Option<&'static Encoding> {
    let label = match number {
        "65001" => "utf-8",
        "866" | "874" | "1250" | "1251" | "1252" | "1253" | "1254" | "1255" | "1256" | "1257"
        | "1258" => {
            return Encoding::for_label(format!("cp{number}").as_bytes())
                .or_else(|| Encoding::for_label(format!("windows-{number}").as_bytes()));
        }
        "932" => "shift_jis",
        "936" => "gbk",
        "949" => "euc-kr",
        "950" => "big5",
        // ISO 8859-n written without separators: 88591, 885915...
        n if n.starts_with("8859") && n.len() > 4 => {
            return Encoding::for_label(format!("iso-8859-{}", &n[4..]).as_bytes());
        }
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The encoding of a DBF language-driver byte (offset 29 of the header), for the code pages
/// `encoding_rs` supports; `None` for 0 (unset) and DOS code pages (437, 850...).
pub fn from_language_driver(byte: u8) -> Option<&'static Encoding> {
    let number = match byte {
        0x03 | 0x57 | 0x58 | 0x59 => "1252",
        0x65 => "866",
        0x7C => "874",
        0x7B => "932",
        0x7A => "936",
        0x79 => "949",
        0x78 => "950",
        0x7D => "1255",
        0x7E => "1256",
        0xC8 => "1250",
        0xC9 => "1251",
        0xCA => "1254",
        0xCB => "1253",
        0xCC => "1257",
        _ => return None,
    };
    code_page(number)
}

/// Guess for a DBF with neither `.cpg` nor language byte: non-ASCII bytes that form valid
/// UTF-8 are UTF-8 (Windows-1252 accents almost never do), anything else Windows-1252.
pub fn guess(records: &[u8]) -> &'static Encoding {
    match std::str::from_utf8(records) {
        Ok(s) if !s.is_ascii() => encoding_rs::UTF_8,
        _ => encoding_rs::WINDOWS_1252,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_8, WINDOWS_1250, WINDOWS_1252};

    #[test]
    fn cpg_labels_seen_in_the_wild() {
        for label in [
            "CP1252",
            "cp1252",
            "1252",
            "ANSI 1252",
            "Windows-1252",
            " CP1252\r\n",
            "\u{feff}1252",
        ] {
            assert_eq!(from_label(label), Some(WINDOWS_1252), "{label:?}");
        }
        // WHATWG maps latin1 to its superset windows-1252: same letters, plus œ, €...
        for label in ["ISO-8859-1", "latin1", "LATIN1", "88591", "iso8859-1"] {
            assert_eq!(from_label(label), Some(WINDOWS_1252), "{label:?}");
        }
        for label in ["UTF-8", "utf8", "UTF8", "65001"] {
            assert_eq!(from_label(label), Some(UTF_8), "{label:?}");
        }
        assert_eq!(from_label("1250"), Some(WINDOWS_1250));
        assert_eq!(
            from_label("885915").map(Encoding::name),
            Some("ISO-8859-15")
        );
        assert_eq!(from_label("CP850"), None);
        assert_eq!(from_label("klingon"), None);
        assert_eq!(from_label(""), None);
    }

    #[test]
    fn language_driver_bytes() {
        assert_eq!(from_language_driver(0x57), Some(WINDOWS_1252));
        assert_eq!(from_language_driver(0x03), Some(WINDOWS_1252));
        assert_eq!(from_language_driver(0xC8), Some(WINDOWS_1250));
        assert_eq!(from_language_driver(0x00), None);
    }

    #[test]
    fn guess_tells_utf8_from_cp1252() {
        assert_eq!(guess("Ardèche".as_bytes()), UTF_8);
        assert_eq!(guess(b"Ard\xE8che"), WINDOWS_1252);
        assert_eq!(guess(b"Ain"), WINDOWS_1252);
    }
}
