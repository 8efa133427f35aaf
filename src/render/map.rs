//! The values a map can show: boundary indicators (population, area, density), survey
//! estimates and indicator columns, as [`MapData`] for [`crate::compose::map::build_scene`].

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::aggregate::{self, Flag, Located, Measure};
use crate::boundaries::Boundaries;
use crate::compose::inset::drom_of;
use crate::format::NumberFormat;
use crate::projection::for_departement;
use crate::survey::join::JoinedIndicators;
use crate::{Error, Level, Result, Territory};

/// One territory's value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Datum {
    /// The value; None = no data.
    pub value: Option<f64>,
    /// Respondents behind a survey estimate.
    pub n: Option<u64>,
    /// The sample is too small to show the value: hatched.
    pub insufficient: bool,
}

/// Values to map, by territory code, with what the reader must know about them.
#[derive(Debug, Clone)]
pub struct MapData {
    /// Level the codes belong to.
    pub level: Level,
    /// Values by INSEE code.
    pub values: BTreeMap<String, Datum>,
    /// Default map title (`Densité de population`).
    pub title: String,
    /// Legend title: what the numbers are (`Habitants par km²`, `Part des répondants`).
    pub label: String,
    /// How values are written (plain numbers, shares as percentages).
    pub format: NumberFormat,
    /// Measure name (`density`, `q4:oui`, a column).
    pub measure: String,
    /// Where the values come from, for the source line.
    pub source: String,
    /// True when any row is synthetic: the map says « Données simulées ».
    pub synthetic: bool,
    /// Respondents in all (survey data).
    pub n: Option<u64>,
    /// Input files, for the sidecar.
    pub inputs: Vec<String>,
    /// Vintage of the data (`COG 2026`, `PHARE 2016`).
    pub vintage: String,
}

/// Planar area in the territory's own projection (Lambert-93 or its UTM zone), km².
fn area_km2(t: &Territory) -> f64 {
    let dep = drom_of(t).unwrap_or("");
    crate::projection::area_km2(&t.geometry, for_departement(dep))
}

/// An integer in French format (`1 234`, narrow no-break space between thousands).
pub fn fr_int(v: f64) -> String {
    crate::format::fr_number(v, 0)
}

/// Values of a boundary indicator (`population`, `density` in inhabitants per km², `area` in
/// km²) for every territory of a level.
pub fn boundary_indicator(b: &Boundaries, level: Level, name: &str) -> Result<MapData> {
    let layer = b.layer(level);
    // Population of upper levels: their own when known, else the sum of their communes.
    let mut pop_sum: BTreeMap<&str, u64> = BTreeMap::new();
    if level != Level::Commune {
        for c in &b.communes.territories {
            let key = if level == Level::Departement {
                c.departement.as_deref()
            } else {
                c.region.as_deref()
            };
            if let (Some(k), Some(p)) = (key, c.population) {
                *pop_sum.entry(k).or_default() += p;
            }
        }
    }
    let pop = |t: &Territory| {
        t.population
            .or_else(|| pop_sum.get(t.code.as_str()).copied())
    };
    type Value<'a> = Box<dyn Fn(&Territory) -> Option<f64> + Sync + 'a>;
    let (title, label, f): (&str, &str, Value) = match name {
        "population" => (
            "Population municipale",
            "Habitants",
            Box::new(|t| pop(t).map(|p| p as f64)),
        ),
        "area" => ("Superficie", "km²", Box::new(|t| Some(area_km2(t)))),
        "density" => (
            "Densité de population",
            "Habitants par km²",
            Box::new(|t| {
                let a = area_km2(t);
                pop(t).filter(|_| a > 0.0).map(|p| p as f64 / a)
            }),
        ),
        _ => {
            return Err(Error::usage(format!("unknown boundary indicator '{name}'"))
                .hint("use population, density or area, or a column of --indicators FILE"));
        }
    };
    let values: BTreeMap<String, Datum> = layer
        .territories
        .par_iter()
        .map(|t| {
            (
                t.code.clone(),
                Datum {
                    value: f(t),
                    n: None,
                    insufficient: false,
                },
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    Ok(MapData {
        level,
        values,
        title: title.to_string(),
        label: label.to_string(),
        format: NumberFormat::plain(),
        measure: name.to_string(),
        source: "INSEE, populations légales 2023".to_string(),
        synthetic: false,
        n: None,
        inputs: vec![layer.source.clone()],
        vintage: "COG 2026".to_string(),
    })
}

/// Survey estimates of `measure` for every territory of `level`: the value where the sample
/// suffices, hatched (value kept for the sidecar, never coloured) below `min_n`, no data where
/// nobody answered. `source` names the survey for the source line.
pub fn survey_data<J: Located + Sync>(
    joined: &[J],
    level: Level,
    measure: &Measure,
    min_n: usize,
    source: &str,
    inputs: Vec<String>,
) -> MapData {
    let est = aggregate::estimate(joined, level, measure, min_n);
    let n = est.get(aggregate::FRANCE).map(|e| e.n as u64);
    let synthetic = joined.iter().any(|j| j.respondent().synthetic);
    let values = est
        .iter()
        .filter(|(code, _)| code.as_str() != aggregate::FRANCE)
        .map(|(code, e)| {
            let d = Datum {
                value: (e.flag != Flag::Empty && e.value.is_finite()).then_some(e.value),
                n: Some(e.n as u64),
                insufficient: e.flag == Flag::Insufficient,
            };
            (code.clone(), d)
        })
        .collect();
    let wave = joined.iter().find_map(|j| j.respondent().wave.clone());
    let (label, format) = if measure.is_share() {
        ("Part des répondants", NumberFormat::share())
    } else {
        ("Score moyen (0 à 10)", NumberFormat::plain())
    };
    MapData {
        level,
        values,
        title: measure.label(),
        label: label.to_string(),
        format,
        measure: measure.to_string(),
        source: format!("{source}, n = {}", fr_int(n.unwrap_or(0) as f64)),
        synthetic,
        n,
        inputs,
        vintage: wave.unwrap_or_else(|| "enquête PHARE".into()),
    }
}

/// One column of a commune indicator file, at `level`: as is for communes, summed for
/// départements and régions when the column holds counts (a rate cannot be summed).
pub fn indicator_data(
    joined: &JoinedIndicators,
    additive: &[bool],
    level: Level,
    column: &str,
    source: &str,
) -> Result<MapData> {
    let Some(col) = joined.column_index(column) else {
        return Err(
            Error::usage(format!("no column '{column}' in the indicator file"))
                .hint(format!("choose one of: {}", joined.columns.join(", "))),
        );
    };
    if level != Level::Commune && !additive.get(col).copied().unwrap_or(false) {
        return Err(Error::usage(format!(
            "column '{column}' is not a count: it cannot be summed to {}s",
            level.as_str()
        ))
        .hint("map it with --level commune, or give a file at that level's counts"));
    }
    let mut values: BTreeMap<String, Datum> = BTreeMap::new();
    for r in &joined.rows {
        let code = match level {
            Level::Commune => &r.commune,
            Level::Departement => &r.departement,
            Level::Region => &r.region,
        };
        let d = values.entry(code.clone()).or_default();
        if let Some(v) = r.values.get(col).copied().flatten() {
            d.value = Some(d.value.unwrap_or(0.0) + v);
        }
    }
    Ok(MapData {
        level,
        values,
        title: joined.columns[col].clone(),
        label: joined.columns[col].clone(),
        format: NumberFormat::plain(),
        measure: column.to_string(),
        source: source.to_string(),
        synthetic: false,
        n: None,
        inputs: vec![source.to_string()],
        vintage: "COG 2026".into(),
    })
}
