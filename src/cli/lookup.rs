//! `phare lookup`: find communes by coordinates, code or name, or locate a CSV of points.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use phare::Error;
use phare::boundaries::Boundaries;
use phare::history::CogHistory;
use phare::index::SpatialIndex;
use phare::lookup::{Found, Gazetteer, Match, parse_point};

use super::common::BoundaryArgs;

/// Options of `phare lookup`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("query").required(true).args(["at", "code", "name", "points"]))]
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
        let b = args.boundaries.load(true)?;
        return locate_csv(&b, points, &args);
    }
    let needs_geometry = args.at.is_some();
    let b = args.boundaries.load(needs_geometry)?;
    let gazetteer = Gazetteer::new(&b, history);
    let found: Vec<Found> = if let Some(at) = &args.at {
        let (lon, lat) = parse_point(at, args.lat_lon)?;
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

const CHUNK: usize = 1 << 16;

/// Streams a CSV of points: reads a chunk, locates it on all cores, writes it, so memory stays
/// bounded whatever the file size.
fn locate_csv(b: &Boundaries, path: &Path, args: &Args) -> anyhow::Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut head = [0u8; 4096];
    let n = std::io::Read::read(&mut &file, &mut head).map_err(|e| Error::read(path, e))?;
    let first_line = head[..n].split(|&c| c == b'\n').next().unwrap_or_default();
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|c| *c == d).count())
        .unwrap_or(b',');
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(file);
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::input(path, e.to_string()).at("line 1"))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            })
            .ok_or_else(|| {
                let found: Vec<String> = headers
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect();
                Error::input(path, format!("no column '{name}'"))
                    .at("line 1")
                    .hint(format!(
                        "choose with --lon-col/--lat-col among: {}",
                        found.join(", ")
                    ))
            })
    };
    let (lon_i, lat_i) = (column(&args.lon_col)?, column(&args.lat_col)?);
    let index = SpatialIndex::new(&b.communes);
    let communes = &b.communes.territories;

    let mut run = |out: &mut dyn Write| -> anyhow::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(out);
        let mut header = headers.clone();
        for h in ["commune_code", "commune_name", "departement", "region"] {
            header.push_field(h.as_bytes());
        }
        writer.write_byte_record(&header)?;
        // Records are allocated once and reused chunk after chunk: a million rows then cost no
        // allocation per row, and the four new columns are written after the row's own fields.
        let mut chunk: Vec<csv::ByteRecord> = (0..CHUNK).map(|_| csv::ByteRecord::new()).collect();
        let mut points: Vec<[f64; 2]> = Vec::with_capacity(CHUNK);
        let mut unreadable = (0usize, None::<String>);
        let empty = [&b""[..]; 4];
        loop {
            let mut filled = 0;
            while filled < CHUNK {
                let more = reader.read_byte_record(&mut chunk[filled]).map_err(|e| {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    Error::input(path, e.to_string()).at(format!("line {line}"))
                })?;
                if !more {
                    break;
                }
                filled += 1;
            }
            if filled == 0 {
                break;
            }
            let rows = &chunk[..filled];
            points.clear();
            points.extend(rows.iter().map(|r| {
                let num = |i: usize| {
                    let s = std::str::from_utf8(r.get(i).unwrap_or_default())
                        .unwrap_or("")
                        .trim();
                    s.parse::<f64>()
                        .or_else(|_| s.replace(',', ".").parse::<f64>())
                        .unwrap_or(f64::NAN)
                };
                [num(lon_i), num(lat_i)]
            }));
            let located = index.locate_many(&points);
            for ((r, p), hit) in rows.iter().zip(&points).zip(located) {
                if p.iter().any(|v| v.is_nan()) {
                    unreadable.0 += 1;
                    if unreadable.1.is_none() {
                        let line = r.position().map(|p| p.line()).unwrap_or(0);
                        unreadable.1 = Some(format!("line {line}"));
                    }
                }
                for field in r {
                    writer.write_field(field)?;
                }
                let added = match hit.map(|i| &communes[i]) {
                    Some(t) => [
                        t.code.as_bytes(),
                        t.name.as_bytes(),
                        t.departement.as_deref().unwrap_or("").as_bytes(),
                        t.region.as_deref().unwrap_or("").as_bytes(),
                    ],
                    None => empty,
                };
                writer.write_record(added)?;
            }
            if filled < CHUNK {
                break;
            }
        }
        writer.flush()?;
        if let (n @ 1.., Some(first)) = unreadable {
            eprintln!(
                "warning: {}: {n} row(s) with unreadable coordinates (first at {first}); their commune is left empty",
                path.display()
            );
        }
        Ok(())
    };
    match &args.output {
        Some(out) => {
            if same_file(out, path) {
                return Err(Error::usage(format!(
                    "refusing to overwrite the input {}",
                    path.display()
                ))
                .hint("choose another -o file")
                .into());
            }
            let mut failure = None;
            phare::output::write_atomic(out, |w| {
                run(w).map_err(|e| {
                    let io = std::io::Error::other(e.to_string());
                    failure = Some(e);
                    io
                })
            })
            .map_err(|e| failure.take().unwrap_or_else(|| e.into()))
            .with_context(|| format!("locating the points of {}", path.display()))?;
            Ok(())
        }
        None => run(&mut std::io::stdout().lock()),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
