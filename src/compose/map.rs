//! A choropleth map page, automatic: from boundaries, values and a style to a [`Scene`]
//! plus the [`Provenance`] written beside every output.
//!
//! Metropolitan France in Lambert-93 with the five overseas départements in inset boxes (each
//! in its UTM zone), or one région / département with a locator; a legend with French number
//! labels, no-data and hatched insufficient-sample entries; title, source line, scale bar and
//! optional labels; borders drawn hierarchically (communes hairline, départements thicker,
//! régions thickest). [`build_scene`] measures the header, footer and legend, has
//! `arrange()` place everything, then asks each piece for its items; the small multiples and
//! the dashboard compose their maps from the same pieces with some [`Parts`] left out.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::arrange::{Layout, Sizes, arrange};
use super::frames::{Shown, frames, labels, locator};
use super::furniture::ScaleBar;
use super::legend::{Legend, set_apart};
use super::look::{Look, Units};
use super::page_text::{footer, header, source_line};
use crate::boundaries::Boundaries;
use crate::classify::{Classification, LabelStyle, Method, classify};
use crate::format::NumberFormat;
use crate::render::layout::{Frame, Rect};
use crate::render::scene::{Fill, Item, Rgba, Scene};
use crate::style::{LegendPosition, Style};
use crate::values::{Datum, MapData, fr_int};
use crate::{Error, Level, Result, Setting, Territory};

/// Classes with their colours and French labels; no classes when no value can be shown
/// (every territory hatched or without data).
struct Scheme {
    cls: Option<Classification>,
    colors: Vec<Rgba>,
    labels: Vec<String>,
    ticks: Vec<String>,
}

impl Scheme {
    fn new(values: &[f64], spec: &MapSpec, look: &Look, fmt: &NumberFormat) -> Result<Scheme> {
        if values.is_empty() {
            return Ok(Scheme {
                cls: None,
                colors: Vec::new(),
                labels: Vec::new(),
                ticks: Vec::new(),
            });
        }
        let cls = match &spec.classification {
            Some(shared) => shared.recount(values),
            None => classify(
                values,
                spec.method.as_ref().unwrap_or(&look.method),
                spec.classes.or(look.classes),
            )?,
        };
        let colors = crate::style::palette(&look.palette, cls.len())?
            .into_iter()
            .map(|c| Rgba::rgb(c.0, c.1, c.2))
            .collect();
        // Words: break values at the joints of the boxes (read "de … à moins de …"); brackets:
        // each box its interval, the closure in a note.
        let labels = cls.labels_with(fmt, look.legend_labels);
        let ticks = cls.legend_ticks(fmt, look.legend_labels);
        Ok(Scheme {
            cls: Some(cls),
            colors,
            labels,
            ticks,
        })
    }

    fn class_of(&self, v: f64) -> Option<usize> {
        self.cls.as_ref().and_then(|c| c.class_of(v))
    }

    fn infos(&self) -> Vec<ClassInfo> {
        let Some(cls) = &self.cls else {
            return Vec::new();
        };
        cls.classes
            .iter()
            .zip(&self.colors)
            .zip(&self.labels)
            .map(|((c, col), l)| ClassInfo {
                lower: c.lower,
                upper: c.upper,
                color: col.hex(),
                count: c.count,
                label: l.clone(),
            })
            .collect()
    }
}

/// A value with its unit, decimals chosen for that value alone.
fn value_text(v: f64, fmt: &NumberFormat) -> String {
    fmt.value(v, fmt.decimals_for(&[v]).min(2))
}

/// The extent of a map: all of France, or one région or département.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    /// A région code (`84`).
    Region(String),
    /// A département code (`69`, `2A`, `974`).
    Departement(String),
}

impl std::str::FromStr for Within {
    type Err = Error;
    fn from_str(s: &str) -> Result<Within> {
        let hint = "write reg:CODE or dep:CODE, e.g. reg:84 or dep:69";
        match s.split_once(':') {
            Some(("reg", c)) if !c.is_empty() => Ok(Within::Region(c.to_string())),
            Some(("dep", c)) if !c.is_empty() => Ok(Within::Departement(c.to_ascii_uppercase())),
            _ => Err(Error::usage(format!("unknown extent '{s}'"))
                .hint(hint)
                .about(Setting::Extent)),
        }
    }
}

impl Within {
    /// True when `t` lies in this région or département.
    pub fn contains(&self, t: &Territory) -> bool {
        match self {
            Within::Region(r) => t.region.as_deref() == Some(r.as_str()),
            Within::Departement(d) => t.departement.as_deref() == Some(d.as_str()),
        }
    }
}

impl std::fmt::Display for Within {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Within::Region(c) => write!(f, "reg:{c}"),
            Within::Departement(c) => write!(f, "dep:{c}"),
        }
    }
}

/// Which text labels territories carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Labels {
    /// No labels.
    #[default]
    None,
    /// INSEE codes.
    Code,
    /// Names.
    Name,
}

/// What to draw and how: everything but the data and the style.
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// Level of the territories coloured.
    pub level: Level,
    /// Page width, px.
    pub width: u32,
    /// Page height, px.
    pub height: u32,
    /// Title (default: the data's label).
    pub title: Option<String>,
    /// Subtitle (default: level and extent).
    pub subtitle: Option<String>,
    /// Data source for the source line (default: the data's own).
    pub source: Option<String>,
    /// Extent (None: all of France with overseas insets).
    pub within: Option<Within>,
    /// Territory labels.
    pub labels: Labels,
    /// Île-de-France zoom box; None: on for commune maps of all France.
    pub idf_zoom: Option<bool>,
    /// Class method (manual breaks included); None: the style's.
    pub method: Option<Method>,
    /// Number of classes; None: the style's, else Sturges' rule (at most 7).
    pub classes: Option<usize>,
    /// Classes computed beforehand on more values than the map's (an atlas's shared
    /// classes): the map keeps their method, breaks and labels and counts its own
    /// territories; `method` and `classes` are then unused.
    pub classification: Option<Classification>,
    /// Pixels per typographic point; None: the style's resolution scaled with the page, so a
    /// map keeps its proportions at any pixel size.
    pub px_per_pt: Option<f32>,
    /// Minimum n under which a survey estimate is hatched, never coloured.
    pub min_n: u64,
}

impl MapSpec {
    /// Pixels per point: the given value, or the style's resolution scaled with the page size.
    pub fn resolved_px_per_pt(&self, style: &Style) -> f32 {
        let page = self.width.min(self.height) as f32;
        let styled = style.layout.width.min(style.layout.height).max(1) as f32;
        self.px_per_pt
            .unwrap_or(style.layout.dpi as f32 / 72.0 * (page / styled).max(0.05))
    }
}

impl Default for MapSpec {
    fn default() -> Self {
        MapSpec {
            level: Level::Departement,
            width: 1200,
            height: 1200,
            title: None,
            subtitle: None,
            source: None,
            within: None,
            labels: Labels::None,
            idf_zoom: None,
            method: None,
            classes: None,
            classification: None,
            px_per_pt: None,
            min_n: 30,
        }
    }
}

/// One class in the sidecar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassInfo {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Colour, `#rrggbb`.
    pub color: String,
    /// Territories in the class.
    pub count: usize,
    /// Legend label.
    pub label: String,
}

/// A frame of the page, in the sidecar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameInfo {
    /// `main`, `inset-971`, `zoom-idf`, `locator`.
    pub id: String,
    /// EPSG code of its projection.
    pub epsg: u32,
    /// Page rectangle, px.
    pub rect: Rect,
    /// Metres per pixel.
    pub metres_per_px: f64,
    /// Projected x at the rectangle's left edge.
    pub x0: f64,
    /// Projected y at the rectangle's top edge.
    pub y0: f64,
}

/// Everything needed to audit a map: written as the JSON sidecar.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Title drawn.
    pub title: String,
    /// Level mapped.
    pub level: Level,
    /// Measure mapped.
    pub measure: String,
    /// Extent (`reg:84`), or None for all of France.
    pub within: Option<String>,
    /// Class method.
    pub method: String,
    /// Classes with bounds, colours and counts.
    pub classes: Vec<ClassInfo>,
    /// Territories without data.
    pub no_data: usize,
    /// Territories hatched for an insufficient sample.
    pub insufficient: usize,
    /// Minimum n used for hatching.
    pub min_n: u64,
    /// Respondents in all.
    pub n: Option<u64>,
    /// Synthetic data.
    pub synthetic: bool,
    /// Input files.
    pub inputs: Vec<String>,
    /// Boundaries used.
    pub boundaries: String,
    /// Data vintage.
    pub vintage: String,
    /// Source line as drawn.
    pub source: String,
    /// Page size, px.
    pub page: [u32; 2],
    /// Frames: main first.
    pub frames: Vec<FrameInfo>,
    /// Legend box, px.
    pub legend: Rect,
    /// The value of every territory drawn, by code, with n and n eff. for survey estimates:
    /// what the colours say, for checking and re-use.
    pub values: BTreeMap<String, Datum>,
    /// Codes of the territories whose label was left out (overlap, no room).
    pub labels_dropped: Vec<String>,
    /// Every warning of the stages behind the map (reading, joining, classifying,
    /// labelling, empty results), in that order: printed on stderr too.
    pub warnings: Vec<String>,
}

impl Provenance {
    /// ESRI world file text for the main frame of a PNG rendered at `px_scale` pixels per
    /// page unit (Lambert-93 metres for metropolitan France).
    pub fn world_file(&self, px_scale: f32) -> Option<String> {
        let f = self.frames.first()?;
        let m = f.metres_per_px / f64::from(px_scale);
        // Page position of the first pixel's centre, in page units.
        let c = 0.5 / f64::from(px_scale);
        let x = f.x0 + (c - f64::from(f.rect.x)) * f.metres_per_px;
        let y = f.y0 - (c - f64::from(f.rect.y)) * f.metres_per_px;
        Some(format!(
            "{m:.6}\n0.000000\n0.000000\n{:.6}\n{x:.4}\n{y:.4}\n",
            -m
        ))
    }
}

fn frame_info(f: &Frame) -> FrameInfo {
    FrameInfo {
        id: f.id.clone(),
        epsg: f.proj.epsg(),
        rect: f.rect,
        metres_per_px: 1.0 / f.scale,
        x0: f.x0,
        y0: f.y0,
    }
}

/// The parts of a map page drawn around its frames (the legend and scale bar follow the
/// style's layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// Title, subtitle and « Données simulées » at the top.
    pub header: bool,
    /// Source line at the bottom.
    pub footer: bool,
}

impl Parts {
    /// A whole page: header and footer.
    pub const PAGE: Parts = Parts {
        header: true,
        footer: true,
    };
}

/// A composed map: its items in drawing order, with the layout they follow.
#[derive(Debug, Clone)]
pub struct Composed {
    /// Header, frames, inset names, labels, locator, legend, scale bar, footer.
    pub items: Vec<Item>,
    /// The sidecar.
    pub provenance: Provenance,
    /// Where everything went.
    pub layout: Layout,
    /// Subtitle, drawn or not.
    pub subtitle: String,
}

/// Builds the scene of a choropleth map and its provenance.
///
/// Population density by région on a 400 px page, from the embedded boundaries:
///
/// ```
/// use phare::Level;
/// use phare::compose::map::{MapSpec, build_scene};
/// use phare::style::Style;
/// use phare::values::{BoundaryIndicator, boundary_data};
///
/// let b = phare::boundaries::embedded::cached()?;
/// let data = boundary_data(b, Level::Region, BoundaryIndicator::Density)?;
/// let spec = MapSpec {
///     level: Level::Region,
///     width: 400,
///     height: 400,
///     ..MapSpec::default()
/// };
/// let (scene, prov) = build_scene(b, &data, &Style::default(), &spec)?;
/// assert_eq!((scene.width, scene.height), (400.0, 400.0));
/// // Île-de-France (11) is by far the densest région, about 1 000 inhabitants per km².
/// let idf = prov.values["11"].value.expect("a density for Île-de-France");
/// assert!((900.0..1_100.0).contains(&idf), "{idf}");
/// // The 18 régions (13 metropolitan, 5 overseas) share the classes.
/// assert_eq!(prov.classes.iter().map(|c| c.count).sum::<usize>(), 18);
/// # Ok::<(), phare::Error>(())
/// ```
pub fn build_scene(
    b: &Boundaries,
    data: &MapData,
    style: &Style,
    spec: &MapSpec,
) -> Result<(Scene, Provenance)> {
    let page = compose(b, data, style, spec, Parts::PAGE)?;
    let prov = page.provenance;
    let description = describe(&prov.title, &page.subtitle, &prov, data);
    let scene = Scene {
        width: spec.width as f32,
        height: spec.height as f32,
        background: super::look::rgba(style.colours.background),
        items: page.items,
        title: prov.title.clone(),
        description,
    };
    Ok((scene, prov))
}

/// Composes a map of `spec`'s size with the given `parts` around its frames.
pub fn compose(
    b: &Boundaries,
    data: &MapData,
    style: &Style,
    spec: &MapSpec,
    parts: Parts,
) -> Result<Composed> {
    let (pw, ph) = (spec.width as f32, spec.height as f32);
    if spec.width < 200 || spec.height < 200 {
        return Err(Error::usage(format!(
            "page {}x{} px is too small for a map",
            spec.width, spec.height
        ))
        .hint("use a page of 200 px or more")
        .about(Setting::PageSize));
    }
    let level = spec.level;
    check_within(b, level, &spec.within)?;
    let look = &Look::new(style, spec.resolved_px_per_pt(style), spec.min_n);
    let layer = b.layer(level);
    let un = Units::of_page(pw, ph);
    let u = un.u;

    // Classify the values of the territories in the extent.
    let drawn: Vec<&Territory> = layer
        .territories
        .iter()
        .filter(|t| spec.within.as_ref().is_none_or(|w| w.contains(t)))
        .collect();
    if drawn.is_empty() {
        return Err(Error::usage(format!("no {} in the extent", level.as_str()))
            .hint("check the extent drawn and the level coloured")
            .about(Setting::Extent));
    }
    // Hashed once: a sorted-map lookup per use costs tens of ms on 35,000 communes.
    let by_code: std::collections::HashMap<&str, Datum> =
        data.values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let data_of: Vec<Datum> = drawn
        .par_iter()
        .map(|t| by_code.get(t.code.as_str()).copied().unwrap_or_default())
        .collect();
    let shown: Vec<f64> = data_of
        .iter()
        .filter(|d| !d.insufficient)
        .filter_map(|d| d.value)
        .collect();
    let no_data = data_of
        .iter()
        .filter(|d| !d.insufficient && d.value.is_none())
        .count();
    let insufficient = data_of.iter().filter(|d| d.insufficient).count();
    let cls = Scheme::new(&shown, spec, look, &data.format)?;

    // Measure the header, footer and legend, then arrange the page around them.
    let title = spec.title.clone().unwrap_or_else(|| data.title.clone());
    let subtitle = spec
        .subtitle
        .clone()
        .unwrap_or_else(|| default_subtitle(b, level, &spec.within));
    let source = source_line(spec.source.as_deref().unwrap_or(&data.source), &data.credit);
    let head = if parts.header {
        header(&title, &subtitle, data.synthetic, look, un, pw)
    } else {
        Default::default()
    };
    let foot = if parts.footer {
        footer(&source, look, un, pw, ph)
    } else {
        Default::default()
    };
    let legend = legend(&cls, no_data, insufficient, data, look, u);
    let show_legend = look.layout.legend != LegendPosition::None;
    let sizes = Sizes {
        header: head.height,
        footer: foot.height,
        legend: if show_legend {
            legend.size()
        } else {
            (0.0, 0.0)
        },
    };
    let layout = arrange(b, look, spec, &drawn, sizes)?;

    // Draw each piece where it was put.
    let mut items: Vec<Item> = head.items;
    let hatch = look.hatch.clone();
    let fill_of = |d: &Datum| -> Fill {
        match d.value {
            _ if d.insufficient => hatch.clone(),
            None => Fill::Solid(look.no_data),
            Some(v) => cls
                .class_of(v)
                .map(|i| Fill::Solid(cls.colors[i]))
                .unwrap_or(Fill::Solid(look.no_data)),
        }
    };
    let territories = Shown {
        territories: &drawn,
        data: &data_of,
    };
    let (framed, label_cands) = frames(b, look, spec, &layout, &territories, &fill_of, &|t, d| {
        tooltip(t, d, &data.format)
    });
    items.extend(framed);
    let (label_items, labels_dropped) = labels(&layout, &label_cands, look, u);
    items.extend(label_items);
    if let Some(loc) = &layout.locator {
        items.push(locator(b, loc, &spec.within, look, u));
    }
    if show_legend {
        items.extend(legend.draw(layout.legend));
    }
    if let Some(sb) = layout.scalebar {
        items.extend(
            ScaleBar::new(&layout.main, sb.w, look.scale_text).draw([sb.x, sb.y], look.ink),
        );
    }
    items.extend(foot.items);

    let mut warnings = cls
        .cls
        .as_ref()
        .map_or_else(Vec::new, |c| c.warnings.clone());
    let counts = Counts {
        drawn: drawn.len(),
        matched: drawn
            .iter()
            .filter(|t| by_code.contains_key(t.code.as_str()))
            .count(),
        no_data,
        insufficient,
    };
    warnings.extend(empty_warning(level, spec.min_n, data, counts));
    if !labels_dropped.is_empty() || (spec.labels != Labels::None && layout.has_idf_zoom()) {
        warnings.push(labels_warning(
            &drawn,
            label_cands.len(),
            &labels_dropped,
            &layout,
        ));
    }
    let provenance = Provenance {
        title,
        level,
        measure: data.measure.clone(),
        within: spec.within.as_ref().map(|w| w.to_string()),
        method: cls
            .cls
            .as_ref()
            .map_or_else(|| "none".to_string(), |c| c.method.to_string()),
        classes: cls.infos(),
        no_data,
        insufficient,
        min_n: spec.min_n,
        n: data.n,
        synthetic: data.synthetic,
        inputs: data.inputs.clone(),
        boundaries: layer.source.clone(),
        vintage: data.vintage.clone(),
        source,
        page: [spec.width, spec.height],
        frames: layout.frames().map(frame_info).collect(),
        legend: layout.legend,
        values: drawn
            .iter()
            .zip(&data_of)
            .map(|(t, d)| (t.code.clone(), *d))
            .collect(),
        labels_dropped,
        warnings,
    };
    Ok(Composed {
        items,
        provenance,
        layout,
        subtitle,
    })
}

/// How the drawn territories met the data.
#[derive(Clone, Copy)]
struct Counts {
    drawn: usize,
    matched: usize,
    no_data: usize,
    insufficient: usize,
}

/// A map with no coloured territory says why: codes that match none of the data's, every
/// territory hatched for a small sample, or no value at all.
fn empty_warning(level: Level, min_n: u64, data: &MapData, c: Counts) -> Option<String> {
    let level = level.as_str();
    if c.drawn > c.no_data + c.insufficient {
        return None;
    }
    if c.matched == 0 && !data.values.is_empty() {
        let sample: Vec<&str> = data.values.keys().take(3).map(String::as_str).collect();
        return Some(format!(
            "none of the {} {level} codes of the boundaries matches the data's {} codes (such as {}): \
             check that the data and the boundaries are at the same level and use INSEE codes",
            c.drawn,
            data.values.len(),
            sample.join(", ")
        ));
    }
    if c.insufficient > 0 {
        return Some(format!(
            "every {level} with answers is hatched: {} have an effective sample (Kish n eff.) \
             under {min_n} and {} have none; the map shows no value",
            c.insufficient, c.no_data
        ));
    }
    Some(format!(
        "none of the {} {level}s drawn has a value for {}: the map is all « non renseigné »",
        c.drawn, data.measure
    ))
}

/// Names the territories whose label was left out (the first twenty: the sidecar lists them
/// all), and says the Île-de-France zoom has none.
fn labels_warning(
    drawn: &[&Territory],
    candidates: usize,
    dropped: &[String],
    layout: &Layout,
) -> String {
    const NAMED: usize = 20;
    let named: Vec<String> = dropped
        .iter()
        .take(NAMED)
        .map(|code| {
            let name = drawn
                .iter()
                .find(|t| t.code == *code)
                .map_or("", |t| t.name.as_str());
            format!("{name} ({code})")
        })
        .collect();
    let mut s = format!(
        "{} of {candidates} labels left out, where they would overlap another label or the \
         legend or not fit their territory",
        dropped.len()
    );
    if !named.is_empty() {
        s += &format!(": {}", named.join(", "));
    }
    if dropped.len() > NAMED {
        s += &format!(
            " and {} more (all in labels_dropped)",
            dropped.len() - NAMED
        );
    }
    if layout.has_idf_zoom() {
        s += "; the Île-de-France zoom is drawn without labels";
    }
    s
}

fn check_within(b: &Boundaries, level: Level, within: &Option<Within>) -> Result<()> {
    match within {
        None => Ok(()),
        Some(Within::Region(r)) if b.regions.get(r).is_none() => {
            Err(Error::usage(format!("no région with code '{r}'"))
                .hint("région codes are 01-06 overseas, 11-94 metropolitan"))
        }
        Some(Within::Departement(d)) if b.departements.get(d).is_none() => {
            Err(Error::usage(format!("no département with code '{d}'"))
                .hint("use a code such as 01, 2A, 69, 974"))
        }
        Some(Within::Departement(_)) if level == Level::Region => Err(Error::usage(
            "a région map cannot be drawn within one département",
        )
        .hint("colour communes or départements")
        .about(Setting::Level)),
        _ => Ok(()),
    }
}

fn default_subtitle(b: &Boundaries, level: Level, within: &Option<Within>) -> String {
    let by = match level {
        Level::Commune => "Par commune",
        Level::Departement => "Par département",
        Level::Region => "Par région",
    };
    match within {
        None => format!("{by}, France"),
        Some(Within::Region(r)) => format!(
            "{by}, {}",
            b.regions.get(r).map_or(r.as_str(), |t| t.name.as_str())
        ),
        Some(Within::Departement(d)) => {
            format!(
                "{by}, {} ({d})",
                b.departements
                    .get(d)
                    .map_or(d.as_str(), |t| t.name.as_str())
            )
        }
    }
}

fn tooltip(t: &Territory, d: &Datum, fmt: &NumberFormat) -> String {
    let v = match (d.value, d.insufficient) {
        (_, true) => format!(
            "échantillon insuffisant (n = {}, n eff. = {})",
            d.n.unwrap_or(0),
            fr_int(d.n_eff.unwrap_or(0.0))
        ),
        (None, _) => "non renseigné".to_string(),
        (Some(v), _) => value_text(v, fmt),
    };
    format!("{} ({}) : {v}", t.name, t.code)
}

fn describe(title: &str, subtitle: &str, p: &Provenance, data: &MapData) -> String {
    let mut s = format!(
        "Carte choroplèthe. {title}. {subtitle}. {} classes ({})",
        p.classes.len(),
        p.method
    );
    if let (Some(first), Some(last)) = (p.classes.first(), p.classes.last()) {
        s += &format!(
            " de {} à {}",
            value_text(first.lower, &data.format),
            value_text(last.upper, &data.format)
        );
    }
    s += ".";
    if p.no_data > 0 {
        s += &format!(" {} territoires non renseignés.", p.no_data);
    }
    if p.insufficient > 0 {
        s += &format!(
            " {} territoires hachurés (échantillon insuffisant).",
            p.insufficient
        );
    }
    if p.synthetic {
        s += " Données simulées.";
    }
    s
}

/// The map's legend, sized: the classes with their break values, the no-data and
/// insufficient-sample entries, and notes (method, closure of the intervals, n).
fn legend(
    cls: &Scheme,
    no_data: usize,
    insufficient: usize,
    data: &MapData,
    look: &Look,
    u: f32,
) -> Legend {
    let counts = match (&cls.cls, look.counts) {
        (Some(c), true) => c.classes.iter().map(|c| c.count).collect(),
        _ => Vec::new(),
    };
    let mut legend = Legend {
        classes: cls.colors.iter().map(|c| Fill::Solid(*c)).collect(),
        counts,
        ticks: cls.ticks.clone(),
        extra: set_apart(look, no_data, insufficient),
        ..Legend::styled(look, u)
    };
    let mut notes: Vec<String> = Vec::new();
    if let Some(c) = &cls.cls {
        notes.push(format!("Discrétisation : {}", c.method.name_fr()));
        if look.legend_labels == LabelStyle::Brackets && !c.discrete {
            notes.push(c.closure.note().to_string());
        }
    }
    if let Some(n) = data.n {
        notes.push(format!("n = {} répondants", fr_int(n as f64)));
    }
    legend.fit_width(&data.label, &notes, 21.0 * u);
    legend
}
