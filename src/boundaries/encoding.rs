//! Text encoding of a shapefile's DBF: an explicit option, else the `.cpg`, else the DBF
//! language-driver byte, else a guess (UTF-8 if the bytes are valid UTF-8, else Windows-1252).
//!
//! The `shapefile` crate's own `.cpg` handling misses `ANSI 1252` and `latin1` and falls back
//! to lossy UTF-8, which garbles French accents (`Saint-�tienne`), so phare resolves the
//! encoding itself and builds the DBF reader with it.

use encoding_rs::Encoding;

/// Names accepted for `--dbf-encoding` and in `.cpg` files, for messages.
pub const ACCEPTED: &str = "UTF-8, CP1252 / Windows-1252 / ANSI 1252 / 1252, ISO-8859-1 / latin1, \
     ISO-8859-15, CP1250-CP1258, CP437, CP850, or any WHATWG label (e.g. koi8-r, shift_jis)";

/// A DBF text encoding phare can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbfEncoding {
    /// An encoding `encoding_rs` knows (UTF-8, Windows-125x, ISO-8859-x...).
    Whatwg(&'static Encoding),
    /// A DOS code page of old dBase files, which `encoding_rs` lacks.
    Dos(DosCodePage),
}

/// The DOS code pages of Western European dBase files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DosCodePage {
    /// IBM PC (US, and the French/German/Italian "OEM" language drivers).
    Cp437,
    /// DOS Latin-1 (Multilingual).
    Cp850,
}

impl DbfEncoding {
    /// Its name for messages.
    pub fn name(self) -> &'static str {
        match self {
            DbfEncoding::Whatwg(e) => e.name(),
            DbfEncoding::Dos(DosCodePage::Cp437) => "IBM437",
            DbfEncoding::Dos(DosCodePage::Cp850) => "IBM850",
        }
    }
}

/// The encoding a label names (`.cpg` content or `--dbf-encoding`), case-insensitively.
pub fn from_label(label: &str) -> Option<DbfEncoding> {
    let label = label.trim().trim_start_matches('\u{feff}').trim();
    let upper = label.to_ascii_uppercase();
    let upper = upper
        .strip_prefix("ANSI")
        .map_or(upper.as_str(), str::trim_start);
    let digits = ["CP", "IBM", "OEM"]
        .iter()
        .find_map(|p| upper.strip_prefix(p))
        .unwrap_or(upper)
        .trim_start();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return code_page(digits);
    }
    let whatwg = match upper {
        "UTF8" | "UTF-8" => Some(encoding_rs::UTF_8),
        _ => {
            Encoding::for_label(upper.as_bytes()).or_else(|| Encoding::for_label(label.as_bytes()))
        }
    };
    whatwg.map(DbfEncoding::Whatwg)
}

/// Code page numbers as `.cpg` files write them (`1252`, `88591`, `65001`, `850`).
fn code_page(number: &str) -> Option<DbfEncoding> {
    let label = match number {
        "437" => return Some(DbfEncoding::Dos(DosCodePage::Cp437)),
        "850" => return Some(DbfEncoding::Dos(DosCodePage::Cp850)),
        "65001" => "utf-8",
        "866" | "874" | "1250" | "1251" | "1252" | "1253" | "1254" | "1255" | "1256" | "1257"
        | "1258" => {
            let e = Encoding::for_label(format!("cp{number}").as_bytes());
            return e
                .or_else(|| Encoding::for_label(format!("windows-{number}").as_bytes()))
                .map(DbfEncoding::Whatwg);
        }
        "932" => "shift_jis",
        "936" => "gbk",
        "949" => "euc-kr",
        "950" => "big5",
        // ISO 8859-n written without separators: 88591, 885915...
        n if n.starts_with("8859") && n.len() > 4 => {
            return Encoding::for_label(format!("iso-8859-{}", &n[4..]).as_bytes())
                .map(DbfEncoding::Whatwg);
        }
        _ => return None,
    };
    Encoding::for_label(label.as_bytes()).map(DbfEncoding::Whatwg)
}

/// The encoding of a DBF language-driver byte (offset 29 of the header); `None` for 0 (unset)
/// and code pages phare cannot decode.
pub fn from_language_driver(byte: u8) -> Option<DbfEncoding> {
    let number = match byte {
        0x01 | 0x09 | 0x0B | 0x0D | 0x0F | 0x11 | 0x15 | 0x18 | 0x19 | 0x1B => "437",
        0x02 | 0x0A | 0x0E | 0x10 | 0x12 | 0x14 | 0x16 | 0x1A | 0x1D | 0x25 | 0x37 => "850",
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
pub fn guess(records: &[u8]) -> DbfEncoding {
    DbfEncoding::Whatwg(match std::str::from_utf8(records) {
        Ok(s) if !s.is_ascii() => encoding_rs::UTF_8,
        _ => encoding_rs::WINDOWS_1252,
    })
}

/// Re-codes the text (C) fields of a DBF from a DOS code page to Windows-1252 in place, byte
/// for byte, so it can be read as Windows-1252: every letter of French (and of the other
/// Western languages) these code pages hold is in Windows-1252; box-drawing and Greek
/// symbols become `?`.
pub fn dos_to_windows_1252(dbf: &mut [u8], page: DosCodePage) {
    let table = match page {
        DosCodePage::Cp437 => &CP437_TO_1252,
        DosCodePage::Cp850 => &CP850_TO_1252,
    };
    let layout = Layout::of(dbf);
    for record in dbf
        .get_mut(layout.header_len..)
        .unwrap_or_default()
        .chunks_exact_mut(layout.record_len.max(1))
    {
        for (_, field) in &layout.text_fields {
            for b in record
                .get_mut(field.clone())
                .unwrap_or_default()
                .iter_mut()
                .filter(|b| **b >= 0x80)
            {
                *b = table[usize::from(*b - 0x80)];
            }
        }
    }
}

/// The first text field that is not UTF-8, as (record, field name), records counted from 1:
/// `encoding_rs` would silently put `�` in its place. A multi-byte character cut by the
/// field width at its very end is tolerated (writers truncate so).
pub fn first_non_utf8(dbf: &[u8]) -> Option<(usize, String)> {
    let layout = Layout::of(dbf);
    let records = dbf
        .get(layout.header_len..)
        .unwrap_or_default()
        .chunks_exact(layout.record_len.max(1));
    records.enumerate().find_map(|(i, record)| {
        layout.text_fields.iter().find_map(|(name, field)| {
            let bytes = record.get(field.clone()).unwrap_or_default();
            match std::str::from_utf8(bytes) {
                Err(e) if e.error_len().is_some() => Some((i + 1, name.clone())),
                _ => None,
            }
        })
    })
}

/// Where a DBF's records and text fields are, from its header.
struct Layout {
    header_len: usize,
    record_len: usize,
    /// Name and byte range within a record of each character (C) field.
    text_fields: Vec<(String, std::ops::Range<usize>)>,
}

impl Layout {
    fn of(dbf: &[u8]) -> Layout {
        let u16_at = |i: usize| {
            dbf.get(i..i + 2)
                .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let (header_len, record_len) = (u16_at(8), u16_at(10));
        // Field descriptors: 32 bytes each from offset 32, until a 0x0D terminator.
        let mut text_fields = Vec::new();
        let mut offset = 1; // after the deletion flag
        let descriptors = dbf.get(32..header_len).unwrap_or_default().chunks_exact(32);
        for desc in descriptors.take_while(|d| d[0] != 0x0D) {
            let len = usize::from(desc[16]);
            if desc[11] == b'C' {
                let name = String::from_utf8_lossy(&desc[..11])
                    .trim_end_matches('\0')
                    .to_string();
                text_fields.push((name, offset..offset + len));
            }
            offset += len;
        }
        Layout {
            header_len,
            record_len,
            text_fields,
        }
    }
}

/// Windows-1252 byte of each CP437 byte 0x80-0xFF (`?` when it has none), from Python's codecs.
#[rustfmt::skip]
const CP437_TO_1252: [u8; 128] = [
    0xC7, 0xFC, 0xE9, 0xE2, 0xE4, 0xE0, 0xE5, 0xE7, 0xEA, 0xEB, 0xE8, 0xEF, 0xEE, 0xEC, 0xC4, 0xC5,
    0xC9, 0xE6, 0xC6, 0xF4, 0xF6, 0xF2, 0xFB, 0xF9, 0xFF, 0xD6, 0xDC, 0xA2, 0xA3, 0xA5, 0x3F, 0x83,
    0xE1, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xAA, 0xBA, 0xBF, 0x3F, 0xAC, 0xBD, 0xBC, 0xA1, 0xAB, 0xBB,
    0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F,
    0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F,
    0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F,
    0x3F, 0xDF, 0x3F, 0x3F, 0x3F, 0x3F, 0xB5, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F,
    0x3F, 0xB1, 0x3F, 0x3F, 0x3F, 0x3F, 0xF7, 0x3F, 0xB0, 0x3F, 0xB7, 0x3F, 0x3F, 0xB2, 0x3F, 0xA0,
];

/// Windows-1252 byte of each CP850 byte 0x80-0xFF (`?` when it has none), from Python's codecs.
#[rustfmt::skip]
const CP850_TO_1252: [u8; 128] = [
    0xC7, 0xFC, 0xE9, 0xE2, 0xE4, 0xE0, 0xE5, 0xE7, 0xEA, 0xEB, 0xE8, 0xEF, 0xEE, 0xEC, 0xC4, 0xC5,
    0xC9, 0xE6, 0xC6, 0xF4, 0xF6, 0xF2, 0xFB, 0xF9, 0xFF, 0xD6, 0xDC, 0xF8, 0xA3, 0xD8, 0xD7, 0x83,
    0xE1, 0xED, 0xF3, 0xFA, 0xF1, 0xD1, 0xAA, 0xBA, 0xBF, 0xAE, 0xAC, 0xBD, 0xBC, 0xA1, 0xAB, 0xBB,
    0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0xC1, 0xC2, 0xC0, 0xA9, 0x3F, 0x3F, 0x3F, 0x3F, 0xA2, 0xA5, 0x3F,
    0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0xE3, 0xC3, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0xA4,
    0xF0, 0xD0, 0xCA, 0xCB, 0xC8, 0x3F, 0xCD, 0xCE, 0xCF, 0x3F, 0x3F, 0x3F, 0x3F, 0xA6, 0xCC, 0x3F,
    0xD3, 0xDF, 0xD4, 0xD2, 0xF5, 0xD5, 0xB5, 0xFE, 0xDE, 0xDA, 0xDB, 0xD9, 0xFD, 0xDD, 0xAF, 0xB4,
    0xAD, 0xB1, 0x3F, 0xBE, 0xB6, 0xA7, 0xF7, 0xB8, 0xB0, 0xA8, 0xB7, 0xB9, 0xB3, 0xB2, 0x3F, 0xA0,
];

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_8 as U8, WINDOWS_1250 as W1250, WINDOWS_1252 as W1252};

    const UTF_8: Option<DbfEncoding> = Some(DbfEncoding::Whatwg(U8));
    const WINDOWS_1250: Option<DbfEncoding> = Some(DbfEncoding::Whatwg(W1250));
    const WINDOWS_1252: Option<DbfEncoding> = Some(DbfEncoding::Whatwg(W1252));

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
            assert_eq!(from_label(label), WINDOWS_1252, "{label:?}");
        }
        // WHATWG maps latin1 to its superset windows-1252: same letters, plus œ, €...
        for label in ["ISO-8859-1", "latin1", "LATIN1", "88591", "iso8859-1"] {
            assert_eq!(from_label(label), WINDOWS_1252, "{label:?}");
        }
        for label in ["UTF-8", "utf8", "UTF8", "65001"] {
            assert_eq!(from_label(label), UTF_8, "{label:?}");
        }
        assert_eq!(from_label("1250"), WINDOWS_1250);
        assert_eq!(
            from_label("885915").map(DbfEncoding::name),
            Some("ISO-8859-15")
        );
        for label in ["CP850", "850", "IBM850", "OEM 850"] {
            assert_eq!(
                from_label(label),
                Some(DbfEncoding::Dos(DosCodePage::Cp850)),
                "{label:?}"
            );
        }
        assert_eq!(from_label("klingon"), None);
        assert_eq!(from_label(""), None);
    }

    #[test]
    fn language_driver_bytes() {
        assert_eq!(from_language_driver(0x57), WINDOWS_1252);
        assert_eq!(from_language_driver(0x03), WINDOWS_1252);
        assert_eq!(from_language_driver(0xC8), WINDOWS_1250);
        assert_eq!(
            from_language_driver(0x0E),
            Some(DbfEncoding::Dos(DosCodePage::Cp850))
        );
        assert_eq!(from_language_driver(0x00), None);
    }

    #[test]
    fn guess_tells_utf8_from_cp1252() {
        assert_eq!(Some(guess("Ardèche".as_bytes())), UTF_8);
        assert_eq!(Some(guess(b"Ard\xE8che")), WINDOWS_1252);
        assert_eq!(Some(guess(b"Ain")), WINDOWS_1252);
    }

    /// A DBF written in CP850 (é = 0x82, â = 0x83) reads back right after re-coding.
    #[test]
    fn dos_code_page_850_is_recoded() {
        use shapefile::dbase::{self, FieldValue};
        let mut dbf = std::io::Cursor::new(Vec::new());
        let names = ["Orléans", "Châteauroux", "Ain"];
        {
            let mut writer =
                dbase::TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(W1252))
                    .add_character_field("nom".try_into().unwrap(), 20)
                    .add_numeric_field("pop".try_into().unwrap(), 9, 0)
                    .build_with_dest(&mut dbf);
            for (i, name) in names.iter().enumerate() {
                let mut r = dbase::Record::default();
                r.insert("nom".into(), FieldValue::Character(Some(name.to_string())));
                r.insert("pop".into(), FieldValue::Numeric(Some(1000.0 * i as f64)));
                writer.write_record(&r).unwrap();
            }
        }
        let cp1252_to_850 = |b: u8| match b {
            0xE9 => 0x82,
            0xE2 => 0x83,
            b => b,
        };
        let mut bytes: Vec<u8> = dbf.into_inner();
        let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        bytes[header_len..]
            .iter_mut()
            .for_each(|b| *b = cp1252_to_850(*b));
        dos_to_windows_1252(&mut bytes, DosCodePage::Cp850);
        let mut reader = dbase::ReaderBuilder::new()
            .with_encoding(dbase::encoding::EncodingRs::from(W1252))
            .build(std::io::Cursor::new(bytes))
            .unwrap();
        let records = reader.read().unwrap();
        for (i, (r, name)) in records.iter().zip(names).enumerate() {
            assert_eq!(
                r.get("nom"),
                Some(&FieldValue::Character(Some(name.to_string())))
            );
            assert_eq!(
                r.get("pop"),
                Some(&FieldValue::Numeric(Some(1000.0 * i as f64)))
            );
        }
    }
}
