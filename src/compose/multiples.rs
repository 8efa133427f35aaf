//! Small multiples: one measure drawn once per group (one panel per actor type), every panel
//! on the same classes, with one legend, one title and one source line for the figure, so
//! that the panels compare at a glance.
//!
//! Each panel is a map composed like a page ([`compose`]: insets, borders, hatching of small
//! samples) at the panel's size with the figure's text scale, without legend, scale bar or
//! source line, then moved into its cell of the grid. The figure's header, legend and footer
//! are the map page's pieces.

use serde::Serialize;

use super::legend::{Legend, set_apart};
use super::look::{Look, Units, rgba};
use super::map::{MapSpec, Parts, Provenance, compose};
use super::page_text::{footer, header, source_line};
use crate::boundaries::Boundaries;
use crate::classify::{Classification, LabelStyle, classify};
use crate::render::layout::Rect;
use crate::render::scene::{Fill, Item, Scene};
use crate::style::{LegendPosition, Style};
use crate::values::{MapData, fr_int};
use crate::{Error, Level, Result, Setting};

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
    /// Every warning of the figure: the stages behind it, the shared classes', then each
    /// panel's prefixed with its heading; printed on stderr too.
    pub warnings: Vec<String>,
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
    let look = Look::new(style, px_pt, spec.min_n);
    let un = Units::of_page(pw, ph);
    let (u, gap) = (un.u, un.gap);

    // One classification over every panel's shown values in the extent.
    let layer = b.layer(spec.level);
    let keep = |code: &str| {
        layer
            .get(code)
            .is_some_and(|t| spec.within.as_ref().is_none_or(|w| w.contains(t)))
    };
    let values: Vec<f64> = panels.iter().flat_map(|p| shown(&p.data, keep)).collect();
    let cls = shared_classes(&values, style, spec)?;

    // Header and footer of the figure, as on a map page.
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
    let head = header(&title, &subtitle, synthetic, &look, un, pw);
    let source = source_line(
        spec.source.as_deref().unwrap_or(&first.data.source),
        &first.data.credit,
    );
    let foot = footer(&source, &look, un, pw, ph);
    let mut items = head.items;

    // Panels, drawn at their cell size with the figure's text scale.
    let cols = if panels.len() <= 4 { 2 } else { 3 }.min(panels.len());
    let rows = panels.len().div_ceil(cols);
    let legend_w = 21.0 * u;
    let top = un.margin + head.height + gap;
    let grid = Rect::new(
        un.margin,
        top,
        pw - 2.0 * un.margin - legend_w - gap,
        ph - un.margin - foot.height - gap - top,
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
        .hint("use a page of 2400 px or more")
        .about(Setting::PageSize));
    }
    let mut panel_style = style.clone();
    panel_style.layout.legend = LegendPosition::None;
    panel_style.layout.scale_bar = false;
    panel_style.fonts.title = style.fonts.subtitle * 1.15;
    panel_style.fonts.subtitle = style.fonts.legend;
    // A panel is a map without source line: the figure's is drawn once below the grid.
    let panel_parts = Parts {
        header: true,
        footer: false,
    };
    let mut infos = Vec::new();
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
            classification: cls.clone(),
            px_per_pt: Some(px_pt),
            ..spec.clone()
        };
        let mut panel = compose(b, &data, &panel_style, &panel_spec, panel_parts)?;
        let prov = panel.provenance;
        no_data += prov.no_data;
        insufficient += prov.insufficient;
        let (x, y) = (
            grid.x + (i % cols) as f32 * (cw + gap),
            grid.y + (i / cols) as f32 * (ch + gap),
        );
        shift(&mut panel.items, x, y);
        items.push(Item::Group {
            id: Some(format!("panel-{}", i + 1)),
            clip: Some([x, y, cw, ch]),
            items: panel.items,
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
    let mut legend = Legend {
        classes: fills,
        ticks,
        extra: set_apart(&look, no_data, insufficient),
        ..Legend::styled(&look, u)
    };
    let method_name = spec.method.as_ref().unwrap_or(&style.method);
    let notes = vec![
        format!("Discrétisation : {}", method_name.name_fr()),
        format!("Mêmes classes pour les {} cartes", panels.len()),
    ];
    legend.fit_width(&first.data.label, &notes, legend_w);
    let (lw, lh) = legend.size();
    items.extend(legend.draw(Rect::new(pw - un.margin - lw, grid.y, lw, lh)));
    items.extend(foot.items);

    let breaks = cls.as_ref().map(|c| c.breaks.clone()).unwrap_or_default();
    let mut warnings = cls.as_ref().map_or_else(Vec::new, |c| c.warnings.clone());
    for info in &infos {
        let heading = &info.heading;
        warnings.extend(
            info.provenance
                .warnings
                .iter()
                .map(|w| format!("{heading}: {w}")),
        );
    }
    let prov = MultiplesProvenance {
        title: title.clone(),
        measure: first.data.measure.clone(),
        method: method_name.to_string(),
        breaks,
        synthetic,
        source,
        panels: infos,
        warnings,
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
        background: look.paper,
        items,
        title,
        description,
    };
    Ok((scene, prov))
}
