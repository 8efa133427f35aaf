//! Command-line interface: one file per command, each a thin layer over the library.

mod atlas;
mod common;
mod dashboard;
mod geodata;
mod lookup;
mod map;
mod profile;
mod stats;
mod survey;

use clap::{Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (also: a lookup that found nothing, said on stderr)
  1  bad input: a file is missing, unreadable, malformed or inconsistent
  2  usage: a wrong option or value on the command line
  3  output: a result could not be written";

/// Maps French territories: boundaries, survey answers, honest statistics, choropleths.
#[derive(Debug, Parser)]
#[command(name = "phare", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find communes by coordinates, INSEE code (current or former) or name; or a CSV of points.
    Lookup(lookup::Args),
    /// Draw a choropleth map (PNG, SVG or PDF) from boundaries and survey answers or indicators.
    Map(map::Args),
    /// The profile of a commune, département or région: identity, fragilities, Q4, ranks.
    Profile(profile::Args),
    /// One map per région or département in one run, with an index page.
    Atlas(atlas::Args),
    /// Aggregate survey answers to communes, départements, régions and France.
    Stats(stats::Args),
    /// Survey files: generate a synthetic sample, check and join a file.
    Survey(survey::Args),
    /// Build and check the embedded default boundaries.
    Geodata(geodata::Args),
    /// Write an interactive dashboard: one self-contained HTML page (map, tooltips, profiles).
    Dashboard(dashboard::Args),
}

/// Leaves a big value for the process exit to reclaim, instead of freeing it piece by piece:
/// the command is about to end, and dropping 35,000 geometries and a scene's paths one by
/// one costs 30-40 ms that the exit does at once.
pub fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Adds to an error's hint the flags of the setting it is about: the library's messages speak
/// of settings ("choose another property for the codes"), the command line's flags are the
/// CLI's to name.
pub fn name_flags(err: &mut anyhow::Error) {
    let Some(e) = err.downcast_mut::<phare::Error>() else {
        return;
    };
    let Some(setting) = e.setting else {
        return;
    };
    let flags = match setting {
        phare::Setting::IdField => "--id-field NAME",
        phare::Setting::DbfEncoding => "--dbf-encoding NAME",
        phare::Setting::Point => "--at LON,LAT; --lat-lon for LAT,LON",
        phare::Setting::PointColumns => "--lon-col NAME --lat-col NAME",
        phare::Setting::StyleOverride => "--set KEY=VALUE",
        phare::Setting::AtlasLevels => {
            "--per region with --level commune or departement, --per departement with --level commune"
        }
        phare::Setting::PageSize => "--size PX",
        phare::Setting::Extent => "--within reg:CODE or dep:CODE",
        phare::Setting::Level => "--level LEVEL",
        phare::Setting::Strict => "--strict",
        phare::Setting::SkipInvalid => "--skip-invalid",
        phare::Setting::Actor => "--actor NAME, or --actor all to pool them",
        _ => return,
    };
    e.hint = Some(match e.hint.take() {
        Some(hint) => format!("{hint} (command line: {flags})"),
        None => format!("command line: {flags}"),
    });
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Lookup(a) => lookup::run(a),
        Command::Map(a) => map::run(a),
        Command::Profile(a) => profile::run(a),
        Command::Atlas(a) => atlas::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Survey(a) => survey::run(a),
        Command::Geodata(a) => geodata::run(a),
        Command::Dashboard(a) => dashboard::run(a),
    }
}
