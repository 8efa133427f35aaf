//! `phare map`: a choropleth of communes, départements or régions, to PNG, SVG or PDF, with
//! its JSON provenance sidecar (and a world file for PNG).

use std::path::{Path, PathBuf};

use phare::classify::Method;
use phare::render::map::{self, Labels, MapSpec, Within};
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
    /// --indicators, or a survey measure of --survey such as q4:oui.
    #[arg(long, value_name = "VALUE")]
    value: Option<String>,
    /// Class method: quantile, equal, jenks, stddev, headtail.
    #[arg(long, default_value = "quantile")]
    method: Method,
    /// Number of classes (default: Sturges' rule, at most 7).
    #[arg(long)]
    classes: Option<usize>,
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
    /// Territory labels.
    #[arg(long, value_enum, default_value = "none")]
    labels: Labels,
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
enum Format {
    Png,
    Svg,
}

fn format_of(path: &Path) -> phare::Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        _ => Err(
            Error::usage(format!("cannot tell the format of '{}'", path.display()))
                .hint("end the output name with .png, .svg or .pdf"),
        ),
    }
}

fn page_size(a: &Args) -> phare::Result<(u32, u32)> {
    if let (Some(dpi), Some(cm)) = (a.dpi, a.width_cm) {
        let px = (cm / 2.54 * dpi).round();
        if !(200.0..=20000.0).contains(&px) {
            return Err(Error::usage(format!("{cm} cm at {dpi} dpi gives {px} px"))
                .hint("choose 200 to 20000 px"));
        }
        return Ok((px as u32, px as u32));
    }
    let Some(s) = &a.size else {
        return Ok((1600, 1600));
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

/// Runs `phare map`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let format = format_of(&a.output)?;
    let (width, height) = page_size(&a)?;
    let b = a.boundaries.load(true)?;
    let level = a.level.unwrap_or(Level::Departement);
    let value = a.value.clone().unwrap_or_else(|| "density".to_string());
    let data = map::boundary_indicator(&b, level, &value)?;
    let spec = MapSpec {
        level,
        width,
        height,
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        source: a.source.clone(),
        within: a.within.clone(),
        labels: a.labels,
        idf_zoom: a.idf_zoom,
        method: match &a.breaks {
            Some(b) => format!("manual:{b}").parse()?,
            None => a.method.clone(),
        },
        classes: a.classes,
        min_n: a.min_n,
    };
    let look = map::interim::Look::default();
    let (scene, prov) = map::build_scene(&b, &data, &look, &spec)?;
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
