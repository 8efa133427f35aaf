//! Indicators that come from the boundaries themselves, not from a survey: population, area,
//! density and commune-size stratum, so that real commune-level maps need no extra file.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::boundaries::Boundaries;
use crate::projection::{self, for_departement};
use crate::territory::code::departement_of_commune;
/// Size strata are a property of communes, shared with the survey generator.
pub use crate::territory::stratum::{SizeStratum, URBAN_MIN_POPULATION};
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
