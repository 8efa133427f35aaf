//! The scene: a display list in page coordinates (pixels, origin top-left, y down), built once
//! by the layout and drawn, without any policy, by each backend (PNG, SVG, PDF).

use serde::Serialize;

/// An sRGB colour with alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgba {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha (255 = opaque).
    pub a: u8,
}

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba { r, g, b, a: 255 }
    }
    /// `#rrggbb` (alpha ignored).
    pub fn hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// A path: rings or polylines of points in page pixels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Path {
    /// Each subpath is a list of points.
    pub subpaths: Vec<Vec<[f32; 2]>>,
    /// True: subpaths are closed rings, filled with the even-odd rule (holes work whatever
    /// their orientation). False: open polylines (stroke only).
    pub closed: bool,
}

/// How a shape is filled.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// One colour.
    Solid(Rgba),
    /// Parallel lines over an optional background: marks territories whose value is not
    /// reliable (sample below the minimum n).
    Hatch {
        /// Colour under the lines (None: transparent).
        background: Option<Rgba>,
        /// Line colour.
        color: Rgba,
        /// Line width, px.
        width: f32,
        /// Distance between lines, px.
        spacing: f32,
        /// Angle in degrees (45 = rising to the right).
        angle: f32,
    },
}

/// How a shape is outlined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Colour.
    pub color: Rgba,
    /// Width in px.
    pub width: f32,
}

/// Font weight (DejaVu Sans regular or bold, embedded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

/// Horizontal anchor of a text run relative to its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left edge.
    Start,
    /// `x` is the centre.
    Middle,
    /// `x` is the right edge.
    End,
}

/// One line of text; `y` is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Content (UTF-8, French).
    pub text: String,
    /// Anchor x, px.
    pub x: f32,
    /// Baseline y, px.
    pub y: f32,
    /// Font size, px.
    pub size: f32,
    /// Weight.
    pub weight: Weight,
    /// Anchor.
    pub anchor: Anchor,
    /// Colour.
    pub color: Rgba,
    /// White (or other) outline drawn under the glyphs for legibility over the map.
    pub halo: Option<Stroke>,
}

/// A drawable item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A filled and/or stroked path. `id` is the territory code (SVG `id`, for editing);
    /// `title` a tooltip / accessible name.
    Shape {
        /// Territory code or element id.
        id: Option<String>,
        /// Tooltip text.
        title: Option<String>,
        /// Geometry.
        path: Path,
        /// Fill.
        fill: Option<Fill>,
        /// Outline.
        stroke: Option<Stroke>,
        /// True when another item strokes this shape's outline (a territory under the border
        /// network of its map): the raster backend then gives the fill no anti-aliased edge of
        /// its own.
        bordered: bool,
    },
    /// A text run.
    Text(Text),
    /// Items clipped to a rectangle `[x, y, width, height]` (insets), with an optional id.
    Group {
        /// Group id (e.g. `inset-974`).
        id: Option<String>,
        /// Clip rectangle.
        clip: Option<[f32; 4]>,
        /// Children, drawn in order.
        items: Vec<Item>,
    },
}

/// A whole page.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Page width, px.
    pub width: f32,
    /// Page height, px.
    pub height: f32,
    /// Page background.
    pub background: Rgba,
    /// Items in drawing order.
    pub items: Vec<Item>,
    /// Title, for SVG `<title>` and PDF metadata.
    pub title: String,
    /// Text alternative describing the map (SVG `<desc>`, PNG tEXt, PDF subject).
    pub description: String,
}

impl Path {
    /// A closed axis-aligned rectangle `[x, y, width, height]`.
    pub fn rect(x: f32, y: f32, width: f32, height: f32) -> Path {
        let ring = vec![
            [x, y],
            [x + width, y],
            [x + width, y + height],
            [x, y + height],
        ];
        Path {
            subpaths: vec![ring],
            closed: true,
        }
    }

    /// Bounding box `[min_x, min_y, max_x, max_y]`, `None` for a path without points.
    pub fn bbox(&self) -> Option<[f32; 4]> {
        let mut points = self.subpaths.iter().flatten();
        let first = points.next()?;
        let init = [first[0], first[1], first[0], first[1]];
        Some(points.fold(init, |b, p| {
            [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ]
        }))
    }
}

impl Scene {
    /// The distinct hatch fills of the scene (groups included), in order of first use: each
    /// backend builds one pattern per entry.
    pub fn hatch_fills(&self) -> Vec<&Fill> {
        fn walk<'a>(items: &'a [Item], out: &mut Vec<&'a Fill>) {
            for item in items {
                match item {
                    Item::Shape {
                        fill: Some(f @ Fill::Hatch { .. }),
                        ..
                    } if !out.contains(&f) => out.push(f),
                    Item::Group { items, .. } => walk(items, out),
                    Item::Shape { .. } | Item::Text(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }
}
