//! Population, area and density of territories: the one place these are computed, for maps,
//! atlases, the dashboard and profiles alike.
//!
//! Rules:
//! - **Population** (population municipale): a commune's own figure. A département or a région
//!   takes its own figure when its boundary file gives one, else the sum of its communes; the
//!   sum is *unknown* when any of its communes has no population (or it has no commune), never
//!   a partial sum that would understate the total and the density without a word.
//! - **Area**: the planar area of the territory's own geometry, the one the map draws, in its
//!   projection: Lambert-93 for the mainland and Corsica, the UTM zone of its département
//!   overseas. When the geometry was not loaded (code and name lookups), it is decoded from the
//!   embedded data for that territory alone. An area of zero (no geometry) is unknown.
//! - **Density**: population / area, unknown when either is.

use std::collections::HashMap;

use geo_types::MultiPolygon;
use rayon::prelude::*;
use serde::Serialize;

use crate::boundaries::{Boundaries, embedded};
use crate::projection::{self, for_departement};
use crate::territory::code::departement_of_commune;
use crate::{Level, Result, Territory};

/// Population, area and density of one territory.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Size {
    /// Population municipale; unknown as stated in the module rules.
    pub population: Option<u64>,
    /// Planar area, km².
    pub area_km2: Option<f64>,
    /// Inhabitants per km².
    pub density: Option<f64>,
}

impl Size {
    fn new(population: Option<u64>, area_km2: f64) -> Size {
        let area_km2 = Some(area_km2).filter(|a| *a > 0.0);
        Size {
            population,
            area_km2,
            density: population.zip(area_km2).map(|(p, a)| p as f64 / a),
        }
    }
}

/// Sizes of every territory of `level`, in the layer's order.
pub fn sizes(b: &Boundaries, level: Level) -> Result<Vec<(&Territory, Size)>> {
    let sums = commune_sums(b, level);
    b.layer(level)
        .territories
        .par_iter()
        .map(|t| Ok((t, size_with(b, level, t, &sums)?)))
        .collect()
}

/// Size of one territory of `level`, found by code; `None` when the layer has no such code.
pub fn size_of(b: &Boundaries, level: Level, code: &str) -> Result<Option<Size>> {
    let Some(t) = b.layer(level).get(code) else {
        return Ok(None);
    };
    let sums = commune_sums(b, level);
    size_with(b, level, t, &sums).map(Some)
}

/// Per parent code (département or région), the sum of its communes' populations, `None`
/// when one is unknown. Empty at the commune level.
fn commune_sums(b: &Boundaries, level: Level) -> HashMap<&str, Option<u64>> {
    let mut sums: HashMap<&str, Option<u64>> = HashMap::new();
    if level == Level::Commune {
        return sums;
    }
    for c in &b.communes.territories {
        let parent = match level {
            Level::Departement => c.departement.as_deref(),
            _ => c.region.as_deref(),
        };
        if let Some(parent) = parent {
            let sum = sums.entry(parent).or_insert(Some(0));
            *sum = sum.zip(c.population).map(|(a, p)| a + p);
        }
    }
    sums
}

fn size_with(
    b: &Boundaries,
    level: Level,
    t: &Territory,
    sums: &HashMap<&str, Option<u64>>,
) -> Result<Size> {
    let population = match level {
        Level::Commune => t.population,
        _ => t
            .population
            .or_else(|| sums.get(t.code.as_str()).copied().flatten()),
    };
    let projection = for_departement(departement_of(b, t).unwrap_or(""));
    let area = if t.geometry.0.is_empty() {
        embedded::geometry(level, &t.code)?.map_or(0.0, |g: MultiPolygon<f64>| {
            projection::area_km2(&g, projection)
        })
    } else {
        projection::area_km2(&t.geometry, projection)
    };
    Ok(Size::new(population, area))
}

/// The département whose projection measures `t`: its own for a commune or a département,
/// the first of a région (overseas régions have one).
fn departement_of<'a>(b: &'a Boundaries, t: &'a Territory) -> Option<&'a str> {
    match t.level {
        // A commune file without a département column: the code says it (97411 → 974), so an
        // overseas commune is measured in its own UTM zone, not in Lambert-93.
        Level::Commune => t
            .departement
            .as_deref()
            .or_else(|| departement_of_commune(&t.code)),
        Level::Departement => Some(&t.code),
        Level::Region => b
            .departements
            .territories
            .iter()
            .find(|d| d.region.as_deref() == Some(t.code.as_str()))
            .map(|d| d.code.as_str()),
    }
}
