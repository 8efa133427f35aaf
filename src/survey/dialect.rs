//! How a tabular file is written: format, encoding, delimiter, decimal mark.
//!
//! French files come from Excel exports ("CSV (séparateur : point-virgule)" in Windows-1252,
//! "CSV UTF-8" with a BOM, "Texte Unicode" in UTF-16 with tabs) and from tools that write
//! plain UTF-8 with commas. We detect all of these rather than asking the user.

use std::fmt;
use std::path::Path;

use crate::{Error, Result};

/// Text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "name")]
pub enum Encoding {
    /// UTF-8 without byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// Windows-1252 (Excel's default "CSV" on French Windows).
    Windows1252,
    /// UTF-16 with a byte-order mark (Excel's "Texte Unicode").
    Utf16,
    /// Mostly UTF-8 with some Windows-1252 bytes (a UTF-8 file edited by an old tool): each
    /// invalid byte was read as Windows-1252, and the readers warn.
    MixedUtf8Windows1252 {
        /// Bytes read as Windows-1252.
        bytes: usize,
        /// Line of the first one.
        first_line: usize,
    },
}

impl Encoding {
    /// Name as users know it.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Utf16 => "UTF-16",
            Encoding::MixedUtf8Windows1252 { .. } => "UTF-8 mixed with Windows-1252",
        }
    }
}

/// Container format of a tabular file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Format {
    /// Delimited text.
    Csv,
    /// A spreadsheet (xlsx, xls, ods): which sheet was read.
    Excel {
        /// Name of the sheet read.
        sheet: String,
    },
}

/// What was detected about a file, for the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dialect {
    /// CSV or spreadsheet.
    pub format: Format,
    /// Field delimiter (CSV only).
    pub delimiter: Option<char>,
    /// Text encoding (CSV only).
    pub encoding: Option<Encoding>,
    /// True when at least one number was written with a decimal comma (`6,5`).
    pub decimal_comma: bool,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.format {
            Format::Excel { sheet } => write!(f, "spreadsheet, sheet '{sheet}'")?,
            Format::Csv => {
                let delim = match self.delimiter {
                    Some('\t') => "tab".to_string(),
                    Some(c) => format!("'{c}'"),
                    None => "no delimiter (one column)".to_string(),
                };
                write!(f, "CSV, {delim}-separated")?;
                if let Some(e) = self.encoding {
                    write!(f, ", {}", e.as_str())?;
                }
            }
        }
        if self.decimal_comma {
            write!(f, ", decimal comma")?;
        }
        Ok(())
    }
}

/// Spreadsheet magic numbers: zip (xlsx, ods) and OLE2 (xls).
pub(crate) fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Decodes file bytes to UTF-8 text. Returns the text bytes, where they start (past a BOM) and
/// the encoding. Refuses binary content with a message that says what to do.
pub(crate) fn decode(bytes: Vec<u8>, path: &Path) -> Result<(Vec<u8>, usize, Encoding)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _, had_errors) = enc.decode(&bytes);
        if had_errors {
            return Err(
                Error::input(path, "invalid UTF-16 text").hint("save the file again as CSV UTF-8")
            );
        }
        let text = text.into_owned().into_bytes();
        check_text(&text, path)?;
        let start = if text.starts_with("\u{FEFF}".as_bytes()) {
            3
        } else {
            0
        };
        return Ok((text, start, Encoding::Utf16));
    }
    check_text(&bytes, path)?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        if std::str::from_utf8(&bytes[3..]).is_err() {
            return Err(Error::input(
                path,
                "the file starts with a UTF-8 byte-order mark but is not valid UTF-8",
            )
            .hint("save it again as CSV UTF-8 from the spreadsheet"));
        }
        return Ok((bytes, 3, Encoding::Utf8Bom));
    }
    if std::str::from_utf8(&bytes).is_ok() {
        return Ok((bytes, 0, Encoding::Utf8));
    }
    // Invalid UTF-8: Windows-1252, unless UTF-8 accents outnumber the invalid bytes.
    let utf8_sequences = bytes
        .windows(2)
        .filter(|w| (0xC2..=0xF4).contains(&w[0]) && (0x80..=0xBF).contains(&w[1]))
        .count();
    let (text, invalid, first_bad) = utf8_with_fallback(&bytes);
    if utf8_sequences > invalid {
        let first_line = 1 + bytes[..first_bad].iter().filter(|&&b| b == b'\n').count();
        return Ok((
            text.into_bytes(),
            0,
            Encoding::MixedUtf8Windows1252 {
                bytes: invalid,
                first_line,
            },
        ));
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    Ok((text.into_owned().into_bytes(), 0, Encoding::Windows1252))
}

/// Decodes UTF-8, reading each invalid byte as Windows-1252. Returns the text, the number of
/// invalid bytes and the offset of the first.
pub(crate) fn utf8_with_fallback(bytes: &[u8]) -> (String, usize, usize) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let (mut rest, mut invalid, mut first_bad) = (bytes, 0, None);
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                text.push_str(s);
                return (text, invalid, first_bad.unwrap_or(0));
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(good).unwrap_or_default());
                text.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(&bad[..1])
                        .0,
                );
                first_bad.get_or_insert(bytes.len() - rest.len() + good.len());
                invalid += 1;
                rest = &bad[1..];
            }
        }
    }
}

/// Rejects binary content: NUL bytes, or control bytes that no text export contains.
fn check_text(bytes: &[u8], path: &Path) -> Result<()> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    // Bytes that never appear in CSV text, whatever the encoding: C0 controls other than
    // tab/newline/carriage return/form feed, DEL, and the five bytes Windows-1252 leaves undefined.
    let odd = |b: u8| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
            || matches!(b, 0x7F | 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
    };
    if let Some(at) = head.iter().position(|&b| b == 0 || odd(b)) {
        let count = head.iter().filter(|&&b| b == 0 || odd(b)).count();
        if head.contains(&0) || count * 200 > head.len() || count > 8 {
            return Err(Error::input(
                path,
                format!(
                    "this is not a text CSV file (binary byte 0x{:02X} at offset {at})",
                    head[at]
                ),
            )
            .at(format!(
                "line {}",
                1 + head[..at].iter().filter(|&&b| b == b'\n').count()
            ))
            .hint("give a CSV export (comma, semicolon or tab separated) or an .xlsx workbook"));
        }
    }
    Ok(())
}

/// Guesses the delimiter from the header line: the most frequent of `;`, tab, `,`, `|` outside
/// quotes (ties go to `;` then tab, the French exports). `None` when the line has none.
pub(crate) fn sniff_delimiter(text: &[u8]) -> Option<u8> {
    let candidates = [b';', b'\t', b',', b'|'];
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let first_line = text
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .unwrap_or(&[]);
    for &b in first_line {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && let Some(i) = candidates.iter().position(|&c| c == b) {
            counts[i] += 1;
        }
    }
    let (best, &n) = counts.iter().enumerate().rev().max_by_key(|&(_, n)| n)?;
    (n > 0).then_some(candidates[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2;3"), Some(b';'));
        assert_eq!(sniff_delimiter(b"\n\na,b,\"c;d;e\"\n"), Some(b','));
        assert_eq!(sniff_delimiter(b"a\tb\tc"), Some(b'\t'));
        assert_eq!(
            sniff_delimiter(b"a,b;c"),
            Some(b';'),
            "ties go to the French export"
        );
        assert_eq!(sniff_delimiter(b"abc\n"), None);
    }

    #[test]
    fn encodings_are_detected() {
        let p = Path::new("x.csv");
        let (t, s, e) = decode(b"\xEF\xBB\xBFa;b".to_vec(), p).unwrap();
        assert_eq!((&t[s..], e), (&b"a;b"[..], Encoding::Utf8Bom));
        let (t, s, e) = decode(b"nom;Ard\xE8che".to_vec(), p).unwrap();
        assert_eq!(
            (std::str::from_utf8(&t[s..]).unwrap(), e),
            ("nom;Ardèche", Encoding::Windows1252)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é\tb".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (t, s, e) = decode(utf16, p).unwrap();
        assert_eq!(
            (std::str::from_utf8(&t[s..]).unwrap(), e),
            ("é\tb", Encoding::Utf16)
        );
        let mixed = "nom;Ardèche\nnom;Drôme\nnom;Is"
            .bytes()
            .chain([0xE8, b'r', b'e'])
            .collect();
        let (t, _, e) = decode(mixed, p).unwrap();
        assert_eq!(
            std::str::from_utf8(&t).unwrap(),
            "nom;Ardèche\nnom;Drôme\nnom;Isère"
        );
        assert_eq!(
            e,
            Encoding::MixedUtf8Windows1252 {
                bytes: 1,
                first_line: 3
            }
        );
        let err = decode(vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13], p).unwrap_err();
        assert!(err.to_string().contains("not a text CSV file"), "{err}");
    }
}
