//! The profile of one territory (« fiche territoire »): who it is, what its own mayor
//! answered, how its département, région and France score on the 16 fragility domains and on
//! Q4, and where it ranks on indicator files.
//!
//! [`resolve`] turns a query (INSEE code, former code, name, `dep:69`, `reg:84`) into a
//! [`Target`]; [`build`] computes a [`Profile`], a plain serialisable struct that the terminal
//! view ([`text`]), the JSON output and the one-page figure ([`figure`]) all show. Every
//! estimate goes through [`crate::aggregate`]: weighted, with a 95 % interval, its n, and the
//! `insufficient` flag below `min_n`; gaps are to France, significant when the territory
//! differs from the rest of France at 95 %.

pub mod figure;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregate::{self, FRANCE, Flag, Measure, Question, Reference, Row, RowOptions};
use crate::boundaries::Boundaries;
use crate::lookup::{Found, Gazetteer, Match};
use crate::survey::join::{Joined, JoinedIndicators};
use crate::survey::{ANSWER_LABELS, Actor, DOMAINS};
use crate::territory::stratum::SizeStratum;
use crate::values;
use crate::{Error, Layer, Level, Result, Territory};

/// What a profile is about.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // One per run: boxing would only add noise.
pub enum Target {
    /// A commune, with how the query reached it.
    Commune(Found),
    /// A département code.
    Departement(String),
    /// A région code.
    Region(String),
}

/// Finds what `query` names: `dep:CODE`, `reg:CODE`, an INSEE commune code (current, former,
/// arrondissement, lost leading zero), a commune name, or else a département or région name. Unknown codes and names are usage
/// errors with suggestions; a name shared by several communes lists them all.
pub fn resolve(query: &str, gazetteer: &Gazetteer, boundaries: &Boundaries) -> Result<Target> {
    let q = query.trim();
    if let Some((prefix, code)) = q.split_once(':') {
        let code = code.trim().to_ascii_uppercase();
        let (level, target, hint) = match prefix.trim().to_ascii_lowercase().as_str() {
            "dep" => (
                Level::Departement,
                Target::Departement(code.clone()),
                "départements are 01 to 95, 2A, 2B and 971 to 976, e.g. dep:69",
            ),
            "reg" => (
                Level::Region,
                Target::Region(code.clone()),
                "régions are 01 to 06 (overseas) and 11 to 94, e.g. reg:84",
            ),
            _ => {
                return Err(Error::usage(format!("cannot read '{q}'")).hint(
                    "give a commune code or name, dep:CODE for a département or reg:CODE for a région",
                ));
            }
        };
        return match boundaries.layer(level).get(&code) {
            Some(_) => Ok(target),
            None => {
                Err(Error::usage(format!("no {} with code '{code}'", level.as_str())).hint(hint))
            }
        };
    }
    if looks_like_code(q) {
        return gazetteer.by_code(q).map(Target::Commune).ok_or_else(|| {
            let near = gazetteer.suggest_codes(q, 5);
            let e = Error::usage(format!(
                "no commune with code '{q}' (neither current, former nor an arrondissement)"
            ));
            if near.is_empty() {
                e.hint("give a current or former INSEE code (5 characters, e.g. 69123 or 2A004) or a name")
            } else {
                e.hint(format!("did you mean: {}?", near.join(", ")))
            }
        });
    }
    let mut found = gazetteer.by_name(q);
    if found.is_empty()
        && let Some(target) = upper_level_by_name(q, boundaries)
    {
        return Ok(target);
    }
    match found.len() {
        0 => {
            let near = gazetteer.suggest(q, 5);
            let e = Error::usage(format!("no commune named '{q}'"));
            Err(if near.is_empty() {
                e.hint("check the spelling, or give the INSEE code")
            } else {
                e.hint(format!("did you mean: {}?", near.join(", ")))
            })
        }
        1 => Ok(Target::Commune(found.remove(0))),
        n => {
            let list: Vec<String> = found
                .iter()
                .map(|f| format!("{} {} ({})", f.code, f.name, f.departement_name))
                .collect();
            Err(
                Error::usage(format!("'{q}' names {n} communes")).hint(format!(
                    "give the INSEE code of one of them: {}",
                    list.join(", ")
                )),
            )
        }
    }
}

/// The département or région named `q`, accents, case and hyphens aside (`Rhone`, `ile de
/// france`): a name no commune has.
fn upper_level_by_name(q: &str, boundaries: &Boundaries) -> Option<Target> {
    let key = crate::names::normalise_name(q);
    let named = |level: Level| {
        boundaries
            .layer(level)
            .territories
            .iter()
            .find(|t| crate::names::normalise_name(&t.name) == key)
            .map(|t| t.code.clone())
    };
    named(Level::Departement)
        .map(Target::Departement)
        .or_else(|| named(Level::Region).map(Target::Region))
}

/// Commune codes: 4 or 5 digits (a lost leading zero is repaired), or 2A/2B + 3 digits.
fn looks_like_code(q: &str) -> bool {
    (q.len() == 4 && q.bytes().all(|b| b.is_ascii_digit()))
        || crate::territory::code::is_commune_code(&q.to_ascii_uppercase())
}

/// A territory named by its code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// `commune`, `departement`, `region` or `france`.
    pub level: &'static str,
    /// INSEE code, or `FR`.
    pub code: String,
    /// Name.
    pub name: String,
}

/// Who the territory is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identity {
    /// The territory itself.
    pub territory: Place,
    /// How the query reached the commune (former code, arrondissement, name...).
    #[serde(rename = "match")]
    pub matched: Option<Match>,
    /// Its département (communes).
    pub departement: Option<Place>,
    /// Its région (communes and départements).
    pub region: Option<Place>,
    /// SIREN of its EPCI (communes).
    pub epci: Option<String>,
    /// Population municipale (rules of [`values::size`]).
    pub population: Option<u64>,
    /// Planar area, km² (Lambert-93, or the UTM zone overseas).
    pub area_km2: Option<f64>,
    /// Inhabitants per km².
    pub density: Option<f64>,
    /// Size stratum of the survey design (communes).
    pub size_stratum: Option<SizeStratum>,
    /// Number of communes (départements and régions).
    pub communes: Option<usize>,
}

/// The survey the profile reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyInfo {
    /// Where the answers come from, for the source line.
    pub source: String,
    /// Which actors' answers.
    pub actor: Actor,
    /// Respondents of that actor placed in a commune.
    pub respondents: usize,
    /// True when the answers are synthetic: say « Données simulées ».
    pub synthetic: bool,
    /// Estimates from fewer respondents are flagged `insufficient`.
    pub min_n: usize,
}

/// One answer code with its French label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// 1-4, or 9 « Ne sait pas ».
    pub code: u8,
    /// French label.
    pub label: &'static str,
}

/// One respondent of the commune itself (its mayor, when the actor is `maire`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnAnswer {
    /// Respondent id in the survey file.
    pub respondent_id: String,
    /// Q4 answer.
    pub q4: Option<Answer>,
    /// Innovation answer.
    pub q_innovation: Option<Answer>,
    /// Fragility scores 0-10 in [`DOMAINS`] order; `None` when blank or « Ne sait pas ».
    pub scores: Vec<Option<f64>>,
    /// Domains answered « Ne sait pas ».
    pub dont_know: Vec<&'static str>,
}

/// One estimate at one level, with its gap to France.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// The territory estimated.
    pub place: Place,
    /// Weighted mean (0-10) or share (0-1); `None` without respondents.
    pub value: Option<f64>,
    /// Respondents in the base.
    pub n: usize,
    /// Kish effective n.
    pub n_eff: f64,
    /// Lower bound of the 95 % interval.
    pub ci_low: Option<f64>,
    /// Upper bound of the 95 % interval.
    pub ci_high: Option<f64>,
    /// « Ne sait pas » answers, outside the base.
    pub dont_know: usize,
    /// `ok`, `insufficient` (Kish n eff. < min_n) or `empty`.
    pub flag: Flag,
    /// Gap to France in points (percentage points for shares); `None` for France itself.
    pub gap: Option<f64>,
    /// True when the territory differs from the rest of France at 95 %.
    pub gap_significant: Option<bool>,
}

/// One fragility domain at every level of the profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainScores {
    /// Domain key (`emploi`, ...).
    pub key: &'static str,
    /// French label.
    pub label: &'static str,
    /// One score per [`Profile::levels`] entry, France last.
    pub scores: Vec<Score>,
}

/// A domain among the priorities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    /// Domain key.
    pub key: &'static str,
    /// French label.
    pub label: &'static str,
    /// Mean score /10.
    pub value: f64,
}

/// The three highest-scored fragilities, read at the most local level whose sample is
/// large enough (département, else région, else France).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priorities {
    /// The level they are read at.
    pub place: Place,
    /// Respondents there (largest n over the domains).
    pub n: usize,
    /// Highest first.
    pub domains: Vec<Priority>,
}

/// Q4 (co-construction dynamic) at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Q4Level {
    /// Share answering « oui » (1 + 2), with its interval, n and gap to France.
    pub oui: Score,
    /// Shares of answers 1 to 4 (base: answers 1-4, « Ne sait pas » counted in `oui.dont_know`);
    /// `None` without respondents.
    pub answers: Vec<Option<f64>>,
}

/// A rank within one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rank {
    /// The scope: the département, the région, or France.
    pub scope: Place,
    /// 1 = highest value; ties share the better rank.
    pub rank: usize,
    /// Territories with a value in the scope.
    pub of: usize,
    /// Share of those territories whose value is lower or equal, in percent.
    pub percentile: f64,
}

/// One indicator column for the territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRank {
    /// The file (name only).
    pub source: String,
    /// The column.
    pub column: String,
    /// `value` (a commune's own), `sum` (counts summed over communes) or `median` (of the
    /// communes, for rates) for départements and régions.
    pub statistic: &'static str,
    /// The territory's value; `None` when missing.
    pub value: Option<f64>,
    /// Ranks among territories of its level: in its département, région, France.
    pub ranks: Vec<Rank>,
}

/// The whole profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Who the territory is.
    pub identity: Identity,
    /// The survey read.
    pub survey: SurveyInfo,
    /// Answers given in the commune itself: `None` for départements and régions, empty when
    /// no one there answered.
    pub own_answers: Option<Vec<OwnAnswer>>,
    /// Levels the estimates are given at, most local first, France last.
    pub levels: Vec<Place>,
    /// The 16 fragility domains, in [`DOMAINS`] order.
    pub domains: Vec<DomainScores>,
    /// The three priority fragilities of the territory.
    pub priorities: Option<Priorities>,
    /// Q4 at each level of `levels`.
    pub q4: Vec<Q4Level>,
    /// Indicator columns with their ranks.
    pub indicators: Vec<IndicatorRank>,
    /// Warnings of reading and joining the inputs (added by the caller, which read them):
    /// in `--json` as on stderr.
    pub warnings: Vec<String>,
}

impl Profile {
    /// Why Q4 has no answer here, when the survey never asked it: Q4 was put to mayors only.
    pub fn q4_not_asked(&self) -> Option<String> {
        (self.survey.actor != Actor::Maire && self.q4.iter().all(|q| q.oui.n == 0)).then(|| {
            format!(
                "Q4 n'a été posée qu'aux maires (enquête PHARE-Institutions) : les {} n'y ont pas répondu.",
                self.survey.actor.plural()
            )
        })
    }
}

/// A commune indicator file joined to communes, for ranks.
#[derive(Debug, Clone)]
pub struct IndicatorSet {
    /// Name shown (the file name).
    pub source: String,
    /// The joined table.
    pub joined: JoinedIndicators,
    /// Per column: counts that may be summed ([`crate::survey::IndicatorTable::additive`]).
    pub additive: Vec<bool>,
}

/// How to build a profile.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whose answers: mayors by default.
    pub actor: Actor,
    /// Minimum n for an `ok` estimate.
    pub min_n: usize,
    /// Survey source, for the source line.
    pub source: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            actor: Actor::Maire,
            min_n: aggregate::DEFAULT_MIN_N,
            source: String::new(),
        }
    }
}

/// Builds the profile of `target` from the boundaries (geometry optional: the area then comes
/// from the embedded data, decoding that territory alone), the joined survey answers (all
/// actors; `opts.actor`'s are used) and indicator files.
pub fn build(
    target: &Target,
    boundaries: &Boundaries,
    joined: &[Joined],
    indicators: &[IndicatorSet],
    opts: &Options,
) -> Result<Profile> {
    let answers: Vec<&Joined> = joined
        .iter()
        .filter(|j| j.respondent.actor == opts.actor)
        .collect();
    if answers.is_empty() {
        let mut present: Vec<&str> = joined.iter().map(|j| j.respondent.actor.key()).collect();
        present.sort_unstable();
        present.dedup();
        return Err(Error::usage(format!(
            "no answer of actor '{}' in {}",
            opts.actor.key(),
            opts.source
        ))
        .hint(if present.is_empty() {
            "the survey has no respondent placed in a commune".to_string()
        } else {
            format!("actors in the file: {}", present.join(", "))
        }));
    }
    let identity = identity(target, boundaries)?;
    let (level, code) = match target {
        Target::Commune(f) => (Level::Commune, f.code.as_str()),
        Target::Departement(c) => (Level::Departement, c.as_str()),
        Target::Region(c) => (Level::Region, c.as_str()),
    };
    // An overseas région is one département: its estimates would repeat the département's.
    let region = identity
        .region
        .as_ref()
        .filter(|r| within(&boundaries.departements, Level::Region, &r.code).len() != 1);
    let mut levels: Vec<Place> = [identity.departement.as_ref(), region]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if level != Level::Commune {
        levels.insert(0, identity.territory.clone());
    }
    levels.push(Place {
        level: "france",
        code: FRANCE.to_string(),
        name: "France".to_string(),
    });

    let mut measures: Vec<Measure> = (0..DOMAINS.len())
        .map(|domain| Measure::Mean { domain })
        .collect();
    measures.push("q4:oui".parse()?);
    for code in 1..=4u8 {
        measures.push(Measure::Share {
            question: Question::Q4,
            answers: aggregate::Answers::of(&[code]),
        });
    }
    // Estimates per level, with their gaps to France, for the profile's own territories.
    let mut by_place: BTreeMap<(&'static str, String, String), Row> = BTreeMap::new();
    for row_level in [Level::Departement, Level::Region] {
        if !levels.iter().any(|p| p.level == row_level.as_str()) {
            continue;
        }
        let only: Vec<&str> = levels
            .iter()
            .filter(|p| p.level == row_level.as_str())
            .map(|p| p.code.as_str())
            .collect();
        let rows = aggregate::rows_for(
            &answers,
            boundaries.layer(row_level),
            &RowOptions {
                level: row_level,
                measures: measures.clone(),
                min_n: opts.min_n,
                reference: Reference::France,
                by_actor: false,
            },
            &only,
        );
        for r in rows {
            if levels
                .iter()
                .any(|p| p.code == r.code && p.level == r.level)
            {
                by_place.insert((r.level, r.code.clone(), r.measure.clone()), r);
            }
        }
    }
    let score = |p: &Place, m: &Measure| -> Score {
        let row = by_place.get(&(p.level, p.code.clone(), m.to_string()));
        match row {
            Some(r) => Score {
                place: p.clone(),
                value: r.value,
                n: r.n,
                n_eff: r.n_eff,
                ci_low: r.ci_low,
                ci_high: r.ci_high,
                dont_know: r.dont_know,
                flag: r.flag,
                gap: r.gap,
                gap_significant: r.gap_significant,
            },
            None => Score {
                place: p.clone(),
                value: None,
                n: 0,
                n_eff: 0.0,
                ci_low: None,
                ci_high: None,
                dont_know: 0,
                flag: Flag::Empty,
                gap: None,
                gap_significant: None,
            },
        }
    };
    let domains: Vec<DomainScores> = DOMAINS
        .iter()
        .enumerate()
        .map(|(d, (key, label))| DomainScores {
            key,
            label,
            scores: levels
                .iter()
                .map(|p| score(p, &Measure::Mean { domain: d }))
                .collect(),
        })
        .collect();
    let q4 = levels
        .iter()
        .map(|p| Q4Level {
            oui: score(p, &measures[DOMAINS.len()]),
            answers: measures[DOMAINS.len() + 1..]
                .iter()
                .map(|m| score(p, m).value)
                .collect(),
        })
        .collect();
    let priorities = priorities(&levels, &domains);
    let own_answers = (level == Level::Commune).then(|| {
        answers
            .iter()
            .filter(|j| j.commune == code)
            .map(|j| own_answer(j))
            .collect()
    });
    let indicators = indicator_ranks(level, code, boundaries, &identity, indicators);
    Ok(Profile {
        identity,
        survey: SurveyInfo {
            source: opts.source.clone(),
            actor: opts.actor,
            respondents: answers.len(),
            synthetic: answers.iter().any(|j| j.respondent.synthetic),
            min_n: opts.min_n,
        },
        own_answers,
        levels,
        domains,
        priorities,
        q4,
        indicators,
        warnings: Vec::new(),
    })
}

/// Per domain (in [`DOMAINS`] order), the plain mean score of the commune's own respondents
/// and how many scored it: a single respondent's scores as they are.
pub fn own_means(own: &[OwnAnswer]) -> Vec<(Option<f64>, usize)> {
    (0..DOMAINS.len())
        .map(|d| {
            let scores: Vec<f64> = own.iter().filter_map(|a| a.scores[d]).collect();
            let n = scores.len();
            ((n > 0).then(|| scores.iter().sum::<f64>() / n as f64), n)
        })
        .collect()
}

/// Territories of `layer` inside the département or région (`parent`) `code`.
fn within<'a>(layer: &'a Layer, parent: Level, code: &str) -> Vec<&'a Territory> {
    let of = |t: &Territory| match parent {
        Level::Departement => t.departement.as_deref() == Some(code),
        _ => t.region.as_deref() == Some(code),
    };
    layer.territories.iter().filter(|t| of(t)).collect()
}

fn place(level: Level, t: &Territory) -> Place {
    Place {
        level: level.as_str(),
        code: t.code.clone(),
        name: t.name.clone(),
    }
}

fn identity(target: &Target, b: &Boundaries) -> Result<Identity> {
    let (level, code, matched) = match target {
        Target::Commune(f) => (Level::Commune, &f.code, Some(f.matched.clone())),
        Target::Departement(c) => (Level::Departement, c, None),
        Target::Region(c) => (Level::Region, c, None),
    };
    let t = b.layer(level).get(code).ok_or_else(|| {
        Error::usage(format!("no {} with code '{code}'", level.as_str()))
            .hint("check the code against the boundaries in use")
    })?;
    let dep_code = match level {
        Level::Region => b
            .departements
            .territories
            .iter()
            .find(|d| d.region.as_deref() == Some(code.as_str()))
            .map(|d| d.code.clone()),
        _ => t.departement.clone(),
    };
    let region_code = t
        .region
        .clone()
        .or_else(|| {
            dep_code
                .as_ref()
                .and_then(|d| b.departements.get(d))
                .and_then(|d| d.region.clone())
        })
        .filter(|_| level != Level::Region);
    let members: Vec<&Territory> = match level {
        Level::Commune => vec![t],
        _ => within(&b.communes, level, code),
    };
    // The map's rules for unknown populations and areas, so both give the same density.
    let size = values::size_of(b, level, code)?.unwrap_or_default();
    Ok(Identity {
        territory: place(level, t),
        matched,
        departement: (level == Level::Commune)
            .then(|| dep_code.as_ref().and_then(|d| b.departements.get(d)))
            .flatten()
            .map(|d| place(Level::Departement, d)),
        region: region_code
            .as_ref()
            .and_then(|r| b.regions.get(r))
            .map(|r| place(Level::Region, r)),
        epci: t.epci.clone(),
        population: size.population,
        area_km2: size.area_km2,
        density: size.density,
        size_stratum: (level == Level::Commune)
            .then(|| size.population.map(SizeStratum::of))
            .flatten(),
        communes: (level != Level::Commune).then_some(members.len()),
    })
}

fn own_answer(j: &Joined) -> OwnAnswer {
    let r = &j.respondent;
    let answer = |code: Option<u8>| {
        code.and_then(|c| {
            ANSWER_LABELS
                .iter()
                .find(|(k, _)| *k == c)
                .map(|&(code, label)| Answer { code, label })
        })
    };
    OwnAnswer {
        respondent_id: r.id.clone(),
        q4: answer(r.q4),
        q_innovation: answer(r.q_innovation),
        scores: r.frag.to_vec(),
        dont_know: DOMAINS
            .iter()
            .zip(&r.frag_dont_know)
            .filter(|(_, dk)| **dk)
            .map(|((k, _), _)| *k)
            .collect(),
    }
}

/// The top three domains at the first level (most local first) where at least three domains
/// have an `ok` estimate.
fn priorities(levels: &[Place], domains: &[DomainScores]) -> Option<Priorities> {
    (0..levels.len()).find_map(|i| {
        let mut ok: Vec<(&DomainScores, f64)> = domains
            .iter()
            .filter(|d| d.scores[i].flag == Flag::Ok)
            .filter_map(|d| d.scores[i].value.map(|v| (d, v)))
            .collect();
        if ok.len() < 3 {
            return None;
        }
        ok.sort_by(|a, b| b.1.total_cmp(&a.1));
        Some(Priorities {
            place: levels[i].clone(),
            n: domains.iter().map(|d| d.scores[i].n).max().unwrap_or(0),
            domains: ok
                .iter()
                .take(3)
                .map(|(d, v)| Priority {
                    key: d.key,
                    label: d.label,
                    value: *v,
                })
                .collect(),
        })
    })
}

/// Ranks of the territory on every indicator column, among territories of its own level.
fn indicator_ranks(
    level: Level,
    code: &str,
    b: &Boundaries,
    identity: &Identity,
    sets: &[IndicatorSet],
) -> Vec<IndicatorRank> {
    let mut out = Vec::new();
    for set in sets {
        for (c, column) in set.joined.columns.iter().enumerate() {
            let additive = set.additive.get(c).copied().unwrap_or(false);
            // (territory, département, région) → value, at the profile's level.
            let values: Vec<(String, Option<String>, Option<String>, f64)> = match level {
                Level::Commune => set
                    .joined
                    .rows
                    .iter()
                    .filter_map(|r| {
                        r.values[c].map(|v| {
                            (
                                r.commune.clone(),
                                Some(r.departement.clone()),
                                Some(r.region.clone()),
                                v,
                            )
                        })
                    })
                    .collect(),
                _ => {
                    let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
                    for r in &set.joined.rows {
                        if let Some(v) = r.values[c] {
                            let key = if level == Level::Departement {
                                &r.departement
                            } else {
                                &r.region
                            };
                            groups.entry(key.clone()).or_default().push(v);
                        }
                    }
                    groups
                        .into_iter()
                        .map(|(k, mut vs)| {
                            let v = if additive {
                                vs.iter().sum()
                            } else {
                                median(&mut vs)
                            };
                            let region = match level {
                                Level::Departement => {
                                    b.departements.get(&k).and_then(|d| d.region.clone())
                                }
                                _ => None,
                            };
                            (k, None, region, v)
                        })
                        .collect()
                }
            };
            let value = values.iter().find(|v| v.0 == code).map(|v| v.3);
            let mut scopes: Vec<(Place, Vec<f64>)> = Vec::new();
            if let Some(dep) = &identity.departement {
                let vs = values
                    .iter()
                    .filter(|v| v.1.as_deref() == Some(&dep.code))
                    .map(|v| v.3)
                    .collect();
                scopes.push((dep.clone(), vs));
            }
            if let Some(reg) = &identity.region {
                let vs = values
                    .iter()
                    .filter(|v| v.2.as_deref() == Some(&reg.code))
                    .map(|v| v.3)
                    .collect();
                scopes.push((reg.clone(), vs));
            }
            scopes.push((
                Place {
                    level: "france",
                    code: FRANCE.into(),
                    name: "France".into(),
                },
                values.iter().map(|v| v.3).collect(),
            ));
            let ranks = value
                .map(|v| {
                    scopes
                        .into_iter()
                        .map(|(scope, vs)| rank(scope, &vs, v))
                        .collect()
                })
                .unwrap_or_default();
            out.push(IndicatorRank {
                source: set.source.clone(),
                column: column.clone(),
                statistic: match (level, additive) {
                    (Level::Commune, _) => "value",
                    (_, true) => "sum",
                    (_, false) => "median",
                },
                value,
                ranks,
            });
        }
    }
    out
}

fn median(vs: &mut [f64]) -> f64 {
    vs.sort_by(f64::total_cmp);
    let n = vs.len();
    if n % 2 == 1 {
        vs[n / 2]
    } else {
        (vs[n / 2 - 1] + vs[n / 2]) / 2.0
    }
}

/// Competition rank of `v` among `values` (1 = highest) and its percentile rank.
fn rank(scope: Place, values: &[f64], v: f64) -> Rank {
    let above = values.iter().filter(|&&x| x > v).count();
    let at_or_below = values.iter().filter(|&&x| x <= v).count();
    Rank {
        scope,
        rank: above + 1,
        of: values.len(),
        percentile: 100.0 * at_or_below as f64 / values.len().max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_told_from_names() {
        for c in ["69123", "2A004", "2b033", "1001", "97411"] {
            assert!(looks_like_code(c), "{c}");
        }
        for n in ["Lyon", "Eu", "Y", "2A0O4", "123456", "Saint-Denis"] {
            assert!(!looks_like_code(n), "{n}");
        }
    }

    #[test]
    fn ranks_count_ties_once_and_percentiles_include_the_value() {
        let p = Place {
            level: "france",
            code: "FR".into(),
            name: "France".into(),
        };
        let r = rank(p.clone(), &[1.0, 5.0, 5.0, 9.0], 5.0);
        assert_eq!((r.rank, r.of, r.percentile), (2, 4, 75.0));
        let top = rank(p, &[1.0, 5.0, 9.0, 9.0], 9.0);
        assert_eq!((top.rank, top.percentile), (1, 100.0));
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
