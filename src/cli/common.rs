//! Options shared by several commands.

use std::path::PathBuf;

use phare::boundaries::{self, Boundaries, FieldNames, LoadOptions};
use phare::Level;

/// Which boundaries to use: the embedded defaults, or files given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct BoundaryArgs {
    /// Commune boundaries to use instead of the embedded ones (GeoJSON, TopoJSON, Shapefile).
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<PathBuf>,
    /// Département boundaries to use instead of the embedded ones.
    #[arg(long, value_name = "FILE")]
    pub departements: Option<PathBuf>,
    /// Région boundaries to use instead of the embedded ones.
    #[arg(long, value_name = "FILE")]
    pub regions: Option<PathBuf>,
    /// Property holding the INSEE code (default: code, insee, INSEE_COM...).
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// Property holding the name (default: nom, name, NOM...).
    #[arg(long, value_name = "NAME")]
    pub name_field: Option<String>,
    /// Text encoding of shapefile DBFs, overriding .cpg (e.g. CP1252, UTF-8, ISO-8859-1).
    #[arg(long, value_name = "ENCODING")]
    pub dbf_encoding: Option<String>,
}

impl BoundaryArgs {
    fn options(&self, level: Level) -> LoadOptions {
        LoadOptions {
            level: Some(level),
            fields: FieldNames { id: self.id_field.clone(), name: self.name_field.clone(), ..Default::default() },
            dbf_encoding: self.dbf_encoding.clone(),
        }
    }

    /// Loads the boundaries: each level from its file when given, else the embedded one.
    pub fn load(&self) -> phare::Result<Boundaries> {
        let given = [&self.boundaries, &self.departements, &self.regions];
        let mut b = if given.iter().all(|g| g.is_some()) {
            None
        } else {
            Some(boundaries::embedded::boundaries()?)
        };
        let mut load = |path: &Option<PathBuf>, level: Level| -> phare::Result<Option<phare::Layer>> {
            path.as_ref().map(|p| boundaries::load(p, &self.options(level))).transpose()
        };
        let communes = load(&self.boundaries, Level::Commune)?;
        let departements = load(&self.departements, Level::Departement)?;
        let regions = load(&self.regions, Level::Region)?;
        let base = b.take();
        let pick = |given: Option<phare::Layer>, level: Level| {
            given.unwrap_or_else(|| base.as_ref().expect("embedded loaded when a level is missing").layer(level).clone())
        };
        Ok(Boundaries {
            communes: pick(communes, Level::Commune),
            departements: pick(departements, Level::Departement),
            regions: pick(regions, Level::Region),
        })
    }
}
