//! Choropleth maps end to end on the embedded boundaries: reference images, layout
//! structure, provenance sidecar, SVG structure, determinism, and the `phare map` command.

use crate::common;

use std::path::Path;

use phare::Level;
use phare::aggregate::Measure;
use phare::boundaries::{Boundaries, embedded};
use phare::compose::map::{Labels, MapSpec, Provenance, Within, build_scene};
use phare::history::CogHistory;
use phare::projection::Projection;
use phare::render::scene::{Item, Scene};
use phare::style::Style;
use phare::survey::join;
use phare::survey::read::{ReadOptions, read_survey};
use phare::values::MapData;
use phare::values::{self, BoundaryIndicator};

fn boundaries() -> &'static Boundaries {
    embedded::cached().expect("embedded boundaries decode")
}

fn style() -> Style {
    Style::builtin("default").expect("the default style")
}

fn spec(level: Level, size: u32) -> MapSpec {
    MapSpec {
        level,
        width: size,
        height: size,
        ..Default::default()
    }
}

/// Q4 « oui » by région from the committed synthetic sample of mayors, hatched where the
/// effective sample is below `min_n`.
fn survey(level: Level, min_n: usize) -> MapData {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/geodata/sample-maires.csv"
    ));
    let file = read_survey(path, &ReadOptions::default()).expect("sample reads");
    let b = boundaries();
    let (joined, _) = join::join_named(
        file.respondents,
        &file.commune_names,
        &b.communes,
        CogHistory::embedded(),
    );
    let measure: Measure = "q4:oui".parse().expect("a measure");
    values::survey_data(
        boundaries(),
        &joined,
        level,
        &measure,
        min_n,
        "enquête PHARE-Institutions, échantillon synthétique",
        vec!["geodata/sample-maires.csv".into()],
    )
}

fn build(data: &MapData, spec: &MapSpec) -> (Scene, Provenance) {
    build_scene(boundaries(), data, &style(), spec).expect("scene builds")
}

fn png(scene: &Scene) -> Vec<u8> {
    phare::render::raster::render_png(scene, 1.0).expect("renders")
}

fn shape_ids(items: &[Item], out: &mut Vec<String>) {
    for i in items {
        match i {
            Item::Shape { id: Some(id), .. } => out.push(id.clone()),
            Item::Group { items, .. } => shape_ids(items, out),
            _ => {}
        }
    }
}

#[test]
fn map_departements_with_insets_matches_reference() {
    let data = values::boundary_data(boundaries(), Level::Departement, BoundaryIndicator::Density)
        .expect("density");
    let (scene, prov) = build(&data, &spec(Level::Departement, 300));
    common::assert_matches_reference("map-france-departements", &png(&scene));

    // Five insets, each in its own UTM zone, none over the mainland frame or the legend.
    let main = &prov.frames[0];
    let insets: Vec<_> = prov
        .frames
        .iter()
        .filter(|f| f.id.starts_with("inset-"))
        .collect();
    let ids: Vec<&str> = insets.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "inset-971",
            "inset-972",
            "inset-973",
            "inset-974",
            "inset-976"
        ]
    );
    assert_eq!(main.epsg, 2154);
    assert_eq!(
        insets.iter().map(|f| f.epsg).collect::<Vec<_>>(),
        [5490, 5490, 2972, 2975, 4471]
    );
    for f in &insets {
        assert!(
            !f.rect.overlaps(&main.rect),
            "{} overlaps the mainland frame",
            f.id
        );
        assert!(
            !f.rect.overlaps(&prov.legend),
            "{} overlaps the legend",
            f.id
        );
        assert!(
            f.rect.w >= 0.08 * 300.0,
            "{} is too small to read: {:?}",
            f.id,
            f.rect
        );
    }
    assert!(
        !prov.legend.overlaps(&main.rect),
        "legend over the mainland"
    );
    for (i, a) in insets.iter().enumerate() {
        for b in &insets[i + 1..] {
            assert!(!a.rect.overlaps(&b.rect), "{} overlaps {}", a.id, b.id);
        }
    }
    // Every territory classified; Paris (75) in the top class.
    assert_eq!(prov.classes.iter().map(|c| c.count).sum::<usize>(), 101);
    assert_eq!(prov.no_data, 0);
    let top = prov.classes.last().expect("classes");
    let paris = data.values["75"].value.expect("Paris density");
    assert!(
        paris >= top.lower && paris <= top.upper,
        "Paris {paris} in {top:?}"
    );
    // Legend ticks in French format, the source line with the base-map credit.
    let t = common::texts(&scene.items);
    assert!(t.iter().any(|s| s == "Habitants par km²"), "{t:?}");
    assert!(
        t.iter()
            .any(|s| s.contains('\u{202f}')
                && s.chars().all(|c| c.is_ascii_digit() || c == '\u{202f}')),
        "a tick with a thousands space: {t:?}"
    );
    assert!(
        t.iter()
            .any(|s| s.starts_with("Source : INSEE") && s.contains("Fond : IGN ADMIN EXPRESS")),
        "{t:?}"
    );
    assert!(
        !t.iter().any(|s| s.contains("Données simulées")),
        "real data is not labelled simulated"
    );
}

#[test]
fn map_region_survey_hatches_small_samples() {
    // No région of the sample has an effective sample of 30 mayors; at 20, five have
    // (n eff. 21 to 25), so the map shows both colours and hatching.
    let data = survey(Level::Region, 20);
    let spec = MapSpec {
        min_n: 20,
        ..spec(Level::Region, 420)
    };
    let (scene, prov) = build(&data, &spec);
    common::assert_matches_reference("map-region-survey", &png(&scene));

    let hatched: Vec<&String> = data
        .values
        .iter()
        .filter(|(_, d)| d.insufficient)
        .map(|(c, _)| c)
        .collect();
    assert_eq!(hatched.len(), 8, "régions under n eff. 20: {hatched:?}");
    assert!(hatched.contains(&&"27".to_string()), "32 mayors, n eff. 14");
    assert_eq!(prov.insufficient, hatched.len());
    assert!(prov.synthetic);
    let t = common::texts(&scene.items);
    for want in [
        "Données simulées",
        "Échantillon insuffisant (n eff. < 20)",
        "Non renseigné",
        "Part des répondants",
    ] {
        assert!(t.iter().any(|s| s == want), "missing « {want} » in {t:?}");
    }
    assert!(
        t.iter().all(|s| !s.contains('.')
            || s.starts_with("Source")
            || s.contains("km")
            || s.contains("n eff.")),
        "French decimals: {t:?}"
    );
    assert!(
        t.iter().any(|s| s.ends_with("\u{a0}%")),
        "percent ticks: {t:?}"
    );
    // A hatched région is never drawn with a class colour.
    fn fill_of<'a>(items: &'a [Item], code: &str) -> Option<&'a phare::render::scene::Fill> {
        items.iter().find_map(|i| match i {
            Item::Shape {
                id: Some(id), fill, ..
            } if id == code => fill.as_ref(),
            Item::Group { items, .. } => fill_of(items, code),
            _ => None,
        })
    }
    for code in hatched {
        assert!(
            matches!(
                fill_of(&scene.items, code),
                Some(phare::render::scene::Fill::Hatch { .. })
            ),
            "région {code} must be hatched"
        );
    }
    // Classes hold exactly the régions with enough answers.
    let ok = data
        .values
        .values()
        .filter(|d| !d.insufficient && d.value.is_some())
        .count();
    assert_eq!(prov.classes.iter().map(|c| c.count).sum::<usize>(), ok);
    assert!(prov.n.is_some_and(|n| n > 250), "{:?}", prov.n);
    assert_eq!(data.values.get("11").map(|d| d.n.is_some()), Some(true));
}

#[test]
fn map_communes_of_one_region_with_locator_matches_reference() {
    let data = values::boundary_data(boundaries(), Level::Commune, BoundaryIndicator::Density)
        .expect("density");
    let mut s = spec(Level::Commune, 320);
    s.within = Some(Within::Region("94".into()));
    let (scene, prov) = build(&data, &s);
    common::assert_matches_reference("map-corse-communes", &png(&scene));
    let mut ids = Vec::new();
    shape_ids(&scene.items, &mut ids);
    let corse = boundaries()
        .communes
        .territories
        .iter()
        .filter(|t| t.region.as_deref() == Some("94"))
        .count();
    assert_eq!(
        ids.iter()
            .filter(|id| id.starts_with("2A") || id.starts_with("2B"))
            .count(),
        corse
    );
    assert!(
        ids.iter().all(|id| !id.starts_with("69")),
        "only Corsican communes carry ids"
    );
    let locator = prov
        .frames
        .iter()
        .find(|f| f.id == "locator")
        .expect("a locator");
    assert!(!locator.rect.overlaps(&prov.legend));
    assert_eq!(prov.classes.iter().map(|c| c.count).sum::<usize>(), corse);
}

#[test]
fn map_one_departement_matches_reference_and_lyon_has_its_class_colour() {
    let b = boundaries();
    let data =
        values::boundary_data(b, Level::Commune, BoundaryIndicator::Density).expect("density");
    let mut s = spec(Level::Commune, 300);
    s.within = Some(Within::Departement("69".into()));
    let (scene, _) = build(&data, &s);
    common::assert_matches_reference("map-rhone-communes", &png(&scene));
    s.labels = Labels::Name;
    let (scene, _) = build(&data, &s);
    let t = common::texts(&scene.items);
    assert!(t.iter().any(|s| s == "Lyon"), "Lyon is labelled: {t:?}");
    assert!(t.iter().any(|s| s == "Par commune, Rhône (69)"), "{t:?}");
    // Pixel test on a département-level map of France: a point in the Rhône has the colour of
    // the Rhône's class.
    let dep =
        values::boundary_data(b, Level::Departement, BoundaryIndicator::Density).expect("density");
    let (scene, prov) = build(&dep, &spec(Level::Departement, 600));
    let img = common::decode_png(&png(&scene));
    let main = &prov.frames[0];
    let (x, y) = Projection::Lambert93.forward(4.64, 45.98); // Beaujolais, well inside the Rhône
    let px = ((x - main.x0) / main.metres_per_px) as f32 + main.rect.x;
    let py = ((main.y0 - y) / main.metres_per_px) as f32 + main.rect.y;
    let v = dep.values["69"].value.expect("density of 69");
    let class = prov
        .classes
        .iter()
        .find(|c| v >= c.lower && v <= c.upper)
        .expect("a class");
    let [r, g, bl, _] = img.pixel(px as u32, py as u32);
    assert_eq!(
        format!("#{r:02x}{g:02x}{bl:02x}"),
        class.color,
        "pixel ({px}, {py})"
    );
}

/// Every bound of a legend has the same decimals, at the joints of the boxes, in bracket
/// labels and in the sidecar: « 100,0 » next to « 50,5 », never « 100 ».
#[test]
fn legend_ticks_brackets_and_sidecar_labels_share_one_precision() {
    let b = boundaries();
    let dep =
        values::boundary_data(b, Level::Departement, BoundaryIndicator::Density).expect("density");
    let mut s = spec(Level::Departement, 400);
    s.method = Some("manual:0,50.5,100,25000".parse().expect("breaks"));
    let (scene, prov) = build(&dep, &s);
    let t = common::texts(&scene.items);
    for tick in ["0,0", "50,5", "100,0", "25\u{202f}000,0"] {
        assert!(t.iter().any(|s| s == tick), "tick « {tick} » in {t:?}");
    }
    let labels: Vec<&str> = prov.classes.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "de 0,0 à moins de 50,5",
            "de 50,5 à moins de 100,0",
            "de 100,0 à 25\u{202f}000,0"
        ]
    );
    let mut st = style();
    st.set("legend.labels", "brackets").expect("a label style");
    let (scene, prov) = build_scene(b, &dep, &st, &s).expect("scene builds");
    let t = common::texts(&scene.items);
    assert!(t.iter().any(|s| s == "[50,5\u{202f}; 100,0["), "{t:?}");
    assert_eq!(prov.classes[2].label, "[100,0\u{202f}; 25\u{202f}000,0]");
}

/// Border lines (shapes stroked, not filled) of the frame `frame`: colour and ink (width
/// times opacity, px).
fn border_inks(items: &[Item], frame: &str, inside: bool, out: &mut Vec<(String, f32)>) {
    for i in items {
        match i {
            Item::Group { id, items, .. } => {
                border_inks(items, frame, inside || id.as_deref() == Some(frame), out)
            }
            Item::Shape {
                fill: None,
                stroke: Some(s),
                ..
            } if inside => out.push((s.color.hex(), s.width * f32::from(s.color.a) / 255.0)),
            _ => {}
        }
    }
}

/// Commune lines fade with the number of communes on the page, so that all France does not
/// turn grey, while each commune of a département map is outlined at the style's full width
/// and opacity; département lines stay above them.
#[test]
fn commune_borders_fade_on_crowded_maps_and_stay_under_departement_borders() {
    let b = boundaries();
    let data =
        values::boundary_data(b, Level::Commune, BoundaryIndicator::Density).expect("density");
    let st = style();
    let commune = st.borders.commune.colour.to_hex();
    let departement = st.borders.departement.colour.to_hex();
    let inks = |within: Option<Within>| {
        let mut s = spec(Level::Commune, 1000);
        s.within = within;
        let (scene, _) = build(&data, &s);
        let mut w = Vec::new();
        border_inks(&scene.items, "main", false, &mut w);
        let of = |c: &str| {
            w.iter()
                .filter(|(k, _)| k == c)
                .map(|(_, w)| *w)
                .fold(0.0, f32::max)
        };
        (of(&commune), of(&departement), s.resolved_px_per_pt(&st))
    };
    let (rhone, rhone_dep, px_pt) = inks(Some(Within::Departement("69".into())));
    let c = &st.borders.commune;
    let full = c.width as f32 * px_pt * (c.opacity * 255.0).round() as f32 / 255.0;
    assert!(
        (rhone - full).abs() < 1e-4,
        "{rhone} px, full line {full} px"
    );
    let (region, _, _) = inks(Some(Within::Region("84".into())));
    let (france, france_dep, _) = inks(None);
    assert!(
        france < rhone / 3.0 && france < region && region <= rhone,
        "France {france}, région {region}, département {rhone}"
    );
    assert!(rhone_dep > rhone && france_dep > 2.0 * france);
}

/// The style's legend corner on a map of France (the column of legend and insets moves right
/// of the mainland, the legend below the insets) and on a département map; bracket labels.
#[test]
fn legend_goes_where_the_style_puts_it_with_bracket_labels() {
    let b = boundaries();
    let dep =
        values::boundary_data(b, Level::Departement, BoundaryIndicator::Density).expect("density");
    let mut st = style();
    st.set("layout.legend", "bottom-right").expect("a position");
    st.set("legend.labels", "brackets").expect("a label style");
    let (scene, prov) =
        build_scene(b, &dep, &st, &spec(Level::Departement, 280)).expect("scene builds");
    common::assert_matches_reference("map-legend-bottom-right", &png(&scene));
    let main = &prov.frames[0].rect;
    let lg = &prov.legend;
    assert!(
        lg.x >= main.x + main.w,
        "legend {lg:?} right of the mainland {main:?}"
    );
    for f in prov.frames.iter().filter(|f| f.id.starts_with("inset-")) {
        assert!(
            f.rect.x >= main.x + main.w,
            "inset {} on the right too",
            f.id
        );
        assert!(
            f.rect.y + f.rect.h <= lg.y,
            "inset {} above the legend",
            f.id
        );
    }
    // Pixels: the legend's background over the page's bottom right, a class swatch in it.
    let img = common::decode_png(&png(&scene));
    let top_class = prov.classes.last().expect("classes").color.clone();
    let swatch = (lg.x as u32..(lg.x + lg.w) as u32)
        .flat_map(|x| (lg.y as u32..(lg.y + lg.h) as u32).map(move |y| (x, y)))
        .any(|(x, y)| {
            let [r, g, bl, _] = img.pixel(x, y);
            format!("#{r:02x}{g:02x}{bl:02x}") == top_class
        });
    assert!(
        swatch,
        "the top class swatch is drawn in the legend box {lg:?}"
    );
    // Brackets: one interval per box, the closure stated.
    let t = common::texts(&scene.items);
    let brackets: Vec<&String> = t.iter().filter(|s| s.starts_with('[')).collect();
    assert_eq!(brackets.len(), prov.classes.len(), "{t:?}");
    assert_eq!(
        brackets.iter().filter(|s| s.ends_with(']')).count(),
        1,
        "{brackets:?}"
    );
    assert!(
        t.iter()
            .any(|s| s.starts_with("Classes : borne inférieure incluse")),
        "{t:?}"
    );
    // Drawn highest first; the sidecar lists them lowest first.
    let mut sidecar: Vec<&String> = prov.classes.iter().map(|c| &c.label).collect();
    sidecar.reverse();
    assert_eq!(sidecar, brackets, "the sidecar has the legend's labels");

    // A département map: the legend over the top-right corner of the map frame.
    let data =
        values::boundary_data(b, Level::Commune, BoundaryIndicator::Density).expect("density");
    let mut st = style();
    st.set("layout.legend", "top-right").expect("a position");
    let mut s = spec(Level::Commune, 300);
    s.within = Some(Within::Departement("69".into()));
    let (_, prov) = build_scene(b, &data, &st, &s).expect("scene builds");
    let (main, lg) = (&prov.frames[0].rect, &prov.legend);
    assert!(
        lg.x + lg.w / 2.0 > main.x + main.w / 2.0 && lg.y + lg.h / 2.0 < main.y + main.h / 2.0,
        "legend {lg:?} in the top right of {main:?}"
    );
    // A column right of the map.
    st.set("layout.legend", "right").expect("a position");
    let (_, prov) = build_scene(b, &data, &st, &s).expect("scene builds");
    let (main, lg) = (&prov.frames[0].rect, &prov.legend);
    assert!(lg.x >= main.x + main.w, "legend {lg:?} right of {main:?}");
}

#[test]
fn sidecar_svg_and_reruns_are_complete_and_identical() {
    let data = values::boundary_data(boundaries(), Level::Departement, BoundaryIndicator::Density)
        .expect("density");
    let s = spec(Level::Departement, 400);
    let (scene, prov) = build(&data, &s);
    let json: serde_json::Value = serde_json::to_value(&prov).expect("serialises");
    let classes = json["classes"].as_array().expect("classes");
    assert!(classes.len() >= 3);
    for c in classes {
        assert!(
            c["lower"].is_f64() && c["upper"].is_f64() && c["count"].is_u64(),
            "{c}"
        );
        let col = c["color"].as_str().expect("colour");
        assert!(
            col.len() == 7
                && col.starts_with('#')
                && col[1..].chars().all(|h| h.is_ascii_hexdigit()),
            "{col}"
        );
    }
    assert_eq!(json["level"], "departement");
    assert_eq!(json["method"], "quantile");
    assert!(
        json["source"]
            .as_str()
            .is_some_and(|s| s.contains("Licence Ouverte 2.0"))
    );
    // World file: Lambert-93 metres per pixel, north up, upper-left pixel centre.
    let wf = prov.world_file(1.0).expect("world file");
    let lines: Vec<f64> = wf.lines().map(|l| l.parse().expect("number")).collect();
    assert_eq!(lines.len(), 6);
    assert!(
        (lines[0] + lines[3]).abs() < 1e-6 && lines[0] > 1000.0 && lines[0] < 10_000.0,
        "{wf}"
    );
    assert!(lines[5] > 7_000_000.0, "north of France's top edge: {wf}");

    // SVG: parses, one path per territory with its code as id, text as text.
    let svg = phare::render::svg::render_svg(&scene);
    let doc = roxmltree::Document::parse(&svg).expect("SVG parses");
    for code in ["01", "2A", "69", "75", "971", "976"] {
        let n = doc
            .descendants()
            .filter(|n| n.attribute("id") == Some(code))
            .count();
        assert_eq!(n, 1, "one element with id {code}");
    }
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("text") && n.text() == Some("Habitants par km²"))
    );

    // Determinism.
    let (again, _) = build(&data, &s);
    assert_eq!(png(&scene), png(&again));
    assert_eq!(svg, phare::render::svg::render_svg(&again));
}

#[test]
fn bad_extents_are_usage_errors() {
    let data = values::boundary_data(boundaries(), Level::Commune, BoundaryIndicator::Population)
        .expect("population");
    let mut s = spec(Level::Commune, 400);
    s.within = Some(Within::Region("99".into()));
    let err = build_scene(boundaries(), &data, &style(), &s).expect_err("no région 99");
    assert_eq!(err.kind, phare::ErrorKind::Usage);
    assert!("reg84".parse::<Within>().is_err());
    assert_eq!(
        "dep:2a".parse::<Within>().expect("valid"),
        Within::Departement("2A".into())
    );
    s.within = None;
    s.width = 50;
    assert!(
        build_scene(boundaries(), &data, &style(), &s).is_err(),
        "a 50 px page is refused"
    );
}

#[test]
fn cli_default_map_writes_png_sidecar_and_world_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(dir.path(), &["map", "--size", "400", "-o", "out/map.png"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png_bytes = std::fs::read(dir.path().join("out/map.png")).expect("png written");
    assert_eq!(&png_bytes[1..4], b"PNG");
    let side: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("out/map.png.json")).expect("sidecar"),
    )
    .expect("json");
    assert_eq!(side["measure"], "q4:oui");
    assert_eq!(side["level"], "region");
    assert_eq!(side["synthetic"], true);
    assert!(side["insufficient"].as_u64().is_some_and(|n| n > 0));
    assert!(dir.path().join("out/map.pgw").exists());

    let svg = common::phare_in(
        dir.path(),
        &[
            "map",
            "--value",
            "population",
            "--size",
            "300",
            "-o",
            "p.svg",
        ],
    );
    assert!(
        svg.status.success(),
        "{}",
        String::from_utf8_lossy(&svg.stderr)
    );
    assert!(dir.path().join("p.svg.json").exists() && !dir.path().join("p.pgw").exists());

    let pdf = common::phare_in(dir.path(), &["map", "--size", "300", "-o", "m.pdf"]);
    assert!(
        pdf.status.success(),
        "{}",
        String::from_utf8_lossy(&pdf.stderr)
    );
    let bytes = std::fs::read(dir.path().join("m.pdf")).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF header");
    let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(64)..]).into_owned();
    assert!(tail.contains("%%EOF"), "a complete PDF: {tail}");

    let bad = common::phare_in(dir.path(), &["map", "-o", "map.gif"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains(".png, .svg or .pdf"));
    let bad = common::phare_in(dir.path(), &["map", "--value", "densite", "-o", "x.png"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("unknown value 'densite'") && err.contains("did you mean 'density'"),
        "{err}"
    );
    let bad = common::phare_in(dir.path(), &["map", "--within", "reg:99", "-o", "x.png"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

/// One rule for population, area and density: the département map's sidecar and the Rhône's
/// profile give the same density (they used to be computed three ways).
#[test]
fn cli_map_and_profile_agree_on_the_density_of_the_rhone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let map = common::phare_in(
        dir.path(),
        &[
            "map",
            "--level",
            "departement",
            "--value",
            "density",
            "--size",
            "300",
            "-o",
            "d.svg",
        ],
    );
    assert!(
        map.status.success(),
        "{}",
        String::from_utf8_lossy(&map.stderr)
    );
    let side: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("d.svg.json")).expect("sidecar"))
            .expect("json");
    let on_map = side["values"]["69"]["value"]
        .as_f64()
        .expect("Rhône on the map");
    assert_eq!(side["values"].as_object().map(|v| v.len()), Some(101));
    // Source line from the boundaries' metadata: the embedded data's population vintage.
    let source = side["source"].as_str().unwrap_or_default();
    assert!(
        source.starts_with("Source : INSEE, populations légales 2023 ; Fond : IGN"),
        "{source}"
    );
    let profile = common::phare_in(dir.path(), &["profile", "dep:69", "--json"]);
    assert!(
        profile.status.success(),
        "{}",
        String::from_utf8_lossy(&profile.stderr)
    );
    let p: serde_json::Value = serde_json::from_slice(&profile.stdout).expect("profile json");
    let in_profile = p["identity"]["density"].as_f64().expect("Rhône density");
    assert_eq!(on_map, in_profile);
    // 1 914 667 inhabitants on about 3 250 km²: some 590 per km².
    assert_eq!(p["identity"]["population"], 1_914_667);
    assert!((550.0..650.0).contains(&on_map), "{on_map}");
}

/// Survey maps keep both sample sizes of every territory in the sidecar, and hatch by the
/// effective one: Bourgogne-Franche-Comté (n = 32, n eff. ≈ 14) is hatched at --min-n 30.
#[test]
fn cli_survey_map_sidecar_carries_n_and_n_eff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(dir.path(), &["map", "--size", "300", "-o", "q.svg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let side: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("q.svg.json")).expect("sidecar"))
            .expect("json");
    let bfc = &side["values"]["27"];
    assert_eq!(bfc["n"], 32, "{bfc}");
    assert!(bfc["n_eff"].as_f64().is_some_and(|n| n < 30.0), "{bfc}");
    assert_eq!(bfc["insufficient"], true, "{bfc}");
    let svg = std::fs::read_to_string(dir.path().join("q.svg")).expect("svg");
    assert!(
        svg.contains("Échantillon insuffisant (n eff. &lt; 30)")
            || svg.contains("Échantillon insuffisant (n eff. < 30)"),
        "the legend states the rule"
    );
}
