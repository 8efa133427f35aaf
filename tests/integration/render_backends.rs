//! The three backends on small hand-built scenes: pixels at known places, SVG structure, PDF
//! structure and text, determinism, reference images.

use crate::common;

use crate::common::{Image, assert_matches_reference, decode_png};
use phare::render::pdf::render_pdf;
use phare::render::raster::{render_pixmap, render_png};
use phare::render::scene::{Anchor, Fill, Item, Path, Rgba, Scene, Stroke, Text, Weight};
use phare::render::svg::render_svg;
use phare::render::text::measure;

const WHITE: Rgba = Rgba::rgb(255, 255, 255);
const BLUE: Rgba = Rgba::rgb(30, 90, 160);
const INK: Rgba = Rgba::rgb(20, 20, 20);

fn scene(width: f32, height: f32, items: Vec<Item>) -> Scene {
    Scene {
        width,
        height,
        background: WHITE,
        items,
        title: "Test « données » & co".into(),
        description: "Carte de test : taux simulés par commune".into(),
    }
}

fn shape(id: &str, rings: Vec<Vec<[f32; 2]>>, fill: Option<Fill>, stroke: Option<Stroke>) -> Item {
    Item::Shape {
        id: Some(id.into()),
        title: Some(format!("Commune {id}")),
        path: Path {
            subpaths: rings,
            closed: true,
        },
        fill,
        stroke,
        bordered: false,
    }
}

fn square(x: f32, y: f32, side: f32) -> Vec<[f32; 2]> {
    vec![[x, y], [x + side, y], [x + side, y + side], [x, y + side]]
}

fn text(s: &str, x: f32, y: f32, size: f32, anchor: Anchor, halo: Option<Stroke>) -> Item {
    Item::Text(Text {
        text: s.into(),
        x,
        y,
        size,
        weight: Weight::Regular,
        anchor,
        color: INK,
        halo,
    })
}

fn hatch() -> Fill {
    Fill::Hatch {
        background: Some(Rgba::rgb(250, 240, 200)),
        color: Rgba::rgb(90, 60, 20),
        width: 2.0,
        spacing: 10.0,
        angle: 45.0,
    }
}

fn raster(scene: &Scene) -> Image {
    decode_png(&render_png(scene, 1.0).expect("renders"))
}

fn close(px: [u8; 4], c: Rgba, tol: u8) -> bool {
    px[0].abs_diff(c.r) <= tol && px[1].abs_diff(c.g) <= tol && px[2].abs_diff(c.b) <= tol
}

/// A small choropleth: a 4x4 grid of "communes" (one hatched), an inset clipped to its box,
/// a title with a halo, a legend label.
fn choropleth() -> Scene {
    let palette = [
        Rgba::rgb(239, 243, 255),
        Rgba::rgb(189, 215, 231),
        Rgba::rgb(107, 174, 214),
        Rgba::rgb(33, 113, 181),
    ];
    let border = Some(Stroke {
        color: WHITE,
        width: 0.5,
    });
    let mut items = Vec::new();
    for row in 0..4 {
        for col in 0..4 {
            let (x, y) = (40.0 + col as f32 * 60.0, 60.0 + row as f32 * 60.0);
            // A slanted grid: shared diagonal-ish edges exercise the seam handling.
            let ring = vec![
                [x + row as f32 * 6.0, y],
                [x + 60.0 + row as f32 * 6.0, y],
                [x + 66.0 + row as f32 * 6.0, y + 60.0],
                [x + 6.0 + row as f32 * 6.0, y + 60.0],
            ];
            let fill = if (row, col) == (2, 1) {
                hatch()
            } else {
                Fill::Solid(palette[(row + col) % 4])
            };
            items.push(shape(
                &format!("69{:03}", 100 + row * 4 + col),
                vec![ring],
                Some(fill),
                border,
            ));
        }
    }
    let inset = Item::Group {
        id: Some("inset-974".into()),
        clip: Some([300.0, 300.0, 80.0, 80.0]),
        items: vec![
            shape(
                "97411",
                vec![square(290.0, 290.0, 70.0)],
                Some(Fill::Solid(palette[3])),
                border,
            ),
            Item::Shape {
                id: None,
                title: None,
                path: Path::rect(300.5, 300.5, 79.0, 79.0),
                fill: None,
                stroke: Some(Stroke {
                    color: INK,
                    width: 1.0,
                }),
                bordered: false,
            },
        ],
    };
    items.push(inset);
    items.push(text(
        "Taux de réponse — Île-de-France",
        200.0,
        36.0,
        16.0,
        Anchor::Middle,
        Some(Stroke {
            color: WHITE,
            width: 3.0,
        }),
    ));
    items.push(text(
        "12,5\u{202F}% « simulé »",
        20.0,
        390.0,
        12.0,
        Anchor::Start,
        None,
    ));
    scene(400.0, 400.0, items)
}

#[test]
fn solid_fill_colour_at_known_pixel() {
    let img = raster(&scene(
        200.0,
        200.0,
        vec![shape(
            "1",
            vec![square(50.0, 50.0, 100.0)],
            Some(Fill::Solid(BLUE)),
            None,
        )],
    ));
    assert_eq!((img.width, img.height), (200, 200));
    assert_eq!(img.pixel(100, 100), [30, 90, 160, 255]);
    assert_eq!(img.pixel(51, 51), [30, 90, 160, 255]);
    assert_eq!(img.pixel(10, 10), [255, 255, 255, 255]);
    assert_eq!(img.pixel(160, 100), [255, 255, 255, 255]);
}

#[test]
fn scale_multiplies_device_pixels() {
    let s = scene(
        100.0,
        50.0,
        vec![shape(
            "1",
            vec![square(10.0, 10.0, 20.0)],
            Some(Fill::Solid(BLUE)),
            None,
        )],
    );
    let pix = render_pixmap(&s, 2.0).expect("renders");
    assert_eq!((pix.width(), pix.height()), (200, 100));
    let px = pix.pixel(58, 58).expect("inside");
    assert_eq!((px.red(), px.green(), px.blue()), (30, 90, 160));
    assert!(render_pixmap(&s, 0.0).is_err());
    assert!(render_pixmap(&s, f32::NAN).is_err());
}

#[test]
fn even_odd_hole_is_background() {
    // The hole is wound the same way as the outer ring: only even-odd makes it a hole.
    let img = raster(&scene(
        200.0,
        200.0,
        vec![shape(
            "1",
            vec![square(20.0, 20.0, 160.0), square(70.0, 70.0, 60.0)],
            Some(Fill::Solid(BLUE)),
            None,
        )],
    ));
    assert_eq!(img.pixel(100, 100), [255, 255, 255, 255], "hole");
    assert_eq!(img.pixel(40, 100), [30, 90, 160, 255], "ring");
}

#[test]
fn hatched_square_has_both_colours_along_45_degree_lines() {
    let img = raster(&scene(
        200.0,
        200.0,
        vec![shape(
            "1",
            vec![square(20.0, 20.0, 160.0)],
            Some(hatch()),
            None,
        )],
    ));
    let (line, bg) = (Rgba::rgb(90, 60, 20), Rgba::rgb(250, 240, 200));
    let mut lines = 0;
    let mut background = 0;
    for y in 40..160 {
        for x in 40..160 {
            let px = img.pixel(x, y);
            if close(px, line, 8) {
                lines += 1;
                // 45° rises to the right: the pixel 5 up-right is on the same line, the
                // pixel 5 down-right (7 px across the lines, spacing 10) is not.
                assert!(
                    close(img.pixel(x + 5, y - 5), line, 40),
                    "line breaks at ({x},{y})"
                );
                assert!(
                    !close(img.pixel(x + 5, y + 5), line, 40),
                    "line too wide at ({x},{y})"
                );
            } else if close(px, bg, 2) {
                background += 1;
            }
        }
    }
    // Line 2 px in a 10 px period: ~20% line (fully covered core is a bit less), ~70% background.
    let total = 120.0 * 120.0;
    assert!(
        (0.05..0.25).contains(&(lines as f32 / total)),
        "line share {}",
        lines as f32 / total
    );
    assert!(
        (0.55..0.85).contains(&(background as f32 / total)),
        "background share {}",
        background as f32 / total
    );
    assert_eq!(
        img.pixel(10, 10),
        [255, 255, 255, 255],
        "outside the square"
    );
}

#[test]
fn group_clip_cuts_the_shape() {
    let group = Item::Group {
        id: Some("inset".into()),
        clip: Some([0.0, 0.0, 100.0, 200.0]),
        items: vec![shape(
            "1",
            vec![square(50.0, 50.0, 100.0)],
            Some(Fill::Solid(BLUE)),
            Some(Stroke {
                color: INK,
                width: 2.0,
            }),
        )],
    };
    let after = shape(
        "2",
        vec![square(150.0, 10.0, 20.0)],
        Some(Fill::Solid(BLUE)),
        None,
    );
    let img = raster(&scene(200.0, 200.0, vec![group, after]));
    assert_eq!(img.pixel(75, 100), [30, 90, 160, 255]);
    assert_eq!(img.pixel(125, 100), [255, 255, 255, 255], "clipped away");
    assert_eq!(img.pixel(101, 100), [255, 255, 255, 255], "clipped away");
    assert!(close(img.pixel(50, 100), INK, 10), "stroke inside the clip");
    assert_eq!(
        img.pixel(160, 20),
        [30, 90, 160, 255],
        "the clip ends with its group"
    );
}

#[test]
fn text_renders_inside_its_measured_box() {
    let label = "Données simulées";
    let m = measure(label, 14.0, Weight::Regular);
    // The advance sum, straight from ab_glyph (kerning included), in em-size pixels.
    use ab_glyph::{Font, FontRef};
    let font = FontRef::try_from_slice(dejavu::sans::regular()).expect("DejaVu parses");
    let k = 14.0 / font.units_per_em().expect("units per em");
    let ids: Vec<_> = label.chars().map(|c| font.glyph_id(c)).collect();
    let sum: f32 = ids
        .iter()
        .map(|&g| font.h_advance_unscaled(g) * k)
        .sum::<f32>()
        + ids
            .windows(2)
            .map(|w| font.kern_unscaled(w[0], w[1]) * k)
            .sum::<f32>();
    assert!(
        (m.width - sum).abs() < 1.0,
        "measure {} vs advances {sum}",
        m.width
    );

    let img = raster(&scene(
        200.0,
        60.0,
        vec![text(label, 20.0, 40.0, 14.0, Anchor::Start, None)],
    ));
    let (mut ink, mut min_x, mut max_x, mut min_y, mut max_y) = (0, u32::MAX, 0, u32::MAX, 0);
    for y in 0..60 {
        for x in 0..200 {
            if img.pixel(x, y)[0] < 128 {
                ink += 1;
                (min_x, max_x, min_y, max_y) =
                    (min_x.min(x), max_x.max(x), min_y.min(y), max_y.max(y));
            }
        }
    }
    assert!(ink > 150, "only {ink} dark pixels");
    assert!(
        min_x >= 20 && (max_x as f32) <= 20.0 + m.width + 1.0,
        "ink x {min_x}..{max_x}, width {}",
        m.width
    );
    assert!(
        min_y as f32 >= 40.0 - m.ascent && (max_y as f32) <= 40.0 + m.descent,
        "ink y {min_y}..{max_y}"
    );
    // The accent of "é" rises above the x-height: ink above the "n" height.
    assert!((min_y as f32) < 40.0 - 10.0);
}

#[test]
fn text_halo_is_drawn_under_the_glyphs() {
    let dark = Scene {
        background: INK,
        ..scene(200.0, 60.0, vec![])
    };
    let mut s = dark.clone();
    s.items = vec![Item::Text(Text {
        text: "Lyon".into(),
        x: 100.0,
        y: 40.0,
        size: 24.0,
        weight: Weight::Bold,
        anchor: Anchor::Middle,
        color: INK,
        halo: Some(Stroke {
            color: WHITE,
            width: 4.0,
        }),
    })];
    let img = raster(&s);
    let white = img.data.chunks(4).filter(|p| p[0] > 240).count();
    assert!(white > 200, "halo pixels: {white}");
    // The glyph fill covers the halo's inner half: the stem of the "L" is dark.
    let m = measure("Lyon", 24.0, Weight::Bold);
    let stem_x = (100.0 - m.width / 2.0 + 4.0) as u32;
    assert!(
        img.pixel(stem_x, 30)[0] < 60,
        "L stem {:?}",
        img.pixel(stem_x, 30)
    );
}

#[test]
fn adjacent_shapes_show_no_seam() {
    // Two triangles of one colour share the diagonal of a square; no border is drawn.
    let (a, b) = (
        vec![[20.0, 20.0], [180.0, 20.0], [180.0, 180.0]],
        vec![[20.0, 20.0], [180.0, 180.0], [20.0, 180.0]],
    );
    let s = scene(
        200.0,
        200.0,
        vec![
            shape("a", vec![a], Some(Fill::Solid(BLUE)), None),
            shape("b", vec![b], Some(Fill::Solid(BLUE)), None),
        ],
    );
    let img = raster(&s);
    for i in 25..175 {
        for d in [-1i32, 0, 1] {
            let (x, y) = (i as u32, (i + d) as u32);
            // The feather composited over its own colour may round up by one unit.
            assert!(
                close(img.pixel(x, y), BLUE, 1),
                "seam at ({x},{y}): {:?}",
                img.pixel(x, y)
            );
        }
    }
    // The outer edge stays crisp: at most two blended pixels across it.
    let blends = (0..200)
        .filter(|&y| !close(img.pixel(100, y), BLUE, 2) && !close(img.pixel(100, y), WHITE, 2))
        .count();
    assert!(blends <= 2, "edge width {blends}");
}

#[test]
fn raster_is_deterministic_across_thread_counts() {
    let s = choropleth();
    let a = render_png(&s, 1.5).expect("renders");
    let b = render_png(&s, 1.5).expect("renders");
    assert_eq!(a, b);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    let single = pool.install(|| render_png(&s, 1.5)).expect("renders");
    assert!(single == a, "one thread and many differ");
}

#[test]
fn png_carries_dpi_and_text_alternative() {
    let bytes = render_png(&choropleth(), 2.0).expect("renders");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let reader = decoder.read_info().expect("PNG");
    let info = reader.info();
    let dims = info.pixel_dims.expect("pHYs");
    assert_eq!(dims.unit, png::Unit::Meter);
    assert_eq!(dims.xppu, (192.0f32 / 0.0254).round() as u32);
    // "«" is Latin-1: tEXt.
    assert!(
        info.uncompressed_latin1_text
            .iter()
            .any(|t| t.keyword == "Title" && t.text == "Test « données » & co")
    );
    assert!(
        info.uncompressed_latin1_text
            .iter()
            .any(|t| t.keyword == "Description" && t.text.starts_with("Carte de test"))
    );
}

#[test]
fn svg_is_valid_and_structured() {
    let svg = render_svg(&choropleth());
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("viewBox"), Some("0 0 400 400"));
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(title, Some("Test « données » & co"));
    let path = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("69100"))
        .expect("territory path");
    assert_eq!(path.tag_name().name(), "path");
    assert_eq!(
        path.children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text()),
        Some("Commune 69100")
    );
    assert!(
        path.attribute("d")
            .is_some_and(|d| d.starts_with("M40 60l60 0 6 60-60 0Z")),
        "{:?}",
        path.attribute("d")
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("id").is_some())
            .count(),
        17
    );
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        texts,
        [
            "Taux de réponse — Île-de-France",
            "12,5\u{202F}% « simulé »"
        ]
    );
    let halo = doc
        .descendants()
        .find(|n| n.has_tag_name("text"))
        .expect("title");
    assert_eq!(halo.attribute("paint-order"), Some("stroke"));
    assert_eq!(halo.attribute("text-anchor"), Some("middle"));
    let pattern = doc
        .descendants()
        .find(|n| n.has_tag_name("pattern"))
        .expect("hatch pattern");
    assert_eq!(pattern.attribute("patternTransform"), Some("rotate(-45)"));
    let hatched = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("69109"))
        .expect("hatched commune");
    assert_eq!(hatched.attribute("fill"), Some("url(#hatch-0)"));
    let inset = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("inset-974"))
        .expect("inset group");
    assert_eq!(inset.attribute("clip-path"), Some("url(#clip-0)"));
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("clipPath") && n.attribute("id") == Some("clip-0"))
    );
    assert_eq!(svg, render_svg(&choropleth()), "deterministic");
}

#[test]
fn svg_escapes_ids_titles_and_text() {
    let s = scene(
        100.0,
        100.0,
        vec![
            Item::Shape {
                id: Some("a\"<b>".into()),
                title: Some("L'Haÿ-les-Roses & <co>".into()),
                path: Path::rect(0.0, 0.0, 10.0, 10.0),
                fill: None,
                stroke: None,
                bordered: false,
            },
            text("<b> & \"c\"", 0.0, 50.0, 10.0, Anchor::End, None),
        ],
    );
    let svg = render_svg(&s);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("a\"<b>"))
    );
    assert!(
        doc.descendants()
            .any(|n| n.text() == Some("L'Haÿ-les-Roses & <co>"))
    );
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("text") && n.text() == Some("<b> & \"c\""))
    );
}

#[test]
fn reference_backend_choropleth() {
    assert_matches_reference(
        "backend-choropleth",
        &render_png(&choropleth(), 1.0).expect("renders"),
    );
}

#[test]
fn reference_backend_text() {
    let items = vec![
        text(
            "Données simulées : 12,5\u{202F}%",
            10.0,
            30.0,
            13.0,
            Anchor::Start,
            None,
        ),
        Item::Text(Text {
            text: "Œuvre « ça » l’été".into(),
            x: 190.0,
            y: 70.0,
            size: 18.0,
            weight: Weight::Bold,
            anchor: Anchor::End,
            color: Rgba::rgb(180, 30, 30),
            halo: Some(Stroke {
                color: Rgba::rgb(255, 220, 0),
                width: 3.0,
            }),
        }),
        text(
            "Source\u{00A0}: Insee, IGN",
            100.0,
            100.0,
            11.0,
            Anchor::Middle,
            None,
        ),
    ];
    assert_matches_reference(
        "backend-text",
        &render_png(&scene(200.0, 120.0, items), 2.0).expect("renders"),
    );
}

#[test]
fn pdf_opens_and_contains_the_text() {
    let bytes = render_pdf(&choropleth(), 96.0).expect("renders");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF lopdf can parse");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page = *pages.get(&1).expect("page 1");
    let media_box = doc
        .get_object(page)
        .and_then(|p| p.as_dict())
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|m| m.as_array())
        .expect("MediaBox");
    let side = media_box[2].as_float().expect("a number");
    assert!(
        (side - 300.0).abs() < 0.01,
        "400 px at 96 dpi is 300 pt, got {side}"
    );
    let text = doc.extract_text(&[1]).expect("text");
    assert!(text.contains("Taux de réponse — Île-de-France"), "{text:?}");
    assert!(text.contains("« simulé »"), "{text:?}");
    // The halo is drawn as outlines, not as a second copy of the text.
    assert_eq!(text.matches("Taux de réponse").count(), 1, "{text:?}");
    // Metadata for catalogues and screen readers.
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/FontFile2"), "the font is embedded");
    assert!(raw.contains("DejaVuSans"), "DejaVu Sans");
    assert!(
        bytes.len() < 200_000,
        "subset fonts keep it small: {} bytes",
        bytes.len()
    );
    assert_eq!(
        bytes,
        render_pdf(&choropleth(), 96.0).expect("renders"),
        "deterministic"
    );
}

#[test]
fn pdf_page_size_follows_dpi() {
    let s = scene(3000.0, 1500.0, vec![]);
    let bytes = render_pdf(&s, 300.0).expect("renders");
    let doc = lopdf::Document::load_mem(&bytes).expect("parses");
    let page = *doc.get_pages().get(&1).expect("page 1");
    let mb = doc
        .get_object(page)
        .and_then(|p| p.as_dict())
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|m| m.as_array())
        .expect("MediaBox");
    assert!(
        (mb[2].as_float().expect("w") - 720.0).abs() < 0.01
            && (mb[3].as_float().expect("h") - 360.0).abs() < 0.01
    );
    assert!(
        render_pdf(&s, 5.0).is_err(),
        "3000 px at 5 dpi is 600 in: too big for PDF viewers"
    );
    assert!(render_pdf(&s, 0.0).is_err());
}

#[test]
fn nested_clips_intersect() {
    let inner = Item::Group {
        id: None,
        clip: Some([50.0, 0.0, 100.0, 200.0]),
        items: vec![shape(
            "1",
            vec![square(0.0, 0.0, 200.0)],
            Some(Fill::Solid(BLUE)),
            None,
        )],
    };
    let outer = Item::Group {
        id: None,
        clip: Some([0.0, 0.0, 100.0, 100.0]),
        items: vec![inner],
    };
    let img = raster(&scene(200.0, 200.0, vec![outer]));
    assert_eq!(img.pixel(75, 50), [30, 90, 160, 255], "inside both clips");
    for (x, y) in [(25, 50), (125, 50), (75, 150)] {
        assert_eq!(
            img.pixel(x, y),
            [255, 255, 255, 255],
            "({x},{y}) is outside one clip"
        );
    }
}

/// Backend parity: resvg (the SVG oracle, with the same embedded fonts) draws our SVG close to
/// our PNG. Edges differ by design (our fills are not anti-aliased, resvg kerns with GPOS),
/// so the threshold is loose: it catches a backend drifting (a shifted hatch, a wrong anchor,
/// a missing item), not anti-aliasing.
#[test]
fn svg_rasterised_by_resvg_matches_our_png() {
    let s = choropleth();
    let ours = raster(&s);
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut()
        .load_font_data(dejavu::sans::regular().to_vec());
    opt.fontdb_mut()
        .load_font_data(dejavu::sans::bold().to_vec());
    let tree = resvg::usvg::Tree::from_str(&render_svg(&s), &opt).expect("resvg parses our SVG");
    let mut pixmap = tiny_skia::Pixmap::new(400, 400).expect("a pixmap");
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let theirs = Image {
        width: 400,
        height: 400,
        data: pixmap.take_demultiplied(),
    };
    let differing = common::diff_count(&ours, &theirs, 64);
    if differing > 100 {
        let diff = common::write_diff("parity-choropleth", &ours, &theirs, 64);
        panic!(
            "{differing} of 160000 pixels differ by more than 64 between our PNG and resvg; see {}",
            diff.display()
        );
    }
}
