//! Small multiples: one measure drawn once per group (one panel per actor type), every panel
//! on the same classes, with one legend, one title and one source line for the figure, so
//! that the panels compare at a glance.
//!
//! Each panel is a [`build_scene`] map of its own (insets, borders, hatching of small
//! samples) drawn at the panel's size with the figure's text scale, without legend, scale bar
//! or source line, then moved into its cell of the grid.

use serde::Serialize;

use super::furniture::{text_block, wrap};
use super::layout::Rect;
use super::legend::{Entry, Legend};
use super::map::{MapSpec, Provenance, Within, build_scene};
use super::scene::{Anchor, Fill, Item, Rgba, Scene, Stroke, Weight};
use crate::boundaries::Boundaries;
use crate::classify::{Classification, LabelStyle, classify};
use crate::style::{LegendPosition, Style};
use crate::values::{MapData, fr_int};
use crate::{Error, Level, Result, Territory};

/// One panel: a heading (`Maires`) and its values.
#[derive(Debug, Clone)]
pub struct Panel {
    /// Heading drawn above the panel.
    pub heading: String,
    /// Values of this group.
    pub data: MapData,
}

/// One panel in the sidecar.
#[derive(Debug, Clone, Serialize)]
pub struct PanelInfo {
    /// Heading.
    pub heading: String,
    /// Respondents behind the panel, in the extent drawn.
    pub n: Option<u64>,
    /// The panel's own provenance (its classes count its territories).
    pub provenance: Provenance,
}

/// The sidecar of a small-multiples figure.
#[derive(Debug, Clone, Serialize)]
pub struct MultiplesProvenance {
    /// Figure title.
    pub title: String,
    /// Measure drawn.
    pub measure: String,
    /// Shared class method (`quantile`...), as asked.
    pub method: String,
    /// Shared breaks, lowest to highest; empty when no panel has a value to show.
    pub breaks: Vec<f64>,
    /// Any panel holds synthetic data.
    pub synthetic: bool,
    /// Source line as drawn.
    pub source: String,
    /// Panels, in drawing order.
    pub panels: Vec<PanelInfo>,
}

/// Values shown in colour: known and from a sufficient sample.
fn shown<'a>(
    data: &'a MapData,
    keep: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = f64> + 'a {
    data.values
        .iter()
        .filter(move |(code, _)| keep(code))
        .filter(|(_, d)| !d.insufficient)
        .filter_map(|(_, d)| d.value)
}

/// Classes over `values` with the method and class count of `spec` (else the style's), for
/// several maps to share ([`MapSpec::classification`]); None without any value.
pub fn shared_classes(
    values: &[f64],
    style: &Style,
    spec: &MapSpec,
) -> Result<Option<Classification>> {
    if values.is_empty() {
        return Ok(None);
    }
    let method = spec.method.as_ref().unwrap_or(&style.method);
    classify(values, method, spec.classes.or(style.classes)).map(Some)
}

fn in_within(t: &Territory, within: &Option<Within>) -> bool {
    match within {
        None => true,
        Some(Within::Region(r)) => t.region.as_deref() == Some(r.as_str()),
        Some(Within::Departement(d)) => t.departement.as_deref() == Some(d.as_str()),
    }
}

/// Moves every item by (`dx`, `dy`) page px.
fn shift(items: &mut [Item], dx: f32, dy: f32) {
    for item in items {
        match item {
            Item::Shape { path, .. } => {
                for p in path.subpaths.iter_mut().flatten() {
                    p[0] += dx;
                    p[1] += dy;
                }
            }
            Item::Text(t) => {
                t.x += dx;
                t.y += dy;
            }
            Item::Group { clip, items, .. } => {
                if let Some(c) = clip {
                    c[0] += dx;
                    c[1] += dy;
                }
                shift(items, dx, dy);
            }
        }
    }
}

fn rgba(c: crate::style::Rgb) -> Rgba {
    Rgba::rgb(c.0, c.1, c.2)
}

/// Builds the small-multiples figure: panels in a grid (two columns up to four panels,
/// three beyond), classes shared by all panels, the legend in a column at the right.
/// `spec` gives the page, level, extent and classes; its title and source head and foot the
/// figure (default: the first panel's title, and its source).
pub fn build(
    b: &Boundaries,
    panels: &[Panel],
    style: &Style,
    spec: &MapSpec,
) -> Result<(Scene, MultiplesProvenance)> {
    let Some(first) = panels.first() else {
        return Err(Error::usage("no panel to draw").hint("give at least one group"));
    };
    let (pw, ph) = (spec.width as f32, spec.height as f32);
    let px_pt = spec.resolved_px_per_pt(style);
    let pt = |v: f64| v as f32 * px_pt;
    let u = pw.min(ph) / 100.0;
    let (margin, gap) = (2.5 * u, 1.2 * u);
    let ink = rgba(style.colours.text);
    let muted = rgba(style.colours.muted);

    // One classification over every panel's shown values in the extent.
    let layer = b.layer(spec.level);
    let keep = |code: &str| layer.get(code).is_some_and(|t| in_within(t, &spec.within));
    let values: Vec<f64> = panels.iter().flat_map(|p| shown(&p.data, keep)).collect();
    let cls = shared_classes(&values, style, spec)?;

    // Header and footer.
    let text_w = pw - 2.0 * margin;
    let title = spec
        .title
        .clone()
        .unwrap_or_else(|| first.data.title.clone());
    let by = match spec.level {
        Level::Commune => "Par commune",
        Level::Departement => "Par département",
        Level::Region => "Par région",
    };
    let subtitle = spec.subtitle.clone().unwrap_or_else(|| {
        format!("{by}, selon le type de répondant ; mêmes classes pour toutes les cartes")
    });
    let synthetic = panels.iter().any(|p| p.data.synthetic);
    let mut items = Vec::new();
    let mut y = margin;
    let blocks = [
        (title.as_str(), pt(style.fonts.title), Weight::Bold, ink),
        (
            subtitle.as_str(),
            pt(style.fonts.subtitle),
            Weight::Regular,
            muted,
        ),
        (
            if synthetic { "Données simulées" } else { "" },
            pt(style.fonts.subtitle),
            Weight::Bold,
            rgba(style.colours.warning),
        ),
    ];
    for (text, size, weight, color) in blocks.into_iter().filter(|b| !b.0.is_empty()) {
        let lines = wrap(text, size, weight, text_w);
        let (block, h) = text_block(&lines, margin, y, size, weight, Anchor::Start, color);
        items.extend(block);
        y += h + 0.3 * u;
    }
    let src = spec
        .source
        .clone()
        .unwrap_or_else(|| first.data.source.clone());
    let source_line = format!("Source : {src} ; {}", first.data.credit);
    let foot_size = pt(style.fonts.source);
    let foot_lines = wrap(&source_line, foot_size, Weight::Regular, text_w);
    let foot_top = ph - margin - foot_lines.len() as f32 * foot_size * 1.25;
    let (footer, _) = text_block(
        &foot_lines,
        margin,
        foot_top,
        foot_size,
        Weight::Regular,
        Anchor::Start,
        muted,
    );

    // Panels, drawn at their cell size with the figure's text scale.
    let cols = if panels.len() <= 4 { 2 } else { 3 }.min(panels.len());
    let rows = panels.len().div_ceil(cols);
    let legend_w = 21.0 * u;
    let grid = Rect::new(
        margin,
        y + gap,
        text_w - legend_w - gap,
        foot_top - gap - (y + gap),
    );
    let cw = (grid.w - (cols - 1) as f32 * gap) / cols as f32;
    let ch = (grid.h - (rows - 1) as f32 * gap) / rows as f32;
    if cw < 200.0 || ch < 200.0 {
        return Err(Error::usage(format!(
            "a {}x{} px page is too small for {} panels",
            spec.width,
            spec.height,
            panels.len()
        ))
        .hint("use --size 2400 or more"));
    }
    let mut panel_style = style.clone();
    panel_style.layout.legend = LegendPosition::None;
    panel_style.layout.scale_bar = false;
    panel_style.fonts.title = style.fonts.subtitle * 1.15;
    panel_style.fonts.subtitle = style.fonts.legend;
    // The panels' source lines are dropped: keep the room they reserve small.
    panel_style.fonts.source = 1.0;
    let mut infos = Vec::new();
    let mut hatch: Option<Fill> = None;
    let (mut no_data, mut insufficient) = (0, 0);
    for (i, p) in panels.iter().enumerate() {
        let mut data = p.data.clone();
        data.synthetic = false;
        // Respondents in the extent: the national n, or the sum over the territories drawn.
        let n = match spec.within {
            None => p.data.n,
            Some(_) => Some(
                p.data
                    .values
                    .iter()
                    .filter(|(code, _)| keep(code))
                    .filter_map(|(_, d)| d.n)
                    .sum(),
            ),
        };
        let panel_spec = MapSpec {
            width: cw.floor() as u32,
            height: ch.floor() as u32,
            title: Some(p.heading.clone()),
            subtitle: Some(match n {
                Some(n) if n > 0 => format!("n = {} répondants", fr_int(n as f64)),
                _ => "aucune réponse".to_string(),
            }),
            source: Some("-".into()),
            classification: cls.clone(),
            px_per_pt: Some(px_pt),
            ..spec.clone()
        };
        let (mut scene, prov) = build_scene(b, &data, &panel_style, &panel_spec)?;
        if hatch.is_none() {
            hatch = scene.hatch_fills().first().map(|f| (*f).clone());
        }
        no_data += prov.no_data;
        insufficient += prov.insufficient;
        let foot = 0.9 * ch;
        scene.items.retain(|it| match it {
            Item::Text(t) => t.y < foot || !prov.source.contains(t.text.as_str()),
            _ => true,
        });
        let (x, y) = (
            grid.x + (i % cols) as f32 * (cw + gap),
            grid.y + (i / cols) as f32 * (ch + gap),
        );
        shift(&mut scene.items, x, y);
        items.push(Item::Group {
            id: Some(format!("panel-{}", i + 1)),
            clip: Some([x, y, cw, ch]),
            items: scene.items,
        });
        infos.push(PanelInfo {
            heading: p.heading.clone(),
            n,
            provenance: prov,
        });
    }

    // One legend for all panels.
    let fmt = &first.data.format;
    let (fills, ticks) = match &cls {
        Some(c) => {
            let colors = crate::style::palette(&style.palette, c.len())?;
            let ticks = c.legend_ticks(fmt, LabelStyle::Words);
            (
                colors.into_iter().map(|c| Fill::Solid(rgba(c))).collect(),
                ticks,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut extra = Vec::new();
    if no_data > 0 {
        extra.push(Entry {
            fill: Fill::Solid(rgba(style.no_data.colour)),
            label: style.no_data.label.clone(),
            count: no_data,
        });
    }
    if let (true, Some(h)) = (insufficient > 0, hatch) {
        extra.push(Entry {
            fill: h,
            label: style.small_sample_label(usize::try_from(spec.min_n).unwrap_or(usize::MAX)),
            count: insufficient,
        });
    }
    let mut legend = Legend {
        title: Vec::new(),
        classes: fills,
        counts: Vec::new(),
        ticks,
        extra,
        notes: Vec::new(),
        size: pt(style.fonts.legend),
        title_size: pt(style.fonts.legend_title),
        ink,
        edge: Stroke {
            color: Rgba::rgb(120, 120, 120),
            width: (0.06 * u).max(0.5),
        },
    };
    let method_name = spec.method.as_ref().unwrap_or(&style.method);
    let notes = vec![
        format!("Discrétisation : {}", method_name.name_fr()),
        format!("Mêmes classes pour les {} cartes", panels.len()),
    ];
    legend.fit_width(&first.data.label, &notes, legend_w);
    let (lw, lh) = legend.size();
    items.extend(legend.draw(Rect::new(pw - margin - lw, grid.y, lw, lh)));
    items.extend(footer);

    let breaks = cls.as_ref().map(|c| c.breaks.clone()).unwrap_or_default();
    let prov = MultiplesProvenance {
        title: title.clone(),
        measure: first.data.measure.clone(),
        method: method_name.to_string(),
        breaks,
        synthetic,
        source: source_line,
        panels: infos,
    };
    let description = format!(
        "Petits multiples. {title}. {subtitle}. {} cartes : {}.{}",
        panels.len(),
        panels
            .iter()
            .map(|p| p.heading.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if synthetic {
            " Données simulées."
        } else {
            ""
        }
    );
    let scene = Scene {
        width: pw,
        height: ph,
        background: rgba(style.colours.background),
        items,
        title,
        description,
    };
    Ok((scene, prov))
}
