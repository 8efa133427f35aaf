//! Property names → territory attributes, shared by every loader.

use crate::territory::code::{departement_of_commune, normalise_code};
use crate::{Error, Level, Result, Setting, Territory};
use geo_types::MultiPolygon;

/// Names of the properties that hold each attribute (defaults: the French files of
/// `geodata/` and IGN ADMIN EXPRESS: `code`/`INSEE_COM`, `nom`/`NOM`, ...).
#[derive(Debug, Clone, Default)]
pub struct FieldNames {
    /// Code property (`--id-field`); default tries `code`, `insee`, `INSEE_COM`, `INSEE_DEP`, `INSEE_REG`.
    pub id: Option<String>,
    /// Name property (`--name-field`); default tries `nom`, `name`, `NOM`, `NOM_M`.
    pub name: Option<String>,
    /// Département code property; default tries `dep`, `INSEE_DEP`.
    pub departement: Option<String>,
    /// Région code property; default tries `reg`, `INSEE_REG`.
    pub region: Option<String>,
    /// EPCI property; default tries `epci`, `SIREN_EPCI`.
    pub epci: Option<String>,
    /// Population property; default tries `population`, `POPULATION`.
    pub population: Option<String>,
}

const ID: &[&str] = &[
    "code",
    "insee",
    "insee_com",
    "code_insee",
    "insee_dep",
    "insee_reg",
    "id",
];
const NAME: &[&str] = &["nom", "name", "nom_m", "libelle", "nom_com"];
const DEP: &[&str] = &["dep", "insee_dep", "code_dep", "departement"];
const REG: &[&str] = &["reg", "insee_reg", "code_reg", "region"];
const EPCI: &[&str] = &["epci", "siren_epci", "code_epci"];
const POP: &[&str] = &["population", "pop", "pmun"];

/// One raw property value, as the loaders find it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A number (codes stored as numbers by a spreadsheet land here).
    Number(f64),
    /// Null or empty.
    Null,
}

impl Value {
    fn text(&self) -> Option<String> {
        match self {
            Value::Text(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) if n.fract() == 0.0 => Some(format!("{}", *n as i64)),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

impl FieldNames {
    /// Builds a territory from a feature's properties, looked up case-insensitively.
    ///
    /// `get` returns the value of a property by its exact name; `names` lists the feature's
    /// property names. `level` (if known) fixes the level, else it is guessed from the code.
    pub fn territory(
        &self,
        names: &[String],
        get: impl Fn(&str) -> Value,
        level: Option<Level>,
        geometry: MultiPolygon<f64>,
    ) -> Result<Territory> {
        let find = |explicit: &Option<String>, defaults: &[&str]| -> Option<String> {
            match explicit {
                Some(f) => names.iter().find(|n| n.eq_ignore_ascii_case(f)).cloned(),
                None => defaults
                    .iter()
                    .find_map(|d| names.iter().find(|n| n.eq_ignore_ascii_case(d)).cloned()),
            }
        };
        let id_field = find(&self.id, ID).ok_or_else(|| {
            Error::usage(match &self.id {
                Some(f) => format!("no property '{f}' for the code"),
                None => "no code property (tried code, insee, INSEE_COM, INSEE_DEP, INSEE_REG, id)"
                    .into(),
            })
            .hint(format!(
                "choose the property that holds the codes; properties here: {}",
                names.join(", ")
            ))
            .about(Setting::IdField)
        })?;
        let code = get(&id_field).text().ok_or_else(|| {
            Error::usage(format!("empty code in property '{id_field}'"))
                .hint("every feature needs a code")
        })?;
        let level = level.unwrap_or_else(|| guess_level(&code));
        let code = normalise_code(&code, level);
        let text = |explicit: &Option<String>, defaults: &[&str]| {
            find(explicit, defaults).and_then(|f| get(&f).text())
        };
        let name = text(&self.name, NAME).unwrap_or_else(|| code.clone());
        let mut departement =
            text(&self.departement, DEP).map(|d| normalise_code(&d, Level::Departement));
        let mut region = text(&self.region, REG).map(|r| normalise_code(&r, Level::Region));
        match level {
            Level::Commune if departement.is_none() => {
                departement = departement_of_commune(&code).map(str::to_string)
            }
            Level::Departement => departement = Some(code.clone()),
            Level::Region => region = Some(code.clone()),
            _ => {}
        }
        let population = find(&self.population, POP).and_then(|f| match get(&f) {
            Value::Number(n) if n >= 0.0 => Some(n as u64),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        });
        Ok(Territory {
            code,
            name,
            level,
            departement,
            region,
            epci: text(&self.epci, EPCI),
            population,
            geometry,
        })
    }
}

/// Guesses the level from a code's length: 5 → commune, 3 or a 2A/2B or 2-digit code that is a
/// known département → département... Régions and départements share two-digit codes, so a
/// loader that knows the level should say so; this guess treats 2-3 characters as a département.
pub fn guess_level(code: &str) -> Level {
    match code.len() {
        4 | 5 => Level::Commune,
        _ => Level::Departement,
    }
}
