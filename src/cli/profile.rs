//! `phare profile`: the fiche of one commune, département or région, in the terminal, as JSON,
//! or as a one-page figure (PNG, SVG, PDF).

use std::io::Write as _;
use std::path::PathBuf;

use phare::atlas::Format;
use phare::history::CogHistory;
use phare::index::SpatialIndex;
use phare::lookup::{Gazetteer, Match, parse_point};
use phare::profile::{self, IndicatorSet, Options, Target};
use phare::survey::read::{ReadOptions, read_indicators};
use phare::survey::sample::{ActorChoice, Sample};
use phare::survey::{Actor, join};
use phare::{Error, output};

use super::common::{BoundaryArgs, SurveyReadArgs, check_joined, join_warnings, print_warnings};

/// Options of `phare profile`.
#[derive(Debug, clap::Args)]
#[command(
    group = clap::ArgGroup::new("what").required(true).args(["territory", "at"]),
    after_help = "Examples:
  phare profile 69123                      # Lyon, by INSEE code
  phare profile 12076                      # a former code → Conques-en-Rouergue (merged in 2025)
  phare profile \"saint-denis\"              # a name shared by several communes lists them
  phare profile --at 4.8357,45.7676 -o fiche.png
  phare profile dep:69 --json
  phare profile \"ile de france\"            # a région by name, accents optional
  phare profile reg:84 --indicators chomage.csv"
)]
pub struct Args {
    /// INSEE code (current or former), commune name, dep:CODE, reg:CODE, or a département or
    /// région name (accents and case aside: Rhone, "ile de france").
    territory: Option<String>,
    /// The commune at this point, "LON,LAT" in WGS84 degrees.
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    at: Option<String>,
    /// Read --at as "LAT,LON".
    #[arg(long, requires = "at")]
    lat_lon: bool,
    /// Survey file (schema in docs/survey-schema.md); default: the embedded synthetic sample of
    /// mayors, and synthetic samples of the other actors for --actor (« Données simulées »).
    #[arg(long, value_name = "FILE")]
    survey: Option<PathBuf>,
    #[command(flatten)]
    survey_rows: SurveyReadArgs,
    /// Whose answers: maire, citoyen, entreprise or association. Default: the mayors when the
    /// survey has them, else its only actor.
    #[arg(long, value_name = "ACTOR")]
    actor: Option<Actor>,
    /// Commune indicator file (CSV or spreadsheet), repeatable: ranks of every numeric column.
    #[arg(long, value_name = "FILE")]
    indicators: Vec<PathBuf>,
    /// Estimates whose effective sample size (Kish n eff.) is below this are flagged
    /// insufficient.
    #[arg(long, default_value_t = phare::aggregate::DEFAULT_MIN_N)]
    min_n: usize,
    /// Print the profile as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Draw the one-page fiche instead of printing it: .png (300 dpi), .svg or .pdf
    /// (--json still prints the JSON).
    #[arg(short, long, value_name = "FICHE.png")]
    output: Option<PathBuf>,
    #[command(flatten)]
    boundaries: BoundaryArgs,
}

/// Runs `phare profile`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = args.output.as_deref().map(Format::of).transpose()?;
    let data = std::iter::once(args.survey.as_deref())
        .chain(args.indicators.iter().map(|i| Some(i.as_path())));
    super::common::refuse_overwrite(
        args.boundaries.files().into_iter().chain(data),
        [args.output.as_deref()],
    )?;
    let point = args
        .at
        .as_deref()
        .map(|at| parse_point(at, args.lat_lon))
        .transpose()?;
    // Geometry only for a point query (around the point) or a figure (all of it): a text
    // profile decodes its one territory.
    let b = match (point, format) {
        (Some(p), None) => args.boundaries.load_around(p)?,
        _ => args.boundaries.load(point.is_some() || format.is_some())?,
    };
    let gazetteer = Gazetteer::new(&b, CogHistory::embedded());
    let target = match (point, &args.territory) {
        (Some((lon, lat)), _) => {
            let at = args.at.as_deref().unwrap_or_default();
            let i = SpatialIndex::new(&b.communes).locate(lon, lat).ok_or_else(|| {
                Error::usage(format!("no commune at this point ({at})")).hint(
                    "the point is outside France's communes (sea, border, or an enclave such as Llívia); check the LON,LAT order",
                )
            })?;
            Target::Commune(gazetteer.found(i, Match::Point { lon, lat }))
        }
        (None, Some(q)) => profile::resolve(q, &gazetteer, &b)?,
        (None, None) => unreachable!("clap requires a territory or --at"),
    };

    // The actor rule of `phare map` and `phare stats`: without --survey, another actor than
    // mayors comes from the default synthetic samples.
    let choice = args.actor.map_or(ActorChoice::Default, ActorChoice::Only);
    let read_opts = args.survey_rows.options(false);
    let sample = Sample::load(args.survey.as_deref(), choice, &b.communes, &read_opts)?;
    let source = sample.source();
    let Some(actor) = sample.actor() else {
        unreachable!("the default and one-actor choices keep one actor")
    };
    let (joined, mut warnings) = super::stats::join_survey(sample, &b.communes)?;
    let mut sets = Vec::new();
    for path in &args.indicators {
        let table = read_indicators(path, &ReadOptions::default())?;
        warnings.extend(table.warnings.iter().map(ToString::to_string));
        let (joined, report) = join::join_indicators(&table, &b.communes, CogHistory::embedded());
        check_joined(path, &report)?;
        warnings.extend(join_warnings(path, &report));
        sets.push(IndicatorSet {
            source: file_name(path),
            joined,
            additive: table.additive,
        });
    }
    let opts = Options {
        actor,
        min_n: args.min_n,
        source,
    };
    let mut p = profile::build(&target, &b, &joined, &sets, &opts)?;
    print_warnings(&warnings);
    p.warnings = warnings;

    if let (Some(path), Some(format)) = (&args.output, format) {
        let scene = profile::figure::scene(&p, &b)?;
        let bytes = match format {
            Format::Png => profile::figure::png(&scene)?,
            Format::Svg => phare::render::svg::render_svg(&scene).into_bytes(),
            Format::Pdf => phare::render::pdf::render_pdf(&scene, profile::figure::DPI)?,
        };
        output::write_bytes(path, &bytes)?;
        eprintln!("wrote {}", path.display());
    }
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &p)?;
        writeln!(stdout)?;
    } else if args.output.is_none() {
        stdout.write_all(profile::text::render(&p).as_bytes())?;
    }
    Ok(())
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
