//! `phare geodata`: build the embedded default boundaries and describe them.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use phare::boundaries::validate::{self, ProblemKind};
use phare::boundaries::{self, FieldNames, LoadOptions, embedded};
use phare::topology::france::{self, DEFAULT_TOLERANCE};
use phare::{Error, Level};

/// Options of `phare geodata`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Build geodata/france.topojson (communes, départements, régions sharing simplified
    /// borders) and geodata/communes.csv (the communes' properties) from communes.geojson,
    /// departements.geojson and regions.geojson.
    #[command(after_help = "Examples:
  phare geodata build                              # from ../shared/geodata into geodata/
  phare geodata build --from ~/ign/geodata --tolerance 200 -o my-geodata")]
    Build(BuildArgs),
    /// Counts, vertices, size, source and licence of the data embedded in this binary.
    Info,
    /// List the geometry problems of boundary files (self-intersections, ring crossings,
    /// spikes, duplicate points, degenerate rings) per feature, with counts. Exits 1 when
    /// a file has any.
    #[command(after_help = "Examples:
  phare geodata check                              # the embedded communes, départements, régions
  phare geodata check communes.shp --dbf-encoding CP1252 --max 10
  phare geodata check my-communes.geojson --id-field INSEE_COM --json")]
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Boundary files (GeoJSON, TopoJSON, Shapefile); none checks the embedded data.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Property holding the code (default: code, insee, INSEE_COM...).
    #[arg(long, value_name = "NAME")]
    id_field: Option<String>,
    /// Text encoding of a shapefile's DBF, overriding its .cpg.
    #[arg(long, value_name = "ENCODING")]
    dbf_encoding: Option<String>,
    /// List at most N problems per file (the counts cover them all).
    #[arg(long, value_name = "N", default_value_t = 50)]
    max: usize,
    /// Print the problems as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Folder with communes.geojson, departements.geojson, regions.geojson (and
    /// cog-history.csv, copied along).
    #[arg(long, value_name = "DIR", default_value = "../shared/geodata")]
    from: PathBuf,
    /// Simplification tolerance in metres: vertices whose effective triangle is under
    /// TOLERANCE² m² go (Visvalingam–Whyatt, each shared border once). 0 keeps every vertex.
    #[arg(long, value_name = "METRES", default_value_t = DEFAULT_TOLERANCE)]
    tolerance: f64,
    /// Output folder.
    #[arg(short, long, value_name = "DIR", default_value = "geodata")]
    output: PathBuf,
}

/// Runs `phare geodata`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Build(a) => build(a),
        Command::Info => info(),
        Command::Check(a) => check(a),
    }
}

fn build(args: BuildArgs) -> anyhow::Result<()> {
    if !args.tolerance.is_finite() || args.tolerance < 0.0 {
        return Err(
            Error::usage(format!("--tolerance {} is not a distance", args.tolerance))
                .hint("give metres, e.g. --tolerance 100; 0 keeps every vertex")
                .into(),
        );
    }
    let start = Instant::now();
    let load = |file: &str, level: Level| {
        let opts = LoadOptions {
            level: Some(level),
            ..Default::default()
        };
        boundaries::load(&args.from.join(file), &opts)
    };
    let communes = load("communes.geojson", Level::Commune)?;
    let departements = load("departements.geojson", Level::Departement)?;
    let regions = load("regions.geojson", Level::Region)?;
    let read = start.elapsed();
    let built = france::build(&communes, &departements, &regions, args.tolerance)?;
    built.write(&args.output)?;
    let history = args.from.join("cog-history.csv");
    if history.is_file() {
        let bytes = std::fs::read(&history).map_err(|e| Error::read(&history, e))?;
        phare::output::write_bytes(&args.output.join("cog-history.csv"), &bytes)?;
    }
    let files = [france::TOPOLOGY_FILE, france::COMMUNES_FILE].map(|f| args.output.join(f));
    let size: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let [c, d, r] = &built.layers;
    // Written through a locked handle so that a closed pipe is an error, not a panic.
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "read {} communes, {} départements, {} régions in {:.1} s",
        c.len(),
        d.len(),
        r.len(),
        read.as_secs_f64()
    )?;
    writeln!(
        out,
        "{} arcs; vertices {} → {} (tolerance {} m; {} rings kept from collapsing, {} crossings repaired)",
        built.topology.arcs.len(),
        built.simplify.before,
        built.simplify.after,
        args.tolerance,
        built.simplify.protected_rings,
        built.simplify.repaired_crossings
    )?;
    writeln!(
        out,
        "wrote {} and {} ({:.2} MB) in {:.1} s",
        files[0].display(),
        files[1].display(),
        size as f64 / 1e6,
        start.elapsed().as_secs_f64()
    )?;
    Ok(())
}

fn info() -> anyhow::Result<()> {
    let start = Instant::now();
    let b = embedded::cached()?;
    let decoded = start.elapsed();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "embedded boundaries: {} ({:.2} MB), decoded in {} ms",
        embedded::NAME,
        embedded::DATA.len() as f64 / 1e6,
        decoded.as_millis()
    )?;
    for level in [Level::Commune, Level::Departement, Level::Region] {
        let layer = b.layer(level);
        let vertices: usize = layer
            .territories
            .iter()
            .flat_map(|t| &t.geometry.0)
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        writeln!(
            out,
            "  {:<12} {:>6} territories, {:>8} ring vertices",
            level.as_str(),
            layer.len(),
            vertices
        )?;
    }
    writeln!(out, "source: {}", embedded::SOURCE)?;
    writeln!(out, "licence: {}", embedded::LICENCE)?;
    Ok(())
}

/// `phare geodata check`: every file is read and reported; the first file with problems makes
/// the exit code 1 (bad input), naming its first problem.
fn check(args: CheckArgs) -> anyhow::Result<()> {
    let opts = LoadOptions {
        fields: FieldNames {
            id: args.id_field.clone(),
            ..Default::default()
        },
        dbf_encoding: args.dbf_encoding.clone(),
        ..Default::default()
    };
    let mut out = std::io::stdout().lock();
    let mut failure: Option<Error> = None;
    let mut reports = Vec::new();
    let sources: Vec<(PathBuf, Option<Level>)> = if args.files.is_empty() {
        [Level::Commune, Level::Departement, Level::Region]
            .into_iter()
            .map(|l| (PathBuf::from(format!("embedded {}", l.as_str())), Some(l)))
            .collect()
    } else {
        args.files.iter().map(|f| (f.clone(), None)).collect()
    };
    for (path, embedded_level) in &sources {
        let layer = match embedded_level {
            Some(level) => embedded::cached()?.layer(*level).clone(),
            None => boundaries::load(path, &opts)?,
        };
        let problems = validate::check(&layer);
        let counts = validate::counts(&problems);
        let with = problems
            .iter()
            .map(|p| p.feature)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        if args.json {
            reports.push(serde_json::json!({
                "file": path.display().to_string(),
                "features": layer.len(),
                "counts": counts.iter().map(|(k, (n, f))| {
                    serde_json::json!({"kind": k, "problems": n, "features": f})
                }).collect::<Vec<_>>(),
                "problems": problems,
            }));
        } else {
            writeln!(
                out,
                "{}: {} features, {} with geometry problems",
                path.display(),
                layer.len(),
                with
            )?;
            for kind in ProblemKind::ALL {
                let (n, f) = counts.get(&kind).copied().unwrap_or_default();
                writeln!(out, "  {:<22} {n:>6} in {f} features", kind.as_str())?;
            }
            for p in problems.iter().take(args.max) {
                writeln!(out, "  {}", describe(p))?;
            }
            if problems.len() > args.max {
                writeln!(
                    out,
                    "  ... {} more (--max to list them)",
                    problems.len() - args.max
                )?;
            }
        }
        if let (None, Some(first)) = (&failure, problems.first()) {
            failure = Some(
                Error::input(
                    path,
                    format!(
                        "{} geometry problems in {} features; first: {}",
                        problems.len(),
                        with,
                        first.kind.as_str()
                    ),
                )
                .at(location(first))
                .hint("maps and lookups still answer on these features; repair the file (e.g. mapshaper -clean, QGIS Fix geometries) for exact areas"),
            );
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    }
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// "feature 12 (code 2A)", as loaders locate features.
fn location(p: &validate::Problem) -> String {
    format!("feature {} (code {})", p.feature + 1, p.code)
}

/// One line of the problem list.
fn describe(p: &validate::Problem) -> String {
    format!(
        "{}: {}, polygon {} ring {}, at ({}, {})",
        location(p),
        p.kind.as_str(),
        p.polygon,
        p.ring,
        p.at[0],
        p.at[1]
    )
}
