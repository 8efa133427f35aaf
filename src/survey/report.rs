//! What a join did, row by row: the repairs made to codes, the rows left unmatched with
//! suggestions, duplicates, communes merged since the file was written. Printed as a summary,
//! written as JSON with `--report`, and refused as a whole by `--strict`.

use std::fmt;
use std::path::Path;

use super::read::Skipped;
use crate::{Error, Result, Setting};

/// Why a code was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RepairReason {
    /// A spreadsheet stored the code as a number and dropped its leading zero.
    LeadingZero,
    /// A former code of a merged or recoded commune; `year` it stopped, when known.
    FormerCode {
        /// Year the old code stopped being a commune (known for 2022-2026).
        year: Option<u16>,
    },
    /// A municipal arrondissement of Paris, Lyon or Marseille.
    Arrondissement,
}

/// One code changed on one row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Repair {
    /// Line in the source file.
    pub line: usize,
    /// Code before this repair.
    pub from: String,
    /// Code after it.
    pub to: String,
    /// Why.
    pub reason: RepairReason,
}

/// A row whose code matches no commune.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unmatched {
    /// Line in the source file.
    pub line: usize,
    /// Code as given.
    pub code: String,
    /// Why it did not match.
    pub reason: String,
    /// Nearest communes (`code name`), by code and by name when the file has names.
    pub suggestions: Vec<String>,
}

/// Rows that are the same respondent or the same commune; only `kept` is used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Duplicate {
    /// Respondent id, or commune code for indicator files.
    pub key: String,
    /// All lines involved.
    pub lines: Vec<usize>,
    /// The line whose data is used.
    pub kept: usize,
    /// What happened.
    pub reason: String,
}

/// A commune reached from several codes (former communes, arrondissements): its rows now
/// count together.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MergedCommune {
    /// Today's code.
    pub commune: String,
    /// Today's name.
    pub name: String,
    /// The distinct codes given in the file that led here (today's code included if used).
    pub former_codes: Vec<String>,
    /// Rows (respondents, or indicator rows) now counted in this commune.
    pub respondents: usize,
}

/// How an indicator column was combined where several rows map to one commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Combination {
    /// Counts: summed.
    Summed,
    /// Rates, shares, means: cannot be summed without weights, left empty.
    LeftEmpty,
}

/// What happened to one indicator column on merged communes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CombinedColumn {
    /// Column name.
    pub column: String,
    /// Summed or left empty.
    pub how: Combination,
    /// Communes concerned.
    pub communes: usize,
}

/// The join report: printed (`Display`) and written as JSON (`Serialize`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct JoinReport {
    /// Rows given to the join.
    pub rows: usize,
    /// Invalid rows the reader left out (`--skip-invalid`), never given to the join.
    pub skipped: Skipped,
    /// Rows placed in a commune (repaired ones included).
    pub matched: usize,
    /// Rows placed nowhere.
    pub unmatched: Vec<Unmatched>,
    /// Duplicated respondents or communes.
    pub duplicates: Vec<Duplicate>,
    /// Codes repaired (a row can have two repairs: leading zero, then former code).
    pub repaired: Vec<Repair>,
    /// Communes reached from several codes.
    pub merged: Vec<MergedCommune>,
    /// Indicator columns combined on merged communes (empty for surveys).
    pub combined: Vec<CombinedColumn>,
    /// Distinct communes with at least one row.
    pub communes: usize,
    /// Communes in the boundaries.
    pub communes_total: usize,
}

impl JoinReport {
    /// Skipped rows, leading-zero repairs, unmatched rows and duplicates: what `--strict`
    /// refuses.
    pub fn warnings(&self) -> usize {
        self.skipped.rows
            + self
                .repaired
                .iter()
                .filter(|r| r.reason == RepairReason::LeadingZero)
                .count()
            + self.unmatched.len()
            + self.duplicates.len()
    }

    /// Fails when the join has [`warnings`](Self::warnings) (for `--strict`).
    pub fn check_strict(&self, path: &Path) -> Result<()> {
        if self.warnings() == 0 {
            return Ok(());
        }
        Err(Error::input(
            path,
            format!(
                "the join has {} warnings, refused as errors:\n{self}",
                self.warnings()
            ),
        )
        .hint("fix the codes listed, or accept the repairs by not refusing warnings")
        .about(Setting::Strict))
    }

    /// Writes the report as JSON, atomically.
    pub fn write_json(&self, path: &Path) -> Result<()> {
        crate::output::write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self).map_err(std::io::Error::other)?;
            writeln!(w)
        })
    }

    fn repairs_of(&self, kind: fn(&RepairReason) -> bool) -> usize {
        self.repaired.iter().filter(|r| kind(&r.reason)).count()
    }
}

/// Lines listed per section of the printed report.
const SHOWN: usize = 20;

impl fmt::Display for JoinReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |n: usize| {
            if self.rows == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.rows as f64
            }
        };
        writeln!(f, "rows read   {}", self.rows)?;
        if self.skipped.rows > 0 {
            writeln!(
                f,
                "skipped     {} invalid rows (--skip-invalid), not counted above",
                self.skipped.rows
            )?;
        }
        writeln!(
            f,
            "matched     {} ({:.1} %) in {} of {} communes",
            self.matched,
            pct(self.matched),
            self.communes,
            self.communes_total
        )?;
        let zeros = self.repairs_of(|r| *r == RepairReason::LeadingZero);
        let former = self.repairs_of(|r| matches!(r, RepairReason::FormerCode { .. }));
        let arr = self.repairs_of(|r| *r == RepairReason::Arrondissement);
        writeln!(
            f,
            "repaired    {} codes: {zeros} leading zeros restored, {former} former codes, {arr} arrondissements",
            self.repaired.len()
        )?;
        writeln!(
            f,
            "unmatched   {} ({:.1} %)",
            self.unmatched.len(),
            pct(self.unmatched.len())
        )?;
        writeln!(f, "duplicates  {}", self.duplicates.len())?;
        let more = |f: &mut fmt::Formatter<'_>, n: usize| {
            if n > SHOWN {
                writeln!(f, "  … and {} more (see the JSON report)", n - SHOWN)
            } else {
                Ok(())
            }
        };
        if zeros > 0 {
            writeln!(
                f,
                "warning: {zeros} codes had lost their leading zero (stored as numbers in a spreadsheet); keep the code column as text:"
            )?;
            for r in self
                .repaired
                .iter()
                .filter(|r| r.reason == RepairReason::LeadingZero)
                .take(SHOWN)
            {
                writeln!(f, "  line {}: {} → {}", r.line, r.from, r.to)?;
            }
            more(f, zeros)?;
        }
        if former + arr > 0 {
            writeln!(f, "codes translated to today's commune:")?;
            for r in self
                .repaired
                .iter()
                .filter(|r| r.reason != RepairReason::LeadingZero)
                .take(SHOWN)
            {
                let why = match r.reason {
                    RepairReason::FormerCode { year: Some(y) } => {
                        format!("former code (changed {y})")
                    }
                    RepairReason::FormerCode { year: None } => "former code".to_string(),
                    _ => "arrondissement".to_string(),
                };
                writeln!(f, "  line {}: {} → {} ({why})", r.line, r.from, r.to)?;
            }
            more(f, former + arr)?;
        }
        if !self.merged.is_empty() {
            writeln!(
                f,
                "communes reached from several codes (their rows now count as rows of one commune):"
            )?;
            for m in self.merged.iter().take(SHOWN) {
                writeln!(
                    f,
                    "  {} {}: {} rows from codes {}",
                    m.commune,
                    m.name,
                    m.respondents,
                    m.former_codes.join(", ")
                )?;
            }
            more(f, self.merged.len())?;
        }
        for c in &self.combined {
            let how = match c.how {
                Combination::Summed => "summed (counts)",
                Combination::LeftEmpty => "left empty (not a count, cannot be summed)",
            };
            writeln!(
                f,
                "column '{}': {how} in {} merged communes",
                c.column, c.communes
            )?;
        }
        if let Some(summary) = self.skipped.summary() {
            writeln!(f, "warning: {summary}:")?;
            for p in self.skipped.problems.iter().take(SHOWN) {
                writeln!(f, "  {p}")?;
            }
            more(f, self.skipped.problems.len())?;
        }
        if !self.unmatched.is_empty() {
            writeln!(f, "unmatched rows:")?;
            for u in self.unmatched.iter().take(SHOWN) {
                write!(f, "  line {}: code '{}': {}", u.line, u.code, u.reason)?;
                if !u.suggestions.is_empty() {
                    write!(f, "; nearest: {}", u.suggestions.join(", "))?;
                }
                writeln!(f)?;
            }
            more(f, self.unmatched.len())?;
        }
        if !self.duplicates.is_empty() {
            writeln!(f, "duplicates:")?;
            for d in self.duplicates.iter().take(SHOWN) {
                let lines: Vec<String> = d.lines.iter().map(usize::to_string).collect();
                writeln!(
                    f,
                    "  '{}' on lines {}: {} (kept line {})",
                    d.key,
                    lines.join(", "),
                    d.reason,
                    d.kept
                )?;
            }
            more(f, self.duplicates.len())?;
        }
        Ok(())
    }
}
