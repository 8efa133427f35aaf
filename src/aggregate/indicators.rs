//! Indicators that come from the boundaries themselves, not from a survey: population, area,
//! density and commune-size stratum, so that real commune-level maps need no extra file.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::boundaries::Boundaries;
use crate::projection::{self, for_departement};
use crate::territory::code::departement_of_commune;
use crate::{Layer, Level};

/// Boundary-derived indicators of one territory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicators {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Population municipale (summed over communes above the commune level); `None` when a
    /// commune's population is unknown.
    pub population: Option<u64>,
    /// Area in km², planar in Lambert-93 (mainland, Corsica) or the département's UTM zone
    /// (overseas); summed over communes above the commune level, so levels add up.
    pub area_km2: f64,
    /// Inhabitants per km².
    pub density: Option<f64>,
    /// Size stratum (communes only).
    pub size_stratum: Option<SizeStratum>,
}

/// Population, area, density and size stratum of every commune, keyed by code.
pub fn commune_indicators(communes: &Layer) -> BTreeMap<String, Indicators> {
    communes
        .territories
        .par_iter()
        .map(|t| {
            let dep = t
                .departement
                .as_deref()
                .or_else(|| departement_of_commune(&t.code))
                .unwrap_or("");
            let area_km2 = projection::area_km2(&t.geometry, for_departement(dep));
            let ind = Indicators {
                code: t.code.clone(),
                name: t.name.clone(),
                level: Level::Commune,
                population: t.population,
                area_km2,
                density: density(t.population, area_km2),
                size_stratum: t.population.map(SizeStratum::of),
            };
            (t.code.clone(), ind)
        })
        .collect()
}

/// Indicators of every territory of `level`: communes as [`commune_indicators`], départements
/// and régions as sums of their communes (names from their own layer).
pub fn indicators(boundaries: &Boundaries, level: Level) -> BTreeMap<String, Indicators> {
    let communes = commune_indicators(&boundaries.communes);
    if level == Level::Commune {
        return communes;
    }
    let mut out: BTreeMap<String, Indicators> = boundaries
        .layer(level)
        .territories
        .iter()
        .map(|t| {
            let ind = Indicators {
                code: t.code.clone(),
                name: t.name.clone(),
                level,
                population: Some(0),
                area_km2: 0.0,
                density: None,
                size_stratum: None,
            };
            (t.code.clone(), ind)
        })
        .collect();
    for t in &boundaries.communes.territories {
        let parent = match level {
            Level::Departement => t.departement.as_ref(),
            _ => t.region.as_ref(),
        };
        let (Some(parent), Some(c)) = (parent, communes.get(&t.code)) else {
            continue;
        };
        if let Some(sum) = out.get_mut(parent) {
            sum.area_km2 += c.area_km2;
            sum.population = sum.population.zip(c.population).map(|(a, b)| a + b);
        }
    }
    for ind in out.values_mut() {
        ind.density = density(ind.population, ind.area_km2);
    }
    out
}

fn density(population: Option<u64>, area_km2: f64) -> Option<f64> {
    population
        .filter(|_| area_km2 > 0.0)
        .map(|p| p as f64 / area_km2)
}

/// Commune-size stratum, in inhabitants (population municipale): the bands of the PHARE
/// quota design (`docs/survey.md` §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SizeStratum {
    /// Fewer than 500 inhabitants.
    #[serde(rename = "< 500")]
    Under500,
    /// 500 to 1 999.
    #[serde(rename = "500-1 999")]
    From500,
    /// 2 000 to 9 999.
    #[serde(rename = "2 000-9 999")]
    From2000,
    /// 10 000 and more.
    #[serde(rename = ">= 10 000")]
    From10000,
}

/// Communes of at least this population count as urban. PHARE-Institutions reported
/// "85 % rural / 15 % urban" mayors; the 2 000-inhabitant threshold (INSEE's historical
/// definition of an urban commune) splits today's communes 84.2 / 15.8.
pub const URBAN_MIN_POPULATION: u64 = 2_000;

impl SizeStratum {
    /// The four strata, smallest first.
    pub const ALL: [SizeStratum; 4] = [
        SizeStratum::Under500,
        SizeStratum::From500,
        SizeStratum::From2000,
        SizeStratum::From10000,
    ];

    /// Stratum of a commune of `population` inhabitants.
    pub fn of(population: u64) -> SizeStratum {
        match population {
            0..500 => SizeStratum::Under500,
            500..2_000 => SizeStratum::From500,
            2_000..10_000 => SizeStratum::From2000,
            _ => SizeStratum::From10000,
        }
    }

    /// Label as in the survey documentation: `< 500`, `500-1 999`, `2 000-9 999`, `>= 10 000`.
    pub fn label(self) -> &'static str {
        match self {
            SizeStratum::Under500 => "< 500",
            SizeStratum::From500 => "500-1 999",
            SizeStratum::From2000 => "2 000-9 999",
            SizeStratum::From10000 => ">= 10 000",
        }
    }

    /// Position in [`SizeStratum::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the urban strata (at least [`URBAN_MIN_POPULATION`] inhabitants).
    pub fn is_urban(self) -> bool {
        self >= SizeStratum::From2000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_bounds() {
        assert_eq!(SizeStratum::of(0), SizeStratum::Under500);
        assert_eq!(SizeStratum::of(499), SizeStratum::Under500);
        assert_eq!(SizeStratum::of(500), SizeStratum::From500);
        assert_eq!(SizeStratum::of(1_999), SizeStratum::From500);
        assert_eq!(SizeStratum::of(2_000), SizeStratum::From2000);
        assert!(SizeStratum::of(2_000).is_urban() && !SizeStratum::of(1_999).is_urban());
        assert_eq!(SizeStratum::of(10_000), SizeStratum::From10000);
        assert_eq!(SizeStratum::of(2_103_778).label(), ">= 10 000");
    }
}
