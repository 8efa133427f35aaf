//! `phare lookup`: find communes by coordinates, code or name, or locate a CSV of points.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use phare::Error;
use phare::history::CogHistory;
use phare::index::SpatialIndex;
use phare::lookup::{Found, Gazetteer, Match, parse_point, points};
use phare::table::{Cell, CsvDialect, TableFormat};

use super::common::BoundaryArgs;

/// Options of `phare lookup`.
#[derive(Debug, clap::Args)]
#[command(
    group = clap::ArgGroup::new("query").required(true).args(["at", "code", "name", "points"]),
    group = clap::ArgGroup::new("coordinates").args(["at", "points"]),
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
    /// Read --at as "LAT,LON" instead (the order of most web maps); with --points, the
    /// --lon-col column holds latitudes and the --lat-col column longitudes.
    #[arg(long, requires = "coordinates")]
    lat_lon: bool,
    /// An INSEE commune code; former codes and arrondissements resolve to today's commune.
    #[arg(long)]
    code: Option<String>,
    /// A commune name; case, accents and hyphens are ignored; homonyms are all listed.
    #[arg(long)]
    name: Option<String>,
    /// A CSV of points (UTF-8, or Windows-1252 as old Excel saves it; `,`, `;` or tab):
    /// writes each row with commune_code, commune_name, departement, region appended, in
    /// the input's delimiter; a row with fewer fields than the header is completed.
    #[arg(long, value_name = "FILE.csv")]
    points: Option<PathBuf>,
    /// Longitude column of --points.
    #[arg(long, default_value = "lon", requires = "points")]
    lon_col: String,
    /// Latitude column of --points.
    #[arg(long, default_value = "lat", requires = "points")]
    lat_col: String,
    /// Where --points writes (default: standard output, CSV), in the format its extension
    /// names: .csv (streamed, any size), .xlsx or .json. An .xlsx or .json output holds the
    /// located rows in memory first (about the size of the CSV output) and an .xlsx sheet
    /// stops at 1,048,575 rows.
    #[arg(short, long, value_name = "OUT.csv|.xlsx|.json", requires = "points")]
    output: Option<PathBuf>,
    /// Encoding of the CSV --points writes: utf-8 (with a byte-order mark when the input had
    /// one) or windows-1252 (for old Excel; a character it lacks is written `?`, counted).
    #[arg(long, value_enum, default_value_t = points::OutputEncoding::Utf8, requires = "points")]
    output_encoding: points::OutputEncoding,
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
        let what = if let (Some(at), Some(point)) = (&args.at, point) {
            match swapped_commune(&args, point)? {
                Some(commune) => format!(
                    "no commune at this point ({at}), but with longitude and latitude swapped it falls in {commune}: {}",
                    swap_advice(args.lat_lon)
                ),
                None => format!(
                    "no commune at this point ({at}): outside France's communes (sea, border, or an enclave such as Llívia)"
                ),
            }
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

/// The commune (`Lyon (69123)`) at `point` with longitude and latitude swapped, if any: the
/// numbers of a point found nowhere were likely typed the other way round.
fn swapped_commune(args: &Args, (lon, lat): (f64, f64)) -> anyhow::Result<Option<String>> {
    if lon.abs() > 90.0 {
        return Ok(None);
    }
    let b = args.boundaries.load_around((lat, lon))?;
    Ok(SpatialIndex::new(&b.communes)
        .locate(lat, lon)
        .map(|i| &b.communes.territories[i])
        .map(|t| format!("{} ({})", t.name, t.code)))
}

/// What to do about coordinates that look swapped.
fn swap_advice(lat_lon: bool) -> &'static str {
    if lat_lon {
        "are they longitude first? drop --lat-lon"
    } else {
        "are they latitude first? add --lat-lon"
    }
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
/// meanwhile) to `-o` or standard output, then says what became of the rows: located,
/// outside every commune, unreadable, completed, re-encoded.
fn locate_csv(path: &Path, args: &Args) -> anyhow::Result<()> {
    let format = args
        .output
        .as_deref()
        .map(TableFormat::of)
        .transpose()?
        .unwrap_or(TableFormat::Csv);
    if format != TableFormat::Csv && args.output_encoding != points::OutputEncoding::Utf8 {
        return Err(Error::usage("--output-encoding shapes a CSV output")
            .hint("drop --output-encoding, or write a .csv")
            .into());
    }
    if let Some(out) = &args.output
        && same_file(out, path)
    {
        return Err(Error::usage(format!(
            "refusing to overwrite the input {}",
            path.display()
        ))
        .hint("choose another -o file")
        .into());
    }
    super::common::refuse_overwrite(args.boundaries.files(), [args.output.as_deref()])?;
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let options = points::BatchOptions {
        columns: [&args.lon_col, &args.lat_col],
        swapped: args.lat_lon,
        encoding: args.output_encoding,
    };
    let run = |out: &mut dyn Write, out_name: &Path| {
        points::locate_csv(
            &file,
            path,
            out,
            out_name,
            || Ok(points::Communes::new(args.boundaries.communes()?.as_ref())),
            options,
        )
    };
    let report = match (&args.output, format) {
        (None, _) => run(&mut std::io::stdout().lock(), Path::new("standard output"))?,
        (Some(out), TableFormat::Csv) => {
            let mut done = None;
            phare::output::write_encoded(out, |w| {
                let report = run(w, out)?;
                done = Some(report);
                Ok(())
            })
            .with_context(|| format!("locating the points of {}", path.display()))?;
            done.unwrap_or_default()
        }
        (Some(out), format) => {
            let mut located = Vec::new();
            let report = run(&mut located, out)?;
            write_table(out, format, &located, args)?;
            report
        }
    };
    summarise(path, &report, args.lat_lon);
    Ok(())
}

/// Writes the located rows (CSV in the input's delimiter) as an .xlsx or .json table: every
/// field as text (codes keep their zeros), the coordinates as numbers.
fn write_table(out: &Path, format: TableFormat, csv: &[u8], args: &Args) -> phare::Result<()> {
    let header = csv.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(points::delimiter_of(header))
        .flexible(true)
        .from_reader(csv.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(csv));
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| Error::output(out, format!("cannot read back the located rows: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let numeric: Vec<bool> = columns
        .iter()
        .map(|c| c.eq_ignore_ascii_case(&args.lon_col) || c.eq_ignore_ascii_case(&args.lat_col))
        .collect();
    let rows = reader.into_records().map(|record| {
        let record = record
            .map_err(|e| Error::output(out, format!("cannot read back the located rows: {e}")))?;
        Ok(record
            .iter()
            .zip(numeric.iter().chain(std::iter::repeat(&false)))
            .map(|(field, &numeric)| match field.trim() {
                "" => Cell::Empty,
                number if numeric => number
                    .replacen(',', ".", 1)
                    .parse()
                    .map_or_else(|_| Cell::Text(field.to_string()), Cell::Number),
                _ => Cell::Text(field.to_string()),
            })
            .collect())
    });
    let n = phare::table::write_rows(
        out,
        (format, CsvDialect::Standard, "points"),
        &columns,
        rows,
    )?;
    eprintln!("wrote {n} rows to {}", out.display());
    Ok(())
}

/// The summary line of a batch lookup and its warnings, on stderr.
fn summarise(path: &Path, r: &points::BatchReport, lat_lon: bool) {
    let name = path.display();
    let count = |n: usize| phare::format::fr_integer(n as i64);
    let at = |rows: &points::Rows| {
        rows.first_line
            .map(|l| format!(" (first at line {l})"))
            .unwrap_or_default()
    };
    eprintln!(
        "{name}: {} rows: {} in a commune, {} outside every commune, {} with unreadable coordinates",
        count(r.rows),
        count(r.located),
        count(r.outside),
        count(r.unreadable.n)
    );
    if r.unreadable.n > 0 {
        eprintln!(
            "warning: {name}: {} row(s) with unreadable coordinates or beyond ±180° longitude / ±90° latitude{}; their commune is left empty",
            count(r.unreadable.n),
            at(&r.unreadable)
        );
    }
    if r.looks_swapped() {
        eprintln!(
            "warning: {name}: most points fall outside France, but {} of the {} tried fall in a commune with longitude and latitude swapped: {}",
            count(r.swap_located),
            count(r.swap_tried),
            if lat_lon {
                "the columns look the right way round; drop --lat-lon"
            } else {
                "the columns look the other way round; add --lat-lon (or swap --lon-col and --lat-col)"
            }
        );
    }
    if r.windows_1252 {
        eprintln!("{name}: read as Windows-1252 (not UTF-8)");
    }
    if r.mixed_encoding.n > 0 {
        eprintln!(
            "warning: {name}: {} byte(s) that are not UTF-8{} read as Windows-1252",
            count(r.mixed_encoding.n),
            at(&r.mixed_encoding)
        );
    }
    if r.short.n > 0 {
        eprintln!(
            "warning: {name}: {} row(s) with fewer fields than the header{}, completed with empty fields",
            count(r.short.n),
            at(&r.short)
        );
    }
    if r.long.n > 0 {
        eprintln!(
            "warning: {name}: {} row(s) with more fields than the header{}: their commune columns come after the extra fields",
            count(r.long.n),
            at(&r.long)
        );
    }
    if r.unencodable.n > 0 {
        eprintln!(
            "warning: {name}: {} row(s) with characters Windows-1252 lacks{}, written as '?'; write utf-8 to keep them",
            count(r.unencodable.n),
            at(&r.unencodable)
        );
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
