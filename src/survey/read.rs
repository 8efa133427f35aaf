//! Readers for survey files (schema of `docs/survey.md` §4) and commune indicator files, from
//! CSV in any of the dialects French users have, or from a spreadsheet.
//!
//! Every problem becomes an [`Issue`] that names the file, line, column, value and what was
//! expected. Problems that make a row unusable are errors (the read fails and lists them);
//! the rest are warnings, which `strict` turns into errors.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use csv::StringRecord;
use rayon::prelude::*;

use super::dialect::{Dialect, Encoding};
use super::table::{OddCell, Table, is_blank};
use super::text::{duplicate_groups, parse_number};
use super::{ANSWER_LABELS, Actor, DOMAINS, Respondent};
use crate::names::{edit_distance, normalise_name};
use crate::{Error, Result};

/// How strictly to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Turn warnings into errors.
    pub strict: bool,
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

/// A survey file, read and validated.
#[derive(Debug, Clone)]
pub struct SurveyFile {
    /// The file read.
    pub path: PathBuf,
    /// Valid respondents, in file order.
    pub respondents: Vec<Respondent>,
    /// Problems that did not stop the read.
    pub warnings: Vec<Issue>,
    /// True when any row is synthetic: outputs must say « Données simulées ».
    pub synthetic: bool,
    /// How the file was written, for the report.
    pub dialect: Dialect,
    /// Commune names by line, when the file has a name column (`commune`, `nom_commune`, ...):
    /// the join suggests communes by name for unmatched codes ([`super::join::join_named`]).
    pub commune_names: HashMap<usize, String>,
}

/// A commune indicator file: one row per commune, numeric columns.
#[derive(Debug, Clone)]
pub struct IndicatorTable {
    /// The file read.
    pub path: PathBuf,
    /// Name of the column holding commune codes, as written in the header.
    pub code_column: String,
    /// Numeric columns, in file order.
    pub columns: Vec<String>,
    /// Per column: true when it holds counts (non-negative whole numbers, not a rate by its
    /// name), which may be summed when several rows map to one commune.
    pub additive: Vec<bool>,
    /// The rows.
    pub rows: Vec<IndicatorRow>,
    /// Problems that did not stop the read.
    pub warnings: Vec<Issue>,
    /// What was set aside on purpose and why (identifier or text columns, values marked
    /// secret or not available): reported, not warnings.
    pub notes: Vec<Issue>,
    /// How the file was written.
    pub dialect: Dialect,
    /// Commune names by line, when the file has a name column.
    pub commune_names: HashMap<usize, String>,
}

/// One row of an indicator file.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    /// Line in the file.
    pub line: usize,
    /// Commune code as written (trimmed).
    pub code: String,
    /// One value per [`IndicatorTable::columns`]; `None` when blank or not available.
    pub values: Vec<Option<f64>>,
}

/// Errors kept in full; beyond this only counted (a systematic problem repeats on every row).
const MAX_ISSUES: usize = 1000;
/// Issues listed in an error message.
const SHOWN_ISSUES: usize = 20;

const ANSWER_EXPECTED: &str = "1, 2, 3, 4, 9 or a label such as « Oui, plutôt »";
const SCORE_EXPECTED: &str = "a score from 0 to 10, or 99 for « Ne sait pas »";
const WEIGHT_EXPECTED: &str = "a number greater than 0, such as 1,25";

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

/// A survey column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Id,
    Actor,
    Wave,
    Code,
    CogYear,
    Weight,
    Q4,
    QInnovation,
    Frag(usize),
    Synthetic,
    Name,
    Ignored,
}

impl Col {
    fn expected(self) -> &'static str {
        match self {
            Col::Id => "a unique respondent id",
            Col::Actor => "maire, citoyen, entreprise or association",
            Col::Wave | Col::Name | Col::Ignored => "text",
            Col::Code => "a 5-character INSEE commune code such as 01001 or 2A004",
            Col::CogYear => "a year such as 2016",
            Col::Weight => WEIGHT_EXPECTED,
            Col::Q4 | Col::QInnovation => ANSWER_EXPECTED,
            Col::Frag(_) => SCORE_EXPECTED,
            Col::Synthetic => "true or false",
        }
    }
}

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

fn survey_column(key: &str) -> Option<Col> {
    Some(match key {
        "respondent_id" | "id" | "id_respondent" | "respondent" | "id_repondant"
        | "identifiant" => Col::Id,
        "actor" | "acteur" | "type_acteur" => Col::Actor,
        "wave" | "vague" => Col::Wave,
        "cog_year" | "annee_cog" | "millesime_cog" => Col::CogYear,
        "weight" | "poids" | "ponderation" | "pondération" => Col::Weight,
        "q4" => Col::Q4,
        "q_innovation" | "innovation" => Col::QInnovation,
        "synthetic" | "synthetique" | "synthétique" => Col::Synthetic,
        k if CODE_COLUMNS[..8].contains(&k) => Col::Code,
        k if NAME_COLUMNS.contains(&k) => Col::Name,
        k => {
            let domain = k.strip_prefix("frag_")?;
            Col::Frag(DOMAINS.iter().position(|(d, _)| *d == domain)?)
        }
    })
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

    /// Fails with every error (and, when strict, every warning) listed.
    fn check(&mut self, warnings: &mut Issues, path: &Path, opts: &ReadOptions) -> Result<()> {
        if opts.strict && warnings.total > 0 {
            self.total += warnings.total;
            self.list.append(&mut warnings.list);
        }
        self.list.sort_by_key(|i| i.line);
        if self.total == 0 {
            return Ok(());
        }
        let strict_note = if opts.strict && warnings.total > 0 {
            " (--strict: warnings count as errors)"
        } else {
            ""
        };
        if self.total == 1 {
            let issue = &self.list[0];
            return Err(Error::input(path, Located(issue).to_string())
                .at(format!("line {}", issue.line))
                .hint(format!(
                    "fix the value and read the file again{strict_note}"
                )));
        }
        let mut msg = format!("{} problems", self.total);
        if self.total > SHOWN_ISSUES {
            msg.push_str(&format!(", the first {SHOWN_ISSUES} shown"));
        }
        msg.push(':');
        for issue in self.list.iter().take(SHOWN_ISSUES) {
            msg.push_str(&format!("\n  {issue}"));
        }
        Err(Error::input(path, msg).hint(format!(
            "fix these values and read the file again{strict_note}"
        )))
    }
}

/// An issue without its "file:line: " prefix (the error carries both).
struct Located<'a>(&'a Issue);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_located(f)
    }
}

/// Reads and validates a survey file (CSV or spreadsheet).
pub fn read_survey(path: &Path, opts: &ReadOptions) -> Result<SurveyFile> {
    let mut table = Table::open(path)?;
    let mut errors = Issues::default();
    let mut warnings = Issues::default();
    let header_line = table.header_line;
    let header = table.header.clone();
    let issue =
        |line: usize, column: Option<usize>, value: &str, message: String, expected: &str| Issue {
            path: path.to_path_buf(),
            line,
            column: column.map(|c| header[c].clone()),
            value: value.to_string(),
            message,
            expected: expected.to_string(),
        };

    if let Some(w) = encoding_warning(path, &table.dialect) {
        warnings.push(w);
    }

    // Header: map columns, refuse duplicates and typos in the frag_ namespace we own.
    let mut cols = Vec::with_capacity(header.len());
    let mut seen: HashMap<Col, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let key = header_key(h);
        let col = match survey_column(&key) {
            Some(col) => col,
            None if h.is_empty() => Col::Ignored,
            None if key.starts_with("frag_") => {
                let near = nearest(&key, DOMAINS.iter().map(|(d, _)| format!("frag_{d}")));
                errors.push(issue(
                    header_line,
                    Some(i),
                    h,
                    "unknown fragility domain".into(),
                    &format!("one of the 16 frag_<domain> columns{near}"),
                ));
                Col::Ignored
            }
            None => {
                let near = nearest(&key, known_survey_columns());
                warnings.push(issue(
                    header_line,
                    Some(i),
                    h,
                    "unknown column, ignored".into(),
                    &format!("a column of the survey schema{near}"),
                ));
                Col::Ignored
            }
        };
        if col != Col::Ignored
            && let Some(&first) = seen.get(&col)
        {
            errors.push(issue(
                header_line,
                Some(i),
                h,
                format!("same column as '{}' (column {})", header[first], first + 1),
                "each column once",
            ));
        }
        seen.entry(col).or_insert(i);
        cols.push(col);
    }
    for (col, name) in [(Col::Id, "respondent_id"), (Col::Code, "insee_com")] {
        if !seen.contains_key(&col) {
            let found = if header.len() == 1 {
                format!(
                    "the header has a single column '{}': is the delimiter one of ';' ',' tab? (read as {})",
                    header[0], table.dialect
                )
            } else {
                format!("columns found: {}", header.join(", "))
            };
            errors.push(Issue {
                path: path.to_path_buf(),
                line: header_line,
                column: None,
                value: String::new(),
                message: format!("no column '{name}' ({found})"),
                expected: format!(
                    "a header with respondent_id and insee_com; other columns: {}",
                    schema_summary()
                ),
            });
        }
    }
    if !errors.list.is_empty() {
        errors.check(&mut warnings, path, opts)?;
    }

    let parser = RowParser {
        path,
        header: &header,
        cols,
        labels: ANSWER_LABELS
            .iter()
            .map(|(c, l)| (*c, normalise_name(l)))
            .collect(),
        delimiter: table.dialect.delimiter,
    };
    // Large plain files are cut at line ends and validated on every core; a file with quotes
    // (a quoted field may hold a line break) or a spreadsheet is read in one pass.
    let chunks = match table.plain_chunks(rayon::current_num_threads()) {
        Some(chunks) => chunks
            .into_par_iter()
            .map(|chunk| {
                let mut parsed = Parsed::with_capacity(chunk.lines());
                chunk.read(path, |line, record| {
                    parser.row(line, record, &[], &mut parsed)
                })?;
                Ok(parsed)
            })
            .collect::<Result<Vec<Parsed>>>()?,
        None => {
            let mut parsed = Parsed::with_capacity(table.rows_hint());
            let mut record = StringRecord::new();
            while let Some(line) = table.next_row(&mut record, path)? {
                parser.row(line, &record, &table.odd, &mut parsed);
            }
            vec![parsed]
        }
    };
    let Parsed {
        mut respondents,
        errors: mut row_errors,
        warnings: mut row_warnings,
        commune_names,
        decimal_comma,
        ..
    } = Parsed::concat(chunks, &parser);
    errors.append(&mut row_errors);
    warnings.append(&mut row_warnings);

    if respondents.is_empty() && errors.total == 0 {
        errors.push(issue(
            header_line,
            None,
            "",
            "no respondent after the header".into(),
            "one row per respondent",
        ));
    }
    if !seen.contains_key(&Col::Q4) && respondents.iter().any(|r| r.actor == Actor::Maire) {
        warnings.push(issue(
            header_line,
            None,
            "",
            "no column 'q4': mayors' Q4 answers cannot be aggregated".into(),
            "a q4 column for mayors",
        ));
    }
    let id_column = seen.get(&Col::Id).map(|&i| header[i].clone());
    for group in duplicate_groups(respondents.len(), |i| respondents[i].id.as_str()) {
        let first = respondents[group[0]].line;
        for &i in &group[1..] {
            errors.push(Issue {
                path: path.to_path_buf(),
                line: respondents[i].line,
                column: id_column.clone(),
                value: respondents[i].id.clone(),
                message: format!("duplicate respondent id (first on line {first})"),
                expected: "a unique id per respondent".into(),
            });
        }
    }
    errors.check(&mut warnings, path, opts)?;

    respondents.shrink_to_fit();
    let synthetic = respondents.iter().any(|r| r.synthetic);
    let mut dialect = table.dialect;
    dialect.decimal_comma = decimal_comma;
    Ok(SurveyFile {
        path: path.to_path_buf(),
        respondents,
        warnings: warnings.list,
        synthetic,
        dialect,
        commune_names,
    })
}

/// What one pass over some rows produced.
#[derive(Default)]
struct Parsed {
    respondents: Vec<Respondent>,
    errors: Issues,
    warnings: Issues,
    commune_names: HashMap<usize, String>,
    /// Blank lines not yet followed by a row: reported only if a row comes after them.
    pending_blank: Vec<usize>,
    /// True once a non-blank row was seen.
    any_row: bool,
    decimal_comma: bool,
}

impl Parsed {
    fn with_capacity(rows: usize) -> Self {
        Parsed {
            respondents: Vec::with_capacity(rows),
            ..Parsed::default()
        }
    }

    /// Joins the pieces in file order; a piece's trailing blank lines are warnings when a
    /// later piece has rows.
    fn concat(pieces: Vec<Parsed>, parser: &RowParser) -> Parsed {
        let total: usize = pieces.iter().map(|p| p.respondents.len()).sum();
        let rows_after: Vec<bool> = (0..pieces.len())
            .map(|k| pieces[k + 1..].iter().any(|p| p.any_row))
            .collect();
        let mut out = Parsed::default();
        for (k, mut piece) in pieces.into_iter().enumerate() {
            if out.respondents.is_empty() {
                out.respondents = std::mem::take(&mut piece.respondents);
                out.respondents.reserve(total - out.respondents.len());
            } else {
                out.respondents.append(&mut piece.respondents);
            }
            out.errors.append(&mut piece.errors);
            out.warnings.append(&mut piece.warnings);
            if rows_after[k] {
                for line in piece.pending_blank {
                    out.warnings.push(parser.blank_line(line));
                }
            }
            out.commune_names.extend(piece.commune_names);
            out.decimal_comma |= piece.decimal_comma;
            out.any_row |= piece.any_row;
        }
        out
    }
}

/// Validates survey rows against the header's columns.
struct RowParser<'a> {
    path: &'a Path,
    header: &'a [String],
    cols: Vec<Col>,
    /// Answer labels, folded for comparison.
    labels: Vec<(u8, String)>,
    delimiter: Option<char>,
}

impl RowParser<'_> {
    fn issue(
        &self,
        line: usize,
        column: Option<usize>,
        value: &str,
        message: &str,
        expected: &str,
    ) -> Issue {
        Issue {
            path: self.path.to_path_buf(),
            line,
            column: column.map(|c| self.header[c].clone()),
            value: value.to_string(),
            message: message.to_string(),
            expected: expected.to_string(),
        }
    }

    fn blank_line(&self, line: usize) -> Issue {
        self.issue(
            line,
            None,
            "",
            "empty line ignored",
            "one respondent per line",
        )
    }

    /// Validates one row: a respondent, or errors naming each bad cell.
    fn row(&self, line: usize, record: &StringRecord, odd: &[(usize, OddCell)], out: &mut Parsed) {
        if is_blank(record) {
            out.pending_blank.push(line);
            return;
        }
        out.any_row = true;
        for l in std::mem::take(&mut out.pending_blank) {
            out.warnings.push(self.blank_line(l));
        }
        if let Some(problem) = field_count_problem(record, self.cols.len()) {
            let expected = "one value per header column; quote values that contain the delimiter";
            out.errors.push(self.issue(
                line,
                None,
                &abbreviate(record, self.delimiter),
                &problem,
                expected,
            ));
            return;
        }
        let mut r = Respondent {
            id: String::new(),
            actor: Actor::Maire,
            wave: None,
            insee_com: String::new(),
            cog_year: None,
            weight: 1.0,
            q4: None,
            q_innovation: None,
            frag: [None; 16],
            frag_dont_know: [false; 16],
            synthetic: false,
            line,
        };
        let errors_before = out.errors.total;
        for (i, (raw, &col)) in record.iter().zip(&self.cols).enumerate() {
            let v = trim(raw);
            if col == Col::Ignored {
                continue;
            }
            if !odd.is_empty()
                && !matches!(col, Col::Wave | Col::Name)
                && let Some((_, cell)) = odd.iter().find(|(c, _)| *c == i)
            {
                let (what, fix) = match cell {
                    OddCell::Date(_) => (
                        "a date cell",
                        "format the column as Text or Number in the spreadsheet",
                    ),
                    OddCell::Error(_) => (
                        "a spreadsheet error cell",
                        "fix the formula or clear the cell",
                    ),
                };
                out.errors.push(self.issue(
                    line,
                    Some(i),
                    v,
                    what,
                    &format!("{}; {fix}", col.expected()),
                ));
                continue;
            }
            let errors = &mut out.errors;
            let mut bad =
                |message: &str| errors.push(self.issue(line, Some(i), v, message, col.expected()));
            match col {
                Col::Id if v.is_empty() => bad("missing respondent id"),
                Col::Id => r.id = v.to_string(),
                // A blank actor is a mayor: the first PHARE files had no actor column.
                Col::Actor if v.is_empty() => r.actor = Actor::Maire,
                Col::Actor => match Actor::parse(v) {
                    Some(a) => r.actor = a,
                    None => bad("unknown actor"),
                },
                Col::Wave => r.wave = (!v.is_empty()).then(|| v.to_string()),
                Col::Code => r.insee_com = v.to_string(),
                Col::CogYear if v.is_empty() => {}
                Col::CogYear => match v.parse::<u16>() {
                    Ok(y) if (1943..=2100).contains(&y) => r.cog_year = Some(y),
                    _ => bad("not a year"),
                },
                Col::Weight => match parse_number(v) {
                    _ if v.is_empty() => {
                        bad("missing weight (leave the whole column out for unweighted data)")
                    }
                    Some((w, comma)) if w > 0.0 => {
                        r.weight = w;
                        out.decimal_comma |= comma;
                    }
                    Some(_) => bad("weight must be greater than 0"),
                    None => bad("weight is not a number"),
                },
                Col::Q4 | Col::QInnovation if v.is_empty() => {}
                Col::Q4 | Col::QInnovation => match parse_answer(v, &self.labels) {
                    Some(code) if col == Col::Q4 => r.q4 = Some(code),
                    Some(code) => r.q_innovation = Some(code),
                    None if parse_number(v).is_some() => bad("answer out of range"),
                    None => bad("unknown answer"),
                },
                Col::Frag(_) if v.is_empty() => {}
                Col::Frag(d) => match parse_score(v) {
                    Some((Score::DontKnow, _)) => r.frag_dont_know[d] = true,
                    Some((Score::Value(x), comma)) => {
                        r.frag[d] = Some(x);
                        out.decimal_comma |= comma;
                    }
                    None if parse_number(v).is_some() => bad("score out of range"),
                    None => bad("score is not a number"),
                },
                Col::Synthetic => match parse_bool(v) {
                    Some(b) => r.synthetic = b,
                    None => bad("not a yes/no value"),
                },
                Col::Name => {
                    if !v.is_empty() {
                        out.commune_names.insert(line, v.to_string());
                    }
                }
                Col::Ignored => {}
            }
        }
        if out.errors.total == errors_before {
            out.respondents.push(r);
        }
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

/// Trims white space (no-break spaces included), checking the common untrimmed case by byte.
fn trim(v: &str) -> &str {
    match v.as_bytes() {
        [] => v,
        [first, .., last] | [first @ last]
            if first.is_ascii_graphic() && last.is_ascii_graphic() =>
        {
            v
        }
        _ => v.trim_matches(char::is_whitespace),
    }
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

fn known_survey_columns() -> impl Iterator<Item = String> {
    [
        "respondent_id",
        "actor",
        "wave",
        "insee_com",
        "cog_year",
        "weight",
        "q4",
        "q_innovation",
        "synthetic",
    ]
    .into_iter()
    .map(String::from)
    .chain(DOMAINS.iter().map(|(d, _)| format!("frag_{d}")))
}

fn schema_summary() -> String {
    "actor, wave, cog_year, weight, q4, q_innovation, frag_<domain>, synthetic".into()
}

/// ", did you mean 'x'?" when a known name is within two edits.
fn nearest(key: &str, known: impl Iterator<Item = String>) -> String {
    known
        .filter_map(|k| edit_distance(key, &k, 2).map(|d| (d, k)))
        .min()
        .map(|(_, k)| format!("; did you mean '{k}'?"))
        .unwrap_or_default()
}

fn parse_answer(v: &str, labels: &[(u8, String)]) -> Option<u8> {
    let valid = |c: u8| matches!(c, 1..=4 | 9);
    if let [b] = v.as_bytes() {
        let c = b.wrapping_sub(b'0');
        return valid(c).then_some(c);
    }
    if let Some(&(code, _)) = ANSWER_LABELS.iter().find(|(_, l)| *l == v) {
        return Some(code);
    }
    if let Some((x, _)) = parse_number(v) {
        return (x.fract() == 0.0 && (0.0..10.0).contains(&x) && valid(x as u8)).then_some(x as u8);
    }
    let folded = normalise_name(v);
    let by_label = |text: &str| match text {
        "nsp" | "ne se prononce pas" => Some(9),
        t => labels.iter().find(|(_, l)| l == t).map(|(c, _)| *c),
    };
    if let Some(code) = by_label(&folded) {
        return Some(code);
    }
    // "2 - Oui, plutôt": the code must agree with the label.
    let (head, rest) = folded.split_once(' ')?;
    let code: u8 = head.parse().ok()?;
    (by_label(rest) == Some(code)).then_some(code)
}

enum Score {
    Value(f64),
    DontKnow,
}

fn parse_score(v: &str) -> Option<(Score, bool)> {
    // Fast path: scores are almost always one or two digits.
    if let [a @ b'0'..=b'9', rest @ ..] = v.as_bytes()
        && rest.len() <= 1
        && rest.iter().all(u8::is_ascii_digit)
    {
        let x = rest
            .first()
            .map_or(a - b'0', |b| (a - b'0') * 10 + (b - b'0'));
        return match x {
            99 => Some((Score::DontKnow, false)),
            0..=10 => Some((Score::Value(f64::from(x)), false)),
            _ => None,
        };
    }
    let (x, comma) = match parse_number(v) {
        Some(n) => n,
        None => {
            return matches!(normalise_name(v).as_str(), "ne sait pas" | "nsp")
                .then_some((Score::DontKnow, false));
        }
    };
    if x == 99.0 {
        Some((Score::DontKnow, false))
    } else {
        (0.0..=10.0)
            .contains(&x)
            .then_some((Score::Value(x), comma))
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    let lower;
    let key = if v.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = v.to_ascii_lowercase();
        &lower
    } else {
        v
    };
    match key {
        "" | "false" | "faux" | "0" | "no" | "non" | "n" => Some(false),
        "true" | "vrai" | "1" | "yes" | "oui" | "o" | "y" => Some(true),
        _ => None,
    }
}

/// Reads a commune indicator file; the code column is found by its name (`insee_com`,
/// `codgeo`, `code`, `depcom`, ...).
pub fn read_indicators(path: &Path, opts: &ReadOptions) -> Result<IndicatorTable> {
    read_indicators_keyed(path, opts, None)
}

/// Reads a commune indicator file whose code column is `code_column` (any case), or found by
/// its name when `None`.
pub fn read_indicators_keyed(
    path: &Path,
    opts: &ReadOptions,
    code_column: Option<&str>,
) -> Result<IndicatorTable> {
    let mut table = Table::open(path)?;
    let header = table.header.clone();
    let header_line = table.header_line;
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let code_idx = match code_column {
        Some(wanted) => keys
            .iter()
            .position(|k| *k == header_key(wanted))
            .ok_or_else(|| {
                Error::input(
                    path,
                    format!(
                        "no column '{wanted}' (columns found: {})",
                        header.join(", ")
                    ),
                )
                .at(format!("line {header_line}"))
                .hint("give the name of the column that holds the INSEE commune codes")
            })?,
        None => CODE_COLUMNS
            .iter()
            .find_map(|c| keys.iter().position(|k| k == c))
            .ok_or_else(|| {
                Error::input(
                    path,
                    format!(
                        "no commune code column (columns found: {}; read as {})",
                        header.join(", "),
                        table.dialect
                    ),
                )
                .at(format!("line {header_line}"))
                .hint("name it insee_com, codgeo or code, or give the code column explicitly")
            })?,
    };
    let name_idx = keys.iter().position(|k| NAME_COLUMNS.contains(&k.as_str()));
    for (i, k) in keys.iter().enumerate() {
        if let Some(j) = keys[..i]
            .iter()
            .position(|other| other == k && !k.is_empty())
        {
            return Err(Error::input(
                path,
                format!(
                    "column '{}' appears twice (columns {} and {})",
                    header[i],
                    j + 1,
                    i + 1
                ),
            )
            .at(format!("line {header_line}"))
            .hint("rename one of them"));
        }
    }

    // Indicator files are small (one row per commune): keep the cells, then decide per column.
    // (line, cells, odd cells) per row.
    type Row = (usize, StringRecord, Vec<(usize, OddCell)>);
    let mut rows: Vec<Row> = Vec::new();
    let mut record = StringRecord::new();
    let mut warnings = Issues::default();
    let mut errors = Issues::default();
    let mut pending_blank = Vec::new();
    if let Some(w) = encoding_warning(path, &table.dialect) {
        warnings.push(w);
    }
    let issue =
        |line: usize, column: Option<usize>, value: &str, message: String, expected: &str| Issue {
            path: path.to_path_buf(),
            line,
            column: column.map(|c| header[c].clone()),
            value: value.to_string(),
            message,
            expected: expected.to_string(),
        };
    while let Some(line) = table.next_row(&mut record, path)? {
        if is_blank(&record) {
            pending_blank.push(line);
            continue;
        }
        for l in pending_blank.drain(..) {
            warnings.push(issue(
                l,
                None,
                "",
                "empty line ignored".into(),
                "one commune per line",
            ));
        }
        if let Some(problem) = field_count_problem(&record, header.len()) {
            errors.push(issue(
                line,
                None,
                &abbreviate(&record, table.dialect.delimiter),
                problem,
                "one value per header column; quote values that contain the delimiter",
            ));
            continue;
        }
        rows.push((line, record.clone(), std::mem::take(&mut table.odd)));
    }
    if rows.is_empty() && errors.total == 0 {
        errors.push(issue(
            header_line,
            None,
            "",
            "no data row after the header".into(),
            "one row per commune",
        ));
    }
    errors.check(&mut Issues::default(), path, opts)?;

    let mut notes = Vec::new();
    let mut columns = Vec::new();
    let mut additive = Vec::new();
    let mut col_idx = Vec::new();
    let mut decimal_comma = false;
    for (i, key) in keys.iter().enumerate() {
        if i == code_idx || Some(i) == name_idx || header[i].is_empty() {
            continue;
        }
        if is_identifier(key) {
            notes.push(issue(
                header_line,
                Some(i),
                "",
                "identifier column, not an indicator: ignored".into(),
                "",
            ));
            continue;
        }
        let numeric = rows
            .iter()
            .filter(|(_, r, _)| {
                parse_indicator(r.get(i).unwrap_or("")).is_some_and(|v| v.is_some())
            })
            .count();
        if numeric == 0 {
            notes.push(issue(
                header_line,
                Some(i),
                "",
                "no numeric value: text column ignored".into(),
                "",
            ));
            continue;
        }
        col_idx.push(i);
        columns.push(header[i].clone());
    }
    let mut out_rows = Vec::with_capacity(rows.len());
    let mut markers = vec![0usize; col_idx.len()];
    let mut commune_names = HashMap::new();
    for (line, record, odd) in &rows {
        let mut values = Vec::with_capacity(col_idx.len());
        for (k, &i) in col_idx.iter().enumerate() {
            let v = record.get(i).unwrap_or("").trim();
            if let Some((_, cell)) = odd.iter().find(|(c, _)| *c == i) {
                let what = match cell {
                    OddCell::Date(_) => "a date cell, read as missing",
                    OddCell::Error(_) => "a spreadsheet error cell, read as missing",
                };
                warnings.push(issue(*line, Some(i), v, what.into(), "a number"));
                values.push(None);
                continue;
            }
            match parse_indicator(v) {
                Some(Some((x, comma))) => {
                    decimal_comma |= comma;
                    values.push(Some(x));
                }
                Some(None) => {
                    if !v.is_empty() {
                        markers[k] += 1;
                    }
                    values.push(None);
                }
                None => {
                    warnings.push(issue(
                        *line,
                        Some(i),
                        v,
                        "not a number, read as missing".into(),
                        "a number such as 12,5",
                    ));
                    values.push(None);
                }
            }
        }
        if let Some(name) = name_idx
            .and_then(|n| record.get(n))
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            commune_names.insert(*line, name.to_string());
        }
        out_rows.push(IndicatorRow {
            line: *line,
            code: record.get(code_idx).unwrap_or("").trim().to_string(),
            values,
        });
    }
    for (k, &n) in markers.iter().enumerate() {
        if n > 0 {
            notes.push(issue(
                header_line,
                Some(col_idx[k]),
                "",
                format!(
                    "{n} values marked not available or secret (s, nd, NA, -): read as missing"
                ),
                "",
            ));
        }
    }
    for (k, name) in columns.iter().enumerate() {
        let counts = out_rows
            .iter()
            .filter_map(|r| r.values[k])
            .all(|x| x >= 0.0 && x.fract() == 0.0);
        additive.push(counts && !is_rate_name(&header_key(name)));
    }
    Issues::default().check(&mut warnings, path, opts)?;
    let mut dialect = table.dialect;
    dialect.decimal_comma = decimal_comma;
    Ok(IndicatorTable {
        path: path.to_path_buf(),
        code_column: header[code_idx].clone(),
        columns,
        additive,
        rows: out_rows,
        warnings: warnings.list,
        notes,
        dialect,
        commune_names,
    })
}

/// An indicator cell: `Some(Some(x))` a number (and whether it had a decimal comma),
/// `Some(None)` blank or marked not available, `None` not a number.
fn parse_indicator(v: &str) -> Option<Option<(f64, bool)>> {
    let v = v.trim();
    if v.is_empty() {
        return Some(None);
    }
    let number = v.strip_suffix('%').unwrap_or(v);
    if let Some(n) = parse_number(number) {
        return Some(Some(n));
    }
    matches!(
        v.to_lowercase().as_str(),
        "s" | "nd"
            | "n.d."
            | "n/d"
            | "na"
            | "n/a"
            | "nc"
            | "n.c."
            | "secret"
            | "-"
            | "."
            | "..."
            | "x"
    )
    .then_some(None)
}

/// Code columns of other levels, years and postcodes: numbers that are not indicators.
fn is_identifier(key: &str) -> bool {
    matches!(
        key,
        "dep"
            | "reg"
            | "departement"
            | "region"
            | "code_dep"
            | "code_reg"
            | "code_departement"
            | "code_region"
            | "epci"
            | "siren"
            | "siren_epci"
            | "code_epci"
            | "arr"
            | "code_arr"
            | "canton"
            | "cp"
            | "code_postal"
            | "codepostal"
            | "postal_code"
            | "annee"
            | "year"
            | "millesime"
            | "cog_year"
            | "com_parent"
    ) || CODE_COLUMNS.contains(&key)
}

/// Rates, shares and means cannot be summed when communes merge.
fn is_rate_name(key: &str) -> bool {
    [
        "taux", "tx_", "part", "pct", "ratio", "densite", "density", "moy", "mean", "median",
        "med_", "indice", "score", "rate", "share", "%", "pour_", "_p_", "apl",
    ]
    .iter()
    .any(|w| key.contains(w))
}
