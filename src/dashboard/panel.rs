//! The side panel: a territory's profile (« portrait de territoire ») against a reference
//! territory the reader chooses (its parent, France, or any other).
//!
//! Its figures are `phare profile`'s: [`profiles`] runs [`crate::profile::build`] for every
//! région and département of each actor and keeps, compactly, what each profile adds: the
//! territory's own estimates (gap to France), priorities, identity and indicator ranks. A
//! commune's profile repeats its département's, région's and France's estimates, so the page
//! reads them there, as `phare profile CODE` shows them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Cell, Dashboard, round6, series_key};
use crate::aggregate::{FRANCE, Flag, Measure};
use crate::boundaries::Boundaries;
use crate::profile::{self, IndicatorRank, Priorities, Score, Target};
use crate::survey::join::Joined;
use crate::survey::{Actor, DOMAINS};
use crate::{Level, Result};

/// The panel's data: survey figures per actor, and what does not depend on the actor.
#[derive(Debug, Clone, Serialize)]
pub struct Profiles {
    /// Measure keys of the estimates: the 16 fragility domains, then `q4:oui`.
    pub measures: Vec<String>,
    /// By actor key, then [`place_key`] (`FR` for France).
    pub survey: BTreeMap<String, BTreeMap<String, SurveyProfile>>,
    /// By [`place_key`]: identity and indicator ranks.
    pub places: BTreeMap<String, PlaceProfile>,
}

/// One territory's survey figures for one actor, from its `phare profile`: what the map's
/// cells of the same level do not already hold (their value, n, interval and flag are the same
/// rows of [`crate::aggregate::rows`]; the profile measures gaps to France, not to the parent).
#[derive(Debug, Clone, Serialize)]
pub struct SurveyProfile {
    /// Gap to France and its significance, in [`Profiles::measures`] order.
    pub gaps: Vec<Gap>,
    /// Shares of Q4 answers 1 to 4.
    pub q4_answers: Vec<Option<f64>>,
    /// The three priority fragilities (absent for France).
    pub priorities: Option<Priority>,
}

/// `phare profile`'s priorities, serialised as `[place key, n, [domain key, mean]...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority(pub Priorities);

impl Serialize for Priority {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let p = &self.0;
        let domains: Vec<(&str, f64)> =
            p.domains.iter().map(|d| (d.key, round6(d.value))).collect();
        (place_key(p.place.level, &p.place.code), p.n, domains).serialize(s)
    }
}

/// A gap to France in points and whether it is significant at 95 %, serialised as
/// `[gap, 0|1]` (nulls without one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap(pub Option<f64>, pub Option<bool>);

impl Serialize for Gap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        (self.0.map(round6), self.1.map(u8::from)).serialize(s)
    }
}

/// One territory's identity and indicator ranks, from its `phare profile`.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceProfile {
    /// `[population, area km², inhabitants per km², communes]`.
    pub identity: [Option<f64>; 4],
    /// Indicator columns with their ranks in the région and France.
    pub indicators: Vec<IndicatorRank>,
}

/// Key of a territory in [`Profiles`]: `departement:69`, `region:84`, or `FR`.
pub fn place_key(level: &str, code: &str) -> String {
    if code == FRANCE {
        FRANCE.to_string()
    } else {
        format!("{level}:{code}")
    }
}

fn gap(s: &Score) -> Gap {
    Gap(s.gap, s.gap_significant)
}

/// The `phare profile` of every région and département, for each actor with answers.
pub fn profiles(
    b: &Boundaries,
    joined: &[Joined],
    indicators: &[profile::IndicatorSet],
    min_n: usize,
    source: &str,
) -> Result<Profiles> {
    let mut out = Profiles {
        measures: (0..DOMAINS.len())
            .map(|domain| Measure::Mean { domain }.to_string())
            .chain(["q4:oui".to_string()])
            .collect(),
        survey: BTreeMap::new(),
        places: BTreeMap::new(),
    };
    let targets: Vec<Target> = (b.regions.territories.iter())
        .map(|t| Target::Region(t.code.clone()))
        .chain((b.departements.territories.iter()).map(|t| Target::Departement(t.code.clone())))
        .collect();
    for actor in Actor::ALL {
        if !joined.iter().any(|j| j.respondent.actor == actor) {
            continue;
        }
        let opts = profile::Options {
            actor,
            min_n,
            source: source.to_string(),
        };
        let mut by_place = BTreeMap::new();
        // Identity and indicator ranks do not depend on the actor: read them once.
        let first = out.places.is_empty();
        let sets = if first { indicators } else { &[] };
        for target in &targets {
            let p = profile::build(target, b, joined, sets, &opts)?;
            // Each profile's levels: the territory first, France last.
            for (i, place) in p.levels.iter().enumerate() {
                let own = i == 0;
                if !own && place.code != FRANCE {
                    continue;
                }
                by_place
                    .entry(place_key(place.level, &place.code))
                    .or_insert_with(|| SurveyProfile {
                        gaps: (p.domains.iter().map(|d| gap(&d.scores[i])))
                            .chain([gap(&p.q4[i].oui)])
                            .collect(),
                        q4_answers: p.q4[i].answers.iter().map(|a| a.map(round6)).collect(),
                        priorities: p.priorities.clone().filter(|_| own).map(Priority),
                    });
            }
            let id = &p.identity;
            if first {
                out.places
                    .entry(place_key(id.territory.level, &id.territory.code))
                    .or_insert_with(|| PlaceProfile {
                        identity: [
                            id.population.map(|p| p as f64),
                            id.area_km2.map(|a| (a * 10.0).round() / 10.0),
                            id.density.map(|d| (d * 10.0).round() / 10.0),
                            id.communes.map(|c| c as f64),
                        ],
                        indicators: p.indicators.clone(),
                    });
            }
        }
        out.survey.insert(actor.key().to_string(), by_place);
    }
    Ok(out)
}

/// The estimates the panel shows for `code` at `level` and `actor`, in
/// [`Profiles::measures`] order, as `phare profile` gives them (gap to France): a commune
/// shows its département's, as `phare profile CODE` does. `None` when absent.
pub fn figures(d: &Dashboard, level: Level, code: &str, actor: &str) -> Option<Vec<Cell>> {
    let (level, code) = match level {
        Level::Commune => {
            let dep = d.levels.iter().find(|l| l.key == "commune")?;
            let t = dep.territories.iter().find(|t| t[0] == code)?;
            (Level::Departement, t[2].as_str())
        }
        _ => (level, code),
    };
    let p = d
        .profiles
        .survey
        .get(actor)?
        .get(&place_key(level.as_str(), code))?;
    let cells = d.profiles.measures.iter().zip(&p.gaps).map(|(m, g)| {
        let cell = d
            .series
            .get(&series_key(level, m, Some(actor)))?
            .cells
            .get(code);
        let mut c = cell.copied().unwrap_or(Cell {
            value: None,
            flag: Flag::Empty,
            class: None,
            rank: None,
            n: Some(0),
            n_eff: Some(0.0),
            ci_low: None,
            ci_high: None,
            gap: None,
            gap_significant: None,
        });
        (c.class, c.rank, c.gap, c.gap_significant) = (None, None, g.0, g.1);
        Some(c)
    });
    cells.collect()
}
