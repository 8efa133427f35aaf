//! Raster backend: draws a [`Scene`] with tiny-skia, encodes PNG with the `png` crate.
//!
//! Filled shapes are filled *without* anti-aliasing: adjacent polygons then tile exactly, with
//! no conflation seam where the background shows through a shared edge (crates.md §1.5), and
//! non-AA fills are the fastest tiny-skia path. A shape without a stroke then gets a
//! 1-device-px anti-aliased hairline in its own paint (a "feather"), so its edges stay smooth;
//! a shape with a stroke is edged by that stroke instead, and so is a territory marked
//! `bordered`, whose outline the map's border network strokes.
//!
//! Polyline strokes up to `stroke::MAX_WIDTH` (4) device px (borders, feathers, frames: most
//! of a map's raster time) are drawn by the `stroke` module's coverage rasteriser, runs of
//! one paint composited together; wider or curved ones (text halos) are outlined once and
//! filled by tiny-skia.
//!
//! The page is cut into fixed [`BAND`]-row bands rendered on rayon threads straight into the
//! final buffer. The cut does not depend on the number of threads, so the output is
//! byte-identical whatever the parallelism. Work that does not depend on the band is done
//! once, before: device paths, the outlines of wide strokes, and the cutting of border
//! networks into pieces a band tall.

use std::io::Write;

use rayon::prelude::*;
use tiny_skia::{
    FillRule, FilterQuality, LineCap, LineJoin, Mask, Paint, PathBuilder, PathSegment, Pattern,
    Pixmap, PixmapMut, Rect, Shader, SpreadMode, Transform,
};

use super::scene::{Fill, Item, Rgba, Scene, Stroke};
use super::stroke::{self, Coverage};
use super::text;
use crate::{Error, Result};

/// Rows per band: small enough to balance two to eight threads on a 3000-px page, big enough
/// that the per-band cost of walking the display list stays negligible.
const BAND: u32 = 128;

/// Device pixels per inch of a scene pixel at scale 1: scene pixels are CSS pixels, as in SVG.
pub const CSS_DPI: f32 = 96.0;

/// Largest page side, device px (tiny-skia's own limit is higher; this keeps memory sane).
const MAX_SIDE: f32 = 32_000.0;

/// Renders `scene` at `scale` device px per scene px (2 = twice the size, for print).
pub fn render_pixmap(scene: &Scene, scale: f32) -> Result<Pixmap> {
    let (w, h) = device_size(scene, scale)?;
    let mut pixmap = Pixmap::new(w, h)
        .ok_or_else(|| Error::usage(format!("cannot allocate a {w}x{h} image")))?;
    let hatches = scene.hatch_fills();
    let tiles: Vec<Option<HatchTile>> = hatches.iter().map(|h| HatchTile::new(h, scale)).collect();
    // Converting to device paths is the vertex-heavy part: in parallel.
    let items: Vec<Prepared> = scene
        .items
        .par_iter()
        .flat_map_iter(|i| prepare(i, scale, &hatches))
        .collect();
    let background = color(scene.background);
    let row_bytes = w as usize * 4;
    pixmap
        .data_mut()
        .par_chunks_mut(row_bytes * BAND as usize)
        .enumerate()
        .for_each(|(i, chunk)| {
            let rows = (chunk.len() / row_bytes) as u32;
            if let (Some(mut band), Some(mut strokes)) = (
                PixmapMut::from_bytes(chunk, w, rows),
                Coverage::new(w, rows),
            ) {
                band.fill(background);
                let canvas = Band {
                    y0: (i as u32 * BAND) as f32,
                    bottom: (i as u32 * BAND + rows) as f32,
                    tiles: &tiles,
                };
                let mut pending = Pending {
                    coverage: &mut strokes,
                    paint: None,
                };
                canvas.draw(&mut band, &items, None, &mut pending);
            }
        });
    Ok(pixmap)
}

/// Renders `scene` to PNG bytes: pHYs from `scale` (see [`CSS_DPI`]), the title and
/// description as text chunks (the image's text alternative), fast deflate.
pub fn render_png(scene: &Scene, scale: f32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    render_png_to(scene, scale, CSS_DPI, &mut out)?;
    Ok(out)
}

/// [`render_png`] into a writer (the output file, as it is encoded), the scene drawn at
/// `scene_dpi` scene pixels per inch: pHYs says `scene_dpi * scale`, so that a map made for
/// 18 cm at 300 dpi is placed at 18 cm by a word processor.
pub fn render_png_to(scene: &Scene, scale: f32, scene_dpi: f32, out: &mut dyn Write) -> Result<()> {
    let pixmap = render_pixmap(scene, scale)?;
    write_png(
        pixmap,
        scene_dpi * scale,
        &[("Title", &scene.title), ("Description", &scene.description)],
        out,
    )
}

/// Encodes an image to PNG bytes, as [`write_png`] does.
pub fn encode_png(pixmap: Pixmap, dpi: f32, texts: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_png(pixmap, dpi, texts, &mut out)?;
    Ok(out)
}

/// Writes an image as PNG, `dpi` into pHYs, `texts` as tEXt (Latin-1) or iTXt (other) chunks. An
/// opaque image (the usual map on an opaque background) is written as RGB: a quarter less
/// data to compress. Rows are filtered with `Up` and deflated by fdeflate: on a 3000-px
/// commune map that is 3x faster than adaptive filtering for a file 2 % larger (and 6x
/// faster than zlib's default level for one 13 % larger).
pub fn write_png(
    pixmap: Pixmap,
    dpi: f32,
    texts: &[(&str, &str)],
    out: &mut dyn Write,
) -> Result<()> {
    let (w, h) = (pixmap.width(), pixmap.height());
    let opaque = pixmap
        .data()
        .par_chunks(4 * 4096)
        .all(|c| c.chunks_exact(4).all(|p| p[3] == 255));
    let (color_type, data) = if opaque {
        // Premultiplied and straight colours are the same at alpha 255.
        let mut rgb = vec![0; w as usize * h as usize * 3];
        rgb.par_chunks_mut(3 * 4096)
            .zip(pixmap.data().par_chunks(4 * 4096))
            .for_each(|(out, px)| {
                for (o, p) in out.chunks_exact_mut(3).zip(px.chunks_exact(4)) {
                    o.copy_from_slice(&p[..3]);
                }
            });
        (png::ColorType::Rgb, rgb)
    } else {
        (png::ColorType::Rgba, pixmap.take_demultiplied())
    };
    let fail = |e: png::EncodingError| Error::usage(format!("PNG encoding failed: {e}"));
    let mut enc = png::Encoder::new(out, w, h);
    enc.set_color(color_type);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Up);
    let ppm = (dpi / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    for (key, value) in texts.iter().filter(|(_, v)| !v.is_empty()) {
        if value.chars().all(|c| (c as u32) < 256) {
            enc.add_text_chunk(key.to_string(), value.to_string())
                .map_err(fail)?;
        } else {
            enc.add_itxt_chunk(key.to_string(), value.to_string())
                .map_err(fail)?;
        }
    }
    let mut writer = enc.write_header().map_err(fail)?;
    writer.write_image_data(&data).map_err(fail)?;
    writer.finish().map_err(fail)
}

/// Device size of the page, checked.
fn device_size(scene: &Scene, scale: f32) -> Result<(u32, u32)> {
    let (w, h) = ((scene.width * scale).ceil(), (scene.height * scale).ceil());
    if !(scale > 0.0 && w >= 1.0 && h >= 1.0 && w <= MAX_SIDE && h <= MAX_SIDE) {
        return Err(Error::usage(format!(
            "cannot render a {}x{} px page at scale {scale}",
            scene.width, scene.height
        ))
        .hint(format!(
            "the page must be between 1 and {MAX_SIDE} device pixels on each side"
        )));
    }
    Ok((w as u32, h as u32))
}

fn color(c: Rgba) -> tiny_skia::Color {
    tiny_skia::Color::from_rgba8(c.r, c.g, c.b, c.a)
}

/// A display-list item with its geometry already in device coordinates.
enum Prepared {
    Shape {
        path: tiny_skia::Path,
        fill: Option<PaintSpec>,
        feather: bool,
        stroke: Option<Outline>,
    },
    Text {
        path: tiny_skia::Path,
        color: Rgba,
        halo: Option<Outline>,
    },
    Group {
        clip: Option<Rect>,
        items: Vec<Prepared>,
        top: f32,
        bottom: f32,
    },
}

/// A stroke ready to draw in any band.
enum Outline {
    /// A polyline at most [`stroke::MAX_WIDTH`] device px wide, drawn by [`stroke`] along
    /// the item's path.
    Thin(Rgba, f32),
    /// Wider, or curved (text): the outline of the stroke, computed once (stroking per band
    /// would repeat the joins of every band the path crosses), filled anti-aliased.
    Filled(Rgba, tiny_skia::Path),
}

impl Outline {
    fn new(path: &tiny_skia::Path, color: Rgba, width: f32) -> Option<Outline> {
        let polyline = path.segments().all(|s| {
            matches!(
                s,
                PathSegment::MoveTo(_) | PathSegment::LineTo(_) | PathSegment::Close
            )
        });
        if polyline && width <= stroke::MAX_WIDTH {
            Some(Outline::Thin(color, width))
        } else {
            path.stroke(&line(width), 1.0)
                .map(|p| Outline::Filled(color, p))
        }
    }

    /// Vertical device extent, given the stroked path's.
    fn rows(&self, path: &tiny_skia::Path) -> (f32, f32) {
        let (b, margin) = match self {
            Outline::Thin(_, w) => (path.bounds(), w / 2.0 + 1.0),
            Outline::Filled(_, outline) => (outline.bounds(), 1.0),
        };
        (b.top() - margin, b.bottom() + margin)
    }
}

/// A fill paint: a colour or the index of a hatch tile.
#[derive(Clone, Copy, PartialEq)]
enum PaintSpec {
    Solid(Rgba),
    Hatch(usize),
}

impl Prepared {
    /// Vertical device extent, to skip items outside a band.
    fn rows(&self) -> (f32, f32) {
        match self {
            Prepared::Shape { path, stroke, .. }
            | Prepared::Text {
                path, halo: stroke, ..
            } => {
                let b = path.bounds();
                let own = (b.top() - 1.0, b.bottom() + 1.0);
                stroke.as_ref().map_or(own, |s| {
                    let (t, b) = s.rows(path);
                    (own.0.min(t), own.1.max(b))
                })
            }
            Prepared::Group { top, bottom, .. } => (*top, *bottom),
        }
    }
}

/// Converts an item to device coordinates (none when it draws nothing). A stroke-only path
/// of many subpaths (a border network) is cut into pieces a few bands tall, so that each band
/// only walks the borders that cross it.
fn prepare(item: &Item, scale: f32, hatches: &[&Fill]) -> Vec<Prepared> {
    match item {
        Item::Shape {
            path,
            fill,
            stroke,
            bordered,
            ..
        } => {
            let fill = fill.as_ref().and_then(|f| match f {
                Fill::Solid(c) => (c.a > 0).then_some(PaintSpec::Solid(*c)),
                Fill::Hatch { .. } => hatches.iter().position(|h| *h == f).map(PaintSpec::Hatch),
            });
            let stroke = stroke
                .filter(|s| s.width > 0.0 && s.color.a > 0)
                .map(|s| (s.color, s.width * scale));
            if fill.is_none() && stroke.is_none() {
                return Vec::new();
            }
            let pieces = if fill.is_none() {
                pieces(&path.subpaths, scale)
            } else {
                vec![&path.subpaths[..]]
            };
            pieces
                .into_iter()
                .filter_map(|subpaths| {
                    let path = device_path(subpaths, path.closed, scale)?;
                    Some(Prepared::Shape {
                        fill,
                        feather: stroke.is_none() && !bordered,
                        stroke: stroke.and_then(|(c, w)| Outline::new(&path, c, w)),
                        path,
                    })
                })
                .collect()
        }
        Item::Text(t) => {
            let Some(mut path) = text::outline_path(t) else {
                return Vec::new();
            };
            if scale != 1.0 {
                match path.transform(Transform::from_scale(scale, scale)) {
                    Some(p) => path = p,
                    None => return Vec::new(),
                }
            }
            let halo = t
                .halo
                .filter(|s: &Stroke| s.width > 0.0)
                .and_then(|s| Outline::new(&path, s.color, s.width * scale));
            vec![Prepared::Text {
                path,
                color: t.color,
                halo,
            }]
        }
        Item::Group { clip, items, .. } => {
            let items: Vec<Prepared> = items
                .par_iter()
                .flat_map_iter(|i| prepare(i, scale, hatches))
                .collect();
            let clip = clip.and_then(|[x, y, w, h]| {
                Rect::from_xywh(x * scale, y * scale, w * scale, h * scale)
            });
            let (mut top, mut bottom) = items
                .iter()
                .map(Prepared::rows)
                .fold((f32::MAX, f32::MIN), |(t, b), (it, ib)| {
                    (t.min(it), b.max(ib))
                });
            if let Some(c) = clip {
                (top, bottom) = (top.max(c.top()), bottom.min(c.bottom()));
            }
            vec![Prepared::Group {
                clip,
                items,
                top,
                bottom,
            }]
        }
    }
}

/// Consecutive runs of subpaths each spanning at most one band's height (a longer subpath
/// stays whole), in order.
fn pieces(subpaths: &[Vec<[f32; 2]>], scale: f32) -> Vec<&[Vec<[f32; 2]>]> {
    let limit = BAND as f32 / scale;
    let mut out = Vec::new();
    let (mut start, mut top, mut bottom) = (0, f32::MAX, f32::MIN);
    for (i, sub) in subpaths.iter().enumerate() {
        let (t, b) = sub
            .iter()
            .fold((f32::MAX, f32::MIN), |(t, b), p| (t.min(p[1]), b.max(p[1])));
        if i > start && (bottom.max(b) - top.min(t)) > limit {
            out.push(&subpaths[start..i]);
            (start, top, bottom) = (i, t, b);
        } else {
            (top, bottom) = (top.min(t), bottom.max(b));
        }
    }
    if start < subpaths.len() {
        out.push(&subpaths[start..]);
    }
    out
}

/// Scene subpaths scaled to device pixels; `None` when they have nothing to draw.
fn device_path(subpaths: &[Vec<[f32; 2]>], closed: bool, scale: f32) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::with_capacity(
        subpaths.iter().map(|s| s.len() + 1).sum(),
        subpaths.iter().map(Vec::len).sum(),
    );
    for sub in subpaths.iter().filter(|s| s.len() >= 2) {
        pb.move_to(sub[0][0] * scale, sub[0][1] * scale);
        for p in &sub[1..] {
            pb.line_to(p[0] * scale, p[1] * scale);
        }
        if closed {
            pb.close();
        }
    }
    pb.finish()
}

/// The tile of a hatch fill: horizontal lines, rotated by the pattern transform.
struct HatchTile {
    tile: Pixmap,
    transform: Transform,
}

impl HatchTile {
    /// `None` for a solid fill.
    fn new(fill: &Fill, scale: f32) -> Option<HatchTile> {
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
        // One period of the pattern, `rows` device pixels tall, stretched to exactly `spacing`.
        let period = (spacing * scale).max(1.0);
        let rows = period.round().clamp(2.0, 256.0);
        let k = period / rows;
        let mut tile = Pixmap::new(8, rows as u32)?;
        if let Some(bg) = background {
            tile.fill(color(bg));
        }
        // Centred in the period, as the SVG <pattern> draws it.
        let half = (width * scale / k / 2.0).min(rows / 2.0);
        if let Some(r) = Rect::from_ltrb(0.0, rows / 2.0 - half, 8.0, rows / 2.0 + half) {
            let mut paint = Paint::default();
            paint.set_color(color(line));
            tile.fill_rect(r, &paint, Transform::identity(), None);
        }
        let transform = Transform::from_rotate(-angle).pre_scale(k, k);
        Some(HatchTile { tile, transform })
    }
}

/// One horizontal band of the page being drawn.
struct Band<'a> {
    /// First device row of the band.
    y0: f32,
    /// Row after the last one.
    bottom: f32,
    tiles: &'a [Option<HatchTile>],
}

/// Thin strokes drawn into the band's coverage, not yet composited: consecutive strokes of one
/// paint (the pieces of a border network) share one coverage and one composite.
struct Pending<'c> {
    coverage: &'c mut Coverage,
    /// Their paint; `None` when nothing is pending.
    paint: Option<PaintSpec>,
}

impl Band<'_> {
    /// Draws `items` clipped by `mask`; thin strokes wait in `pending` until something else
    /// must be drawn over them.
    fn draw(
        &self,
        pix: &mut PixmapMut,
        items: &[Prepared],
        mask: Option<&Mask>,
        pending: &mut Pending,
    ) {
        let ts = Transform::from_translate(0.0, -self.y0);
        for item in items {
            let (top, bottom) = item.rows();
            if bottom < self.y0 || top > self.bottom {
                continue;
            }
            match item {
                Prepared::Shape {
                    path,
                    fill,
                    feather,
                    stroke,
                } => {
                    if let Some(spec) = *fill
                        && let Some(mut paint) = self.paint(spec)
                    {
                        self.flush(pix, mask, pending);
                        paint.anti_alias = false;
                        pix.fill_path(path, &paint, FillRule::EvenOdd, ts, mask);
                        if *feather {
                            self.thin(pix, mask, pending, spec, path, 1.0);
                        }
                    }
                    match stroke {
                        Some(Outline::Thin(c, w)) => {
                            self.thin(pix, mask, pending, PaintSpec::Solid(*c), path, *w)
                        }
                        Some(Outline::Filled(c, outline)) => {
                            self.flush(pix, mask, pending);
                            pix.fill_path(outline, &solid(*c), FillRule::Winding, ts, mask);
                        }
                        None => {}
                    }
                }
                Prepared::Text { path, color, halo } => {
                    self.flush(pix, mask, pending);
                    match halo {
                        Some(Outline::Thin(c, w)) => {
                            self.thin(pix, mask, pending, PaintSpec::Solid(*c), path, *w);
                            self.flush(pix, mask, pending);
                        }
                        Some(Outline::Filled(c, outline)) => {
                            pix.fill_path(outline, &solid(*c), FillRule::Winding, ts, mask)
                        }
                        None => {}
                    }
                    pix.fill_path(path, &solid(*color), FillRule::Winding, ts, mask);
                }
                Prepared::Group { clip, items, .. } => {
                    self.flush(pix, mask, pending);
                    match clip {
                        None => self.draw(pix, items, mask, pending),
                        Some(rect) => {
                            if let Some(clip_mask) = self.clip_mask(pix, *rect, mask) {
                                self.draw(pix, items, Some(&clip_mask), pending);
                            }
                        }
                    }
                }
            }
        }
        self.flush(pix, mask, pending);
    }

    /// Adds a thin stroke along `path` to the pending coverage, compositing what is pending
    /// first if it has another paint.
    fn thin(
        &self,
        pix: &mut PixmapMut,
        mask: Option<&Mask>,
        pending: &mut Pending,
        spec: PaintSpec,
        path: &tiny_skia::Path,
        width: f32,
    ) {
        if pending.paint != Some(spec) {
            self.flush(pix, mask, pending);
            pending.paint = Some(spec);
        }
        pending.coverage.add_path(path, width, self.y0);
    }

    /// Composites the pending strokes, clipped by `mask`.
    fn flush(&self, pix: &mut PixmapMut, mask: Option<&Mask>, pending: &mut Pending) {
        if let Some(mut paint) = pending.paint.take().and_then(|spec| self.paint(spec)) {
            // Hatch tiles are placed in page coordinates: move them to the band's.
            paint
                .shader
                .transform(Transform::from_translate(0.0, -self.y0));
            pending.coverage.composite(pix, paint, mask);
        }
    }

    /// The band's mask for a clip rectangle, intersected with the enclosing clip.
    fn clip_mask(&self, pix: &PixmapMut, rect: Rect, outer: Option<&Mask>) -> Option<Mask> {
        let path = PathBuilder::from_rect(rect);
        let ts = Transform::from_translate(0.0, -self.y0);
        let mut mask = match outer {
            Some(m) => m.clone(),
            None => {
                let mut m = Mask::new(pix.width(), pix.height())?;
                m.fill_path(&path, FillRule::Winding, true, ts);
                return Some(m);
            }
        };
        mask.intersect_path(&path, FillRule::Winding, true, ts);
        Some(mask)
    }

    /// The paint of a fill; `None` for a hatch whose tile could not be made.
    fn paint(&self, spec: PaintSpec) -> Option<Paint<'_>> {
        match spec {
            PaintSpec::Solid(c) => Some(solid(c)),
            PaintSpec::Hatch(i) => {
                let t = self.tiles.get(i)?.as_ref()?;
                let shader = Pattern::new(
                    t.tile.as_ref(),
                    SpreadMode::Repeat,
                    FilterQuality::Bilinear,
                    1.0,
                    t.transform,
                );
                Some(Paint {
                    shader,
                    ..Paint::default()
                })
            }
        }
    }
}

/// An anti-aliased solid paint.
fn solid(c: Rgba) -> Paint<'static> {
    Paint {
        shader: Shader::SolidColor(color(c)),
        ..Paint::default()
    }
}

/// A stroke style with round joins and caps (borders, halos, feathers).
fn line(width: f32) -> tiny_skia::Stroke {
    tiny_skia::Stroke {
        width,
        line_join: LineJoin::Round,
        line_cap: LineCap::Round,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page several bands tall crossed by a translucent zig-zag hairline, a 2.5-px polyline
    /// and a vertical 1-px line, over a fill.
    fn page() -> Scene {
        let zigzag: Vec<[f32; 2]> = (0..=40)
            .map(|i| {
                [
                    10.0 + i as f32 * 7.0,
                    20.0 + (i % 2) as f32 * 600.0 + i as f32 * 3.3,
                ]
            })
            .collect();
        let line = |subpaths, color, width| Item::Shape {
            id: None,
            title: None,
            path: super::super::scene::Path {
                subpaths,
                closed: false,
            },
            fill: None,
            stroke: Some(Stroke { color, width }),
            bordered: false,
        };
        Scene {
            width: 300.0,
            height: 700.0,
            background: Rgba::rgb(255, 255, 255),
            items: vec![
                Item::Shape {
                    id: None,
                    title: None,
                    path: super::super::scene::Path::rect(20.0, 30.0, 200.0, 600.0),
                    fill: Some(Fill::Solid(Rgba::rgb(200, 40, 40))),
                    stroke: None,
                    bordered: true,
                },
                line(
                    vec![zigzag.clone()],
                    Rgba {
                        a: 150,
                        ..Rgba::rgb(255, 255, 255)
                    },
                    0.3,
                ),
                line(vec![zigzag], Rgba::rgb(40, 40, 40), 2.5),
                line(
                    vec![vec![[5.5, 0.0], [5.5, 700.0]]],
                    Rgba::rgb(0, 0, 0),
                    1.0,
                ),
            ],
            title: String::new(),
            description: String::new(),
        }
    }

    #[test]
    fn thin_strokes_are_identical_whatever_the_thread_count() {
        let scene = page();
        let render = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool")
                .install(|| render_pixmap(&scene, 1.0).expect("renders"))
        };
        let one = render(1);
        assert!(one.data() == render(3).data(), "1 and 3 threads differ");
    }

    #[test]
    fn a_line_crossing_bands_has_no_seam() {
        let pix = render_pixmap(&page(), 1.0).expect("renders");
        // Rows on both sides of every band boundary: the line is equally black everywhere.
        for y in [10, 127, 128, 255, 256, 383, 384, 690] {
            let p = pix.pixel(5, y).expect("inside");
            assert_eq!((p.red(), p.alpha()), (0, 255), "row {y}");
            assert_eq!(pix.pixel(4, y).expect("inside").red(), 255, "row {y}");
        }
    }
}
