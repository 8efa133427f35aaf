//! The interactive dashboard: its embedded figures are `phare stats`' rows, its classes and
//! colours `phare map`'s, its maps one path per territory, its profile panel the same cells;
//! and the whole page stays small and self-contained.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use phare::Level;
use phare::aggregate::{self, Flag, Measure, Reference, RowOptions};
use phare::boundaries::{Boundaries, embedded};
use phare::compose::map::{MapSpec, Within, build_scene};
use phare::dashboard::{self, Dashboard, Inputs, MapSvg, Options, panel, series_key};
use phare::history::CogHistory;
use phare::style::Style;
use phare::survey::join::{self, Joined};
use phare::survey::read::{ReadOptions, read_survey};
use phare::values::{self, BoundaryIndicator};

fn boundaries() -> &'static Boundaries {
    embedded::cached().expect("embedded boundaries decode")
}

/// The committed synthetic sample of mayors, joined (what `phare stats` reads by default).
fn joined() -> &'static [Joined] {
    static J: OnceLock<Vec<Joined>> = OnceLock::new();
    J.get_or_init(|| {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/geodata/sample-maires.csv"
        ));
        let file = read_survey(path, &ReadOptions::default()).expect("sample reads");
        join::join_named(
            file.respondents,
            &file.commune_names,
            &boundaries().communes,
            CogHistory::embedded(),
        )
        .0
    })
}

fn options() -> Options {
    Options {
        style: Style::builtin("default").expect("default style"),
        min_n: 30,
        within: Within::Region("94".into()),
        size: 900,
    }
}

/// The dashboard of the sample, communes of Corse.
fn data() -> &'static Dashboard {
    static D: OnceLock<Dashboard> = OnceLock::new();
    D.get_or_init(|| {
        let inputs = Inputs {
            joined: joined(),
            survey_source: "enquête PHARE-Institutions, échantillon synthétique".into(),
            indicators: None,
        };
        dashboard::build(boundaries(), &inputs, &options()).expect("dashboard builds")
    })
}

fn maps() -> &'static [MapSvg] {
    static M: OnceLock<Vec<MapSvg>> = OnceLock::new();
    M.get_or_init(|| dashboard::maps(boundaries(), &options()).expect("maps draw"))
}

#[test]
fn embedded_figures_are_phare_stats_rows() {
    let d = data();
    assert_eq!(d.respondents, 304);
    assert!(d.synthetic);
    // Only mayors: the four actors are listed, three without respondents, no « all ».
    let actors: Vec<(&str, usize)> = d.actors.iter().map(|a| (a.key, a.respondents)).collect();
    assert_eq!(
        actors,
        [
            ("maire", 304),
            ("citoyen", 0),
            ("entreprise", 0),
            ("association", 0)
        ]
    );
    let b = boundaries();
    for level in [Level::Region, Level::Departement] {
        let opts = RowOptions {
            level,
            measures: Measure::all(),
            min_n: 30,
            reference: Reference::Parent,
            by_actor: false,
        };
        let rows = aggregate::rows(joined(), b.layer(level), &opts);
        let mut checked = 0;
        for r in &rows {
            let s = &d.series[&series_key(level, &r.measure, Some("maire"))];
            let Some(c) = s.cells.get(&r.code) else {
                assert_eq!(r.flag, Flag::Empty, "{} {} missing", r.measure, r.code);
                continue;
            };
            let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                (a, b) => a.is_none() && b.is_none(),
            };
            assert!(close(c.value, r.value), "{} {}", r.measure, r.code);
            assert!(close(c.ci_low, r.ci_low) && close(c.ci_high, r.ci_high));
            assert!(close(c.gap, r.gap) && c.gap_significant == r.gap_significant);
            assert_eq!(
                (c.n, c.flag),
                (Some(r.n), r.flag),
                "{} {}",
                r.measure,
                r.code
            );
            checked += 1;
        }
        assert!(checked > 300, "{checked} cells compared at {level:?}");
    }
    // Known figures: France and Auvergne-Rhône-Alpes, Q4 « oui » (as `phare stats` prints).
    let q4 = &d.series[&series_key(Level::Region, "q4:oui", Some("maire"))];
    let fr = q4.cells["FR"];
    assert_eq!((fr.n, fr.flag), (Some(302), Flag::Ok));
    assert!((fr.value.unwrap_or(0.0) - 0.760673).abs() < 1e-6);
    assert!(
        (fr.n_eff.unwrap_or(0.0) - 183.0).abs() < 1.0,
        "{:?}",
        fr.n_eff
    );
    // 35 mayors whose weights are worth 25 of equal weight: below the effective 30.
    let ara = q4.cells["84"];
    assert_eq!((ara.n, ara.flag), (Some(35), Flag::Insufficient));
    assert!(
        (ara.n_eff.unwrap_or(0.0) - 25.0).abs() < 1.0,
        "{:?}",
        ara.n_eff
    );
    assert!((ara.value.unwrap_or(0.0) - 0.641629).abs() < 1e-6);
    assert_eq!(q4.cells["94"].flag, Flag::Insufficient);
    assert_eq!(
        q4.cells["94"].class, None,
        "an insufficient sample gets no colour"
    );
    assert!(!q4.cells.contains_key("01"), "Guadeloupe: no respondent");
}

#[test]
fn classes_and_colours_are_phare_maps() {
    let d = data();
    let b = boundaries();
    let style = Style::builtin("default").expect("default style");
    let measure: Measure = "q4:oui".parse().expect("measure");
    let data = values::survey_data(b, joined(), Level::Region, &measure, 30, "test", Vec::new());
    let spec = MapSpec {
        level: Level::Region,
        ..MapSpec::default()
    };
    let (_, prov) = build_scene(b, &data, &style, &spec).expect("scene");
    let s = &d.series[&series_key(Level::Region, "q4:oui", Some("maire"))];
    let ours: Vec<(&str, &str, usize)> = s
        .classes
        .iter()
        .map(|c| (c.color.as_str(), c.label.as_str(), c.count))
        .collect();
    let theirs: Vec<(&str, &str, usize)> = prov
        .classes
        .iter()
        .map(|c| (c.color.as_str(), c.label.as_str(), c.count))
        .collect();
    assert_eq!(ours, theirs);
    assert_eq!(
        s.ranked, 0,
        "no région has an effective sample of 30 mayors: nothing ranked or coloured"
    );
    // Density by département: the same colours territory by territory.
    let data =
        values::boundary_data(b, Level::Departement, BoundaryIndicator::Density).expect("density");
    let spec = MapSpec {
        level: Level::Departement,
        ..MapSpec::default()
    };
    let (_, prov) = build_scene(b, &data, &style, &spec).expect("scene");
    let s = &d.series[&series_key(Level::Departement, "ind:density", None)];
    assert_eq!(s.classes.len(), prov.classes.len());
    for (code, cell) in &s.cells {
        let v = data.values[code].value.expect("a density");
        let k = prov
            .classes
            .iter()
            .rposition(|c| v >= c.lower)
            .expect("a class");
        let class = cell.class.expect("every département is classed");
        assert_eq!(s.classes[class].color, prov.classes[k].color, "{code}");
    }
    assert_eq!(s.cells["75"].rank, Some(1), "Paris is the densest");
    assert_eq!(s.cells["973"].rank, Some(101), "Guyane the least dense");
    assert_eq!(s.cells["48"].rank, Some(100), "then Lozère");
}

#[test]
fn maps_have_one_focusable_path_per_territory() {
    let b = boundaries();
    for m in maps() {
        let layer = b.layer(m.level);
        let expected: Vec<&str> = layer
            .territories
            .iter()
            .filter(|t| m.level != Level::Commune || t.region.as_deref() == Some("94"))
            .map(|t| t.code.as_str())
            .collect();
        for code in &expected {
            let tag = format!("<path id=\"{code}\" ");
            assert_eq!(m.svg.matches(&tag).count(), 1, "{code} at {:?}", m.level);
        }
        assert!(
            m.svg
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\"")
        );
        assert!(
            m.svg.contains("<pattern id=\"hatch-0\""),
            "static maps' hatching"
        );
        assert!(
            !m.svg.contains("<title"),
            "the page writes its own tooltips"
        );
        assert_eq!(m.svg.matches("<svg").count(), 1);
    }
    assert_eq!(maps()[2].svg.matches("<path id=\"2A").count(), 124);
}

/// `a` and `b` are the same figure, up to the page's 6-decimal rounding.
fn same(a: Option<f64>, b: &serde_json::Value, what: &str) {
    match (a, b.as_f64()) {
        (None, None) => {}
        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-6, "{what}: {x} vs {y}"),
        _ => panic!("{what}: {a:?} vs {b}"),
    }
}

/// The panel's figures are `phare profile --json`'s, field by field, at every level the
/// profile shows: a commune (Ajaccio, read at its département), a département, a région.
#[test]
fn panel_figures_are_phare_profile() {
    let d = data();
    for query in ["2A004", "dep:69", "reg:84"] {
        let out = Command::new(env!("CARGO_BIN_EXE_phare"))
            .args(["profile", query, "--json"])
            .output()
            .expect("phare runs");
        assert!(out.status.success(), "{query}");
        let p: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON profile");
        let levels = p["levels"].as_array().expect("levels");
        for (i, place) in levels.iter().enumerate() {
            let code = place["code"].as_str().expect("code");
            let level = match place["level"].as_str() {
                Some("departement") => Level::Departement,
                _ => Level::Region,
            };
            let cells = panel::figures(d, level, code, "maire").expect("profile embedded");
            assert_eq!(cells.len(), 17);
            let scores = (p["domains"].as_array().expect("domains").iter())
                .map(|dom| &dom["scores"][i])
                .chain([&p["q4"][i]["oui"]]);
            for (k, (c, s)) in cells.iter().zip(scores).enumerate() {
                let what = format!("{query} {code} measure {k}");
                assert_eq!(c.n.map(|n| n as u64), s["n"].as_u64(), "{what}");
                assert_eq!(c.flag.as_str(), s["flag"], "{what}");
                assert_eq!(c.gap_significant, s["gap_significant"].as_bool(), "{what}");
                same(c.value, &s["value"], &what);
                same(c.ci_low, &s["ci_low"], &what);
                same(c.ci_high, &s["ci_high"], &what);
                same(c.gap, &s["gap"], &what);
            }
            let key = panel::place_key(level.as_str(), code);
            let sp = &d.profiles.survey["maire"][&key];
            for (x, y) in sp
                .q4_answers
                .iter()
                .zip(p["q4"][i]["answers"].as_array().expect("a"))
            {
                same(*x, y, "q4 answers");
            }
            if i == 0 && query != "2A004" {
                let pr = sp.priorities.as_ref().expect("priorities");
                assert_eq!(serde_json::to_value(&pr.0).expect("json"), p["priorities"]);
                let id = &d.profiles.places[&key].identity;
                same(id[0], &p["identity"]["population"], "population");
                assert!(
                    (id[1].unwrap_or(0.0) - p["identity"]["area_km2"].as_f64().unwrap_or(0.0))
                        .abs()
                        < 0.06
                );
            }
        }
    }
    // A commune's panel is its département's, as in `phare profile 2A004`.
    assert_eq!(
        panel::figures(d, Level::Commune, "2A004", "maire"),
        panel::figures(d, Level::Departement, "2A", "maire")
    );
    assert!(panel::figures(d, Level::Commune, "69123", "maire").is_none());
    assert!(panel::figures(d, Level::Region, "84", "citoyen").is_none());
}

#[test]
fn page_is_self_contained() {
    let html = dashboard::page::page(data(), maps()).expect("page");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    for level in ["region", "departement", "commune"] {
        assert_eq!(
            html.matches(&format!("<template id=\"map-{level}\">"))
                .count(),
            1
        );
    }
    // Nothing fetched: no external script, style, image or font.
    for pat in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
        assert!(!html.contains(pat), "{pat}");
    }
    let tag = "<script type=\"application/json\" id=\"phare-data\">";
    let start = html.find(tag).expect("data block") + tag.len();
    let end = start + html[start..].find("</script>").expect("end of data");
    let json: serde_json::Value = serde_json::from_str(&html[start..end]).expect("valid JSON");
    let cell = &json["series"]["region|q4:oui|maire"]["cells"]["84"];
    assert_eq!(cell[1], 1, "flag insufficient: n eff. below 30");
    assert_eq!(cell[4], 35);
    assert!(
        cell[9].as_f64().is_some_and(|n| (24.0..26.0).contains(&n)),
        "n eff. {}",
        cell[9]
    );
    assert_eq!(
        json["profiles"]["measures"].as_array().map(Vec::len),
        Some(17)
    );
}

/// The heaviest région (Grand Est, 5,100 communes) stays under 5 MB.
#[test]
fn cli_writes_a_page_under_5_mb() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("d.html");
    let status = Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(["dashboard", "--within", "reg:44", "-o"])
        .arg(&out)
        .status()
        .expect("phare runs");
    assert!(status.success());
    let size = std::fs::metadata(&out).expect("written").len();
    assert!(size < 5_000_000, "{size} bytes");
    let html = std::fs::read_to_string(&out).expect("utf-8");
    assert!(html.contains("<path id=\"67482\" "), "Strasbourg drawn");
    assert!(html.contains("Communes (Grand Est)"));
}

/// With two actors, « all » and each actor are `phare stats` and `phare stats --by actor`.
#[test]
fn actors_split_like_stats_by_actor() {
    let mut mixed = joined().to_vec();
    for j in mixed.iter_mut().skip(1).step_by(3) {
        j.respondent.actor = phare::survey::Actor::Citoyen;
    }
    let inputs = Inputs {
        joined: &mixed,
        survey_source: "test".into(),
        indicators: None,
    };
    let d = dashboard::build(boundaries(), &inputs, &options()).expect("dashboard builds");
    let keys: Vec<(&str, usize)> = d.actors.iter().map(|a| (a.key, a.respondents)).collect();
    assert_eq!(
        keys,
        [
            ("all", 304),
            ("maire", 203),
            ("citoyen", 101),
            ("entreprise", 0),
            ("association", 0)
        ]
    );
    let b = boundaries();
    for by_actor in [false, true] {
        let opts = RowOptions {
            level: Level::Region,
            measures: vec![
                "q4:oui".parse().expect("m"),
                "frag_sante:mean".parse().expect("m"),
            ],
            min_n: 30,
            reference: Reference::Parent,
            by_actor,
        };
        for r in aggregate::rows(&mixed, b.layer(Level::Region), &opts) {
            let actor = r.actor.map_or("all", |a| match a {
                phare::survey::Actor::Maire => "maire",
                _ => "citoyen",
            });
            let s = &d.series[&series_key(Level::Region, &r.measure, Some(actor))];
            match s.cells.get(&r.code) {
                None => assert_eq!(r.flag, Flag::Empty),
                Some(c) => {
                    assert_eq!(
                        (c.n, c.flag, c.value),
                        (Some(r.n), r.flag, r.value),
                        "{actor} {}",
                        r.code
                    )
                }
            }
        }
    }
    assert!(!d.series.contains_key("region|q4:oui|entreprise"));
}
