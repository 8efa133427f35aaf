//! `phare lookup`: find communes by coordinates, code or name, or locate a CSV of points.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use phare::Error;
use phare::history::CogHistory;
use phare::index::SpatialIndex;
use phare::lookup::{Found, Gazetteer, Match, parse_point, points};

use super::common::BoundaryArgs;

/// Options of `phare lookup`.
#[derive(Debug, clap::Args)]
#[command(
    group = clap::ArgGroup::new("query").required(true).args(["at", "code", "name", "points"]),
    after_help = "Examples:
  phare lookup --at 4.8357,45.7640                 # the commune at a point (Lyon)
  phare lookup --at 45.7640,4.8357 --lat-lon       # the same point, latitude first
  phare lookup --code 12076                        # a former code → today's commune
  phare lookup --name \"saint denis\" --json         # every homonym, as JSON
  phare lookup --points sites.csv --lon-col x --lat-col y -o sites-communes.csv"
)]
pub struct Args {
    /// A point as "LON,LAT" in WGS84 degrees (e.g. 4.8357,45.7640).
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    at: Option<String>,
    /// Read --at as "LAT,LON" instead (the order of most web maps).
    #[arg(long, requires = "at")]
    lat_lon: bool,
    /// An INSEE commune code; former codes and arrondissements resolve to today's commune.
    #[arg(long)]
    code: Option<String>,
    /// A commune name; case, accents and hyphens are ignored; homonyms are all listed.
    #[arg(long)]
    name: Option<String>,
    /// A CSV of points: writes each row with commune_code, commune_name, departement, region.
    #[arg(long, value_name = "FILE.csv")]
    points: Option<PathBuf>,
    /// Longitude column of --points.
    #[arg(long, default_value = "lon", requires = "points")]
    lon_col: String,
    /// Latitude column of --points.
    #[arg(long, default_value = "lat", requires = "points")]
    lat_col: String,
    /// Where --points writes (default: standard output).
    #[arg(short, long, value_name = "OUT.csv", requires = "points")]
    output: Option<PathBuf>,
    /// Print JSON objects instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    boundaries: BoundaryArgs,
}

/// Runs `phare lookup`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let history = CogHistory::embedded();
    if let Some(points) = &args.points {
        return locate_csv(points, &args);
    }
    let point = args
        .at
        .as_deref()
        .map(|at| parse_point(at, args.lat_lon))
        .transpose()?;
    let b = match point {
        Some(p) => args.boundaries.load_around(p)?,
        None => args.boundaries.load(false)?,
    };
    let gazetteer = Gazetteer::new(&b, history);
    let found: Vec<Found> = if let Some((lon, lat)) = point {
        let index = SpatialIndex::new(&b.communes);
        index
            .locate(lon, lat)
            .map(|i| gazetteer.found(i, Match::Point { lon, lat }))
            .into_iter()
            .collect()
    } else if let Some(code) = &args.code {
        gazetteer.by_code(code).into_iter().collect()
    } else {
        gazetteer.by_name(args.name.as_deref().unwrap_or_default())
    };
    if found.is_empty() {
        let what = if let Some(at) = &args.at {
            format!(
                "no commune at this point ({at}): outside France's communes (sea, border, or an enclave such as Llívia)"
            )
        } else if let Some(code) = &args.code {
            format!("no commune with code '{code}' (neither current, former nor an arrondissement)")
        } else {
            let name = args.name.as_deref().unwrap_or_default();
            let suggestions = gazetteer.suggest(name, 5);
            if suggestions.is_empty() {
                format!("no commune named '{name}'")
            } else {
                format!(
                    "no commune named '{name}'; did you mean: {}?",
                    suggestions.join(", ")
                )
            }
        };
        eprintln!("{what}");
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else if !found.is_empty() {
        write!(out, "{}", table(&found))?;
    }
    Ok(())
}

fn table(found: &[Found]) -> String {
    let header = [
        "code",
        "name",
        "departement",
        "region",
        "population",
        "match",
    ];
    let rows: Vec<[String; 6]> = found
        .iter()
        .map(|f| {
            [
                f.code.clone(),
                f.name.clone(),
                format!("{} {}", f.departement, f.departement_name),
                format!("{} {}", f.region, f.region_name),
                f.population
                    .map(|p| phare::format::fr_integer(p as i64))
                    .unwrap_or_default(),
                match &f.matched {
                    Match::Code => "code".into(),
                    Match::Name => "name".into(),
                    Match::LeadingZero { given } => format!("code {given} (leading zero restored)"),
                    Match::Arrondissement { arrondissement } => {
                        format!("arrondissement {arrondissement}")
                    }
                    Match::FormerCode {
                        former,
                        former_name,
                        year,
                    } => format!(
                        "former code {former}{}{}",
                        former_name
                            .as_ref()
                            .map(|n| format!(" {n}"))
                            .unwrap_or_default(),
                        year.map(|y| format!(", until {y}")).unwrap_or_default()
                    ),
                    Match::Point { lon, lat } => format!("point {lon}, {lat}"),
                },
            ]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..6).map(width).collect();
    let mut s = String::new();
    let mut line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        s.push_str(padded.join("  ").trim_end());
        s.push('\n');
    };
    line(&header);
    for r in &rows {
        line(&r.iter().map(String::as_str).collect::<Vec<_>>());
    }
    s
}

/// Streams a CSV of points through [`phare::lookup::points::locate_csv`] (the communes load
/// meanwhile) to `-o` or standard output, and warns about rows whose coordinates could not be
/// read.
fn locate_csv(path: &Path, args: &Args) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let run = |out: &mut dyn Write, out_name: &Path| {
        points::locate_csv(
            &file,
            path,
            out,
            out_name,
            || Ok(points::Communes::new(args.boundaries.communes()?.as_ref())),
            [&args.lon_col, &args.lat_col],
        )
    };
    let report = match &args.output {
        Some(out) => {
            if same_file(out, path) {
                return Err(Error::usage(format!(
                    "refusing to overwrite the input {}",
                    path.display()
                ))
                .hint("choose another -o file")
                .into());
            }
            let mut done = None;
            phare::output::write_atomic(out, |w| {
                let result = run(w, out);
                let io = result
                    .as_ref()
                    .err()
                    .map(|e| std::io::Error::other(e.to_string()));
                done = Some(result);
                io.map_or(Ok(()), Err)
            })
            .map_err(|e| match done.take() {
                Some(Err(failure)) => failure,
                _ => e,
            })
            .with_context(|| format!("locating the points of {}", path.display()))?;
            done.and_then(Result::ok).unwrap_or_default()
        }
        None => run(&mut std::io::stdout().lock(), Path::new("standard output"))?,
    };
    if let (n @ 1.., Some(first)) = (report.unreadable, report.first_unreadable_line) {
        eprintln!(
            "warning: {}: {n} row(s) with unreadable coordinates (first at line {first}); their commune is left empty",
            path.display()
        );
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
