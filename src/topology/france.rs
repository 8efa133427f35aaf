//! The build of the embedded `geodata/france.topojson`: communes → shared arcs → dissolve to
//! départements and régions → simplify once → one TopoJSON with three objects.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::topojson::{self, Object};
use super::{Shape, SimplifyStats, Topology};
use crate::{Error, Layer, Result};

/// Default simplification tolerance (metres, see [`Topology::simplify`]).
///
/// The source is already generalised (VW, about 31 vertices a commune): nothing goes below
/// about 200 m. At 400 m a third of the vertices go (634k → 388k) and a département drawn
/// at 2000 px looks like the source; at 500 m and more coasts turn visibly angular.
pub const DEFAULT_TOLERANCE: f64 = 400.0;

/// Rings of the whole dissolved country under this area (m²) keep all their vertices: the
/// source's gaps and overlaps between communes (0.2 km² in all) and islets under 1 km².
pub const SLIVER_AREA: f64 = 1e6;

/// The three levels sharing one simplified topology, ready to write.
#[derive(Debug, Clone)]
pub struct France {
    /// Shared arcs.
    pub topology: Topology,
    /// Communes, départements, régions (properties; geometry is not used for writing).
    pub layers: [Layer; 3],
    /// Shape of each territory of each layer, in layer order.
    pub shapes: [Vec<Shape>; 3],
    /// Vertices before and after simplification.
    pub simplify: SimplifyStats,
}

/// Builds the topology of `communes`, dissolves it into `departements` (by each commune's
/// `departement`) and `regions` (by each département's `region`), and simplifies it at
/// `tolerance` metres. The département and région layers give codes and names only.
pub fn build(
    communes: &Layer,
    departements: &Layer,
    regions: &Layer,
    tolerance: f64,
) -> Result<France> {
    let (mut topology, commune_shapes) = Topology::build_on_grid(
        communes.territories.iter().map(|t| &t.geometry),
        topojson::QUANTUM,
    );
    let dep_shapes = dissolve_into(&topology, communes, &commune_shapes, departements, |t| {
        t.departement.as_deref()
    })?;
    let reg_shapes = dissolve_into(&topology, departements, &dep_shapes, regions, |t| {
        t.region.as_deref()
    })?;
    let rings = commune_shapes
        .iter()
        .chain(&dep_shapes)
        .chain(&reg_shapes)
        .flatten()
        .flatten();
    let frozen = topology.small_ring_arcs(&commune_shapes, SLIVER_AREA);
    let simplify = topology.simplify(tolerance, rings, &frozen);
    let strip = |layer: &Layer| {
        let territories = layer
            .territories
            .iter()
            .map(|t| crate::Territory {
                code: t.code.clone(),
                name: t.name.clone(),
                level: t.level,
                departement: t.departement.clone(),
                region: t.region.clone(),
                epci: t.epci.clone(),
                population: t.population,
                geometry: geo_types::MultiPolygon(Vec::new()),
            })
            .collect();
        Layer::new(territories, layer.source.clone())
    };
    Ok(France {
        topology,
        layers: [strip(communes), strip(departements), strip(regions)],
        shapes: [commune_shapes, dep_shapes, reg_shapes],
        simplify,
    })
}

/// Dissolves the members of `parts` into the territories of `wholes` by the parent code
/// `parent_of` gives each member.
fn dissolve_into(
    topology: &Topology,
    parts: &Layer,
    part_shapes: &[Shape],
    wholes: &Layer,
    parent_of: impl Fn(&crate::Territory) -> Option<&str>,
) -> Result<Vec<Shape>> {
    let mut members: HashMap<&str, Vec<&Shape>> = HashMap::new();
    for (t, shape) in parts.territories.iter().zip(part_shapes) {
        let parent = parent_of(t).ok_or_else(|| {
            Error::input(
                &parts.source,
                format!("{} {} has no parent code", t.level.as_str(), t.code),
            )
            .hint("every commune needs its 'dep', every département its 'reg'")
        })?;
        if wholes.get(parent).is_none() {
            return Err(Error::input(
                &parts.source,
                format!(
                    "{} {} belongs to {parent}, which is not in {}",
                    t.level.as_str(),
                    t.code,
                    wholes.source
                ),
            )
            .hint("use files of the same COG vintage"));
        }
        members.entry(parent).or_default().push(shape);
    }
    wholes
        .territories
        .par_iter()
        .map(|w| {
            let group = members.get(w.code.as_str()).ok_or_else(|| {
                Error::input(
                    &wholes.source,
                    format!(
                        "{} {} has no member in {}",
                        w.level.as_str(),
                        w.code,
                        parts.source
                    ),
                )
                .hint("use files of the same COG vintage")
            })?;
            Ok(topology.dissolve(group.iter().copied()))
        })
        .collect()
}

/// File names written by [`France::write`].
pub const TOPOLOGY_FILE: &str = "france.topojson";
/// See [`TOPOLOGY_FILE`].
pub const COMMUNES_FILE: &str = "communes.csv";

impl France {
    /// Writes `france.topojson` (objects `communes`, `departements`, `regions`) and
    /// `communes.csv` (the communes' properties) into `dir`, each atomically.
    pub fn write(&self, dir: &Path) -> Result<()> {
        crate::output::write_atomic(&dir.join(TOPOLOGY_FILE), |w| self.write_to(w))?;
        crate::output::write_atomic(&dir.join(COMMUNES_FILE), |w| self.write_communes(w))
    }

    /// Writes the TopoJSON to any writer. Communes carry their code alone (as `id`): their
    /// other properties would be a third of the file, and go to [`France::write_communes`];
    /// départements and régions keep theirs (`nom`, `reg`).
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let names = ["communes", "departements", "regions"];
        let objects: Vec<Object> = names
            .iter()
            .zip(&self.layers)
            .zip(&self.shapes)
            .map(|((name, layer), shapes)| Object {
                name,
                territories: &layer.territories,
                shapes,
                properties: *name != "communes",
            })
            .collect();
        topojson::write(w, &self.topology, &objects)
    }

    /// Writes the communes' properties as CSV, in the order of the TopoJSON geometries:
    /// `code,nom,epci,population` (département and région follow from the code and the
    /// départements' `reg`).
    pub fn write_communes(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(w);
        csv.write_record(["code", "nom", "epci", "population"])?;
        for t in &self.layers[0].territories {
            let population = t.population.map(|p| p.to_string()).unwrap_or_default();
            csv.write_record([
                t.code.as_str(),
                &t.name,
                t.epci.as_deref().unwrap_or(""),
                &population,
            ])?;
        }
        csv.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::tests::grid;
    use crate::{Level, Territory};
    use geo::Area;
    use geo_types::MultiPolygon;

    fn territory(code: &str, level: Level, parent: &str, geometry: MultiPolygon<f64>) -> Territory {
        Territory {
            code: code.into(),
            name: format!("T{code}"),
            level,
            departement: (level == Level::Commune).then(|| parent.to_string()),
            region: (level == Level::Departement).then(|| parent.to_string()),
            epci: None,
            population: Some(1),
            geometry,
        }
    }

    /// The 3×3 grid as communes, in the départements `dep_of` gives them (01 and 02 exist,
    /// both in région 84).
    fn layers(dep_of: impl Fn(usize) -> &'static str) -> [Layer; 3] {
        let communes = grid()
            .into_iter()
            .enumerate()
            .map(|(k, g)| territory(&format!("{}00{k}", dep_of(k)), Level::Commune, dep_of(k), g))
            .collect();
        let empty = || MultiPolygon(vec![]);
        [
            Layer::new(communes, "communes"),
            Layer::new(
                ["01", "02"]
                    .iter()
                    .map(|d| territory(d, Level::Departement, "84", empty()))
                    .collect(),
                "deps",
            ),
            Layer::new(vec![territory("84", Level::Region, "", empty())], "regs"),
        ]
    }

    #[test]
    fn builds_three_levels_on_shared_arcs() {
        let [c, d, r] = layers(|k| if k < 4 { "01" } else { "02" });
        let france = build(&c, &d, &r, 0.0).expect("builds");
        let area = |level: usize, k: usize| {
            france
                .topology
                .multipolygon(&france.shapes[level][k])
                .unsigned_area()
        };
        assert_eq!((area(1, 0), area(1, 1), area(2, 0)), (4.0, 5.0, 9.0));
        let mut bytes = Vec::new();
        france.write_to(&mut bytes).expect("writes");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(
            text.contains("\"objects\":{\"communes\":")
                && text.contains("\"departements\":")
                && text.contains("\"regions\":")
        );
    }

    #[test]
    fn a_commune_of_an_unknown_departement_is_an_error() {
        let [c, d, r] = layers(|k| if k == 8 { "99" } else { "01" });
        let e = build(&c, &d, &r, 0.0)
            .expect_err("unknown parent")
            .to_string();
        assert!(
            e.contains("commune 99008 belongs to 99, which is not in deps"),
            "{e}"
        );
    }
}
