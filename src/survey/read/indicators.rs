//! The indicator reader: one row per commune, numeric columns (counts that may be summed told
//! apart from rates), identifier and text columns set aside with a note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::{
    CODE_COLUMNS, Issue, Issues, NAME_COLUMNS, ReadOptions, abbreviate, encoding_warning,
    field_count_problem, header_key, issue_in,
};
use crate::survey::dialect::Dialect;
use crate::survey::table::{OddCell, Table, is_blank};
use crate::survey::text::parse_number;
use crate::{Error, Result};

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
    read_indicator_table(Table::open(path)?, path, opts, code_column)
}

/// [`read_indicators_keyed`] on the bytes of a file already in memory; `name` stands for the
/// file in messages and in [`IndicatorTable::path`].
pub fn read_indicators_bytes(
    bytes: Vec<u8>,
    name: &Path,
    opts: &ReadOptions,
    code_column: Option<&str>,
) -> Result<IndicatorTable> {
    read_indicator_table(Table::from_bytes(bytes, name)?, name, opts, code_column)
}

fn read_indicator_table(
    mut table: Table,
    path: &Path,
    opts: &ReadOptions,
    code_column: Option<&str>,
) -> Result<IndicatorTable> {
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
    let issue = issue_in(path, &header);
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
    errors.check(&mut Issues::default(), path, opts, false)?;

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
    Issues::default().check(&mut warnings, path, opts, false)?;
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
