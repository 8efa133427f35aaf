//! PDF backend: vector paths and real, searchable text through `krilla` (typst's PDF writer:
//! pure Rust, subsets and embeds the DejaVu faces with a ToUnicode map, writes XMP metadata).
//!
//! Scene pixels become points at `dpi` scene px per inch: at the default [`CSS_DPI`](super::raster::CSS_DPI) the page
//! has the size the SVG has in a browser; a 3000-px print map at 300 dpi is 25.4 cm wide.
//! Glyphs are placed one by one at the positions [`text::layout`] computed, so the PDF shows
//! exactly what the layout measured.

use std::sync::Arc;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{self, FillRule, LineCap, LineJoin};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use super::scene::{Fill, Item, Path, Rgba, Scene, Stroke, Text, Weight};
use super::text;
use crate::{Error, Result};

/// Largest page side PDF viewers accept (Acrobat: 200 in).
const MAX_POINTS: f32 = 14_400.0;

/// Renders `scene` as a one-page PDF, `dpi` scene pixels per inch ([`CSS_DPI`](super::raster::CSS_DPI) = 96 matches
/// the SVG's physical size; 300 suits a print-resolution layout).
pub fn render_pdf(scene: &Scene, dpi: f32) -> Result<Vec<u8>> {
    let k = 72.0 / dpi;
    let (w, h) = (scene.width * k, scene.height * k);
    let size = Size::from_wh(w, h)
        .filter(|_| dpi.is_finite() && w <= MAX_POINTS && h <= MAX_POINTS)
        .ok_or_else(|| {
            Error::usage(format!(
                "cannot make a PDF page of {}x{} px at {dpi} dpi",
                scene.width, scene.height
            ))
            .hint(format!(
                "a PDF page side must be at most {MAX_POINTS} pt (200 in): raise the dpi"
            ))
        })?;
    let mut doc = Document::new_with(SerializeSettings::default());
    let mut metadata = Metadata::new()
        .language("fr".into())
        .creator(format!("phare {}", env!("CARGO_PKG_VERSION")));
    if !scene.title.is_empty() {
        metadata = metadata.title(scene.title.clone());
    }
    if !scene.description.is_empty() {
        metadata = metadata.description(scene.description.clone());
    }
    doc.set_metadata(metadata);
    {
        let mut page = doc.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        surface.push_transform(&Transform::from_scale(k, k));
        let mut pdf = Pdf::new(scene);
        if scene.background.a > 0 {
            let bg = Path::rect(0.0, 0.0, scene.width, scene.height);
            pdf.shape(
                &mut surface,
                &bg,
                Some(&Fill::Solid(scene.background)),
                None,
            );
        }
        pdf.items(&mut surface, &scene.items);
        surface.pop();
        surface.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| Error::usage(format!("PDF export failed: {e:?}")))
}

/// Per-document state: fonts and hatch patterns, made once.
struct Pdf<'a> {
    hatches: Vec<&'a Fill>,
    patterns: Vec<Option<paint::Pattern>>,
    regular: Option<Font>,
    bold: Option<Font>,
}

impl<'a> Pdf<'a> {
    fn new(scene: &'a Scene) -> Pdf<'a> {
        let font = |w: Weight| {
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(text::font_data(w));
            Font::new(data.into(), 0)
        };
        let hatches = scene.hatch_fills();
        Pdf {
            patterns: vec![None; hatches.len()],
            hatches,
            regular: font(Weight::Regular),
            bold: font(Weight::Bold),
        }
    }

    fn items(&mut self, surface: &mut Surface, items: &[Item]) {
        for item in items {
            match item {
                Item::Shape {
                    path, fill, stroke, ..
                } => self.shape(surface, path, fill.as_ref(), *stroke),
                Item::Text(t) => self.text(surface, t),
                Item::Group { clip, items, .. } => {
                    let clip_path = clip.and_then(|[x, y, w, h]| pdf_path(&Path::rect(x, y, w, h)));
                    if let Some(p) = &clip_path {
                        surface.push_clip_path(p, &FillRule::NonZero);
                    }
                    self.items(surface, items);
                    if clip_path.is_some() {
                        surface.pop();
                    }
                }
            }
        }
    }

    fn shape(
        &mut self,
        surface: &mut Surface,
        path: &Path,
        fill: Option<&Fill>,
        stroke: Option<Stroke>,
    ) {
        let Some(p) = pdf_path(path) else { return };
        let fill = fill.and_then(|f| {
            let (paint, opacity) = match f {
                Fill::Solid(c) => (paint::Paint::from(color(*c)), opacity(*c)),
                Fill::Hatch { .. } => (self.pattern(surface, f)?.into(), NormalizedF32::ONE),
            };
            Some(paint::Fill {
                paint,
                opacity,
                rule: FillRule::EvenOdd,
            })
        });
        if fill.is_none() && stroke.is_none() {
            return;
        }
        surface.set_fill(fill);
        surface.set_stroke(stroke.filter(|s| s.width > 0.0).map(pdf_stroke));
        surface.draw_path(&p);
    }

    /// The tiling pattern of a hatch fill: the tile the raster and SVG backends use.
    fn pattern(&mut self, surface: &mut Surface, fill: &Fill) -> Option<paint::Pattern> {
        let i = self.hatches.iter().position(|h| *h == fill)?;
        if let Some(p) = &self.patterns[i] {
            return Some(p.clone());
        }
        let Fill::Hatch {
            background,
            color: line,
            width,
            spacing,
            angle,
        } = *fill
        else {
            return None;
        };
        let mut builder = surface.stream_builder();
        let mut tile = builder.surface();
        if let Some(bg) = background {
            tile.set_fill(Some(solid(bg)));
            tile.set_stroke(None);
            tile.draw_path(&pdf_path(&Path::rect(0.0, 0.0, 8.0, spacing))?);
        }
        tile.set_fill(Some(solid(line)));
        tile.set_stroke(None);
        tile.draw_path(&pdf_path(&Path::rect(
            0.0,
            spacing / 2.0 - width / 2.0,
            8.0,
            width,
        ))?);
        tile.finish();
        let pattern = paint::Pattern {
            stream: builder.finish(),
            transform: Transform::from_rotate(-angle),
            width: 8.0,
            height: spacing,
        };
        self.patterns[i] = Some(pattern.clone());
        Some(pattern)
    }

    /// Real text (selectable, searchable); the halo is the stroked glyph outlines underneath,
    /// drawn as paths so that copying the text does not yield it twice.
    fn text(&mut self, surface: &mut Surface, t: &Text) {
        let font = match t.weight {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        };
        let Some(font) = font else { return };
        let placed = text::layout(&t.text, t.size, t.weight);
        let width: f32 = placed.iter().map(|g| g.advance).sum();
        let mut offset = 0;
        let glyphs: Vec<KrillaGlyph> = placed
            .iter()
            .map(|g| {
                let start = offset;
                offset += g.ch.len_utf8();
                KrillaGlyph {
                    glyph_id: GlyphId::new(u32::from(g.id)),
                    text_range: start..offset,
                    x_advance: g.advance / t.size,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    y_advance: 0.0,
                    location: None,
                }
            })
            .collect();
        let origin = Point::from_xy(text::start_x(t, width), t.y);
        if let Some(halo) = t.halo.filter(|h| h.width > 0.0) {
            surface.set_fill(None);
            surface.set_stroke(Some(pdf_stroke(halo)));
            surface.draw_glyphs(origin, &glyphs, font.clone(), &t.text, t.size, true);
        }
        surface.set_fill(Some(paint::Fill {
            paint: color(t.color).into(),
            opacity: opacity(t.color),
            rule: FillRule::NonZero,
        }));
        surface.set_stroke(None);
        surface.draw_glyphs(origin, &glyphs, font, &t.text, t.size, false);
    }
}

fn color(c: Rgba) -> rgb::Color {
    rgb::Color::new(c.r, c.g, c.b)
}

fn opacity(c: Rgba) -> NormalizedF32 {
    NormalizedF32::new(f32::from(c.a) / 255.0).unwrap_or(NormalizedF32::ONE)
}

fn solid(c: Rgba) -> paint::Fill {
    paint::Fill {
        paint: color(c).into(),
        opacity: opacity(c),
        rule: FillRule::NonZero,
    }
}

fn pdf_stroke(s: Stroke) -> paint::Stroke {
    paint::Stroke {
        paint: color(s.color).into(),
        width: s.width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        opacity: opacity(s.color),
        ..Default::default()
    }
}

/// A scene path as a krilla path; `None` when it has no segment.
fn pdf_path(path: &Path) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    for sub in path.subpaths.iter().filter(|s| s.len() >= 2) {
        pb.move_to(sub[0][0], sub[0][1]);
        for p in &sub[1..] {
            pb.line_to(p[0], p[1]);
        }
        if path.closed {
            pb.close();
        }
    }
    pb.finish()
}
