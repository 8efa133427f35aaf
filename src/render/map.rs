//! The French choropleth layout, automatic: from boundaries, values and a style to a
//! [`Scene`] plus the [`Provenance`] written beside every output.
//!
//! Metropolitan France in Lambert-93 with the five overseas départements in inset boxes (each
//! in its UTM zone), or one région / département with a locator; a legend with French number
//! labels, no-data and hatched insufficient-sample entries; title, source line, scale bar and
//! optional labels; borders drawn hierarchically (communes hairline, départements thicker,
//! régions thickest).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::furniture::{ScaleBar, rect_item, text_block, text_width, wrap};
use super::inset::{self, DROM, IDF_ZOOM};
use super::label;
use super::layout::{Frame, Occupancy, Rect, border_network, extent, paths, place, projected_bbox};
use super::legend::{Entry, Legend};
use super::scene::{Anchor, Fill, Item, Path, Rgba, Scene, Stroke, Text, Weight};
use crate::boundaries::Boundaries;
use crate::classify::{Classification, LabelStyle, Method, classify};
use crate::format::NumberFormat;
use crate::projection::{Projection, for_departement};
use crate::style::{LegendPosition, Rgb, Style};
use crate::territory::is_overseas_departement;
use crate::values::{Datum, MapData, fr_int};
use crate::{Error, Level, Result, Territory};

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
        let hint = "write reg:CODE or dep:CODE, e.g. --within reg:84 or --within dep:69";
        match s.split_once(':') {
            Some(("reg", c)) if !c.is_empty() => Ok(Within::Region(c.to_string())),
            Some(("dep", c)) if !c.is_empty() => Ok(Within::Departement(c.to_ascii_uppercase())),
            _ => Err(Error::usage(format!("unknown extent '{s}'")).hint(hint)),
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

/// The overseas département a territory belongs to (a région of one département included).
fn drom_of(t: &Territory) -> Option<&'static str> {
    let dep = match t.level {
        Level::Region => match t.code.as_str() {
            "01" => "971",
            "02" => "972",
            "03" => "973",
            "04" => "974",
            "06" => "976",
            _ => return None,
        },
        _ => t.departement.as_deref().unwrap_or(""),
    };
    DROM.iter()
        .map(|d| d.0)
        .find(|d| *d == dep && is_overseas_departement(dep))
}

fn in_extent(t: &Territory, within: &Option<Within>) -> bool {
    match within {
        None => true,
        Some(Within::Region(r)) => t.region.as_deref() == Some(r.as_str()),
        Some(Within::Departement(d)) => t.departement.as_deref() == Some(d.as_str()),
    }
}

/// Sizes derived from the page: one unit is a hundredth of its smaller side.
#[derive(Debug, Clone, Copy)]
struct Units {
    u: f32,
    margin: f32,
    gap: f32,
}

/// A piece of furniture to place on the map.
struct Boxed {
    w: f32,
    h: f32,
}

/// The result of arranging frames and furniture in the body.
struct Arranged {
    main: Frame,
    insets: Vec<(Frame, String)>,
    legend: Rect,
    locator: Option<Frame>,
    scalebar: Option<Rect>,
}

/// Builds the scene of a choropleth map and its provenance.
pub fn build_scene(
    b: &Boundaries,
    data: &MapData,
    style: &Style,
    spec: &MapSpec,
) -> Result<(Scene, Provenance)> {
    let (pw, ph) = (spec.width as f32, spec.height as f32);
    if spec.width < 200 || spec.height < 200 {
        return Err(Error::usage(format!(
            "page {}x{} px is too small for a map",
            spec.width, spec.height
        ))
        .hint("use --size 200 or more"));
    }
    let level = spec.level;
    check_within(b, level, &spec.within)?;
    let look = &Look::new(style, spec.resolved_px_per_pt(style), spec.min_n);
    let layer = b.layer(level);
    let u = pw.min(ph) / 100.0;
    let un = Units {
        u,
        margin: 2.5 * u,
        gap: 1.2 * u,
    };

    // Classify the values of the territories in the extent.
    let drawn: Vec<&Territory> = layer
        .territories
        .iter()
        .filter(|t| in_extent(t, &spec.within))
        .collect();
    if drawn.is_empty() {
        return Err(Error::usage(format!("no {} in the extent", level.as_str()))
            .hint("check --within and --level"));
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

    // Text blocks.
    let title = spec.title.clone().unwrap_or_else(|| data.title.clone());
    let subtitle = spec
        .subtitle
        .clone()
        .unwrap_or_else(|| default_subtitle(b, level, &spec.within));
    let src = spec.source.clone().unwrap_or_else(|| data.source.clone());
    let source_line = format!("Source : {src} ; {}", data.credit);
    let text_w = pw - 2.0 * un.margin;
    let title_lines = wrap(&title, look.title, Weight::Bold, text_w);
    let mut header = Vec::new();
    let (items, h1) = text_block(
        &title_lines,
        un.margin,
        un.margin,
        look.title,
        Weight::Bold,
        Anchor::Start,
        look.ink,
    );
    header.extend(items);
    let sub_lines = wrap(&subtitle, look.subtitle, Weight::Regular, text_w);
    let (items, h2) = text_block(
        &sub_lines,
        un.margin,
        un.margin + h1 + 0.3 * u,
        look.subtitle,
        Weight::Regular,
        Anchor::Start,
        look.muted,
    );
    header.extend(items);
    let mut header_h = h1 + 0.3 * u + h2;
    if data.synthetic {
        let (items, h3) = text_block(
            &["Données simulées".to_string()],
            un.margin,
            un.margin + header_h + 0.3 * u,
            look.subtitle,
            Weight::Bold,
            Anchor::Start,
            look.warning,
        );
        header.extend(items);
        header_h += 0.3 * u + h3;
    }
    let foot_size = look.source;
    let foot_lines = wrap(&source_line, foot_size, Weight::Regular, text_w);
    let foot_h = foot_lines.len() as f32 * foot_size * 1.25;
    let foot_top = ph - un.margin - foot_h;
    let (footer, _) = text_block(
        &foot_lines,
        un.margin,
        foot_top,
        foot_size,
        Weight::Regular,
        Anchor::Start,
        look.muted,
    );
    let body = Rect::new(
        un.margin,
        un.margin + header_h + un.gap,
        text_w,
        foot_top - un.gap - (un.margin + header_h + un.gap),
    );

    // Legend.
    let mut legend = build_legend(&cls, no_data, insufficient, look, u);
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
    let show_legend = look.layout.legend != LegendPosition::None;
    let (lw, lh) = if show_legend {
        legend.size()
    } else {
        (0.0, 0.0)
    };

    let arranged = arrange(
        b,
        look,
        level,
        spec,
        &drawn,
        un,
        body,
        Boxed { w: lw, h: lh },
        pw,
        ph,
    )?;

    // Map content.
    let tol = 0.3;
    let mut items: Vec<Item> = header;
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
    let mut label_cands: Vec<label::Candidate> = Vec::new();
    let select = |keep: &dyn Fn(&Territory) -> bool| -> (Vec<&Territory>, Vec<Datum>) {
        drawn
            .iter()
            .zip(&data_of)
            .filter(|(t, _)| keep(t))
            .map(|(t, d)| (*t, *d))
            .unzip()
    };
    type FrameContent<'a> = (&'a Frame, (Vec<&'a Territory>, Vec<Datum>), &'a str, bool);
    let mut frames: Vec<FrameContent> = vec![(
        &arranged.main,
        select(&|t| spec.within.is_some() || drom_of(t).is_none()),
        "",
        spec.within.is_some(),
    )];
    for (f, key) in &arranged.insets {
        let ts = if key == "idf" {
            select(&|t| {
                t.departement
                    .as_deref()
                    .is_some_and(|d| IDF_ZOOM.contains(&d))
            })
        } else {
            select(&|t| drom_of(t) == Some(key.as_str()))
        };
        frames.push((f, ts, if key == "idf" { "zoom-" } else { "" }, true));
    }
    for (frame, (ts, ds), id_prefix, clip) in frames {
        let mut group = Vec::new();
        if frame.id != "main" || spec.within.is_some() {
            group.push(rect_item(
                None,
                frame.rect,
                Some(Fill::Solid(look.sea)),
                None,
            ));
        }
        if spec.within.is_some() && frame.id == "main" {
            group.extend(context(b, frame, &spec.within, look, u, tol));
        }
        let geoms: Vec<_> = ts.iter().map(|t| &t.geometry).collect();
        let mut ps = paths(frame, &geoms, tol);
        let level_stroke = look.stroke_in(level, &ps);
        ps.par_iter_mut().for_each(|p| drop_blots(p, level_stroke));
        if spec.labels != Labels::None
            && (frame.id == "main" || level == Level::Commune)
            && id_prefix.is_empty()
        {
            label_cands.extend(ts.iter().zip(&ps).map(|(t, p)| label::Candidate {
                text: if spec.labels == Labels::Code {
                    t.code.clone()
                } else {
                    t.name.clone()
                },
                path: p.clone(),
                within: frame.rect,
            }));
        }
        // The level's borders are one network over the fills, each border stroked once.
        let network = border_items(&ts, &ps, level, level_stroke);
        group.par_extend(
            ts.par_iter()
                .zip(&ds)
                .zip(ps)
                .map(|((t, d), path)| Item::Shape {
                    id: Some(format!("{id_prefix}{}", t.code)),
                    title: Some(tooltip(t, d, &data.format)),
                    path,
                    fill: Some(fill_of(d)),
                    stroke: None,
                    bordered: level_stroke.is_some(),
                }),
        );
        group.extend(network);
        group.extend(borders(b, level, frame, &ts, look, tol));
        if frame.id != "main" || spec.within.is_some() {
            group.push(rect_item(
                None,
                frame.rect,
                None,
                Some(Stroke {
                    color: look.frame.color,
                    width: (0.12 * u).max(0.6),
                }),
            ));
        }
        items.push(Item::Group {
            id: Some(frame.id.clone()),
            clip: clip.then_some(frame.rect.array()),
            items: group,
        });
    }
    // Inset names, over their boxes.
    for (f, key) in &arranged.insets {
        let name = if key == "idf" {
            "Paris et couronne"
        } else {
            DROM.iter().find(|d| d.0 == key).map_or("", |d| d.1)
        };
        let fit = (f.rect.w - u) / text_width(name, look.legend, Weight::Regular).max(1.0);
        let size = look.legend * fit.min(1.0);
        let mut t = Text {
            text: name.to_string(),
            x: f.rect.x + 0.5 * u,
            y: f.rect.y + 0.4 * u + size,
            size,
            weight: Weight::Regular,
            anchor: Anchor::Start,
            color: look.ink,
            halo: None,
        };
        t.halo = Some(Stroke {
            color: look.sea,
            width: size * 0.25,
        });
        items.push(Item::Text(t));
    }
    let mut obstacles = vec![arranged.legend];
    obstacles.extend(arranged.scalebar);
    obstacles.extend(arranged.locator.as_ref().map(|f| f.rect));
    obstacles.extend(
        arranged
            .insets
            .iter()
            .map(|(f, _)| Rect::new(f.rect.x, f.rect.y, f.rect.w, 2.2 * u)),
    );
    items.extend(
        label::place(&label_cands, look.labels, &obstacles, look.ink)
            .into_iter()
            .map(Item::Text),
    );

    if let Some(loc) = &arranged.locator {
        items.push(locator(b, loc, &spec.within, look, u));
    }
    if show_legend {
        items.extend(legend.draw(arranged.legend));
    }
    if let Some(sb) = arranged.scalebar {
        items.extend(
            ScaleBar::new(&arranged.main, sb.w, look.scale_text).draw([sb.x, sb.y], look.ink),
        );
    }
    items.extend(footer);

    let classes = cls.infos();
    let mut frame_infos = vec![frame_info(&arranged.main)];
    frame_infos.extend(arranged.insets.iter().map(|(f, _)| frame_info(f)));
    frame_infos.extend(arranged.locator.iter().map(frame_info));
    let prov = Provenance {
        title: title.clone(),
        level,
        measure: data.measure.clone(),
        within: spec.within.as_ref().map(|w| w.to_string()),
        method: cls
            .cls
            .as_ref()
            .map_or_else(|| "none".to_string(), |c| c.method.to_string()),
        classes,
        no_data,
        insufficient,
        min_n: spec.min_n,
        n: data.n,
        synthetic: data.synthetic,
        inputs: data.inputs.clone(),
        boundaries: layer.source.clone(),
        vintage: data.vintage.clone(),
        source: source_line,
        page: [spec.width, spec.height],
        frames: frame_infos,
        legend: arranged.legend,
        values: drawn
            .iter()
            .zip(&data_of)
            .map(|(t, d)| (t.code.clone(), *d))
            .collect(),
    };
    let description = describe(&title, &subtitle, &prov, data);
    let scene = Scene {
        width: pw,
        height: ph,
        background: look.paper,
        items,
        title,
        description,
    };
    Ok((scene, prov))
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
        .hint("use --level commune or departement")),
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

fn build_legend(cls: &Scheme, no_data: usize, insufficient: usize, look: &Look, u: f32) -> Legend {
    let mut extra = Vec::new();
    if no_data > 0 {
        extra.push(Entry {
            fill: Fill::Solid(look.no_data),
            label: look.no_data_label.clone(),
            count: no_data,
        });
    }
    if insufficient > 0 {
        extra.push(Entry {
            fill: look.hatch.clone(),
            label: look.small_sample_label.clone(),
            count: insufficient,
        });
    }
    let counts = match (&cls.cls, look.counts) {
        (Some(c), true) => c.classes.iter().map(|c| c.count).collect(),
        _ => Vec::new(),
    };
    Legend {
        title: Vec::new(),
        classes: cls.colors.iter().map(|c| Fill::Solid(*c)).collect(),
        counts,
        ticks: cls.ticks.clone(),
        extra,
        notes: Vec::new(),
        size: look.legend,
        title_size: look.legend_title,
        ink: look.ink,
        edge: Stroke {
            color: Rgba::rgb(120, 120, 120),
            width: (0.06 * u).max(0.5),
        },
    }
}

/// Places frames and furniture in the body.
#[allow(clippy::too_many_arguments)]
fn arrange(
    b: &Boundaries,
    look: &Look,
    level: Level,
    spec: &MapSpec,
    drawn: &[&Territory],
    un: Units,
    body: Rect,
    legend: Boxed,
    pw: f32,
    ph: f32,
) -> Result<Arranged> {
    // Candidates stay inside the body, so only land and placed furniture are marked.
    let mut occ = Occupancy::new(pw, ph, un.u.max(2.0));
    let mut a = match &spec.within {
        None => arrange_france(b, look, level, spec, drawn, un, body, &legend)?,
        Some(_) => arrange_within(
            b,
            level,
            spec,
            drawn,
            un,
            body,
            &legend,
            look.layout.legend,
            &occ,
        )?,
    };
    // Scale bar: over an empty part of the main frame, else left out (the frames give no
    // room for it and a bar over land hides data).
    for r in std::iter::once(a.legend)
        .chain(a.insets.iter().map(|(f, _)| f.rect))
        .chain(a.locator.iter().map(|f| f.rect))
    {
        occ.mark(r);
    }
    if !look.layout.scale_bar {
        return Ok(a);
    }
    fill_land(b, level, spec, drawn, &a.main, un.u, &mut occ);
    let sb = ScaleBar::new(&a.main, 16.0 * un.u, look.scale_text);
    let (sw, sh) = sb.size();
    use super::layout::{Spot::*, candidates};
    let cands = candidates(
        a.main.rect.grow(-0.3 * un.u),
        sw,
        sh,
        &[BottomRight, Bottom, BottomLeft, TopRight, TopLeft, Top],
    );
    a.scalebar = place(&occ, &cands, 0.3 * un.u, true).map(|r| Rect::new(r.x, r.y, sb.px, r.h));
    Ok(a)
}

/// Marks the main frame's land (from the coarsest layer that shows it) on the grid.
fn fill_land(
    b: &Boundaries,
    level: Level,
    spec: &MapSpec,
    drawn: &[&Territory],
    main: &Frame,
    u: f32,
    occ: &mut Occupancy,
) {
    let land: Vec<&Territory> = if level == Level::Commune && spec.within.is_some() {
        drawn.to_vec()
    } else {
        b.departements
            .territories
            .iter()
            .filter(|t| {
                if spec.within.is_some() {
                    in_extent(t, &spec.within) || level == Level::Region
                } else {
                    drom_of(t).is_none()
                }
            })
            .filter(|t| spec.within.is_none() || in_extent(t, &spec.within))
            .collect()
    };
    let geoms: Vec<_> = land.iter().map(|t| &t.geometry).collect();
    for p in paths(main, &geoms, u) {
        occ.fill(&p);
    }
}

/// All France: a column with the legend and the overseas insets in a grid of two
/// columns, beside the mainland (see [`LegendPosition`]); the mainland fills the rest.
#[allow(clippy::too_many_arguments)]
fn arrange_france(
    b: &Boundaries,
    look: &Look,
    level: Level,
    spec: &MapSpec,
    drawn: &[&Territory],
    un: Units,
    body: Rect,
    legend: &Boxed,
) -> Result<Arranged> {
    let (u, gap) = (un.u, un.gap);
    let l93 = Projection::Lambert93;
    let mainland = projected_bbox(
        &l93,
        drawn
            .iter()
            .filter(|t| drom_of(t).is_none())
            .map(|t| &t.geometry),
    );
    if !mainland.is_valid() {
        return Err(
            Error::usage("nothing to draw in metropolitan France").hint("check the boundaries")
        );
    }
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        DROM.iter()
            .filter(|_| look.layout.insets)
            .filter(|(d, _)| drawn.iter().any(|t| drom_of(t) == Some(*d)))
            .map(|(d, _)| d.to_string()),
    );
    if spec
        .idf_zoom
        .unwrap_or(look.layout.idf_zoom && level != Level::Region)
    {
        keys.push("idf".into());
    }
    let n = keys.len();
    let rows = n.div_ceil(2);
    let cw = legend.w.max(if n > 0 { 21.0 * u } else { 0.0 });
    let avail = Rect::new(body.x + cw + gap, body.y, body.w - cw - gap, body.h);
    let s = (f64::from(avail.w) / mainland.width()).min(f64::from(avail.h) / mainland.height());
    let (fw, fh) = (
        (mainland.width() * s) as f32,
        (mainland.height() * s) as f32,
    );
    // The column of the legend and insets goes left of the mainland, or right of it for a
    // legend on the right; the legend at its top, or at its bottom below the insets.
    use LegendPosition::{BottomLeft, BottomRight, Right, TopRight};
    let position = look.layout.legend;
    let on_right = matches!(position, TopRight | BottomRight | Right);
    let legend_below = matches!(position, BottomLeft | BottomRight);
    let start = body.x + (body.w - (cw + gap + fw)) / 2.0;
    let (left, main_x) = if on_right {
        (start + fw + gap, start)
    } else {
        (start, start + cw + gap)
    };
    let main_rect = Rect::new(main_x, body.y + (body.h - fh) / 2.0, fw, fh);
    let main = Frame::fit("main", l93, mainland, main_rect, 0.0);
    // The column runs along the mainland, or the whole body height when that is too short.
    let mut boxw = (cw - gap) / 2.0;
    let grid_h = |bw: f32| rows as f32 * bw + rows.saturating_sub(1) as f32 * gap;
    let (mut top, mut bottom) = (main_rect.y, main_rect.bottom());
    if legend.h + gap + grid_h(boxw) > bottom - top {
        (top, bottom) = (body.y, body.bottom());
        if rows > 0 && legend.h + gap + grid_h(boxw) > bottom - top {
            boxw = ((bottom - top - legend.h - gap - (rows - 1) as f32 * gap) / rows as f32)
                .max(4.0 * u);
        }
    }
    let (legend_top, grid_top) = if legend_below {
        (bottom - legend.h, top)
    } else {
        (top, bottom - grid_h(boxw))
    };
    let legend_rect = Rect::new(left, legend_top, legend.w, legend.h);
    let name_h = 2.2 * u;
    let mut insets = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let rect = Rect::new(
            left + (i % 2) as f32 * (boxw + gap),
            grid_top + (i / 2) as f32 * (boxw + gap),
            boxw,
            boxw,
        );
        let mut frame = if key == "idf" {
            let geoms = b
                .departements
                .territories
                .iter()
                .filter(|t| IDF_ZOOM.contains(&t.code.as_str()))
                .map(|t| &t.geometry);
            inset::fit("idf", l93, projected_bbox(&l93, geoms), rect, name_h)
        } else {
            let proj = for_departement(&key);
            let world = projected_bbox(
                &proj,
                drawn
                    .iter()
                    .filter(|t| drom_of(t) == Some(key.as_str()))
                    .map(|t| &t.geometry),
            );
            inset::fit(&key, proj, world, rect, name_h)
        };
        if key == "idf" {
            frame.id = "zoom-idf".into();
        }
        insets.push((frame, key));
    }
    Ok(Arranged {
        main,
        insets,
        legend: legend_rect,
        locator: None,
        scalebar: None,
    })
}

/// One région or département: the main frame over the whole body, legend and locator over
/// empty corners (the style's legend corner first), or in a column at the right when no
/// corner is free or the style asks for that column.
#[allow(clippy::too_many_arguments)]
fn arrange_within(
    b: &Boundaries,
    level: Level,
    spec: &MapSpec,
    drawn: &[&Territory],
    un: Units,
    body: Rect,
    legend: &Boxed,
    position: LegendPosition,
    occ0: &Occupancy,
) -> Result<Arranged> {
    let u = un.u;
    let overseas = drawn.iter().any(|t| drom_of(t).is_some());
    let side = 20.0 * u;
    let col_w = legend.w.max(if overseas { 0.0 } else { side });
    use super::layout::{Spot::*, candidates};
    // The legend's corner first, then the other corner on its side, then the opposite side.
    let legend_spots = match position {
        LegendPosition::TopLeft => [TopLeft, BottomLeft, TopRight, BottomRight, Left, Right],
        LegendPosition::TopRight => [TopRight, BottomRight, TopLeft, BottomLeft, Right, Left],
        LegendPosition::BottomRight => [BottomRight, TopRight, BottomLeft, TopLeft, Right, Left],
        _ => [BottomLeft, TopLeft, BottomRight, TopRight, Left, Right],
    };
    // The locator keeps clear of the legend's corner when it can.
    let mut locator_spots = vec![TopRight, TopLeft, BottomRight, BottomLeft];
    locator_spots.sort_by_key(|s| *s == legend_spots[0]);
    let layouts: &[bool] = if position == LegendPosition::Right {
        &[true]
    } else {
        &[false, true]
    };
    for &reserve in layouts {
        let map_body = if reserve {
            Rect::new(body.x, body.y, body.w - col_w - un.gap, body.h)
        } else {
            body
        };
        let main = within_frame(drawn, map_body);
        let mut occ = occ0.clone();
        fill_land(b, level, spec, drawn, &main, u, &mut occ);
        let area = main.rect.grow(-0.3 * u);
        let mut locator = None;
        if !overseas {
            let spot = if reserve {
                Some(Rect::new(body.right() - side, body.y, side, side * 0.95))
            } else {
                place(
                    &occ,
                    &candidates(area, side, side * 0.95, &locator_spots),
                    0.5 * u,
                    true,
                )
            };
            let Some(spot) = spot else { continue };
            occ.mark(spot);
            locator = Some(locator_frame(b, spot)?);
        }
        let legend_rect = if reserve {
            Some(Rect::new(
                body.right() - legend.w,
                body.bottom() - legend.h,
                legend.w,
                legend.h,
            ))
        } else {
            let cands = candidates(area, legend.w, legend.h, &legend_spots);
            place(&occ, &cands, 0.5 * u, true)
        };
        let Some(legend_rect) = legend_rect else {
            continue;
        };
        return Ok(Arranged {
            main,
            insets: Vec::new(),
            legend: legend_rect,
            locator,
            scalebar: None,
        });
    }
    unreachable!("the reserved layout always places the legend")
}

fn within_frame(drawn: &[&Territory], body: Rect) -> Frame {
    let proj = drawn
        .iter()
        .find_map(|t| drom_of(t))
        .map_or(Projection::Lambert93, for_departement);
    let world = projected_bbox(&proj, drawn.iter().map(|t| &t.geometry)).pad(0.03);
    Frame::fit("main", proj, world, body, 0.0)
}

/// Neighbouring départements in grey behind a région or département map.
fn context(
    b: &Boundaries,
    frame: &Frame,
    within: &Option<Within>,
    look: &Look,
    u: f32,
    tol: f32,
) -> Vec<Item> {
    let others: Vec<&Territory> = b
        .departements
        .territories
        .iter()
        .filter(|t| drom_of(t).is_none() && !in_extent(t, within))
        .collect();
    let geoms: Vec<_> = others.iter().map(|t| &t.geometry).collect();
    paths(frame, &geoms, tol)
        .into_iter()
        .filter(|p| {
            p.subpaths.iter().flatten().any(|q| {
                frame
                    .rect
                    .grow(50.0 * u)
                    .contains(&Rect::new(q[0], q[1], 0.0, 0.0))
            })
        })
        .map(|p| Item::Shape {
            id: None,
            title: None,
            path: p,
            fill: Some(Fill::Solid(look.context)),
            stroke: Some(Stroke {
                color: look.paper,
                width: (0.15 * u).max(0.5),
            }),
            bordered: false,
        })
        .collect()
}

/// Drops rings smaller than twice the outline's width, which would be blots of ink (islets
/// and generalisation slivers), keeping at least the largest ring.
fn drop_blots(p: &mut Path, stroke: Option<Stroke>) {
    let min = stroke.map_or(0.0, |s| 2.0 * s.width);
    let largest = p.subpaths.iter().map(|r| extent(r)).fold(0.0, f32::max);
    p.subpaths.retain(|r| {
        let e = extent(r);
        e >= min || e == largest
    });
}

/// Département and région outlines over the fills (each level above the mapped one).
fn borders(
    b: &Boundaries,
    level: Level,
    frame: &Frame,
    ts: &[&Territory],
    look: &Look,
    tol: f32,
) -> Vec<Item> {
    let mut out = Vec::new();
    for upper in [Level::Departement, Level::Region] {
        // The zoom shows part of a région: its outline would stray across the box.
        if upper <= level || (upper == Level::Region && frame.id == "zoom-idf") {
            continue;
        }
        let codes: std::collections::BTreeSet<&str> = ts
            .iter()
            .filter_map(|t| {
                if upper == Level::Departement {
                    t.departement.as_deref()
                } else {
                    t.region.as_deref()
                }
            })
            .collect();
        // Overseas départements are régions too: draw them once, at région weight.
        let layer = b.layer(upper);
        let uppers: Vec<&Territory> = codes
            .iter()
            .filter_map(|c| layer.get(c))
            .filter(|t| !(upper == Level::Departement && drom_of(t).is_some()))
            .collect();
        let geoms: Vec<_> = uppers.iter().map(|t| &t.geometry).collect();
        let mut ps = paths(frame, &geoms, tol);
        let stroke = look.stroke_in(upper, &ps);
        ps.par_iter_mut().for_each(|p| drop_blots(p, stroke));
        out.extend(border_items(&uppers, &ps, upper, stroke));
    }
    out
}

/// The outlines of a tiling of territories as border networks over their fills, each shared
/// border stroked once (see [`border_network`]). One network per parent territory, so that
/// they are built in parallel, in small tables: a border between two parents is drawn from
/// both sides, under the parent level's own thicker border.
fn border_items(ts: &[&Territory], ps: &[Path], level: Level, stroke: Option<Stroke>) -> Vec<Item> {
    let Some(stroke) = stroke else {
        return Vec::new();
    };
    let mut groups: BTreeMap<Option<&str>, Vec<&Path>> = BTreeMap::new();
    for (t, p) in ts.iter().zip(ps) {
        let parent = match level {
            Level::Commune => t.departement.as_deref(),
            Level::Departement => t.region.as_deref(),
            Level::Region => None,
        };
        groups.entry(parent).or_default().push(p);
    }
    let groups: Vec<Vec<&Path>> = groups.into_values().collect();
    groups
        .par_iter()
        .map(|g| border_network(g))
        .filter(|p| !p.subpaths.is_empty())
        .map(|path| Item::Shape {
            id: None,
            title: None,
            path,
            fill: None,
            stroke: Some(stroke),
            bordered: false,
        })
        .collect()
}

fn locator_frame(b: &Boundaries, rect: Rect) -> Result<Frame> {
    let l93 = Projection::Lambert93;
    let world = projected_bbox(
        &l93,
        b.regions
            .territories
            .iter()
            .filter(|t| drom_of(t).is_none())
            .map(|t| &t.geometry),
    );
    if !world.is_valid() {
        return Err(Error::usage("no metropolitan région to draw the locator")
            .hint("check the région boundaries"));
    }
    Ok(Frame::fit("locator", l93, world, rect, rect.w * 0.06))
}

/// Small map of France with the extent highlighted.
fn locator(b: &Boundaries, f: &Frame, within: &Option<Within>, look: &Look, u: f32) -> Item {
    let mut items = vec![rect_item(None, f.rect, Some(Fill::Solid(look.paper)), None)];
    let regs: Vec<&Territory> = b
        .regions
        .territories
        .iter()
        .filter(|t| drom_of(t).is_none())
        .collect();
    let geoms: Vec<_> = regs.iter().map(|t| &t.geometry).collect();
    let thin = Stroke {
        color: look.paper,
        width: (0.08 * u).max(0.4),
    };
    for p in paths(f, &geoms, 0.5) {
        items.push(Item::Shape {
            id: None,
            title: None,
            path: p,
            fill: Some(Fill::Solid(look.context)),
            stroke: Some(thin),
            bordered: false,
        });
    }
    let target: Vec<&Territory> = match within {
        Some(Within::Region(r)) => b.regions.get(r).into_iter().collect(),
        Some(Within::Departement(d)) => b.departements.get(d).into_iter().collect(),
        None => Vec::new(),
    };
    let geoms: Vec<_> = target.iter().map(|t| &t.geometry).collect();
    for p in paths(f, &geoms, 0.5) {
        items.push(Item::Shape {
            id: None,
            title: None,
            path: p,
            fill: Some(Fill::Solid(look.accent)),
            stroke: Some(thin),
            bordered: false,
        });
    }
    items.push(rect_item(
        None,
        f.rect,
        None,
        Some(Stroke {
            color: look.frame.color,
            width: (0.1 * u).max(0.5),
        }),
    ));
    Item::Group {
        id: Some("locator".into()),
        clip: Some(f.rect.array()),
        items,
    }
}

/// The style resolved to page pixels for one map.
#[derive(Debug, Clone)]
struct Look {
    paper: Rgba,
    sea: Rgba,
    ink: Rgba,
    muted: Rgba,
    warning: Rgba,
    no_data: Rgba,
    context: Rgba,
    accent: Rgba,
    frame: Stroke,
    no_data_label: String,
    small_sample_label: String,
    borders: [Option<Stroke>; 3],
    /// Per level, px: territories narrower on average get thinner lines ([`Look::stroke_in`]).
    fade_below: [Option<f32>; 3],
    hatch: Fill,
    title: f32,
    subtitle: f32,
    legend_title: f32,
    legend: f32,
    source: f32,
    labels: f32,
    scale_text: f32,
    counts: bool,
    legend_labels: LabelStyle,
    palette: String,
    method: Method,
    classes: Option<usize>,
    layout: crate::style::Layout,
}

fn rgba(c: Rgb) -> Rgba {
    Rgba::rgb(c.0, c.1, c.2)
}

impl Look {
    /// Points become pixels at `px_per_pt`; lines keep at least a visible width.
    fn new(style: &Style, px_per_pt: f32, min_n: u64) -> Look {
        let pt = |v: f64| v as f32 * px_per_pt;
        let stroke = |s: &crate::style::Stroke, min: f32| {
            (s.width > 0.0).then(|| Stroke {
                color: Rgba {
                    a: (s.opacity.clamp(0.0, 1.0) * 255.0).round() as u8,
                    ..rgba(s.colour)
                },
                width: pt(s.width).max(min),
            })
        };
        let h = &style.small_sample;
        Look {
            paper: rgba(style.colours.background),
            sea: rgba(style.colours.sea),
            ink: rgba(style.colours.text),
            muted: rgba(style.colours.muted),
            warning: rgba(style.colours.warning),
            no_data: rgba(style.no_data.colour),
            context: rgba(style.colours.context),
            accent: rgba(style.colours.accent),
            frame: stroke(&style.borders.inset, 0.6).unwrap_or(Stroke {
                color: rgba(style.borders.inset.colour),
                width: 0.0,
            }),
            no_data_label: style.no_data.label.clone(),
            small_sample_label: style
                .small_sample_label(usize::try_from(min_n).unwrap_or(usize::MAX)),
            borders: [
                stroke(&style.borders.commune, 0.2),
                stroke(&style.borders.departement, 0.5),
                stroke(&style.borders.region, 0.9),
            ],
            fade_below: [
                &style.borders.commune,
                &style.borders.departement,
                &style.borders.region,
            ]
            .map(|s| s.fade_below.map(pt)),
            hatch: Fill::Hatch {
                background: h.background.map(rgba),
                color: rgba(h.colour),
                width: pt(h.width).max(0.6),
                spacing: pt(h.spacing).max(3.0),
                angle: h.angle as f32,
            },
            title: pt(style.fonts.title),
            subtitle: pt(style.fonts.subtitle),
            legend_title: pt(style.fonts.legend_title),
            legend: pt(style.fonts.legend),
            source: pt(style.fonts.source),
            labels: pt(style.fonts.labels),
            scale_text: pt(style.fonts.legend) * 0.85,
            counts: style.legend.counts,
            legend_labels: style.legend.labels,
            palette: style.palette.clone(),
            method: style.method.clone(),
            classes: style.classes,
            layout: style.layout.clone(),
        }
    }

    /// Outline of a level: communes hairline, départements thicker, régions thickest.
    fn stroke(&self, level: Level) -> Option<Stroke> {
        self.borders[level as usize]
    }

    /// Outline of a level in one frame whose territories are drawn as `ps`: fainter in
    /// proportion where they are on average narrower than the style's `fade_below`, so that
    /// the lines' share of the page stays about the same whatever the number of territories.
    /// Thinner down to half a pixel, then more transparent: PDF and SVG viewers draw any line
    /// at least one device pixel wide, so a thinner width alone would not lighten them.
    fn stroke_in(&self, level: Level, ps: &[Path]) -> Option<Stroke> {
        const THINNEST: f32 = 0.5;
        let s = self.stroke(level)?;
        let (Some(fade), false) = (self.fade_below[level as usize], ps.is_empty()) else {
            return Some(s);
        };
        let widths = ps
            .iter()
            .map(|p| p.subpaths.iter().map(|r| extent(r)).fold(0.0, f32::max));
        let typical = widths.sum::<f32>() / ps.len() as f32;
        let ink = s.width * (typical / fade).min(1.0);
        let width = ink.max(s.width.min(THINNEST));
        let a = (f32::from(s.color.a) * ink / width)
            .round()
            .clamp(1.0, 255.0) as u8;
        Some(Stroke {
            width,
            color: Rgba { a, ..s.color },
        })
    }
}
