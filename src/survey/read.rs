//! Readers for survey files (schema of `docs/survey.md` §4) and commune indicator files, from
//! CSV in any of the dialects French users have, or from a spreadsheet: `read/survey.rs` reads
//! answers ([`read_survey`]), `read/indicators.rs` commune indicator tables
//! ([`read_indicators`]); this module holds what both share (options, issues, header keys,
//! code and name columns).
//!
//! Every problem becomes an [`Issue`] that names the file, line, column, value and what was
//! expected. Problems that make a row unusable are errors (the read fails and lists them);
//! the rest are warnings, which `strict` turns into errors. A survey read with
//! `skip_invalid` leaves the unusable rows out instead, keeping their problems as warnings
//! and in [`Skipped`]; problems of the header or of the whole file stay errors. Both readers take a path or bytes
//! already in memory (an embedded sample, an upload), never a temporary file.

mod indicators;
mod survey;

use std::fmt;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::dialect::{Dialect, Encoding};
use crate::{Error, Result, Setting};

pub use indicators::{
    IndicatorRow, IndicatorTable, read_indicators, read_indicators_bytes, read_indicators_keyed,
};
pub use survey::{SurveyFile, read_survey, read_survey_bytes};

/// How strictly to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Turn warnings into errors.
    pub strict: bool,
    /// Surveys: leave out the rows that cannot be used (reported in [`Skipped`] and as
    /// warnings) instead of refusing the file. Refused when every row is invalid, and
    /// overruled by `strict` (a skipped row is a warning).
    pub skip_invalid: bool,
}

/// Rows a survey read with [`ReadOptions::skip_invalid`] left out.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Skipped {
    /// Rows left out.
    pub rows: usize,
    /// Their problems (line, column, value, reason), in line order; the first 1000.
    pub problems: Vec<Issue>,
}

impl Skipped {
    /// The distinct lines of the problems kept, in order.
    pub fn lines(&self) -> Vec<usize> {
        let mut lines: Vec<usize> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines
    }

    /// `2 invalid rows skipped (--skip-invalid): lines 3, 5`, or `None` when none was.
    pub fn summary(&self) -> Option<String> {
        if self.rows == 0 {
            return None;
        }
        let lines = self.lines();
        let mut shown: Vec<String> = lines
            .iter()
            .take(SHOWN_ISSUES)
            .map(usize::to_string)
            .collect();
        if self.rows > SHOWN_ISSUES {
            shown.push("…".into());
        }
        let (rows, lines_word) = if self.rows == 1 {
            ("invalid row", "line")
        } else {
            ("invalid rows", "lines")
        };
        Some(format!(
            "{} {rows} skipped (--skip-invalid): {lines_word} {}",
            self.rows,
            shown.join(", ")
        ))
    }
}

/// One problem in an input file, located precisely enough to fix it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Issue {
    /// The file.
    pub path: PathBuf,
    /// Line (CSV) or row (spreadsheet), 1-based, header included.
    pub line: usize,
    /// Column name as written in the header, when the problem is in one cell or column.
    pub column: Option<String>,
    /// The offending value as written (empty for a blank cell).
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// What was expected instead.
    pub expected: String,
}

/// A maker of [`Issue`]s in `path`, naming columns by their header: `(line, column index,
/// value, what is wrong, what was expected)`.
fn issue_in<'a>(
    path: &'a Path,
    header: &'a [String],
) -> impl Fn(usize, Option<usize>, &str, String, &str) -> Issue + 'a {
    move |line, column, value, message, expected| Issue {
        path: path.to_path_buf(),
        line,
        column: column.map(|c| header[c].clone()),
        value: value.to_string(),
        message,
        expected: expected.to_string(),
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.path.display(), self.line)?;
        self.fmt_located(f)
    }
}

impl Issue {
    /// Everything after "file:line: ".
    fn fmt_located(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.column {
            write!(f, "column '{c}': ")?;
        }
        if self.value.is_empty() {
            if self.column.is_some() {
                write!(f, "empty cell: ")?;
            }
        } else {
            write!(f, "value '{}': ", self.value)?;
        }
        write!(f, "{}", self.message)?;
        if !self.expected.is_empty() {
            write!(f, " (expected {})", self.expected)?;
        }
        Ok(())
    }
}

/// Errors kept in full; beyond this only counted (a systematic problem repeats on every row).
const MAX_ISSUES: usize = 1000;

/// Issues listed in an error message.
const SHOWN_ISSUES: usize = 20;

/// Column names that hold commune names (used for suggestions, never as data).
const NAME_COLUMNS: [&str; 10] = [
    "commune",
    "nom_commune",
    "nom",
    "libelle",
    "libelle_commune",
    "libgeo",
    "lib_commune",
    "libcom",
    "nom_com",
    "ville",
];

/// Column names that hold commune codes, by preference.
const CODE_COLUMNS: [&str; 15] = [
    "insee_com",
    "code_insee",
    "codgeo",
    "insee",
    "code_commune",
    "code_commune_insee",
    "depcom",
    "code",
    "com",
    "code_com",
    "codecommune",
    "codcom",
    "inseecom",
    "cog",
    "citycode",
];

/// Header cell → comparable key: lower case, spaces, hyphens and dots as `_`.
fn header_key(h: &str) -> String {
    let mut key = String::with_capacity(h.len());
    for c in h.trim().chars().flat_map(char::to_lowercase) {
        if matches!(c, ' ' | '-' | '.') {
            if !key.ends_with('_') {
                key.push('_');
            }
        } else {
            key.push(c);
        }
    }
    key
}

/// Collects issues, keeping the first [`MAX_ISSUES`] and counting the rest.
#[derive(Default)]
struct Issues {
    list: Vec<Issue>,
    total: usize,
}

impl Issues {
    fn append(&mut self, other: &mut Issues) {
        self.total += other.total;
        let room = MAX_ISSUES.saturating_sub(self.list.len());
        self.list.extend(other.list.drain(..).take(room));
    }

    fn push(&mut self, issue: Issue) {
        self.total += 1;
        if self.list.len() < MAX_ISSUES {
            self.list.push(issue);
        }
    }

    /// Fails with every error (and, when strict, every warning) listed; `rows_skippable` when
    /// the errors are all in rows that `--skip-invalid` could leave out, which the hint says.
    fn check(
        &mut self,
        warnings: &mut Issues,
        path: &Path,
        opts: &ReadOptions,
        rows_skippable: bool,
    ) -> Result<()> {
        if opts.strict && warnings.total > 0 {
            self.total += warnings.total;
            self.list.append(&mut warnings.list);
        }
        self.list.sort_by_key(|i| i.line);
        if self.total == 0 {
            return Ok(());
        }
        let (strict_note, setting) = if opts.strict && warnings.total > 0 {
            (" (warnings are refused as errors)", Some(Setting::Strict))
        } else if rows_skippable {
            (
                ", or leave the invalid rows out",
                Some(Setting::SkipInvalid),
            )
        } else {
            ("", None)
        };
        let about = |err: Error| match setting {
            Some(setting) => err.about(setting),
            None => err,
        };
        if self.total == 1 {
            let issue = &self.list[0];
            return Err(about(
                Error::input(path, Located(issue).to_string())
                    .at(format!("line {}", issue.line))
                    .hint(format!(
                        "fix the value and read the file again{strict_note}"
                    )),
            ));
        }
        let mut msg = format!("{} problems", self.total);
        if self.total > SHOWN_ISSUES {
            msg.push_str(&format!(", the first {SHOWN_ISSUES} shown"));
        }
        msg.push(':');
        for issue in self.list.iter().take(SHOWN_ISSUES) {
            msg.push_str(&format!("\n  {issue}"));
        }
        Err(about(Error::input(path, msg).hint(format!(
            "fix these values and read the file again{strict_note}"
        ))))
    }
}

/// An issue without its "file:line: " prefix (the error carries both).
struct Located<'a>(&'a Issue);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_located(f)
    }
}

/// A file mixing UTF-8 and Windows-1252 was read, but accents may be wrong where they mix.
fn encoding_warning(path: &Path, dialect: &Dialect) -> Option<Issue> {
    let Some(Encoding::MixedUtf8Windows1252 { bytes, first_line }) = dialect.encoding else {
        return None;
    };
    Some(Issue {
        path: path.to_path_buf(),
        line: first_line,
        column: None,
        value: String::new(),
        message: format!("{bytes} bytes are not valid UTF-8 in a UTF-8 file: read as Windows-1252"),
        expected: "one encoding for the whole file; save it again as CSV UTF-8".into(),
    })
}

/// Too many or too few fields: the classic sign of a decimal comma in a comma-separated file.
fn field_count_problem(record: &StringRecord, expected: usize) -> Option<String> {
    let n = record.len();
    if n == expected || (n > expected && record.iter().skip(expected).all(|f| f.trim().is_empty()))
    {
        return None;
    }
    Some(format!("{n} fields but the header has {expected}"))
}

fn abbreviate(record: &StringRecord, delimiter: Option<char>) -> String {
    let d = delimiter.unwrap_or(',').to_string();
    let joined = record.iter().collect::<Vec<_>>().join(&d);
    match joined.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &joined[..at]),
        None => joined,
    }
}
