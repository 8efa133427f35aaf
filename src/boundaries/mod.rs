//! Load boundaries (GeoJSON, TopoJSON, Shapefile, or the embedded default data) into
//! [`Layer`]s of [`Territory`].
//!
//! Every loader converts coordinates to WGS84 lon/lat and keeps codes as text.

pub mod embedded;
pub mod encoding;
pub mod fields;
pub mod geojson;
mod polygon_text;
pub mod prj;
pub mod shapefile;
pub mod topojson;
pub mod validate;

use std::path::Path;

pub use fields::FieldNames;

use crate::{Error, Layer, Level, Result};

/// How to read a boundary file: which level it holds and which properties to use.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Level of the territories in the file; `None` guesses from the code length.
    pub level: Option<Level>,
    /// Property names to read codes, names, parents and population from.
    pub fields: FieldNames,
    /// Text encoding of a shapefile's DBF, overriding its `.cpg` and language byte.
    pub dbf_encoding: Option<String>,
}

/// Loads one boundary file, choosing the reader by its extension.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Layer> {
    if path.is_dir() {
        return Err(Error::input(path, "is a directory, not a boundary file")
            .hint("give a .geojson, .json, .topojson or .shp file"));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "geojson" | "json" => geojson::read(path, opts),
        "topojson" => topojson::read(path, opts),
        "shp" => shapefile::read(path, opts),
        _ => Err(
            Error::input(path, format!("unsupported boundary format '.{ext}'")).hint(
                "phare reads GeoJSON (.geojson/.json), TopoJSON (.topojson) and Shapefile (.shp)",
            ),
        ),
    }
}

/// The three levels of French boundaries, as one consistent set.
#[derive(Debug, Clone)]
pub struct Boundaries {
    /// Communes.
    pub communes: Layer,
    /// Départements.
    pub departements: Layer,
    /// Régions.
    pub regions: Layer,
}

impl Boundaries {
    /// The layer of one level.
    pub fn layer(&self, level: Level) -> &Layer {
        match level {
            Level::Commune => &self.communes,
            Level::Departement => &self.departements,
            Level::Region => &self.regions,
        }
    }

    /// Credit of the base map for the source line: the embedded data's attribution when every
    /// layer drawn is embedded, else the files' names (then the embedded attribution for the
    /// layers they did not replace).
    pub fn credit(&self) -> String {
        let files = self.files();
        if files.is_empty() {
            return embedded::CREDIT.to_string();
        }
        let mut credit = format!("Fond : {}", files.join(", "));
        if self.layers().any(|l| l.source == embedded::LAYER) {
            credit += &format!(" ; {}", embedded::CREDIT.trim_start_matches("Fond : "));
        }
        credit
    }

    /// Where the communes' populations come from, for the source line of population and
    /// density maps: the embedded data's vintage, or the commune file.
    pub fn population_source(&self) -> String {
        match file_name(&self.communes.source) {
            Some(file) => format!("population : {file}"),
            None => embedded::POPULATION_SOURCE.to_string(),
        }
    }

    /// Vintage of the codes and boundaries: the embedded data's COG year, or the commune file.
    pub fn vintage(&self) -> String {
        match file_name(&self.communes.source) {
            Some(file) => file,
            None => embedded::VINTAGE.to_string(),
        }
    }

    fn layers(&self) -> impl Iterator<Item = &Layer> {
        [&self.communes, &self.departements, &self.regions].into_iter()
    }

    /// Names of the boundary files read, each once.
    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = Vec::new();
        for f in self.layers().filter_map(|l| file_name(&l.source)) {
            if !files.contains(&f) {
                files.push(f);
            }
        }
        files
    }

    /// The layer of one level, to change or take.
    pub fn layer_mut(&mut self, level: Level) -> &mut Layer {
        match level {
            Level::Commune => &mut self.communes,
            Level::Departement => &mut self.departements,
            Level::Region => &mut self.regions,
        }
    }
}

/// The file name of a layer read from a file; `None` for the embedded data or an empty layer.
fn file_name(source: &str) -> Option<String> {
    if source.is_empty() || source == embedded::LAYER {
        return None;
    }
    let path = Path::new(source);
    Some(
        path.file_name()
            .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned()),
    )
}
