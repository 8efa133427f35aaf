//! What a map shows, resolved once: a [`Source`] of values (a boundary indicator, a survey
//! measure or a column of an indicator file) becomes [`MapData`], one [`Datum`] per territory,
//! which `render/` draws without computing anything.
//!
//! Population, area and density are computed in [`size`] alone, with its rules for unknown
//! populations and areas, so that a map, an atlas, the dashboard and a profile give the same
//! density for the same territory. Survey estimates come from [`aggregate::estimate`]: a
//! territory whose Kish effective size is below `min_n` is hatched (value kept for the
//! sidecar, never coloured). Provenance (population vintage, base-map credit) comes from the
//! boundaries' own metadata ([`Boundaries::population_source`], [`Boundaries::vintage`]).

pub mod size;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregate::{self, Flag, Located, Measure};
use crate::boundaries::Boundaries;
use crate::format::NumberFormat;
use crate::names::edit_distance;
use crate::survey::join::JoinedIndicators;
use crate::{Error, Level, Result, Setting};

pub use size::{Size, size_of, sizes};

/// A value computed from the boundaries themselves, with no extra file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryIndicator {
    /// Population municipale.
    Population,
    /// Planar area, km².
    Area,
    /// Inhabitants per km².
    Density,
}

impl BoundaryIndicator {
    /// Every boundary indicator, in the order the dashboard lists them.
    pub const ALL: [BoundaryIndicator; 3] = [
        BoundaryIndicator::Density,
        BoundaryIndicator::Population,
        BoundaryIndicator::Area,
    ];

    /// The `--value` name: `population`, `area`, `density`.
    pub fn name(self) -> &'static str {
        match self {
            BoundaryIndicator::Population => "population",
            BoundaryIndicator::Area => "area",
            BoundaryIndicator::Density => "density",
        }
    }

    /// Map title.
    pub fn title(self) -> &'static str {
        match self {
            BoundaryIndicator::Population => "Population municipale",
            BoundaryIndicator::Area => "Superficie",
            BoundaryIndicator::Density => "Densité de population",
        }
    }

    /// Legend title: the unit.
    pub fn label(self) -> &'static str {
        match self {
            BoundaryIndicator::Population => "Habitants",
            BoundaryIndicator::Area => "km²",
            BoundaryIndicator::Density => "Habitants par km²",
        }
    }

    /// This indicator's value in a territory's size.
    pub fn of(self, size: &Size) -> Option<f64> {
        match self {
            BoundaryIndicator::Population => size.population.map(|p| p as f64),
            BoundaryIndicator::Area => size.area_km2,
            BoundaryIndicator::Density => size.density,
        }
    }

    fn named(name: &str) -> Option<BoundaryIndicator> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// What a map can show.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Computed from the boundaries.
    Boundary(BoundaryIndicator),
    /// A survey measure, estimated per territory.
    Survey(Measure),
    /// A column of a commune indicator file.
    Column(String),
}

impl Source {
    /// Reads the `--value` text: a column name when an indicator file is given
    /// (`columns`), else a boundary indicator (`density`), else a survey measure (`q4:oui`).
    /// An unknown text is a usage error naming the nearest valid values.
    ///
    /// ```
    /// use phare::values::{BoundaryIndicator, Source};
    /// assert_eq!(
    ///     Source::parse("density", false).ok(),
    ///     Some(Source::Boundary(BoundaryIndicator::Density))
    /// );
    /// assert!(matches!(Source::parse("q4:oui", false), Ok(Source::Survey(_))));
    /// let e = Source::parse("densite", false).err().map(|e| e.to_string());
    /// assert!(e.is_some_and(|e| e.contains("did you mean 'density'")));
    /// ```
    pub fn parse(text: &str, columns: bool) -> Result<Source> {
        let text = text.trim();
        if columns {
            return Ok(Source::Column(text.to_string()));
        }
        if let Some(b) = BoundaryIndicator::named(&text.to_ascii_lowercase()) {
            return Ok(Source::Boundary(b));
        }
        text.parse().map(Source::Survey).map_err(|e: Error| {
            let names: Vec<String> = BoundaryIndicator::ALL
                .iter()
                .map(|b| b.name().to_string())
                .chain(Measure::all().iter().map(Measure::to_string))
                .collect();
            let key = text.to_ascii_lowercase();
            let near: Vec<&String> = names
                .iter()
                .filter(|n| edit_distance(&key, n, 2 + key.len() / 4).is_some())
                .collect();
            let known = "boundary indicators: density, population, area (or a column of an \
                         indicator file); survey measures";
            let hint = match (near.is_empty(), e.hint) {
                (false, _) => format!(
                    "did you mean {}? {known}: q4:oui, frag_emploi:mean...",
                    near.iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                (true, Some(measures)) => format!("{known}; {measures}"),
                (true, None) => known.to_string(),
            };
            Error::usage(format!("unknown value '{text}'")).hint(hint)
        })
    }

    /// The default level of a map of this source: régions for a survey (enough respondents),
    /// communes for an indicator file, départements for a boundary indicator.
    pub fn default_level(&self) -> Level {
        match self {
            Source::Boundary(_) => Level::Departement,
            Source::Survey(_) => Level::Region,
            Source::Column(_) => Level::Commune,
        }
    }
}

/// One territory's value.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Datum {
    /// The value; None = no data.
    pub value: Option<f64>,
    /// Respondents behind a survey estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// Kish effective size of those respondents, which decides `insufficient`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_eff: Option<f64>,
    /// The effective sample is too small to show the value: hatched.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
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
    /// Credit of the base map, for the source line (from the boundaries' metadata).
    pub credit: String,
    /// True when any row is synthetic: the map says « Données simulées ».
    pub synthetic: bool,
    /// Respondents in all (survey data).
    pub n: Option<u64>,
    /// Input files, for the sidecar.
    pub inputs: Vec<String>,
    /// Vintage of the data (`COG 2026`, `PHARE 2016`).
    pub vintage: String,
}

/// An integer in French format (`1 234`, narrow no-break space between thousands).
pub fn fr_int(v: f64) -> String {
    crate::format::fr_number(v, 0)
}

/// Values of a boundary indicator for every territory of `level`, by the rules of [`size`].
pub fn boundary_data(
    b: &Boundaries,
    level: Level,
    indicator: BoundaryIndicator,
) -> Result<MapData> {
    let values = sizes(b, level)?
        .into_iter()
        .map(|(t, s)| {
            let d = Datum {
                value: indicator.of(&s),
                ..Datum::default()
            };
            (t.code.clone(), d)
        })
        .collect();
    Ok(MapData {
        level,
        values,
        title: indicator.title().to_string(),
        label: indicator.label().to_string(),
        format: NumberFormat::plain(),
        measure: indicator.name().to_string(),
        source: b.population_source(),
        credit: b.credit(),
        synthetic: false,
        n: None,
        inputs: vec![b.layer(level).source.clone()],
        vintage: b.vintage(),
    })
}

/// Survey estimates of `measure` for every territory of `level`: the value where the effective
/// sample suffices, hatched (value kept for the sidecar, never coloured) when its Kish n eff.
/// is below `min_n`, no data where nobody answered. `source` names the survey for the source
/// line.
pub fn survey_data<J: Located + Sync>(
    b: &Boundaries,
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
                n_eff: Some(e.n_eff),
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
        credit: b.credit(),
        synthetic,
        n,
        inputs,
        vintage: wave.unwrap_or_else(|| "enquête PHARE".into()),
    }
}

/// One column of a commune indicator file (joined to `b`'s communes), at `level`: as is for
/// communes, summed for départements and régions when the column holds counts (a rate cannot
/// be summed).
pub fn column_data(
    b: &Boundaries,
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
        .hint("map it by commune, or give a file at that level's counts")
        .about(Setting::Level));
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
        credit: b.credit(),
        synthetic: false,
        n: None,
        inputs: vec![source.to_string()],
        vintage: b.vintage(),
    })
}

/// Says which territories of `level` a summed `column` covers only in part: a file that gives
/// a count for some of a département's communes makes a total that understates it, which the
/// map would otherwise show as the département's figure. `None` at the commune level or when
/// every territory with a value has all its communes.
pub fn partial_sums(
    b: &Boundaries,
    joined: &JoinedIndicators,
    column: &str,
    level: Level,
) -> Option<String> {
    let col = joined.column_index(column)?;
    let parent = |dep: &str, reg: &str| -> Option<String> {
        match level {
            Level::Commune => None,
            Level::Departement => Some(dep.to_string()),
            Level::Region => Some(reg.to_string()),
        }
    };
    let mut given: BTreeMap<String, usize> = BTreeMap::new();
    for r in joined
        .rows
        .iter()
        .filter(|r| r.values.get(col).copied().flatten().is_some())
    {
        *given.entry(parent(&r.departement, &r.region)?).or_default() += 1;
    }
    let mut all: BTreeMap<String, usize> = BTreeMap::new();
    for t in &b.communes.territories {
        let dep = t.departement.as_deref().unwrap_or("");
        let reg = t.region.as_deref().unwrap_or("");
        *all.entry(parent(dep, reg)?).or_default() += 1;
    }
    let partial: Vec<String> = given
        .iter()
        .filter_map(|(code, &n)| {
            let total = all.get(code).copied().unwrap_or(n);
            (n < total).then(|| format!("{code} ({n} of {total})"))
        })
        .collect();
    if partial.is_empty() {
        return None;
    }
    let listed = partial
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = partial.len().saturating_sub(10);
    Some(format!(
        "{} {}s are summed from only part of their communes, so their '{column}' totals are \
         understated: {listed}{}",
        partial.len(),
        level.as_str(),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_text_names_its_source_or_suggests() {
        assert_eq!(
            Source::parse("Density", false).ok(),
            Some(Source::Boundary(BoundaryIndicator::Density))
        );
        assert!(matches!(
            Source::parse("q4:oui", false),
            Ok(Source::Survey(_))
        ));
        assert_eq!(
            Source::parse("density", true).ok(),
            Some(Source::Column("density".into()))
        );
        let e = Source::parse("densite", false).err().map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(e.contains("unknown value 'densite'"), "{e}");
        assert!(e.contains("did you mean 'density'"), "{e}");
        let e = Source::parse("zzz", false).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("density, population, area"));
    }

    #[test]
    fn credit_and_population_vintage_come_from_the_boundaries() {
        use crate::Layer;
        use crate::boundaries::embedded;
        let embedded_only = Boundaries {
            communes: Layer::new(Vec::new(), embedded::LAYER),
            departements: Layer::new(Vec::new(), embedded::LAYER),
            regions: Layer::new(Vec::new(), embedded::LAYER),
        };
        assert_eq!(
            embedded_only.credit(),
            "Fond : IGN ADMIN EXPRESS COG, INSEE COG 2026 ; Licence Ouverte 2.0"
        );
        assert_eq!(
            embedded_only.population_source(),
            "INSEE, populations légales 2023"
        );
        assert_eq!(embedded_only.vintage(), "COG 2026");
        // A commune file replaces the embedded communes: named as the base map and the
        // population's source, the embedded upper levels still credited.
        let with_file = Boundaries {
            communes: Layer::new(Vec::new(), "/data/ign/communes.geojson"),
            ..embedded_only
        };
        assert_eq!(
            with_file.credit(),
            "Fond : communes.geojson ; IGN ADMIN EXPRESS COG, INSEE COG 2026 ; Licence Ouverte 2.0"
        );
        assert_eq!(
            with_file.population_source(),
            "population : communes.geojson"
        );
    }
}
