//! Options shared by several commands.

use std::path::{Path, PathBuf};

use phare::Level;
use phare::boundaries::{self, Boundaries, FieldNames, LoadOptions};
use phare::compose::map::Within;
use phare::input::Inputs;
use phare::survey::read::ReadOptions;
use phare::survey::report::{JoinReport, RepairReason};
use phare::territory::code::normalise_code;

/// How survey rows are read: one flag for every command that takes a survey, so they all
/// agree on what refuses a file and what is only a warning.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SurveyReadArgs {
    /// Leave out the survey rows that cannot be used (unknown answer, bad weight, duplicate
    /// id...) instead of refusing the file; each is reported as a warning (line, column,
    /// reason) and in the join report.
    #[arg(long)]
    pub skip_invalid: bool,
}

impl SurveyReadArgs {
    /// The reader's options, `strict` where the command has --strict.
    pub fn options(self, strict: bool) -> ReadOptions {
        ReadOptions {
            strict,
            skip_invalid: self.skip_invalid,
        }
    }
}

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
            fields: FieldNames {
                id: self.id_field.clone(),
                name: self.name_field.clone(),
                ..Default::default()
            },
            dbf_encoding: self.dbf_encoding.clone(),
        }
    }

    /// The boundary files given (`None` for each embedded layer).
    pub fn files(&self) -> [Option<&Path>; 3] {
        [&self.boundaries, &self.departements, &self.regions].map(Option::as_deref)
    }

    /// The commune layer alone, from `--boundaries` or borrowed from the embedded data: what
    /// a point lookup needs, without reading départements and régions.
    pub fn communes(&self) -> phare::Result<std::borrow::Cow<'static, phare::Layer>> {
        Ok(match &self.boundaries {
            Some(p) => std::borrow::Cow::Owned(boundaries::load(p, &self.options(Level::Commune))?),
            None => std::borrow::Cow::Borrowed(&boundaries::embedded::cached()?.communes),
        })
    }

    /// The boundaries a query at the point (`lon`, `lat`) needs: from the embedded data, the
    /// geometry of the communes around the point only (0.2 s → a few tens of ms); with files,
    /// everything.
    pub fn load_around(&self, (lon, lat): (f64, f64)) -> phare::Result<Boundaries> {
        if self.boundaries.is_none() && self.departements.is_none() && self.regions.is_none() {
            boundaries::embedded::boundaries_around(lon, lat)
        } else {
            self.load(true)
        }
    }

    /// Loads the boundaries: each level from its file when given, else the embedded one
    /// (decoding the embedded geometry only when `geometry` is needed, and then only the
    /// levels no file replaces: code and name lookups start in a few milliseconds). Files
    /// are read while the embedded data decodes, on the other core.
    pub fn load(&self, geometry: bool) -> phare::Result<Boundaries> {
        let files = [
            (&self.boundaries, Level::Commune),
            (&self.departements, Level::Departement),
            (&self.regions, Level::Region),
        ];
        let embedded = || -> phare::Result<Option<Boundaries>> {
            Ok(match files.map(|(path, _)| path.is_some()) {
                [true, true, true] => None,
                _ if !geometry => Some(boundaries::embedded::boundaries_without_geometry()?),
                [true, ..] => Some(boundaries::embedded::upper_levels()?),
                _ => Some(boundaries::embedded::boundaries()?),
            })
        };
        let read = || -> phare::Result<Vec<Option<phare::Layer>>> {
            files
                .iter()
                .map(|(path, level)| {
                    path.as_ref()
                        .map(|p| boundaries::load(p, &self.options(*level)))
                        .transpose()
                })
                .collect()
        };
        // Overlapping pays only when there is a file to read (decoding all the embedded data
        // from inside the pool, with nothing to overlap, measured 20-30 ms slower).
        let (embedded, read) = if files.iter().any(|(path, _)| path.is_some()) {
            rayon::join(embedded, read)
        } else {
            (embedded(), read())
        };
        let (mut embedded, mut read) = (embedded?, read?.into_iter());
        let mut layer = |level: Level| {
            // Moved out, not cloned: each level is taken once.
            read.next().flatten().unwrap_or_else(|| {
                embedded
                    .as_mut()
                    .map(|b| std::mem::take(b.layer_mut(level)))
                    .unwrap_or_default()
            })
        };
        Ok(Boundaries {
            communes: layer(Level::Commune),
            departements: layer(Level::Departement),
            regions: layer(Level::Region),
        })
    }
}

/// `--within` with its code repaired as codes in files are (`dep:1` → `dep:01`, `dep:2a` →
/// `dep:2A`), the repair said on stderr.
pub fn repair_within(within: Within) -> Within {
    let repaired = match &within {
        Within::Departement(c) => Within::Departement(normalise_code(c, Level::Departement)),
        Within::Region(c) => Within::Region(normalise_code(c, Level::Region)),
    };
    if repaired != within {
        eprintln!("note: --within {within} read as {repaired}");
    }
    repaired
}

/// Prints each warning on stderr as `warning: …`, the form every command uses.
pub fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Rows listed by line in a join warning before "…".
const LISTED: usize = 5;

/// The join report's warnings as sentences (unmatched codes, leading zeros restored,
/// duplicates), for stderr and the sidecars; the full list is in `--report`'s JSON.
pub fn join_warnings(path: &std::path::Path, report: &JoinReport) -> Vec<String> {
    let file = path.display();
    let mut out = Vec::new();
    if !report.unmatched.is_empty() {
        let listed: Vec<String> = report
            .unmatched
            .iter()
            .take(LISTED)
            .map(|u| format!("line {} '{}'", u.line, u.code))
            .collect();
        let more = report.unmatched.len().saturating_sub(LISTED);
        out.push(format!(
            "{file}: {} of {} rows match no commune and are left out ({}{})",
            report.unmatched.len(),
            report.rows,
            listed.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let zeros = report
        .repaired
        .iter()
        .filter(|r| r.reason == RepairReason::LeadingZero)
        .count();
    if zeros > 0 {
        out.push(format!(
            "{file}: {zeros} codes had lost their leading zero (stored as numbers in a \
             spreadsheet) and were restored; keep the code column as text"
        ));
    }
    if !report.duplicates.is_empty() {
        out.push(format!(
            "{file}: {} duplicated rows, only one of each is used (first: {})",
            report.duplicates.len(),
            report.duplicates[0].reason
        ));
    }
    out
}

/// Fails when a file's rows all missed the communes: a map of it would be all grey.
pub fn check_joined(path: &std::path::Path, report: &JoinReport) -> phare::Result<()> {
    if report.rows == 0 || report.matched > 0 {
        return Ok(());
    }
    let sample: Vec<&str> = report
        .unmatched
        .iter()
        .take(3)
        .map(|u| u.code.as_str())
        .collect();
    Err(phare::Error::input(
        path,
        format!(
            "none of the {} rows matches a commune (codes such as {})",
            report.rows,
            sample.join(", ")
        ),
    )
    .hint(
        "the code column must hold 5-character INSEE commune codes (01001, 2A004); a file of \
         département or région codes, or a wrong code column, joins nothing: check the file",
    ))
}

/// Refuses a run whose output would overwrite one of its input files (`-o answers.csv` given
/// the survey itself), before any work, so the refused run leaves every file as it was.
pub fn refuse_overwrite<'a, 'b>(
    inputs: impl IntoIterator<Item = Option<&'a Path>>,
    outputs: impl IntoIterator<Item = Option<&'b Path>>,
) -> phare::Result<()> {
    let inputs = Inputs::of(inputs);
    outputs
        .into_iter()
        .flatten()
        .try_for_each(|output| inputs.check_output(output))
}
