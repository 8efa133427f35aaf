//! The side panel: a territory's profile (« portrait de territoire ») against a reference
//! territory the reader chooses (its parent, France, or any other).
//!
//! [`sections`] fixes what the profile shows and in which order; the page embeds it and its
//! script fills each row from the dashboard's series, exactly as [`panel`] does here. Both read
//! the same cells, so the panel cannot disagree with the map or with `phare stats`; when a
//! `phare profile` exists, [`panel`] is the one function to replace.

use serde::Serialize;

use super::{Cell, Dashboard, MeasureEntry, series_key};
use crate::Level;

/// One block of the profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// French heading.
    pub title: String,
    /// Measure keys, in display order.
    pub measures: Vec<String>,
    /// Show the territory's rank among its level (indicators).
    pub rank: bool,
}

/// The profile's sections for these measures: fragility scores, Q4 answers, innovation,
/// indicators.
pub fn sections(measures: &[MeasureEntry]) -> Vec<Section> {
    let pick = |f: &dyn Fn(&MeasureEntry) -> bool| -> Vec<String> {
        measures
            .iter()
            .filter(|m| f(m))
            .map(|m| m.key.clone())
            .collect()
    };
    vec![
        Section {
            title: "Fragilités ressenties (score moyen /10, IC 95 %)".into(),
            measures: pick(&|m| m.key.starts_with("frag_")),
            rank: false,
        },
        Section {
            title: "Dynamique de co-construction (Q4)".into(),
            measures: pick(&|m| m.key.starts_with("q4:")),
            rank: false,
        },
        Section {
            title: "Partenariats source d'innovation".into(),
            measures: pick(&|m| m.key == "q_innovation:oui" || m.key == "q_innovation:non"),
            rank: false,
        },
        Section {
            title: "Indicateurs".into(),
            measures: pick(&|m| !m.survey),
            rank: true,
        },
    ]
}

/// One territory's profile against a reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    /// The territory: level, code and name.
    pub territory: (Level, String, String),
    /// The reference: level, code (`FR` for France) and name.
    pub reference: (Level, String, String),
    /// Actor key (`maire`, `all`...).
    pub actor: String,
    /// Sections in order.
    pub sections: Vec<PanelSection>,
}

/// One filled section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelSection {
    /// French heading.
    pub title: String,
    /// Rows, in [`Section::measures`] order.
    pub rows: Vec<PanelRow>,
}

/// One measure of the profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelRow {
    /// Measure key.
    pub measure: String,
    /// French label.
    pub label: String,
    /// The territory's cell (absent: no respondent, no value).
    pub value: Option<Cell>,
    /// The reference's cell.
    pub reference: Option<Cell>,
    /// Territories ranked at the territory's level, when the section shows ranks.
    pub ranked: Option<usize>,
}

/// The profile of `code` at `level` for `actor` against `reference` (a level and a code;
/// France is `FR` at any level). `None` when the territory is not in the dashboard.
pub fn panel(
    d: &Dashboard,
    level: Level,
    code: &str,
    actor: &str,
    reference: (Level, &str),
) -> Option<Panel> {
    let name_of = |level: Level, code: &str| -> Option<String> {
        if code == crate::aggregate::FRANCE {
            return Some("France".to_string());
        }
        d.levels
            .iter()
            .find(|l| l.key == level.as_str())?
            .territories
            .iter()
            .find(|t| t[0] == code)
            .map(|t| t[1].clone())
    };
    let name = name_of(level, code)?;
    let ref_name = name_of(reference.0, reference.1)?;
    let cell = |level: Level, m: &MeasureEntry, code: &str| {
        let key = series_key(level, &m.key, m.survey.then_some(actor));
        let s = d.series.get(&key)?;
        Some((s.cells.get(code).copied(), s.ranked))
    };
    let sections = d
        .panel
        .iter()
        .map(|s| PanelSection {
            title: s.title.clone(),
            rows: s
                .measures
                .iter()
                .filter_map(|k| d.measures.iter().find(|m| &m.key == k))
                .map(|m| {
                    let here = cell(level, m, code);
                    PanelRow {
                        measure: m.key.clone(),
                        label: m.label.clone(),
                        value: here.and_then(|h| h.0),
                        reference: cell(reference.0, m, reference.1).and_then(|r| r.0),
                        ranked: here.filter(|_| s.rank).map(|h| h.1),
                    }
                })
                .collect(),
        })
        .collect();
    Some(Panel {
        territory: (level, code.to_string(), name),
        reference: (reference.0, reference.1.to_string(), ref_name),
        actor: actor.to_string(),
        sections,
    })
}
