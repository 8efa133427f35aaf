//! The territory model every stage shares: communes, départements and régions with their
//! codes, parents, population and geometry.
//!
//! Geometry is always WGS84 longitude/latitude in degrees: loaders convert on the way in,
//! renderers project on the way out (Lambert-93 for the mainland, UTM for overseas).

pub mod code;
pub mod stratum;

use std::collections::HashMap;

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

pub use code::is_overseas_departement;

/// Administrative level of a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Commune (INSEE code of 5 characters: `01001`, `2A004`, `97411`).
    Commune,
    /// Département (`01`…`95`, `2A`, `2B`, `971`…`976`).
    Departement,
    /// Région (`01`…`06` overseas, `11`…`94` metropolitan).
    Region,
}

impl Level {
    /// The lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Commune => "commune",
            Level::Departement => "departement",
            Level::Region => "region",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Level> {
        match s.to_ascii_lowercase().as_str() {
            "commune" | "communes" | "com" => Ok(Level::Commune),
            "departement" | "departements" | "département" | "dep" => Ok(Level::Departement),
            "region" | "regions" | "région" | "reg" => Ok(Level::Region),
            _ => Err(crate::Error::usage(format!("unknown level '{s}'"))
                .hint("use commune, departement or region")),
        }
    }
}

/// One commune, département or région.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    /// INSEE code, always text (`01001`, `2A004`).
    pub code: String,
    /// Official name with its article (`L'Abergement-Clémenciat`).
    pub name: String,
    /// Level of this territory.
    pub level: Level,
    /// Département code (communes; a département's own code for départements).
    pub departement: Option<String>,
    /// Région code (communes and départements; its own code for a région).
    pub region: Option<String>,
    /// SIREN of the EPCI (communes only, when known).
    pub epci: Option<String>,
    /// INSEE population municipale, when known.
    pub population: Option<u64>,
    /// Boundary in WGS84 lon/lat degrees.
    pub geometry: MultiPolygon<f64>,
}

/// A set of territories of one level, with a code index.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Territories in file order.
    pub territories: Vec<Territory>,
    /// Where the layer came from (a path, or `embedded`), for provenance lines.
    pub source: String,
    by_code: HashMap<String, usize>,
}

impl Layer {
    /// Builds a layer; codes are expected unique (loaders check and report duplicates).
    pub fn new(territories: Vec<Territory>, source: impl Into<String>) -> Layer {
        let by_code = territories
            .iter()
            .enumerate()
            .map(|(i, t)| (t.code.clone(), i))
            .collect();
        Layer {
            territories,
            source: source.into(),
            by_code,
        }
    }

    /// The territory with this code.
    pub fn get(&self, code: &str) -> Option<&Territory> {
        self.by_code.get(code).map(|&i| &self.territories[i])
    }

    /// Position of this code in `territories`.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Number of territories.
    pub fn len(&self) -> usize {
        self.territories.len()
    }

    /// True when the layer holds no territory.
    pub fn is_empty(&self) -> bool {
        self.territories.is_empty()
    }
}
