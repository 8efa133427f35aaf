//! "Which commune is this?": by INSEE code (current, former, or a Paris/Lyon/Marseille
//! arrondissement), by name (case-, accent- and hyphen-insensitive, homonyms listed), or by
//! coordinates (through the [`SpatialIndex`](crate::index::SpatialIndex)).

mod point;
pub mod points;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

pub use point::parse_point;

use crate::Territory;
use crate::boundaries::Boundaries;
use crate::history::CogHistory;
use crate::names::{edit_distance, normalise_name};
use crate::territory::code::commune_of_arrondissement;

/// How a query reached its commune.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Match {
    /// The current INSEE code.
    Code,
    /// A code that lost its leading zero (`1001` → `01001`).
    LeadingZero {
        /// The code as given.
        given: String,
    },
    /// A former code of a merged or recoded commune.
    FormerCode {
        /// The former code.
        former: String,
        /// The former commune's name, where known.
        former_name: Option<String>,
        /// Year it stopped being a commune, where known.
        year: Option<u16>,
    },
    /// A municipal arrondissement of Paris, Lyon or Marseille.
    Arrondissement {
        /// The arrondissement code (751xx, 6938x, 132xx).
        arrondissement: String,
    },
    /// The (normalised) name.
    Name,
    /// Point in polygon.
    Point {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
}

/// One commune found, with its parents' names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Département code.
    pub departement: String,
    /// Département name.
    pub departement_name: String,
    /// Région code.
    pub region: String,
    /// Région name.
    pub region_name: String,
    /// EPCI SIREN.
    pub epci: Option<String>,
    /// Population municipale.
    pub population: Option<u64>,
    /// How the query matched.
    #[serde(rename = "match")]
    pub matched: Match,
}

/// Looks communes up by code and name over a set of boundaries.
#[derive(Debug)]
pub struct Gazetteer<'a> {
    boundaries: &'a Boundaries,
    history: &'a CogHistory,
    /// Normalised name → communes; built on the first name query only, so code lookups
    /// stay instant.
    by_name: OnceLock<HashMap<String, Vec<usize>>>,
}

impl<'a> Gazetteer<'a> {
    /// A gazetteer over these boundaries and code history.
    pub fn new(boundaries: &'a Boundaries, history: &'a CogHistory) -> Gazetteer<'a> {
        Gazetteer {
            boundaries,
            history,
            by_name: OnceLock::new(),
        }
    }

    fn names(&self) -> &HashMap<String, Vec<usize>> {
        self.by_name.get_or_init(|| {
            let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, t) in self.boundaries.communes.territories.iter().enumerate() {
                by_name.entry(normalise_name(&t.name)).or_default().push(i);
            }
            by_name
        })
    }

    /// Describes the commune at `index` in the commune layer.
    pub fn found(&self, index: usize, matched: Match) -> Found {
        self.describe(&self.boundaries.communes.territories[index], matched)
    }

    fn describe(&self, t: &Territory, matched: Match) -> Found {
        let dep = t.departement.clone().unwrap_or_default();
        let dep_t = self.boundaries.departements.get(&dep);
        let region = t
            .region
            .clone()
            .or_else(|| dep_t.and_then(|d| d.region.clone()))
            .unwrap_or_default();
        let name_of =
            |l: &crate::Layer, c: &str| l.get(c).map(|t| t.name.clone()).unwrap_or_default();
        Found {
            code: t.code.clone(),
            name: t.name.clone(),
            departement_name: name_of(&self.boundaries.departements, &dep),
            region_name: name_of(&self.boundaries.regions, &region),
            departement: dep,
            region,
            epci: t.epci.clone(),
            population: t.population,
            matched,
        }
    }

    /// The commune with this code: current, with a lost leading zero, former, or arrondissement.
    ///
    /// ```
    /// use phare::boundaries::embedded;
    /// use phare::history::CogHistory;
    /// use phare::lookup::Gazetteer;
    ///
    /// let boundaries = embedded::boundaries_without_geometry().unwrap();
    /// let gazetteer = Gazetteer::new(&boundaries, CogHistory::embedded());
    /// let lyon = gazetteer.by_code("69123").unwrap();
    /// assert_eq!((lyon.name.as_str(), lyon.departement.as_str()), ("Lyon", "69"));
    /// // A code that lost its leading zero in a spreadsheet: Ain's prefecture.
    /// assert_eq!(gazetteer.by_code("1053").unwrap().name, "Bourg-en-Bresse");
    /// // By name, whatever the case, accents and abbreviations.
    /// assert!(gazetteer.by_name("ST-ETIENNE").iter().any(|f| f.code == "42218"));
    /// ```
    pub fn by_code(&self, code: &str) -> Option<Found> {
        let code = code.trim().to_ascii_uppercase();
        let communes = &self.boundaries.communes;
        if let Some(t) = communes.get(&code) {
            return Some(self.describe(t, Match::Code));
        }
        if code.len() == 4 && code.chars().all(|c| c.is_ascii_digit()) {
            let padded = format!("0{code}");
            if let Some(mut f) = self.by_code(&padded) {
                if f.matched == Match::Code {
                    f.matched = Match::LeadingZero { given: code };
                }
                return Some(f);
            }
        }
        if let Some(parent) = commune_of_arrondissement(&code) {
            let t = communes.get(parent)?;
            return Some(self.describe(
                t,
                Match::Arrondissement {
                    arrondissement: code,
                },
            ));
        }
        let change = self.history.successor(&code)?;
        let t = communes.get(&change.new_code)?;
        Some(self.describe(
            t,
            Match::FormerCode {
                former: code.clone(),
                former_name: change.old_name.clone(),
                year: change.year,
            },
        ))
    }

    /// Communes whose name matches, ignoring case, accents, hyphens and apostrophes; all
    /// homonyms, sorted by département. When nothing matches exactly, names that start with
    /// the query.
    pub fn by_name(&self, query: &str) -> Vec<Found> {
        let key = normalise_name(query);
        if key.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<usize> = self.names().get(&key).cloned().unwrap_or_default();
        if hits.is_empty() {
            hits = self
                .names()
                .iter()
                .filter(|(k, _)| k.starts_with(&key) && k[key.len()..].starts_with(' '))
                .flat_map(|(_, v)| v.iter().copied())
                .collect();
        }
        let mut found: Vec<Found> = hits
            .into_iter()
            .map(|i| self.found(i, Match::Name))
            .collect();
        found.sort_by(|a, b| {
            (&a.departement, &a.name, &a.code).cmp(&(&b.departement, &b.name, &b.code))
        });
        found
    }

    /// Names closest to a query that matched nothing (for "did you mean").
    pub fn suggest(&self, query: &str, max: usize) -> Vec<String> {
        let key = normalise_name(query);
        let mut scored: Vec<(usize, &String)> = self
            .names()
            .keys()
            .filter_map(|k| edit_distance(&key, k, 2 + key.len() / 4).map(|d| (d, k)))
            .collect();
        scored.sort();
        let mut out = Vec::new();
        for (_, k) in scored {
            for &i in &self.names()[k] {
                let t = &self.boundaries.communes.territories[i];
                out.push(format!(
                    "{} ({}, {})",
                    t.name,
                    t.code,
                    t.departement.as_deref().unwrap_or("")
                ));
                if out.len() == max {
                    return out;
                }
            }
        }
        out
    }

    /// Communes whose code is one typo away from `code` (a swapped or wrong digit), for "did
    /// you mean" after an unknown code: `"{name} ({code})"`, by code.
    pub fn suggest_codes(&self, code: &str, max: usize) -> Vec<String> {
        let code = code.trim().to_ascii_uppercase();
        self.boundaries
            .communes
            .territories
            .iter()
            .filter(|t| edit_distance(&code, &t.code, 1).is_some())
            .take(max)
            .map(|t| format!("{} ({})", t.name, t.code))
            .collect()
    }
}
