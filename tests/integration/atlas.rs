//! Atlases and small multiples on the embedded boundaries: page names and count, shared
//! against local classes, error isolation, the `phare atlas` command, reference images of
//! one atlas page and of the by-actor figure.

use crate::common;

use std::path::Path;

use phare::Level;
use phare::aggregate::Measure;
use phare::atlas::{self, Atlas, Breaks, Format, Per};
use phare::boundaries::{Boundaries, embedded};
use phare::classify::Method;
use phare::compose::map::MapSpec;
use phare::compose::multiples::{self, Panel};
use phare::history::CogHistory;
use phare::style::Style;
use phare::survey::{Actor, join, synth};
use phare::values::MapData;
use phare::values::{self, BoundaryIndicator};

fn boundaries() -> &'static Boundaries {
    embedded::cached().expect("embedded boundaries decode")
}

fn style() -> Style {
    Style::builtin("default").expect("the default style")
}

fn density() -> MapData {
    values::boundary_data(boundaries(), Level::Commune, BoundaryIndicator::Density)
        .expect("density")
}

fn atlas<'a>(data: &'a MapData, style: &'a Style, breaks: Breaks, dir: &Path) -> Atlas<'a> {
    Atlas {
        boundaries: boundaries(),
        data,
        style,
        spec: MapSpec {
            level: Level::Commune,
            width: 340,
            height: 340,
            ..Default::default()
        },
        breaks,
        format: Format::Png,
        dir: dir.to_path_buf(),
        keep_scenes: true,
    }
}

fn page<'a>(pages: &'a [atlas::Page], code: &str) -> &'a atlas::Page {
    pages
        .iter()
        .find(|p| p.code == code)
        .expect("a page for this code")
}

#[test]
fn atlas_pages_cover_all_regions_with_stable_names() {
    let b = boundaries();
    let all = atlas::pages(b, Per::Region, false);
    let stems: Vec<&str> = all.iter().map(|p| p.stem.as_str()).collect();
    assert_eq!(all.len(), 18, "{stems:?}");
    assert_eq!(stems[0], "01-guadeloupe");
    assert!(stems.contains(&"84-auvergne-rhone-alpes"));
    assert!(stems.contains(&"93-provence-alpes-cote-d-azur"));
    assert!(stems.contains(&"11-ile-de-france"));
    assert!(stems.contains(&"04-la-reunion"));
    assert_eq!(stems.last(), Some(&"94-corse"));
    let metro = atlas::pages(b, Per::Region, true);
    assert_eq!(metro.len(), 13);
    assert!(metro.iter().all(|p| p.code.as_str() >= "11"));
    let deps = atlas::pages(b, Per::Departement, false);
    assert_eq!(deps.len(), 101);
    assert!(deps.iter().any(|p| p.stem == "2a-corse-du-sud"));
    assert!(deps.iter().any(|p| p.stem == "974-la-reunion"));
    assert_eq!(atlas::pages(b, Per::Departement, true).len(), 96);
}

#[test]
fn shared_breaks_are_the_same_on_every_page_local_ones_follow_each_page() {
    let data = density();
    let style = style();
    let dir = tempfile::tempdir().expect("temp dir");
    let all = atlas::pages(boundaries(), Per::Region, true);
    let two = [page(&all, "11").clone(), page(&all, "94").clone()];

    let shared = atlas(&data, &style, Breaks::Shared, dir.path());
    let classes = shared
        .shared_classes(&all)
        .expect("classes")
        .expect("values to classify");
    // Quantiles of all metropolitan communes: from the emptiest commune to Paris (~20,000).
    let breaks = &classes.breaks;
    assert_eq!(classes.method, Method::Quantile);
    assert_eq!(breaks.len(), 8);
    assert!(breaks[0] < 1.0 && breaks[7] > 15_000.0, "{breaks:?}");
    let results = shared.draw(&two, &all, &|_, _| {}).expect("drawn");
    let bounds = |r: &atlas::PageResult| -> Vec<(f64, f64)> {
        let prov = r.outcome.as_ref().expect("page drawn");
        prov.classes.iter().map(|c| (c.lower, c.upper)).collect()
    };
    assert_eq!(bounds(&results[0]), bounds(&results[1]));
    assert_eq!(bounds(&results[0]).len(), 7);
    for r in &results {
        // Each page states the real method (not « seuils choisis ») with the shared breaks,
        // the same labels, and counts of its own communes.
        let prov = r.outcome.as_ref().expect("page drawn");
        assert_eq!(prov.method, "quantile");
        let labels: Vec<&str> = prov.classes.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, classes.labels(&data.format));
        let notes = common::texts(&r.scene.as_ref().expect("scene kept").items);
        assert!(
            notes.iter().any(|t| t.contains("quantiles")),
            "legend note: {notes:?}"
        );
        assert!(!notes.iter().any(|t| t.contains("seuils choisis")));
    }
    let counted = |r: &atlas::PageResult| -> usize {
        let prov = r.outcome.as_ref().expect("page drawn");
        prov.classes.iter().map(|c| c.count).sum()
    };
    assert_eq!(counted(&results[1]), 360, "communes of Corsica");

    let local = atlas(&data, &style, Breaks::Local, dir.path());
    let results = local.draw(&two, &all, &|_, _| {}).expect("drawn");
    let (idf, corse) = (bounds(&results[0]), bounds(&results[1]));
    assert_ne!(idf, corse);
    // Each page's classes run from its own least to its own most dense commune.
    let range = |code: &str| {
        let ds: Vec<f64> = boundaries()
            .communes
            .territories
            .iter()
            .filter(|t| t.region.as_deref() == Some(code))
            .filter_map(|t| data.values[&t.code].value)
            .collect();
        (
            ds.iter().copied().fold(f64::INFINITY, f64::min),
            ds.iter().copied().fold(0.0, f64::max),
        )
    };
    let (lo, hi) = range("94");
    assert_eq!(corse[0].0, lo);
    assert_eq!(corse[corse.len() - 1].1, hi);
    assert!(hi < 5_000.0 && idf[idf.len() - 1].1 > 15_000.0);
    // Files were written under their stable names.
    assert!(dir.path().join("94-corse.png").is_file());
}

#[test]
fn atlas_page_of_corse_matches_reference() {
    let data = density();
    let style = style();
    let dir = tempfile::tempdir().expect("temp dir");
    let all = atlas::pages(boundaries(), Per::Region, false);
    let a = atlas(&data, &style, Breaks::Shared, dir.path());
    let results = a
        .draw(&all[all.len() - 1..], &all, &|_, _| {})
        .expect("drawn");
    let png = std::fs::read(&results[0].file).expect("page written");
    assert_eq!(
        results[0].file.file_name().and_then(|n| n.to_str()),
        Some("94-corse.png")
    );
    common::assert_matches_reference("atlas-94-corse", &png);
}

fn succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_atlas_writes_every_page_and_isolates_a_failing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The page of Auvergne-Rhône-Alpes cannot be written: its name is taken by a folder.
    std::fs::create_dir_all(dir.path().join("atlas/84-auvergne-rhone-alpes.png/x"))
        .expect("blocking folder");
    let out = common::phare_in(
        dir.path(),
        &[
            "atlas",
            "--per",
            "region",
            "--level",
            "departement",
            "--value",
            "population",
            "--size",
            "300",
            "-o",
            "atlas",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("1 of 18 pages failed: 84 Auvergne-Rhône-Alpes"),
        "{err}"
    );
    let pngs: Vec<String> = std::fs::read_dir(dir.path().join("atlas"))
        .expect("atlas folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .filter(|n| dir.path().join("atlas").join(n).is_file())
        .collect();
    assert_eq!(pngs.len(), 17, "{pngs:?}");
    let md = std::fs::read_to_string(dir.path().join("atlas/index.md")).expect("index.md");
    assert!(
        md.contains("![Population municipale — Corse](94-corse.png)"),
        "{md}"
    );
    assert!(md.contains("## 84 Auvergne-Rhône-Alpes\n\nÉchec"), "{md}");
    let html = std::fs::read_to_string(dir.path().join("atlas/index.html")).expect("html");
    assert_eq!(html.matches("<img ").count(), 17);
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("atlas/atlas.json")).expect("atlas.json"),
    )
    .expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(18));
    assert_eq!(json[0]["stem"], "01-guadeloupe");
    assert_eq!(json[0]["provenance"]["within"], "reg:01");

    // Once the folder is gone, --only redraws that page alone and keeps the index.
    std::fs::remove_dir_all(dir.path().join("atlas/84-auvergne-rhone-alpes.png"))
        .expect("remove the folder");
    let out = common::phare_in(
        dir.path(),
        &[
            "atlas",
            "--level",
            "departement",
            "--value",
            "population",
            "--size",
            "300",
            "--only",
            "84",
            "-o",
            "atlas",
        ],
    );
    succeeded(&out);
    assert!(
        dir.path()
            .join("atlas/84-auvergne-rhone-alpes.png")
            .is_file()
    );
    let again = std::fs::read_to_string(dir.path().join("atlas/index.md")).expect("index.md");
    assert_eq!(again, md);

    // A région atlas of régions makes no sense: usage error before any page.
    let out = common::phare_in(dir.path(), &["atlas", "--level", "region", "-o", "bad"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("bad").exists());
}

/// 3 000 synthetic respondents of each actor, joined (few hatched régions: a light
/// reference image).
fn actors_joined() -> Vec<join::Joined> {
    let b = boundaries();
    let mut rs = Vec::new();
    for actor in [
        Actor::Maire,
        Actor::Citoyen,
        Actor::Entreprise,
        Actor::Association,
    ] {
        rs.extend(synth::synthesize(&b.communes, 3000, 2016, actor));
    }
    join::join(rs, &b.communes, CogHistory::embedded()).0
}

#[test]
fn by_actor_small_multiples_share_classes_and_one_legend() {
    let joined = actors_joined();
    let measure: Measure = "frag_emploi:mean".parse().expect("measure");
    let panels: Vec<Panel> = [
        (Actor::Maire, "Maires"),
        (Actor::Citoyen, "Citoyens"),
        (Actor::Entreprise, "Entreprises"),
        (Actor::Association, "Associations"),
    ]
    .into_iter()
    .map(|(actor, heading)| {
        let rows: Vec<&join::Joined> = joined
            .iter()
            .filter(|j| j.respondent.actor == actor)
            .collect();
        Panel {
            heading: heading.into(),
            data: values::survey_data(
                boundaries(),
                &rows,
                Level::Region,
                &measure,
                30,
                "test",
                Vec::new(),
            ),
        }
    })
    .collect();
    let spec = MapSpec {
        level: Level::Region,
        width: 560,
        height: 560,
        source: Some("enquêtes PHARE, échantillons synthétiques".into()),
        ..Default::default()
    };
    let (scene, prov) = multiples::build(boundaries(), &panels, &style(), &spec).expect("figure");
    assert_eq!(prov.panels.len(), 4);
    assert!(prov.synthetic);
    // Every panel on the same classes.
    let bounds: Vec<Vec<(f64, f64)>> = prov
        .panels
        .iter()
        .map(|p| {
            p.provenance
                .classes
                .iter()
                .map(|c| (c.lower, c.upper))
                .collect()
        })
        .collect();
    assert!(bounds.iter().all(|b| *b == bounds[0] && !b.is_empty()));
    // ...each panel stating the real method, not manual breaks.
    assert!(
        prov.panels
            .iter()
            .all(|p| p.provenance.method == "quantile")
    );
    let all = common::texts(&scene.items);
    assert_eq!(
        all.iter()
            .filter(|t| t.starts_with("Discrétisation"))
            .count(),
        1
    );
    assert_eq!(all.iter().filter(|t| t.starts_with("Source :")).count(), 1);
    assert_eq!(all.iter().filter(|t| *t == "Données simulées").count(), 1);
    for h in ["Maires", "Citoyens", "Entreprises", "Associations"] {
        assert!(all.iter().any(|t| t == h), "{h} heading");
    }
    // Reference: mayors against citizens on a landscape page (four panels make a PNG too
    // heavy to commit).
    let spec = MapSpec {
        width: 600,
        height: 420,
        ..spec
    };
    let (scene, _) = multiples::build(boundaries(), &panels[..2], &style(), &spec).expect("figure");
    let png = phare::render::raster::render_png(&scene, 1.0).expect("renders");
    common::assert_matches_reference("actors-frag-emploi-regions", &png);
}

#[test]
fn cli_map_actor_filters_and_by_actor_writes_the_figure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--actor",
            "citoyen",
            "--value",
            "frag_emploi:mean",
            "--size",
            "400",
            "-o",
            "c.png",
        ],
    );
    succeeded(&out);
    let side: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("c.png.json")).expect("sidecar"))
            .expect("json");
    assert_eq!(
        side["n"], 1942,
        "citizens who scored emploi in the default sample"
    );
    assert!(
        side["source"]
            .as_str()
            .is_some_and(|s| s.contains("PHARE-Citoyens"))
    );

    let out = common::phare_in(
        dir.path(),
        &[
            "map",
            "--by-actor",
            "--value",
            "q4:oui",
            "--size",
            "800",
            "-o",
            "a.png",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("no citoyens answered q4:oui (Q4 was asked of mayors only)"),
        "{err}"
    );
    let side: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("a.png.json")).expect("sidecar"))
            .expect("json");
    assert_eq!(side["panels"].as_array().map(Vec::len), Some(4));
    assert_eq!(side["panels"][1]["n"], 0);

    // Citizens only, from the default synthetic sample: their emploi mean (7.1 published).
    let out = common::phare_in(
        dir.path(),
        &[
            "stats",
            "--actor",
            "citoyen",
            "--measure",
            "frag_emploi:mean",
            "--json",
        ],
    );
    succeeded(&out);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json rows");
    let fr = rows
        .as_array()
        .and_then(|r| r.iter().find(|r| r["code"] == "FR"))
        .expect("a France row");
    assert_eq!(fr["n"], 1942);
    assert!(
        fr["value"].as_f64().is_some_and(|v| (v - 7.1).abs() < 0.15),
        "{fr}"
    );

    // A survey file without the actor asked: input error naming it.
    let out = common::phare_in(
        dir.path(),
        &[
            "stats",
            "--survey",
            concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/sample-maires.csv"),
            "--actor",
            "association",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no answers from associations"));
}
