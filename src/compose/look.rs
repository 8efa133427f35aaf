//! A style resolved to the pixels of one page: colours as scene colours, points as pixels,
//! and the page's units of spacing.

use crate::Level;
use crate::classify::{LabelStyle, Method};
use crate::render::layout::extent;
use crate::render::scene::{Fill, Path, Rgba, Stroke};
use crate::style::{Rgb, Style};

/// A style colour as an opaque scene colour.
pub fn rgba(c: Rgb) -> Rgba {
    Rgba::rgb(c.0, c.1, c.2)
}

/// Spacing derived from the page: one unit is a hundredth of its smaller side, so a map
/// keeps its proportions at any pixel size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Units {
    /// One unit, px.
    pub u: f32,
    /// Blank margin around the page, px.
    pub margin: f32,
    /// Space between the blocks of the page (header, body, footer, panels), px.
    pub gap: f32,
}

impl Units {
    /// The units of a `width` × `height` px page.
    pub fn of_page(width: f32, height: f32) -> Units {
        let u = width.min(height) / 100.0;
        Units {
            u,
            margin: 2.5 * u,
            gap: 1.2 * u,
        }
    }
}

/// The style resolved to page pixels for one map.
#[derive(Debug, Clone)]
pub(crate) struct Look {
    pub paper: Rgba,
    pub sea: Rgba,
    pub ink: Rgba,
    pub muted: Rgba,
    pub warning: Rgba,
    pub no_data: Rgba,
    pub context: Rgba,
    pub accent: Rgba,
    pub frame: Stroke,
    pub no_data_label: String,
    pub small_sample_label: String,
    borders: [Option<Stroke>; 3],
    /// Per level, px: territories narrower on average get thinner lines ([`Look::stroke_in`]).
    fade_below: [Option<f32>; 3],
    pub hatch: Fill,
    pub title: f32,
    pub subtitle: f32,
    pub legend_title: f32,
    pub legend: f32,
    pub source: f32,
    pub labels: f32,
    pub scale_text: f32,
    pub counts: bool,
    pub legend_labels: LabelStyle,
    pub palette: String,
    pub method: Method,
    pub classes: Option<usize>,
    pub layout: crate::style::Layout,
}

impl Look {
    /// Points become pixels at `px_per_pt`; lines keep at least a visible width.
    pub fn new(style: &Style, px_per_pt: f32, min_n: u64) -> Look {
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
    pub fn stroke_in(&self, level: Level, ps: &[Path]) -> Option<Stroke> {
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
