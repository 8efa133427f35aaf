//! `phare geodata`: build the embedded default boundaries and describe them.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use phare::boundaries::{self, LoadOptions, embedded};
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
    Build(BuildArgs),
    /// Counts, vertices, size, source and licence of the data embedded in this binary.
    Info,
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
