//! The survey reader: respondents validated against the schema of `docs/survey.md` §4.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use csv::StringRecord;
use rayon::prelude::*;

use super::{
    CODE_COLUMNS, Issue, Issues, NAME_COLUMNS, ReadOptions, SHOWN_ISSUES, Skipped, abbreviate,
    encoding_warning, field_count_problem, header_key, issue_in,
};
use crate::Result;
use crate::names::{edit_distance, normalise_name};
use crate::survey::dialect::Dialect;
use crate::survey::table::{OddCell, Table, is_blank};
use crate::survey::text::{duplicate_groups, parse_number};
use crate::survey::{ANSWER_LABELS, Actor, DOMAINS, Respondent};

/// A survey file, read and validated.
#[derive(Debug, Clone)]
pub struct SurveyFile {
    /// The file read.
    pub path: PathBuf,
    /// Valid respondents, in file order.
    pub respondents: Vec<Respondent>,
    /// Problems that did not stop the read (skipped rows included).
    pub warnings: Vec<Issue>,
    /// Rows left out with [`ReadOptions::skip_invalid`].
    pub skipped: Skipped,
    /// True when any row is synthetic: outputs must say « Données simulées ».
    pub synthetic: bool,
    /// How the file was written, for the report.
    pub dialect: Dialect,
    /// Commune names by line, when the file has a name column (`commune`, `nom_commune`, ...):
    /// the join suggests communes by name for unmatched codes ([`crate::survey::join::join_named`]).
    pub commune_names: HashMap<usize, String>,
}

impl SurveyFile {
    /// The file as a map's sidecar lists it among its inputs: its path, and the rows left
    /// out when any were (`answers.csv (2 invalid rows skipped (--skip-invalid): lines 3, 5)`).
    pub fn input(&self) -> String {
        let path = self.path.display();
        match self.skipped.summary() {
            Some(summary) => format!("{path} ({summary})"),
            None => path.to_string(),
        }
    }
}

const ANSWER_EXPECTED: &str = "1, 2, 3, 4, 9 or a label such as « Oui, plutôt »";

const SCORE_EXPECTED: &str = "a score from 0 to 10, or 99 for « Ne sait pas »";

const WEIGHT_EXPECTED: &str = "a number greater than 0, such as 1,25";

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

/// Reads and validates a survey file (CSV or spreadsheet).
pub fn read_survey(path: &Path, opts: &ReadOptions) -> Result<SurveyFile> {
    read_survey_table(Table::open(path)?, path, opts)
}

/// [`read_survey`] on the bytes of a file already in memory (an embedded sample, an upload);
/// `name` stands for the file in messages and in [`SurveyFile::path`].
pub fn read_survey_bytes(bytes: Vec<u8>, name: &Path, opts: &ReadOptions) -> Result<SurveyFile> {
    read_survey_table(Table::from_bytes(bytes, name)?, name, opts)
}

fn read_survey_table(mut table: Table, path: &Path, opts: &ReadOptions) -> Result<SurveyFile> {
    let mut errors = Issues::default();
    let mut warnings = Issues::default();
    let header_line = table.header_line;
    let header = table.header.clone();
    let issue = issue_in(path, &header);

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
        errors.check(&mut warnings, path, opts, false)?;
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
        bad_rows,
        ..
    } = Parsed::concat(chunks, &parser);
    warnings.append(&mut row_warnings);

    if respondents.is_empty() && errors.total == 0 && row_errors.total == 0 {
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
    let mut repeated = Vec::new();
    for group in duplicate_groups(respondents.len(), |i| respondents[i].id.as_str()) {
        let first = respondents[group[0]].line;
        repeated.extend_from_slice(&group[1..]);
        for &i in &group[1..] {
            row_errors.push(Issue {
                path: path.to_path_buf(),
                line: respondents[i].line,
                column: id_column.clone(),
                value: respondents[i].id.clone(),
                message: format!("duplicate respondent id (first on line {first})"),
                expected: "a unique id per respondent".into(),
            });
        }
    }
    let invalid_rows = bad_rows + repeated.len();
    // Rows are skipped only when some remain: a file with no valid row is refused whole.
    let skipped = if opts.skip_invalid
        && !opts.strict
        && invalid_rows > 0
        && respondents.len() > repeated.len()
    {
        let mut keep = vec![true; respondents.len()];
        for &i in &repeated {
            keep[i] = false;
        }
        let mut kept = keep.into_iter();
        respondents.retain(|_| kept.next().unwrap_or(true));
        skip_rows(invalid_rows, row_errors, &mut warnings)
    } else {
        // A file with only invalid rows is refused even with --skip-invalid: no hint to it.
        let rows_skippable = errors.total == 0 && !opts.strict && !opts.skip_invalid;
        errors.append(&mut row_errors);
        errors.check(&mut warnings, path, opts, rows_skippable)?;
        Skipped::default()
    };

    respondents.shrink_to_fit();
    let synthetic = respondents.iter().any(|r| r.synthetic);
    let mut dialect = table.dialect;
    dialect.decimal_comma = decimal_comma;
    Ok(SurveyFile {
        path: path.to_path_buf(),
        respondents,
        warnings: warnings.list,
        skipped,
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
    /// Rows with at least one error.
    bad_rows: usize,
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
            out.bad_rows += piece.bad_rows;
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
            out.bad_rows += 1;
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
        } else {
            out.bad_rows += 1;
        }
    }
}

/// The rows with `problems` left out: a warning saying which lines, then the first problems
/// each as a warning, and every kept problem in the [`Skipped`] record.
fn skip_rows(rows: usize, mut problems: Issues, warnings: &mut Issues) -> Skipped {
    problems.list.sort_by_key(|i| i.line);
    let skipped = Skipped {
        rows,
        problems: problems.list,
    };
    let first = &skipped.problems[0];
    warnings.push(Issue {
        path: first.path.clone(),
        line: first.line,
        column: None,
        value: String::new(),
        message: format!(
            "{}; the join report (--report) lists every one",
            skipped.summary().unwrap_or_default()
        ),
        expected: String::new(),
    });
    for problem in skipped.problems.iter().take(SHOWN_ISSUES) {
        warnings.push(Issue {
            message: format!("row skipped: {}", problem.message),
            ..problem.clone()
        });
    }
    skipped
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
