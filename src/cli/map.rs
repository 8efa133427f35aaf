//! `phare map`: a choropleth of communes, départements or régions, to PNG, SVG or PDF, with
//! its JSON provenance sidecar (and a world file for PNG).

use std::path::{Path, PathBuf};

use phare::aggregate::Measure;
use phare::classify::Method;
use phare::history::CogHistory;
use phare::render::map::{self, Labels, MapData, MapSpec, Within};
use phare::style::{MapLabels, Style};
use phare::survey::join;
use phare::survey::read::{ReadOptions, read_indicators, read_survey};
use phare::{Error, Level};

use super::common::BoundaryArgs;

/// Options of `phare map`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  phare map -o output/map.png
  phare map --level commune --value density --method quantile --classes 7 --size 3000 -o output/density.png
  phare map --level commune --value population --within reg:84 --labels name -o output/aura.svg")]
pub struct Args {
    #[command(flatten)]
    boundaries: BoundaryArgs,
    /// Level of the territories coloured: commune, departement or region.
    #[arg(long, value_name = "LEVEL")]
    level: Option<Level>,
    /// What to map: density, population, area (from the boundaries), a column of
    /// --indicators, or a survey measure such as q4:oui (default, from --survey or the
    /// embedded synthetic sample).
    #[arg(long, value_name = "VALUE")]
    value: Option<String>,
    /// Survey file (CSV or spreadsheet, schema in docs/survey.md); default: the embedded
    /// synthetic sample of mayors (« Données simulées »).
    #[arg(long, value_name = "FILE")]
    survey: Option<PathBuf>,
    /// Commune indicator file (CSV or spreadsheet): --value names one of its columns.
    #[arg(long, value_name = "FILE", conflicts_with = "survey")]
    indicators: Option<PathBuf>,
    /// Class method: quantile, equal, jenks, stddev, headtail (default: the style's).
    #[arg(long)]
    method: Option<Method>,
    /// Number of classes (default: the style's, else Sturges' rule, at most 7).
    #[arg(long)]
    classes: Option<usize>,
    /// Palette: YlOrRd, Blues, viridis, -RdBu (reversed)...
    #[arg(long)]
    palette: Option<String>,
    /// Style: a builtin name (default, print, presentation) or a TOML file.
    #[arg(long, value_name = "NAME|FILE", default_value = "default")]
    style: String,
    /// Style override, repeatable: --set borders.departement.width=1.2
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Manual class breaks, all bounds, lowest to highest: 0,50,100,500 (overrides --method).
    #[arg(long, value_name = "B0,B1,...")]
    breaks: Option<String>,
    /// Map title (default: what the value is).
    #[arg(long)]
    title: Option<String>,
    /// Subtitle (default: level and extent).
    #[arg(long)]
    subtitle: Option<String>,
    /// Data source for the source line (default: from the data's provenance).
    #[arg(long)]
    source: Option<String>,
    /// Draw one région or département only, with a locator: reg:84, dep:69.
    #[arg(long, value_name = "reg:CODE|dep:CODE")]
    within: Option<Within>,
    /// Territory labels (default: the style's).
    #[arg(long, value_enum)]
    labels: Option<Labels>,
    /// Île-de-France zoom box (default: on for commune maps of all France).
    #[arg(long, value_name = "BOOL")]
    idf_zoom: Option<bool>,
    /// Page size in pixels: 3000 (square) or 3000x2400.
    #[arg(long, value_name = "PX|WxH")]
    size: Option<String>,
    /// Resolution, with --width-cm: the page is width-cm at this many dots per inch.
    #[arg(long, requires = "width_cm")]
    dpi: Option<f32>,
    /// Physical width in centimetres (square page), with --dpi.
    #[arg(long, requires = "dpi")]
    width_cm: Option<f32>,
    /// Survey estimates from fewer respondents are hatched, never coloured.
    #[arg(long, default_value_t = 30)]
    min_n: u64,
    /// Output file: .png, .svg or .pdf; a .json provenance sidecar is written beside it.
    #[arg(short, long, default_value = "output/map.png")]
    output: PathBuf,
}

/// Output formats, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Png,
    Svg,
    Pdf,
}

pub(super) fn format_of(path: &Path) -> phare::Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        Some("pdf") => Ok(Format::Pdf),
        _ => Err(
            Error::usage(format!("cannot tell the format of '{}'", path.display()))
                .hint("end the output name with .png, .svg or .pdf"),
        ),
    }
}

fn page_size(a: &Args, style: &Style) -> phare::Result<(u32, u32)> {
    if let (Some(dpi), Some(cm)) = (a.dpi, a.width_cm) {
        let px = (cm / 2.54 * dpi).round();
        if !(200.0..=20000.0).contains(&px) {
            return Err(Error::usage(format!("{cm} cm at {dpi} dpi gives {px} px"))
                .hint("choose 200 to 20000 px"));
        }
        return Ok((px as u32, px as u32));
    }
    let Some(s) = &a.size else {
        return Ok((style.layout.width, style.layout.height));
    };
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|p| (200..=20000).contains(p))
    };
    let (w, h) = match s.split_once(['x', 'X']) {
        Some((w, h)) => (parse(w), parse(h)),
        None => (parse(s), parse(s)),
    };
    match (w, h) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(Error::usage(format!("bad --size '{s}'"))
            .hint("give pixels from 200 to 20000: 3000 or 3000x2400")),
    }
}

/// Boundary indicators, computed from the boundaries themselves.
const BOUNDARY_VALUES: [&str; 3] = ["density", "population", "area"];

/// The values to map and their level (default: région for surveys, commune for indicator
/// files, département for boundary indicators).
fn map_data(a: &Args, b: &phare::boundaries::Boundaries) -> anyhow::Result<(MapData, Level)> {
    let value = a.value.as_deref();
    if let Some(v) = value.filter(|v| BOUNDARY_VALUES.contains(v) && a.indicators.is_none()) {
        let level = a.level.unwrap_or(Level::Departement);
        return Ok((map::boundary_indicator(b, level, v)?, level));
    }
    let opts = ReadOptions { strict: false };
    if let Some(path) = &a.indicators {
        let Some(column) = value else {
            return Err(Error::usage("--indicators needs --value COLUMN")
                .hint("name the column to map")
                .into());
        };
        let table = read_indicators(path, &opts)?;
        for w in &table.warnings {
            eprintln!("warning: {w}");
        }
        let (joined, report) = join::join_indicators(&table, &b.communes, CogHistory::embedded());
        eprintln!(
            "{}: {} of {} rows joined",
            path.display(),
            report.matched,
            report.rows
        );
        let level = a.level.unwrap_or(Level::Commune);
        let source = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return Ok((
            map::indicator_data(&joined, &table.additive, level, column, &source)?,
            level,
        ));
    }
    let measure: Measure = value.unwrap_or("q4:oui").parse()?;
    let file = match &a.survey {
        Some(path) => read_survey(path, &opts)?,
        None => super::stats::read_default_sample(&opts)?,
    };
    for w in &file.warnings {
        eprintln!("warning: {w}");
    }
    let (joined, report) = join::join_named(
        file.respondents,
        &file.commune_names,
        &b.communes,
        CogHistory::embedded(),
    );
    eprintln!(
        "{}: {} of {} rows joined",
        file.path.display(),
        report.matched,
        report.rows
    );
    let level = a.level.unwrap_or(Level::Region);
    let source = match &a.survey {
        Some(p) => format!(
            "enquête PHARE ({})",
            p.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned())
        ),
        None => "enquête PHARE-Institutions, échantillon synthétique".to_string(),
    };
    let inputs = vec![file.path.display().to_string()];
    let min_n = usize::try_from(a.min_n).unwrap_or(usize::MAX);
    Ok((
        map::survey_data(&joined, level, &measure, min_n, &source, inputs),
        level,
    ))
}

/// Runs `phare map`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let format = format_of(&a.output)?;
    let mut style = Style::from_arg(&a.style)?;
    for pair in &a.set {
        style.set_pair(pair)?;
    }
    if let Some(p) = &a.palette {
        style.set("palette", p)?;
    }
    let (width, height) = page_size(&a, &style)?;
    let b = a.boundaries.load(true)?;
    let (data, level) = map_data(&a, &b)?;
    let spec = MapSpec {
        level,
        width,
        height,
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        source: a.source.clone(),
        within: a.within.clone(),
        labels: a.labels.unwrap_or(match style.layout.labels {
            MapLabels::None => Labels::None,
            MapLabels::Code => Labels::Code,
            MapLabels::Name => Labels::Name,
        }),
        idf_zoom: a.idf_zoom,
        method: match &a.breaks {
            Some(b) => Some(format!("manual:{b}").parse()?),
            None => a.method.clone(),
        },
        classes: a.classes,
        min_n: a.min_n,
        px_per_pt: a.dpi.map(|d| d / 72.0),
    };
    let (scene, prov) = map::build_scene(&b, &data, &style, &spec)?;
    match format {
        Format::Png => {
            let png = phare::render::raster::render_png(&scene, 1.0)?;
            phare::output::write_bytes(&a.output, &png)?;
            if let Some(wf) = prov.world_file(1.0) {
                phare::output::write_bytes(&a.output.with_extension("pgw"), wf.as_bytes())?;
            }
        }
        Format::Svg => phare::output::write_bytes(
            &a.output,
            phare::render::svg::render_svg(&scene).as_bytes(),
        )?,
        Format::Pdf => {
            let dpi = spec.resolved_px_per_pt(&style) * 72.0;
            phare::output::write_bytes(&a.output, &phare::render::pdf::render_pdf(&scene, dpi)?)?
        }
    }
    let mut side = a.output.clone().into_os_string();
    side.push(".json");
    let json =
        serde_json::to_string_pretty(&prov).map_err(|e| Error::output(&side, e.to_string()))?;
    phare::output::write_bytes(Path::new(&side), format!("{json}\n").as_bytes())?;
    eprintln!(
        "wrote {} ({width}x{height}) and {}",
        a.output.display(),
        Path::new(&side).display()
    );
    Ok(())
}
