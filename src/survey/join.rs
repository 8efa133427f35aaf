//! Join survey respondents and indicator rows to today's communes, repairing the codes that
//! real files carry, and report every row: matched, repaired, unmatched, duplicated.
//!
//! Repairs, in order: a leading zero lost in a spreadsheet (`1001` → `01001`, a warning:
//! the file should keep codes as text); Paris, Lyon and Marseille arrondissements to their
//! commune; former codes of merged or recoded communes to today's commune through the code
//! history. Nothing is dropped without a line in the report.

use std::collections::HashMap;

use super::Respondent;
use super::read::IndicatorTable;
use super::read::SurveyFile;
use super::report::{
    Combination, CombinedColumn, Duplicate, JoinReport, MergedCommune, Repair, RepairReason,
    Unmatched,
};
use rayon::prelude::*;

use super::text::duplicate_groups;
use crate::history::CogHistory;
use crate::names::{edit_distance, normalise_name};
use crate::territory::code::{commune_of_arrondissement, departement_of_commune, is_commune_code};
use crate::{Layer, Territory};

/// A respondent placed in today's commune.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    /// The respondent, unchanged (its `insee_com` is the code as given).
    pub respondent: Respondent,
    /// Today's commune code.
    pub commune: String,
    /// Its département.
    pub departement: String,
    /// Its région.
    pub region: String,
}

/// Where a code leads.
struct Resolution {
    /// Today's commune, as an index into the layer.
    index: Option<usize>,
    /// Matched: the code translated to the commune (after the leading-zero fix), `None` when
    /// the code is the commune's own. Unmatched: the code after the leading-zero fix.
    source: Option<String>,
    steps: Vec<(String, String, RepairReason)>,
    reason: String,
}

/// Resolves a code to today's commune, recording each repair. The common case (the code is
/// a commune's) allocates nothing.
fn resolve(raw: &str, communes: &Layer, history: &CogHistory) -> Resolution {
    let code = raw.trim();
    let matched = |index, source, steps| Resolution {
        index: Some(index),
        source,
        steps,
        reason: String::new(),
    };
    if let Some(i) = communes.index_of(code) {
        return matched(i, None, Vec::new());
    }
    let mut steps = Vec::new();
    let mut norm = code.to_ascii_uppercase();
    // `1001.0`: a number written by a tool that read the code as a float.
    if let Some(int) = norm
        .strip_suffix(".0")
        .filter(|i| i.bytes().all(|b| b.is_ascii_digit()))
    {
        norm = int.to_string();
    }
    if norm.len() == 4 && norm.bytes().all(|b| b.is_ascii_digit()) {
        let fixed = format!("0{norm}");
        steps.push((code.to_string(), fixed.clone(), RepairReason::LeadingZero));
        norm = fixed;
    }
    if let Some(i) = communes.index_of(&norm) {
        return matched(i, None, steps);
    }
    if let Some(parent) = commune_of_arrondissement(&norm)
        && let Some(i) = communes.index_of(parent)
    {
        steps.push((
            norm.clone(),
            parent.to_string(),
            RepairReason::Arrondissement,
        ));
        return matched(i, Some(norm), steps);
    }
    let reason = if let Some(change) = history.successor(&norm) {
        if let Some(i) = communes.index_of(&change.new_code) {
            steps.push((
                norm.clone(),
                change.new_code.clone(),
                RepairReason::FormerCode { year: change.year },
            ));
            return matched(i, Some(norm), steps);
        }
        format!(
            "former code of {} {}, which is not in the boundaries",
            change.new_code, change.new_name
        )
    } else if code.is_empty() {
        "no commune code".to_string()
    } else if !is_commune_code(&norm) {
        "not a commune code (expected 5 characters such as 01001 or 2A004)".to_string()
    } else {
        "no commune with this code, today or formerly".to_string()
    };
    Resolution {
        index: None,
        source: Some(norm),
        steps: Vec::new(),
        reason,
    }
}

/// Suggestions for unmatched codes, computed lazily and cached: most files have few.
struct Suggester<'a> {
    communes: &'a Layer,
    by_dep: HashMap<&'a str, Vec<&'a Territory>>,
    by_name: HashMap<String, Vec<&'a Territory>>,
    cache: HashMap<(String, Option<String>), Vec<String>>,
}

/// Distinct (code, name) pairs that get suggestions; beyond, rows are still listed.
const MAX_SUGGESTED: usize = 500;

impl<'a> Suggester<'a> {
    fn new(communes: &'a Layer) -> Self {
        Suggester {
            communes,
            by_dep: HashMap::new(),
            by_name: HashMap::new(),
            cache: HashMap::new(),
        }
    }

    fn suggest(&mut self, code: &str, name: Option<&str>) -> Vec<String> {
        let key = (code.to_string(), name.map(str::to_string));
        if let Some(s) = self.cache.get(&key) {
            return s.clone();
        }
        if self.cache.len() >= MAX_SUGGESTED {
            return Vec::new();
        }
        if self.by_dep.is_empty() {
            for t in &self.communes.territories {
                self.by_dep
                    .entry(departement_of_commune(&t.code).unwrap_or(""))
                    .or_default()
                    .push(t);
                self.by_name
                    .entry(normalise_name(&t.name))
                    .or_default()
                    .push(t);
            }
        }
        let in_dep = self
            .by_dep
            .get(departement_of_commune(code).unwrap_or(""))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut scored: Vec<(usize, &Territory)> = Vec::new();
        if let Some(name) = name {
            let folded = normalise_name(name);
            scored.extend(
                self.by_name
                    .get(&folded)
                    .into_iter()
                    .flatten()
                    .map(|t| (0, *t)),
            );
            let max = (folded.len() / 4).max(1);
            scored.extend(in_dep.iter().filter_map(|t| {
                edit_distance(&folded, &normalise_name(&t.name), max).map(|d| (d, *t))
            }));
        }
        let mut by_code: Vec<(usize, &Territory)> = in_dep
            .iter()
            .filter_map(|t| edit_distance(code, &t.code, 2).map(|d| (d, *t)))
            .collect();
        by_code.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
        scored.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
        let mut out: Vec<String> = Vec::new();
        // Names first (a homonym list can be long: up to five), then codes, five in all.
        for (_, t) in scored.iter().take(5).chain(by_code.iter().take(3)) {
            let s = format!("{} {}", t.code, t.name);
            if out.len() < 5 && !out.contains(&s) {
                out.push(s);
            }
        }
        self.cache.insert(key, out.clone());
        out
    }
}

/// Accumulates the parts of the report shared by respondents and indicator rows.
struct Reporter<'a> {
    communes: &'a Layer,
    report: JoinReport,
    suggester: Suggester<'a>,
    /// Rows per commune reached by its own code.
    direct: Vec<u32>,
    /// Communes reached from other codes: the distinct codes, and rows.
    translated: HashMap<usize, (Vec<String>, usize)>,
}

impl<'a> Reporter<'a> {
    fn new(communes: &'a Layer, rows: usize) -> Self {
        let report = JoinReport {
            rows,
            communes_total: communes.len(),
            ..JoinReport::default()
        };
        Reporter {
            communes,
            report,
            suggester: Suggester::new(communes),
            direct: vec![0; communes.len()],
            translated: HashMap::new(),
        }
    }

    /// Records a row's resolution; returns the commune index when matched.
    fn record(
        &mut self,
        line: usize,
        raw: &str,
        res: Resolution,
        name: Option<&str>,
    ) -> Option<usize> {
        let Some(idx) = res.index else {
            let suggestions = self
                .suggester
                .suggest(res.source.as_deref().unwrap_or(raw), name);
            self.report.unmatched.push(Unmatched {
                line,
                code: raw.to_string(),
                reason: res.reason,
                suggestions,
            });
            return None;
        };
        self.report.matched += 1;
        for (from, to, reason) in res.steps {
            self.report.repaired.push(Repair {
                line,
                from,
                to,
                reason,
            });
        }
        match res.source {
            None => self.direct[idx] += 1,
            Some(code) => {
                let entry = self.translated.entry(idx).or_default();
                if !entry.0.contains(&code) {
                    entry.0.push(code);
                }
                entry.1 += 1;
            }
        }
        Some(idx)
    }

    /// Communes reached from several codes, one of them former: listed in the report.
    fn finish(mut self) -> JoinReport {
        let mut merged = Vec::new();
        for (&i, (codes, rows)) in &self.translated {
            let t = &self.communes.territories[i];
            let mut former_codes = codes.clone();
            if self.direct[i] > 0 {
                former_codes.push(t.code.clone());
            }
            if former_codes.len() > 1 {
                former_codes.sort();
                let respondents = rows + self.direct[i] as usize;
                merged.push(MergedCommune {
                    commune: t.code.clone(),
                    name: t.name.clone(),
                    former_codes,
                    respondents,
                });
            }
        }
        merged.sort_by(|a, b| a.commune.cmp(&b.commune));
        self.report.merged = merged;
        self.report.communes = self
            .direct
            .iter()
            .enumerate()
            .filter(|&(i, &n)| n > 0 || self.translated.contains_key(&i))
            .count();
        self.report
    }
}

fn territory_parts(t: &Territory) -> (String, String, String) {
    (
        t.code.clone(),
        t.departement.clone().unwrap_or_default(),
        t.region.clone().unwrap_or_default(),
    )
}

/// Joins respondents to today's communes. Rows whose id repeats an earlier row's are left out
/// and listed as duplicates; unmatched rows are left out and listed with suggestions.
pub fn join(
    respondents: Vec<Respondent>,
    communes: &Layer,
    history: &CogHistory,
) -> (Vec<Joined>, JoinReport) {
    join_named(respondents, &HashMap::new(), communes, history)
}

/// [`join_named`] on a whole survey file: its commune names suggest communes, and the rows it
/// skipped ([`SurveyFile::skipped`]) are listed in the report with the rest.
pub fn join_file(
    file: SurveyFile,
    communes: &Layer,
    history: &CogHistory,
) -> (Vec<Joined>, JoinReport) {
    let (joined, mut report) = join_named(file.respondents, &file.commune_names, communes, history);
    report.skipped = file.skipped;
    (joined, report)
}

/// [`join`], with commune names by line (from [`super::read::SurveyFile::commune_names`])
/// to suggest communes by name for unmatched codes.
pub fn join_named(
    respondents: Vec<Respondent>,
    names: &HashMap<usize, String>,
    communes: &Layer,
    history: &CogHistory,
) -> (Vec<Joined>, JoinReport) {
    let mut reporter = Reporter::new(communes, respondents.len());
    let dropped = duplicate_ids(&respondents, &mut reporter.report);
    let packed = Packed::new(communes);
    // Resolve on every core, report in file order, then build the joined rows on every core.
    let mut resolved: Vec<Resolved> = respondents
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            if dropped.get(i).copied().unwrap_or(false) {
                return Resolved::Left;
            }
            if let Some(idx) = packed.as_ref().and_then(|p| p.index_of(r.insee_com.trim())) {
                return Resolved::Commune(idx);
            }
            let res = resolve(&r.insee_com, communes, history);
            match res.index {
                Some(idx) if res.source.is_none() && res.steps.is_empty() => Resolved::Commune(idx),
                _ => Resolved::Other(Box::new(res)),
            }
        })
        .collect();
    for (r, slot) in respondents.iter().zip(resolved.iter_mut()) {
        *slot = match std::mem::replace(slot, Resolved::Left) {
            Resolved::Commune(idx) => {
                reporter.direct[idx] += 1;
                reporter.report.matched += 1;
                Resolved::Commune(idx)
            }
            Resolved::Other(res) => {
                let name = names.get(&r.line).map(String::as_str);
                reporter
                    .record(r.line, &r.insee_com, *res, name)
                    .map_or(Resolved::Left, Resolved::Commune)
            }
            Resolved::Left => Resolved::Left,
        };
    }
    let make = |r: Respondent, idx: usize| {
        let (commune, departement, region) = match &packed {
            Some(p) => p.parts(idx),
            None => territory_parts(&communes.territories[idx]),
        };
        Joined {
            respondent: r,
            commune,
            departement,
            region,
        }
    };
    let all_matched: Option<Vec<usize>> = resolved
        .iter()
        .map(|r| {
            if let Resolved::Commune(idx) = r {
                Some(*idx)
            } else {
                None
            }
        })
        .collect();
    let joined = match all_matched {
        // Every row joins: collect straight into place.
        Some(indices) => respondents
            .into_par_iter()
            .zip(indices)
            .map(|(r, idx)| make(r, idx))
            .collect(),
        None => respondents
            .into_par_iter()
            .zip(resolved)
            .filter_map(|(r, res)| {
                if let Resolved::Commune(idx) = res {
                    Some(make(r, idx))
                } else {
                    None
                }
            })
            .collect(),
    };
    (joined, reporter.finish())
}

/// Today's communes packed for the hot loop of a large join: code → index and each
/// commune's code, département and région, all inline in two small tables, so a million rows
/// do not chase the layer's strings all over the heap.
struct Packed {
    index: rustc_hash::FxHashMap<u64, usize>,
    parts: Vec<[Short; 3]>,
}

impl Packed {
    /// `None` when some code or parent code is too long to pack (a layer from elsewhere).
    fn new(communes: &Layer) -> Option<Packed> {
        let mut index = HashMap::with_capacity_and_hasher(communes.len(), Default::default());
        let mut parts = Vec::with_capacity(communes.len());
        for (i, t) in communes.territories.iter().enumerate() {
            index.insert(Short::new(&t.code)?.key(), i);
            let dep = Short::new(t.departement.as_deref().unwrap_or(""))?;
            let reg = Short::new(t.region.as_deref().unwrap_or(""))?;
            parts.push([Short::new(&t.code)?, dep, reg]);
        }
        Some(Packed { index, parts })
    }

    fn index_of(&self, code: &str) -> Option<usize> {
        self.index.get(&Short::new(code)?.key()).copied()
    }

    fn parts(&self, idx: usize) -> (String, String, String) {
        let [c, d, r] = &self.parts[idx];
        (
            c.as_str().to_string(),
            d.as_str().to_string(),
            r.as_str().to_string(),
        )
    }
}

/// A code of at most seven bytes, inline.
#[derive(Debug, Clone, Copy)]
struct Short {
    bytes: [u8; 7],
    len: u8,
}

impl Short {
    fn new(s: &str) -> Option<Short> {
        let mut bytes = [0; 7];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Short {
            bytes,
            len: s.len() as u8,
        })
    }

    fn as_str(&self) -> &str {
        // Built from a `&str` cut at its own length: always valid.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// Bytes and length in one word (codes never contain NUL, but the length makes sure).
    fn key(&self) -> u64 {
        let mut word = [0; 8];
        word[..7].copy_from_slice(&self.bytes);
        word[7] = self.len;
        u64::from_le_bytes(word)
    }
}

/// A respondent's place while joining: the common case fits in two words.
enum Resolved {
    /// Matched by its own code.
    Commune(usize),
    /// Repaired or unmatched: details for the report.
    Other(Box<Resolution>),
    /// Left out (duplicate or unmatched, already reported).
    Left,
}

/// Marks respondents whose id repeats an earlier one; reports each repeated id once.
fn duplicate_ids(respondents: &[Respondent], report: &mut JoinReport) -> Vec<bool> {
    let groups = duplicate_groups(respondents.len(), |i| respondents[i].id.as_str());
    if groups.is_empty() {
        return Vec::new();
    }
    let mut dropped = vec![false; respondents.len()];
    for group in groups {
        let first = &respondents[group[0]];
        for &i in &group[1..] {
            dropped[i] = true;
        }
        report.duplicates.push(Duplicate {
            key: first.id.clone(),
            lines: group.iter().map(|&i| respondents[i].line).collect(),
            kept: first.line,
            reason: "same respondent id: only the first row is used".into(),
        });
    }
    dropped
}

/// An indicator table joined to communes: one row per commune.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedIndicators {
    /// Numeric columns, as in the table.
    pub columns: Vec<String>,
    /// Communes with data, in order of first appearance in the file.
    pub rows: Vec<JoinedIndicator>,
}

/// One commune's values.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedIndicator {
    /// Today's commune code.
    pub commune: String,
    /// Its département.
    pub departement: String,
    /// Its région.
    pub region: String,
    /// One value per column; `None` when missing, or when rows were combined and the column
    /// is not a count.
    pub values: Vec<Option<f64>>,
    /// Source lines combined into this commune.
    pub lines: Vec<usize>,
}

impl JoinedIndicators {
    /// Position of a column by name (case-insensitive).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
    }
}

/// An indicator row reaching a commune: its position, its code after the leading-zero fix,
/// and whether that is the commune's own code.
struct Member {
    row: usize,
    code: String,
    direct: bool,
}

/// Joins an indicator table to today's communes, with the same repairs as [`join`]. Where
/// several rows reach one commune: the same code twice keeps the first row (duplicate);
/// today's code plus former codes keeps today's row (duplicates); former codes or
/// arrondissements only are combined, counts summed and other columns left empty (the report
/// says which).
pub fn join_indicators(
    table: &IndicatorTable,
    communes: &Layer,
    history: &CogHistory,
) -> (JoinedIndicators, JoinReport) {
    let mut reporter = Reporter::new(communes, table.rows.len());
    // Per commune: rows with their normalised code and whether it is today's code.
    let mut groups: Vec<(usize, Vec<Member>)> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (k, row) in table.rows.iter().enumerate() {
        let res = resolve(&row.code, communes, history);
        let source = res.source.clone();
        let name = table.commune_names.get(&row.line).map(String::as_str);
        if let Some(idx) = reporter.record(row.line, &row.code, res, name) {
            let direct = source.is_none();
            let normalized = source.unwrap_or_else(|| communes.territories[idx].code.clone());
            let g = *group_of.entry(idx).or_insert_with(|| {
                groups.push((idx, Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(Member {
                row: k,
                code: normalized,
                direct,
            });
        }
    }
    let mut summed = vec![0usize; table.columns.len()];
    let mut left_empty = vec![0usize; table.columns.len()];
    let mut rows = Vec::with_capacity(groups.len());
    let mut merged = Vec::new();
    for (idx, members) in groups {
        let t = &communes.territories[idx];
        let line = |k: usize| table.rows[k].line;
        // Keep one row per distinct code; if today's code is there, former codes are extra.
        let has_direct = members.iter().any(|m| m.direct);
        let mut kept: Vec<(usize, &str)> = Vec::new();
        for Member {
            row: k,
            code,
            direct,
        } in &members
        {
            if has_direct && !direct {
                let first = members.iter().find(|m| m.direct).map_or(*k, |m| m.row);
                reporter.report.duplicates.push(Duplicate {
                    key: t.code.clone(),
                    lines: vec![line(first), line(*k)],
                    kept: line(first),
                    reason: format!("the file has today's commune {} and its former code {code}: the former code's row is not added", t.code),
                });
            } else if let Some(&(first, _)) = kept.iter().find(|(_, c)| c == code) {
                let same = table.rows[first].values == table.rows[*k].values;
                reporter.report.duplicates.push(Duplicate {
                    key: code.clone(),
                    lines: vec![line(first), line(*k)],
                    kept: line(first),
                    reason: if same {
                        "same code twice, same values"
                    } else {
                        "same code twice, different values: the first row is used"
                    }
                    .to_string(),
                });
            } else {
                kept.push((*k, code));
            }
        }
        let values = if let [(k, _)] = kept.as_slice() {
            table.rows[*k].values.clone()
        } else {
            (0..table.columns.len())
                .map(|c| {
                    if table.additive[c] {
                        summed[c] += 1;
                        kept.iter()
                            .map(|(k, _)| table.rows[*k].values[c])
                            .sum::<Option<f64>>()
                    } else {
                        left_empty[c] += 1;
                        None
                    }
                })
                .collect()
        };
        if kept.len() > 1 {
            let mut former_codes: Vec<String> = kept.iter().map(|(_, c)| c.to_string()).collect();
            former_codes.sort();
            merged.push(MergedCommune {
                commune: t.code.clone(),
                name: t.name.clone(),
                former_codes,
                respondents: kept.len(),
            });
        }
        let (commune, departement, region) = territory_parts(t);
        let lines = kept.iter().map(|(k, _)| line(*k)).collect();
        rows.push(JoinedIndicator {
            commune,
            departement,
            region,
            values,
            lines,
        });
    }
    let mut report = reporter.finish();
    // Rows of today's code plus former codes were not combined (duplicates): list only real merges.
    merged.sort_by(|a, b| a.commune.cmp(&b.commune));
    report.merged = merged;
    for (c, column) in table.columns.iter().enumerate() {
        for (n, how) in [
            (summed[c], Combination::Summed),
            (left_empty[c], Combination::LeftEmpty),
        ] {
            if n > 0 {
                report.combined.push(CombinedColumn {
                    column: column.clone(),
                    how,
                    communes: n,
                });
            }
        }
    }
    (
        JoinedIndicators {
            columns: table.columns.clone(),
            rows,
        },
        report,
    )
}
