//! Commune code history (INSEE COG): former codes of merged or recoded communes and the
//! current commune that holds them, so that old files still join and old codes still resolve.
//!
//! The table ships in `geodata/cog-history.csv` (from `../shared/geodata`, built from the
//! `anciensCodes` of `@etalab/decoupage-administratif` 6.0.0, COG of 1 January 2026).

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::{Error, Result};

/// What happened to a former code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The old commune merged into, was absorbed by, or was renumbered as `new_code`.
    MergedOrRecoded,
    /// `new_code` was carved out of `old_code`, which still exists.
    Split,
}

/// One row of the history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// The former code.
    pub old_code: String,
    /// Name of the former commune, where known.
    pub old_name: Option<String>,
    /// The current commune.
    pub new_code: String,
    /// Its current name.
    pub new_name: String,
    /// Year the old code stopped being a commune (known for 2022-2026 only).
    pub year: Option<u16>,
    /// Merger/recoding or split.
    pub event: Event,
}

/// The code history, indexed both ways.
#[derive(Debug, Clone, Default)]
pub struct CogHistory {
    changes: Vec<Change>,
    by_old: HashMap<String, usize>,
    by_new: HashMap<String, Vec<usize>>,
}

const EMBEDDED: &str = include_str!("../geodata/cog-history.csv");

impl CogHistory {
    /// The history shipped with phare.
    pub fn embedded() -> &'static CogHistory {
        static H: OnceLock<CogHistory> = OnceLock::new();
        H.get_or_init(|| {
            CogHistory::parse(EMBEDDED, Path::new("geodata/cog-history.csv"))
                .unwrap_or_else(|e| panic!("embedded code history is corrupt: {e}"))
        })
    }

    /// Reads a history file with columns `old_code,old_nom,new_code,new_nom,year,event`.
    pub fn from_path(path: &Path) -> Result<CogHistory> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        CogHistory::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<CogHistory> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let mut history = CogHistory::default();
        for (i, record) in reader.records().enumerate() {
            let line = format!("line {}", i + 2);
            let r = record.map_err(|e| Error::input(path, e.to_string()).at(&line))?;
            if r.len() < 6 {
                return Err(Error::input(
                    path,
                    "expected 6 columns old_code,old_nom,new_code,new_nom,year,event",
                )
                .at(&line));
            }
            let event = match &r[5] {
                "merged_or_recoded" => Event::MergedOrRecoded,
                "split" => Event::Split,
                other => {
                    return Err(Error::input(path, format!("unknown event '{other}'"))
                        .at(&line)
                        .hint("use merged_or_recoded or split"));
                }
            };
            let year = match r[4].trim() {
                "" => None,
                y => Some(
                    y.parse()
                        .map_err(|_| Error::input(path, format!("bad year '{y}'")).at(&line))?,
                ),
            };
            let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
            let change = Change {
                old_code: r[0].to_string(),
                old_name: non_empty(&r[1]),
                new_code: r[2].to_string(),
                new_name: r[3].to_string(),
                year,
                event,
            };
            let idx = history.changes.len();
            if event == Event::MergedOrRecoded {
                history.by_old.insert(change.old_code.clone(), idx);
            }
            history
                .by_new
                .entry(change.new_code.clone())
                .or_default()
                .push(idx);
            history.changes.push(change);
        }
        Ok(history)
    }

    /// The current commune that holds a former code (mergers and recodings; chains are
    /// followed). `None` when the code is not a former code.
    pub fn successor(&self, old_code: &str) -> Option<&Change> {
        let mut change = &self.changes[*self.by_old.get(old_code)?];
        // The table maps to 2026 codes already, but guard against chains in user files.
        for _ in 0..8 {
            match self.by_old.get(&change.new_code) {
                Some(&next) if self.changes[next].new_code != change.new_code => {
                    change = &self.changes[next]
                }
                _ => break,
            }
        }
        Some(change)
    }

    /// Every change that leads to this current commune (its former codes, and splits).
    pub fn former_codes(&self, new_code: &str) -> impl Iterator<Item = &Change> {
        self.by_new
            .get(new_code)
            .into_iter()
            .flatten()
            .map(|&i| &self.changes[i])
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_history_has_all_rows() {
        let h = CogHistory::embedded();
        assert_eq!(h.len(), 4247);
    }

    #[test]
    fn former_code_of_a_2023_merger_resolves() {
        let h = CogHistory::embedded();
        let c = h.successor("01039").expect("Béon merged into Culoz-Béon");
        assert_eq!(c.new_code, "01138");
        assert_eq!(c.new_name, "Culoz-Béon");
        assert_eq!(c.year, Some(2023));
        assert!(h.former_codes("01138").any(|c| c.old_code == "01039"));
    }

    #[test]
    fn chef_lieu_change_of_2025_and_corsica_recoding() {
        let h = CogHistory::embedded();
        assert_eq!(
            h.successor("12076").map(|c| c.new_code.as_str()),
            Some("12218")
        );
        assert!(
            h.successor("69123").is_none(),
            "a current code is not a former code"
        );
        let corsica = h
            .changes
            .iter()
            .find(|c| c.old_code.starts_with("20"))
            .expect("1976 recoding rows");
        assert!(corsica.new_code.starts_with("2A") || corsica.new_code.starts_with("2B"));
    }

    #[test]
    fn splits_are_not_successors() {
        let h = CogHistory::embedded();
        let splits: Vec<_> = h
            .changes
            .iter()
            .filter(|c| c.event == Event::Split)
            .collect();
        assert_eq!(splits.len(), 7);
        assert!(splits.iter().any(|c| c.old_code == "15141"));
    }
}
