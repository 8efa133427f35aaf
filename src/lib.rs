/*!
phare maps French territories: where the *fragilités* of a territory lie and where
associations, companies and local authorities build things together.

The data flows through one stage per module, in this order:

1. [`boundaries`]: load communes, départements, régions (GeoJSON, TopoJSON, Shapefile, or the
   embedded default data) into one [`territory`] model, WGS84 lon/lat; the rules of INSEE
   codes live in [`territory::code`].
2. [`projection`]: Lambert-93 for the mainland, UTM for the five overseas départements.
3. [`topology`]: shared arcs, simplification without gaps, dissolve to départements/régions
   (how the embedded `geodata/` is built).
4. [`index`]: an R-tree over commune polygons; [`lookup`] answers "which commune is this?"
   by coordinates, INSEE code (former codes through [`history`]) or name.
5. [`survey`]: read survey answers and indicators, join them to communes with a report, and
   choose whose answers a command uses ([`survey::sample`]: mayors unless told otherwise,
   actors pooled only on purpose). Names are folded by [`names`] for lookups and joins alike.
6. [`aggregate`]: weighted shares and means with confidence intervals and small-sample flags
   (on Kish's effective n).
7. [`values`]: what a map shows, resolved once: population, area and density (one rule for
   every command), survey estimates or an indicator column, one value per territory.
8. [`classify`]: class breaks (quantiles, Jenks, ...); [`style`]: palettes and map styles.
9. [`compose`]: a page arranged once (frames, insets, legend, header, footer) and composed
   into one scene from the same pieces for a map, small multiples, the dashboard and the fiche.
10. [`render`]: that scene, drawn to PNG (tiny-skia), SVG and PDF.
11. [`profile`]: the fiche of one territory (identity, fragility scores at each level, Q4,
    indicator ranks), as text, JSON or a one-page figure.
12. [`atlas`]: the same map once per région or département, on all cores, with an index.
13. [`dashboard`]: all of the above in one interactive, self-contained HTML page.

Outputs are written atomically through [`output`], tables (CSV, Excel, JSON) through
[`table`]; every failure is an [`Error`] that names
the file, the place in it, and what to do.
*/
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod input;
pub mod output;
pub mod territory;

pub mod aggregate;
pub mod atlas;
pub mod boundaries;
pub mod classify;
pub mod compose;
pub mod dashboard;
pub mod format;
pub mod history;
pub mod index;
pub mod lookup;
pub mod names;
pub mod profile;
pub mod projection;
pub mod render;
pub mod style;
pub mod survey;
pub mod table;
pub mod topology;
pub mod values;

pub use error::{Error, ErrorKind, Result, Setting};
pub use territory::{Layer, Level, Territory};

// The test helper that finds ../shared/geodata, shared with tests/ and benches/.
#[cfg(test)]
#[path = "../tests/support/shared_geodata.rs"]
mod shared_geodata;
#[cfg(test)]
use shared_geodata::shared_geodata;
