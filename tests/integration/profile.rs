//! `phare profile`: fiches of known communes pinned field by field against the embedded data
//! and the embedded synthetic sample (304 mayors), error messages, outputs, reference image.

use std::path::Path;
use std::process::Command;

use phare::aggregate::Flag;
use phare::boundaries::{Boundaries, embedded};
use phare::history::CogHistory;
use phare::lookup::{Gazetteer, Match};
use phare::profile::{self, IndicatorSet, Options, Profile, Score};
use phare::survey::join::{self, Joined};
use phare::survey::read::{ReadOptions, read_indicators, read_survey};
use phare::territory::stratum::SizeStratum;

use crate::common;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/sample-maires.csv");

fn phare(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(args)
        .output()
        .expect("phare runs")
}

fn sample(b: &Boundaries) -> Vec<Joined> {
    let file = read_survey(Path::new(SAMPLE), &ReadOptions::default()).expect("the sample reads");
    join::join(file.respondents, &b.communes, CogHistory::embedded()).0
}

fn options() -> Options {
    Options {
        source: "échantillon synthétique".into(),
        ..Options::default()
    }
}

/// The profile of `query` on the embedded data (no geometry: the area decodes one territory).
fn profile_of(query: &str) -> Profile {
    let b = embedded::boundaries_without_geometry().expect("embedded data");
    let joined = sample(&b);
    let g = Gazetteer::new(&b, CogHistory::embedded());
    let target = profile::resolve(query, &g, &b).expect("resolves");
    profile::build(&target, &b, &joined, &[], &options()).expect("builds")
}

fn codes(p: &Profile) -> Vec<&str> {
    p.levels.iter().map(|l| l.code.as_str()).collect()
}

/// (n, flag) of a score, and its value rounded to 3 decimals.
fn pin(s: &Score) -> (usize, Flag, Option<f64>) {
    (s.n, s.flag, s.value.map(|v| (v * 1000.0).round() / 1000.0))
}

fn emploi(p: &Profile) -> Vec<(usize, Flag, Option<f64>)> {
    assert_eq!(p.domains[0].key, "emploi");
    p.domains[0].scores.iter().map(pin).collect()
}

fn q4(p: &Profile) -> Vec<(usize, Flag, Option<f64>)> {
    p.q4.iter().map(|q| pin(&q.oui)).collect()
}

fn priorities(p: &Profile) -> (String, Vec<&str>) {
    let pr = p.priorities.as_ref().expect("priorities");
    (
        pr.place.code.clone(),
        pr.domains.iter().map(|d| d.key).collect(),
    )
}

/// France, the same in every profile: 297 mayors scored emploi, 302 answered Q4 1-4 (2 NSP).
const FRANCE_EMPLOI: (usize, Flag, Option<f64>) = (297, Flag::Ok, Some(6.347));
const FRANCE_Q4: (usize, Flag, Option<f64>) = (302, Flag::Ok, Some(0.761));

#[test]
fn lyon() {
    let p = profile_of("69123");
    let id = &p.identity;
    assert_eq!(id.territory.name, "Lyon");
    assert_eq!(id.matched, Some(Match::Code));
    let dep = id.departement.as_ref().expect("département");
    assert_eq!((dep.code.as_str(), dep.name.as_str()), ("69", "Rhône"));
    let reg = id.region.as_ref().expect("région");
    assert_eq!(
        (reg.code.as_str(), reg.name.as_str()),
        ("84", "Auvergne-Rhône-Alpes")
    );
    assert_eq!(id.epci.as_deref(), Some("200046977"));
    assert_eq!(id.population, Some(519_127));
    let area = id.area_km2.expect("area");
    assert!((area - 48.11).abs() < 0.01, "{area}");
    assert!((id.density.expect("density") - 519_127.0 / area).abs() < 1e-9);
    assert_eq!(id.size_stratum, Some(SizeStratum::From10000));
    assert_eq!(id.communes, None);

    assert!(p.survey.synthetic);
    assert_eq!(p.survey.respondents, 304);
    assert_eq!(
        p.own_answers.as_deref(),
        Some(&[][..]),
        "Lyon's mayor did not answer"
    );
    assert_eq!(codes(&p), ["69", "84", "FR"]);
    assert_eq!(
        emploi(&p),
        [
            (5, Flag::Insufficient, Some(6.564)),
            // 33 mayors in Auvergne-Rhône-Alpes, but an effective sample below 30.
            (33, Flag::Insufficient, Some(6.508)),
            FRANCE_EMPLOI
        ]
    );
    let rhone = &p.domains[0].scores[0];
    assert_eq!(rhone.gap_significant, Some(false));
    assert!((rhone.gap.expect("gap") - (6.564 - 6.347)).abs() < 0.001);
    assert_eq!(
        p.domains[0].scores[2].gap, None,
        "France has no gap to itself"
    );
    assert_eq!(
        q4(&p),
        [
            (5, Flag::Insufficient, Some(1.0)),
            (35, Flag::Insufficient, Some(0.642)),
            FRANCE_Q4
        ]
    );
    // Answers 1-4 of the région add up to the whole base.
    let sum: f64 = p.q4[1].answers.iter().flatten().sum();
    assert!((sum - 1.0).abs() < 1e-9);
    assert_eq!(p.q4[2].oui.dont_know, 2);
    // The département has 5 respondents and the région an effective sample below 30:
    // priorities are read in France.
    assert_eq!(
        priorities(&p),
        ("FR".into(), vec!["emploi", "sante", "dev_eco"])
    );
}

#[test]
fn ajaccio() {
    let p = profile_of("2A004");
    let id = &p.identity;
    assert_eq!(id.territory.name, "Ajaccio");
    assert_eq!(
        id.departement.as_ref().map(|d| d.name.as_str()),
        Some("Corse-du-Sud")
    );
    assert_eq!(id.region.as_ref().map(|r| r.code.as_str()), Some("94"));
    assert_eq!(id.population, Some(76_320));
    // 83.11 before the build snapped to the 1e-5° grid of the file (simplified differently).
    assert!((id.area_km2.expect("area") - 83.03).abs() < 0.01);
    assert_eq!(codes(&p), ["2A", "94", "FR"]);
    assert_eq!(
        emploi(&p),
        [
            (1, Flag::Insufficient, Some(3.0)),
            (2, Flag::Insufficient, Some(4.319)),
            FRANCE_EMPLOI
        ]
    );
    assert_eq!(
        q4(&p),
        [
            (1, Flag::Insufficient, Some(1.0)),
            (3, Flag::Insufficient, Some(0.913)),
            FRANCE_Q4
        ]
    );
    // Corsica's 3 mayors are too few: France's priorities, emploi first as published.
    assert_eq!(
        priorities(&p),
        ("FR".into(), vec!["emploi", "sante", "dev_eco"])
    );
}

#[test]
fn saint_denis_de_la_reunion() {
    let p = profile_of("97411");
    let id = &p.identity;
    assert_eq!(id.territory.name, "Saint-Denis");
    assert_eq!(
        id.departement.as_ref().map(|d| d.code.as_str()),
        Some("974")
    );
    assert_eq!(id.region.as_ref().map(|r| r.code.as_str()), Some("04"));
    assert_eq!(id.population, Some(155_634));
    assert!((id.area_km2.expect("area in UTM 40S") - 141.33).abs() < 0.01);
    // La Réunion is a one-département région: it is not repeated.
    assert_eq!(codes(&p), ["974", "FR"]);
    assert_eq!(emploi(&p), [(0, Flag::Empty, None), FRANCE_EMPLOI]);
    assert_eq!(q4(&p), [(0, Flag::Empty, None), FRANCE_Q4]);
    assert!(p.q4[0].answers.iter().all(Option::is_none));
    assert_eq!(priorities(&p).0, "FR");
}

#[test]
fn commune_merged_in_2025_by_its_former_code() {
    // Nonant-le-Pin (61310) joined Merlerault-le-Pin (61275) on 1 January 2025.
    let p = profile_of("61310");
    let id = &p.identity;
    assert_eq!(
        (id.territory.code.as_str(), id.territory.name.as_str()),
        ("61275", "Merlerault-le-Pin")
    );
    assert_eq!(
        id.matched,
        Some(Match::FormerCode {
            former: "61310".into(),
            former_name: Some("Nonant-le-Pin".into()),
            year: Some(2025),
        })
    );
    assert_eq!(id.population, Some(1_429));
    assert!((id.area_km2.expect("area of the merged commune") - 61.38).abs() < 0.01);
    assert_eq!(id.size_stratum, Some(SizeStratum::From500));
    assert_eq!(codes(&p), ["61", "28", "FR"]);
    assert_eq!(
        emploi(&p),
        [
            (1, Flag::Insufficient, Some(7.0)),
            (21, Flag::Insufficient, Some(7.054)),
            FRANCE_EMPLOI
        ]
    );
    assert_eq!(q4(&p)[1], (23, Flag::Insufficient, Some(0.699)));
}

#[test]
fn a_mayor_who_answered_is_shown_with_the_answers() {
    // M000001 of the sample, Plessis-Saint-Benoist.
    let p = profile_of("91495");
    let own = p.own_answers.as_ref().expect("a commune profile");
    assert_eq!(own.len(), 1);
    let a = &own[0];
    assert_eq!(a.respondent_id, "M000001");
    assert_eq!(
        a.q4.as_ref().map(|x| (x.code, x.label)),
        Some((3, "Non, plutôt pas"))
    );
    assert_eq!(a.scores[0], Some(8.0));
    assert_eq!(a.scores[7], None);
    assert_eq!(a.dont_know, ["vieillissement"]);
    let text = profile::text::render(&p);
    assert!(
        text.contains("Le maire a répondu (réponse M000001)"),
        "{text}"
    );
}

#[test]
fn departement_and_region_profiles() {
    let dep = profile_of("dep:69");
    assert_eq!(dep.identity.territory.level, "departement");
    assert_eq!(dep.identity.communes, Some(266));
    assert_eq!(dep.identity.population, Some(1_914_667));
    assert_eq!(dep.own_answers, None);
    assert_eq!(codes(&dep), ["69", "84", "FR"]);
    let reg = profile_of("reg:84");
    assert_eq!(reg.identity.communes, Some(4_025));
    assert_eq!(reg.identity.population, Some(8_205_557));
    assert!((reg.identity.area_km2.expect("area") - 70_794.8).abs() < 1.0);
    assert_eq!(codes(&reg), ["84", "FR"]);
    assert_eq!(emploi(&reg)[0], (33, Flag::Insufficient, Some(6.508)));
    assert!(reg.domains[0].scores[0].n_eff < 30.0);
}

#[test]
fn indicator_ranks_in_departement_region_and_france() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("taux.csv");
    // Lyon second of three in the Rhône, third of four in the région, of five in France.
    std::fs::write(
        &path,
        "codgeo;taux_pauvrete\n69123;12,5\n69091;20\n69264;3\n38185;15\n13055;30\n",
    )
    .expect("write");
    let b = embedded::boundaries_without_geometry().expect("embedded data");
    let joined = sample(&b);
    let table = read_indicators(&path, &ReadOptions::default()).expect("reads");
    let (ind, _) = join::join_indicators(&table, &b.communes, CogHistory::embedded());
    let sets = [IndicatorSet {
        source: "taux.csv".into(),
        joined: ind,
        additive: table.additive.clone(),
    }];
    let g = Gazetteer::new(&b, CogHistory::embedded());
    let target = profile::resolve("Lyon", &g, &b).expect("one Lyon");
    let p = profile::build(&target, &b, &joined, &sets, &options()).expect("builds");
    let i = &p.indicators[0];
    assert_eq!(
        (i.column.as_str(), i.statistic, i.value),
        ("taux_pauvrete", "value", Some(12.5))
    );
    let ranks: Vec<(&str, usize, usize, f64)> = i
        .ranks
        .iter()
        .map(|r| (r.scope.code.as_str(), r.rank, r.of, r.percentile))
        .collect();
    assert_eq!(
        ranks,
        [
            ("69", 2, 3, 200.0 / 3.0),
            ("84", 3, 4, 50.0),
            ("FR", 4, 5, 40.0)
        ]
    );
    // A département profile ranks the median of its communes among départements.
    let p = profile::build(
        &profile::resolve("dep:69", &g, &b).expect("dep"),
        &b,
        &joined,
        &sets,
        &options(),
    )
    .expect("builds");
    let i = &p.indicators[0];
    assert_eq!((i.statistic, i.value), ("median", Some(12.5)));
    assert_eq!(
        (
            i.ranks[0].scope.code.as_str(),
            i.ranks[0].rank,
            i.ranks[0].of
        ),
        ("84", 2, 2)
    );
}

#[test]
fn unknown_code_suggests_near_codes() {
    let out = phare(&["profile", "69999"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no commune with code '69999'"), "{err}");
    assert!(err.contains("Haute-Rivoire (69099)"), "{err}");
}

#[test]
fn ambiguous_name_lists_the_homonyms() {
    let out = phare(&["profile", "saint denis"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("names 4 communes"), "{err}");
    for code in [
        "11339",
        "30247",
        "93066 Saint-Denis (Seine-Saint-Denis)",
        "97411",
    ] {
        assert!(err.contains(code), "{code}: {err}");
    }
    let out = phare(&["profile", "lyonn"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean: Lyon (69123, 69)"));
    let out = phare(&["profile", "dep:99"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_actor_absent_from_the_survey_is_an_input_error() {
    // The rule of every command that reads answers (`stats` and `map` too): exit 1.
    let out = phare(&["profile", "69123", "--actor", "citoyen", "--survey", SAMPLE]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no answers from citoyens in this file (it holds 304 maires)"),
        "{err}"
    );
}

#[test]
fn other_actors_come_from_the_default_synthetic_samples() {
    let out = phare(&["profile", "69123", "--actor", "citoyen", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let france_emploi = v["domains"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["key"] == "emploi"))
        .and_then(|d| d["scores"].as_array()?.last().cloned())
        .expect("emploi at France level");
    // 2,000 synthetic citizens (58 « ne sait pas »), calibrated on the published 7.1 for emploi.
    assert_eq!(france_emploi["n"], 1942, "{france_emploi}");
    assert_eq!(france_emploi["dont_know"], 58, "{france_emploi}");
    let mean = france_emploi["value"].as_f64().expect("a mean");
    assert!((mean - 7.1).abs() < 0.15, "{mean}");
}

#[test]
fn cli_text_json_and_point() {
    let out = phare(&["profile", "--at", "4.8357,45.7676"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Lyon (69123) — commune"), "{text}");
    assert!(text.contains("DONNÉES SIMULÉES"));
    assert!(text.contains("Aucun maire de Lyon n'a répondu"));
    assert!(
        text.contains("population    519\u{202F}127\u{A0}hab."),
        "{text}"
    );

    let out = phare(&["profile", "12076", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["identity"]["territory"]["code"], "12218");
    assert_eq!(v["identity"]["match"]["kind"], "former_code");
    assert_eq!(v["domains"].as_array().map(Vec::len), Some(16));
    assert_eq!(v["survey"]["synthetic"], true);
}

#[test]
fn fiche_in_three_formats() {
    let dir = tempfile::tempdir().expect("temp dir");
    for ext in ["svg", "pdf"] {
        let path = dir.path().join(format!("fiche.{ext}"));
        let out = phare(&["profile", "2A004", "-o", path.to_str().expect("utf-8")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).expect("written");
        match ext {
            "svg" => {
                let svg = String::from_utf8_lossy(&bytes);
                assert!(svg.contains("Données simulées") && svg.contains("Ajaccio (2A004)"));
            }
            _ => assert!(bytes.starts_with(b"%PDF")),
        }
    }
    let out = phare(&["profile", "2A004", "-o", "fiche.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The fiche of Ajaccio, drawn at 30 % of its size (references stay under 50 KB) (the structure, not the print resolution).
#[test]
fn fiche_reference_image() {
    let b = embedded::cached().expect("embedded data");
    let joined = sample(b);
    let g = Gazetteer::new(b, CogHistory::embedded());
    let target = profile::resolve("2A004", &g, b).expect("resolves");
    let p = profile::build(&target, b, &joined, &[], &options()).expect("builds");
    let scene = profile::figure::scene(&p, b).expect("lays out");
    assert_eq!(
        (scene.width, scene.height),
        (1240.0, 1754.0),
        "A4 at 150 dpi"
    );
    let texts = texts(&scene.items);
    assert!(texts.iter().any(|t| t.text == "Données simulées"));
    assert!(texts.iter().any(|t| t.text == "Ajaccio (2A004)"));
    let png = phare::render::raster::render_png(&scene, 0.3).expect("renders");
    let img = common::decode_png(&png);
    // « Données simulées » in the style's warning red, top right.
    let red = (0..img.height / 12)
        .flat_map(|y| (img.width / 2..img.width).map(move |x| (x, y)))
        .any(|(x, y)| img.pixel(x, y)[..3] == [0xb2, 0x18, 0x2b]);
    assert!(red, "the synthetic-data mark is red");
    common::assert_matches_reference("fiche-ajaccio", &png);
}

fn texts(items: &[phare::render::scene::Item]) -> Vec<&phare::render::scene::Text> {
    use phare::render::scene::Item;
    let mut out = Vec::new();
    for i in items {
        match i {
            Item::Text(t) => out.push(t),
            Item::Group { items, .. } => out.extend(texts(items)),
            Item::Shape { .. } => {}
        }
    }
    out
}

/// The commune's own respondents read as French: many are summed up (their mean per domain),
/// a few are listed with the right article, and Q4, put to mayors only, says so.
#[test]
fn own_answers_of_other_actors() {
    let text = |args: &[&str]| {
        let out = phare(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let lyon = text(&["profile", "69123", "--actor", "citoyen"]);
    assert!(
        lyon.contains("11 citoyens de la commune ont répondu : innovation « oui » pour 8 sur 11"),
        "{lyon}"
    );
    assert!(!lyon.contains("Le citoyen a répondu"), "{lyon}");
    let header = lyon
        .lines()
        .find(|l| l.contains("domaine (note /10)"))
        .expect("table");
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>()[3..],
        ["moyenne", "réponses", "NSP"]
    );
    assert!(lyon.contains("Q4 n'a été posée qu'aux maires"), "{lyon}");
    assert!(
        lyon.contains("Source : enquête PHARE-Citoyens, échantillon synthétique"),
        "{lyon}"
    );

    let nice = text(&["profile", "06088", "--actor", "entreprise"]);
    let listed: Vec<&str> = nice
        .lines()
        .filter(|l| l.starts_with("  L'entreprise a répondu (réponse E"))
        .collect();
    assert_eq!(listed.len(), 2, "{nice}");
    assert!(listed.iter().all(|l| !l.contains("Q4")), "{nice}");
    assert!(
        listed[0].contains("Emploi, chômage, insertion professionnelle (10/10)"),
        "{nice}"
    );
    // One column per respondent, numbers right-aligned under their id.
    let table: Vec<&str> = nice
        .lines()
        .skip_while(|l| !l.contains("domaine (note /10)"))
        .take(17)
        .collect();
    assert!(
        table
            .iter()
            .all(|l| l.chars().count() == table[0].chars().count()),
        "{table:#?}"
    );
    let none = text(&["profile", "01001", "--actor", "association"]);
    assert!(
        none.contains("Aucune association de L'Abergement-Clémenciat n'a répondu"),
        "{none}"
    );
}

/// The text fiche gives n and n eff. side by side, and marks a cell by the effective one.
#[test]
fn text_fiche_shows_n_and_n_eff() {
    let out = phare(&["profile", "dep:69"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let ara = text
        .lines()
        .find(|l| l.starts_with("Auvergne-Rhône-Alpes (84)"))
        .unwrap_or_else(|| panic!("no Q4 row of the région in {text}"));
    let cells: Vec<&str> = ara.split_whitespace().collect();
    // oui 64,2 %, [44,8 ; 79,8], n = 35, n eff. = 25, 0 NSP, gap, ° insufficient.
    assert_eq!(cells[7..9], ["35", "25"], "{ara}");
    assert!(ara.contains('°'), "{ara}");
    assert!(text.contains("° = échantillon insuffisant (n eff. < 30)"));
}
