//! Aggregation: shares, Wilson intervals, Kish n_eff, flags, « Ne sait pas », gaps, row keys.
//! Every expected number is computed by hand in the comment above its assertion.

use phare::aggregate::{self, FRANCE, Flag, Located, Measure, Reference, RowOptions};
use phare::survey::{Actor, Respondent};
use phare::{Layer, Level, Territory};

/// A respondent placed in a commune, as the survey join produces it.
struct J {
    r: Respondent,
    com: String,
    dep: String,
    reg: String,
}

impl Located for J {
    fn respondent(&self) -> &Respondent {
        &self.r
    }
    fn code(&self, level: Level) -> &str {
        match level {
            Level::Commune => &self.com,
            Level::Departement => &self.dep,
            Level::Region => &self.reg,
        }
    }
}

fn resp(weight: f64, q4: Option<u8>) -> Respondent {
    Respondent {
        id: String::new(),
        actor: Actor::Maire,
        wave: None,
        insee_com: String::new(),
        cog_year: None,
        weight,
        q4,
        q_innovation: None,
        frag: [None; 16],
        frag_dont_know: [false; 16],
        synthetic: false,
        line: 0,
    }
}

fn at(reg: &str, dep: &str, r: Respondent) -> J {
    J {
        r,
        com: format!("{dep}001"),
        dep: dep.to_string(),
        reg: reg.to_string(),
    }
}

/// `count` respondents of weight 1 in a région, `yes` of them answering 1, the rest 4.
fn block(reg: &str, count: usize, yes: usize) -> Vec<J> {
    (0..count)
        .map(|i| {
            at(
                reg,
                &format!("{reg}0"),
                resp(1.0, Some(if i < yes { 1 } else { 4 })),
            )
        })
        .collect()
}

fn m(s: &str) -> Measure {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() < tol
}

#[test]
fn weighted_share_wilson_on_effective_n_and_dont_know() {
    // Weights and answers: (2, « 1 »), (1, « 2 »), (1, « 3 »), (3, « 9 »).
    // Base = answers 1-4: p(oui) = (2 + 1) / (2 + 1 + 1) = 0.75, n = 3, dont_know = 1.
    // n_eff = (2+1+1)² / (4+1+1) = 16/6 = 2.6667.
    // Wilson, z² = 3.841459, z²/n = 1.440547, denom = 2.440547,
    // centre = (0.75 + 0.720274) / 2.440547 = 0.602436,
    // half = 1.959964 / 2.440547 · √(0.1875/2.6667 + 3.841459/(4 · 7.1111)) = 0.363934
    // → [0.238502, 0.966370].
    let joined: Vec<J> = [(2.0, 1), (1.0, 2), (1.0, 3), (3.0, 9)]
        .into_iter()
        .map(|(w, a)| at("84", "01", resp(w, Some(a))))
        .collect();
    let est = aggregate::estimate(&joined, Level::Region, &m("q4:oui"), 30);
    let e = est["84"];
    assert!(close(e.value, 0.75, 1e-12));
    assert_eq!((e.n, e.dont_know, e.flag), (3, 1, Flag::Insufficient));
    assert!(close(e.n_eff, 16.0 / 6.0, 1e-12));
    assert!(
        close(e.ci_low, 0.238502, 1e-6) && close(e.ci_high, 0.966370, 1e-6),
        "{e:?}"
    );
    // France holds the same respondents.
    assert_eq!(est[FRANCE], e);
    // q4:1 = 2/4 = 0.5; q4:9 keeps « Ne sait pas » in the base: 3 / 7.
    assert!(close(
        aggregate::estimate(&joined, Level::Region, &m("q4:1"), 30)["84"].value,
        0.5,
        1e-12
    ));
    let dk = aggregate::estimate(&joined, Level::Region, &m("q4:9"), 30)["84"];
    assert_eq!((dk.n, dk.dont_know), (4, 1));
    assert!(close(dk.value, 3.0 / 7.0, 1e-12));
}

#[test]
fn kish_effective_n() {
    // Weights 1, 1, 2, 4: n_eff = (1+1+2+4)² / (1+1+4+16) = 64 / 22 = 2.909091.
    let joined: Vec<J> = [1.0, 1.0, 2.0, 4.0]
        .into_iter()
        .map(|w| at("11", "75", resp(w, Some(1))))
        .collect();
    let e = aggregate::estimate(&joined, Level::Departement, &m("q4:oui"), 30)["75"];
    assert!(close(e.n_eff, 64.0 / 22.0, 1e-12));
    // Equal weights: n_eff = n.
    let equal: Vec<J> = (0..5).map(|_| at("11", "75", resp(7.0, Some(2)))).collect();
    assert!(close(
        aggregate::estimate(&equal, Level::Departement, &m("q4:oui"), 30)["75"].n_eff,
        5.0,
        1e-12
    ));
}

#[test]
fn frag_mean_excludes_99_and_counts_it() {
    // Emploi scores 4 (w 1), 8 (w 3), « Ne sait pas » (w 5): mean = (4 + 24) / 4 = 7, n = 2, dk = 1.
    let mut joined = Vec::new();
    for (w, score) in [(1.0, Some(4.0)), (3.0, Some(8.0)), (5.0, None)] {
        let mut r = resp(w, None);
        r.frag[0] = score;
        r.frag_dont_know[0] = score.is_none();
        joined.push(at("53", "29", r));
    }
    let e = aggregate::estimate(&joined, Level::Region, &m("frag_emploi:mean"), 30)["53"];
    assert!(close(e.value, 7.0, 1e-12));
    assert_eq!((e.n, e.dont_know), (2, 1));
    // A domain nobody answered is empty, not zero.
    let s = aggregate::estimate(&joined, Level::Region, &m("frag_sante:mean"), 30)["53"];
    assert_eq!((s.n, s.flag), (0, Flag::Empty));
    assert!(s.value.is_nan());
}

#[test]
fn min_n_flags() {
    let mut joined = block("11", 29, 10);
    joined.extend(block("84", 30, 10));
    let est = aggregate::estimate(&joined, Level::Region, &m("q4:oui"), 30);
    assert_eq!(est["11"].flag, Flag::Insufficient);
    assert_eq!(est["84"].flag, Flag::Ok);
    // The threshold is configurable.
    assert_eq!(
        aggregate::estimate(&joined, Level::Region, &m("q4:oui"), 20)["11"].flag,
        Flag::Ok
    );
    // A région of the layer without respondents gets an `empty` row.
    let layer = regions(&["11", "84", "94"]);
    let rows = aggregate::rows(&joined, &layer, &options(Level::Region, Reference::Parent));
    let flags: Vec<(&str, Flag)> = rows.iter().map(|r| (r.code.as_str(), r.flag)).collect();
    assert_eq!(
        flags,
        [
            ("FR", Flag::Ok),
            ("11", Flag::Insufficient),
            ("84", Flag::Ok),
            ("94", Flag::Empty)
        ]
    );
    assert_eq!(rows[3].value, None);
}

fn regions(codes: &[&str]) -> Layer {
    let t = codes.iter().map(|c| Territory {
        code: c.to_string(),
        name: format!("Région {c}"),
        level: Level::Region,
        departement: None,
        region: Some(c.to_string()),
        epci: None,
        population: None,
        geometry: geo_types::MultiPolygon(vec![]),
    });
    Layer::new(t.collect(), "test")
}

fn options(level: Level, reference: Reference) -> RowOptions {
    RowOptions {
        level,
        measures: vec![m("q4:oui")],
        min_n: 30,
        reference,
        by_actor: false,
    }
}

#[test]
fn gap_significance_against_the_rest_of_the_reference() {
    // A: 80/100 oui, B: 20/100, C: 50/100; France = 150/300 = 50 %.
    // Gap A = +30 points. Tested against the rest (B+C = 70/200 = 0.35):
    // Wilson A (0.8, 100) = [0.711171, 0.866633], rest (0.35, 200) ≈ [0.2869, 0.4190];
    // MOVER low = 0.45 - √(0.088829² + 0.0690²) ≈ 0.338 > 0 → significant.
    // Gap C = 0: C vs rest (A+B = 100/200 = 0.5) has difference 0 → not significant.
    let mut joined = block("11", 100, 80);
    joined.extend(block("24", 100, 20));
    joined.extend(block("27", 100, 50));
    let rows = aggregate::rows(
        &joined,
        &regions(&["11", "24", "27"]),
        &options(Level::Region, Reference::Parent),
    );
    let get = |c: &str| {
        rows.iter()
            .find(|r| r.code == c)
            .unwrap_or_else(|| panic!("no row {c}"))
    };
    assert!(close(get("11").gap.unwrap_or(f64::NAN), 30.0, 1e-9));
    assert_eq!(get("11").gap_significant, Some(true));
    assert_eq!(get("11").reference.as_deref(), Some("FR"));
    assert!(close(get("24").gap.unwrap_or(f64::NAN), -30.0, 1e-9));
    assert_eq!(get("24").gap_significant, Some(true));
    assert!(close(get("27").gap.unwrap_or(f64::NAN), 0.0, 1e-9));
    assert_eq!(get("27").gap_significant, Some(false));
    assert_eq!(get("FR").gap, None);

    // A small gap on small n is not significant: 6/10 vs 5/10 elsewhere.
    let mut small = block("11", 10, 6);
    small.extend(block("24", 10, 5));
    let rows = aggregate::rows(
        &small,
        &regions(&["11", "24"]),
        &options(Level::Region, Reference::France),
    );
    assert_eq!(rows[1].gap_significant, Some(false));
    assert!(close(rows[1].gap.unwrap_or(f64::NAN), 5.0, 1e-9));
}

#[test]
fn departement_gaps_use_their_region_as_parent() {
    // Région 84: dép. 01 all oui (40), dép. 69 all non (40); région 11: dép. 75 all oui (40).
    // Dép. 01 vs région 84 (50 %): +50 points; vs France (80/120 = 66.7 %): +33.3 points.
    let mut joined: Vec<J> = (0..40)
        .map(|_| at("84", "01", resp(1.0, Some(1))))
        .collect();
    joined.extend((0..40).map(|_| at("84", "69", resp(1.0, Some(4)))));
    joined.extend((0..40).map(|_| at("11", "75", resp(1.0, Some(2)))));
    let layer = Layer::new(vec![], "none");
    let parent = aggregate::rows(
        &joined,
        &layer,
        &options(Level::Departement, Reference::Parent),
    );
    let d01 = parent
        .iter()
        .find(|r| r.code == "01")
        .unwrap_or_else(|| panic!("no 01"));
    assert_eq!(d01.reference.as_deref(), Some("84"));
    assert!(close(d01.gap.unwrap_or(f64::NAN), 50.0, 1e-9));
    // Dép. 75 is the whole of its région here: no independent rest, gap 0, not significant.
    let d75 = parent
        .iter()
        .find(|r| r.code == "75")
        .unwrap_or_else(|| panic!("no 75"));
    assert_eq!((d75.gap, d75.gap_significant), (Some(0.0), Some(false)));
    let france = aggregate::rows(
        &joined,
        &layer,
        &options(Level::Departement, Reference::France),
    );
    let d01 = france
        .iter()
        .find(|r| r.code == "01")
        .unwrap_or_else(|| panic!("no 01"));
    assert!(close(d01.gap.unwrap_or(f64::NAN), 100.0 / 3.0, 1e-9));
    assert_eq!(d01.gap_significant, Some(true));
}

#[test]
fn by_actor_splits_tables() {
    let mut joined = block("11", 5, 5);
    for j in block("11", 3, 0) {
        let mut j = j;
        j.r.actor = Actor::Citoyen;
        joined.push(j);
    }
    let mut o = options(Level::Region, Reference::Parent);
    o.by_actor = true;
    let rows = aggregate::rows(&joined, &regions(&["11"]), &o);
    let got: Vec<(Option<Actor>, &str, usize)> = rows
        .iter()
        .map(|r| (r.actor, r.code.as_str(), r.n))
        .collect();
    assert_eq!(
        got,
        [
            (Some(Actor::Maire), "FR", 5),
            (Some(Actor::Maire), "11", 5),
            (Some(Actor::Citoyen), "FR", 3),
            (Some(Actor::Citoyen), "11", 3)
        ]
    );
}

#[test]
fn json_and_csv_rows_carry_the_documented_keys() {
    let joined = block("11", 40, 30);
    let rows = aggregate::rows(
        &joined,
        &regions(&["11"]),
        &options(Level::Region, Reference::Parent),
    );
    let json = serde_json::to_value(&rows).unwrap_or_default();
    let first = json
        .get(1)
        .and_then(|v| v.as_object())
        .cloned()
        .unwrap_or_default();
    for key in [
        "level",
        "code",
        "name",
        "measure",
        "value",
        "n",
        "n_eff",
        "ci_low",
        "ci_high",
        "flag",
        "dont_know",
        "gap",
        "gap_significant",
        "synthetic",
    ] {
        assert!(first.contains_key(key), "missing {key} in {first:?}");
    }
    assert_eq!(first["level"], "region");
    assert_eq!(first["measure"], "q4:oui");
    assert_eq!(first["flag"], "ok");
    assert_eq!(first["value"], 0.75);

    let dir = tempfile::tempdir().expect("temporary folder");
    let csv = dir.path().join("rows.csv");
    phare::table::Table::from_records(&rows)
        .write(&csv, phare::table::CsvDialect::Standard, "stats")
        .unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&csv).unwrap_or_default();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "level,code,name,actor,measure,label,value,n,n_eff,ci_low,ci_high,dont_know,flag,reference,gap,gap_significant,synthetic"
        )
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("france,FR,France,,q4:oui,"))
    );
    assert!(lines.next().is_some_and(|l| {
        l.starts_with("region,11,Région 11,,q4:oui,Q4 co-construction : oui (1+2),0.75,40,40,")
    }));
}

#[test]
fn boundary_indicators_on_real_communes() {
    use phare::boundaries::{self, Boundaries, LoadOptions};
    use phare::territory::stratum::SizeStratum;
    use phare::values::{Size, sizes};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/geodata");
    if !std::path::Path::new(dir).join("communes.geojson").exists() {
        eprintln!("skipped: ../shared absent");
        return;
    }
    let load = |file: &str, level: Level| {
        let opts = LoadOptions {
            level: Some(level),
            ..LoadOptions::default()
        };
        boundaries::load(&std::path::Path::new(dir).join(file), &opts)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let b = Boundaries {
        communes: load("communes.geojson", Level::Commune),
        departements: load("departements.geojson", Level::Departement),
        regions: load("regions.geojson", Level::Region),
    };
    let by_code = |level: Level| -> std::collections::BTreeMap<String, Size> {
        sizes(&b, level)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|(t, s)| (t.code.clone(), s))
            .collect()
    };
    let communes = by_code(Level::Commune);
    let paris = &communes["75056"];
    assert_eq!(paris.population, Some(2_103_778));
    assert_eq!(
        paris.population.map(SizeStratum::of),
        Some(SizeStratum::From10000)
    );
    // Paris: about 105 km² (IGN 105.4), so about 20 000 inhabitants per km².
    let area = paris.area_km2.unwrap_or(0.0);
    assert!((area - 105.4).abs() < 1.5, "{area}");
    assert!((paris.density.unwrap_or(0.0) - 19_960.0).abs() < 300.0);
    // Metropolitan France tiles to 548 861 km² in Lambert-93 (geodata README).
    let metro: f64 = communes
        .iter()
        .filter(|(code, _)| !code.starts_with("97"))
        .filter_map(|(_, c)| c.area_km2)
        .sum();
    assert!((metro - 548_861.4).abs() < 1.0, "{metro}");
    // The 6 uninhabited communes of the Meuse have a population of 0 and a density of 0.
    assert_eq!(
        communes
            .values()
            .filter(|c| c.population == Some(0))
            .count(),
        6
    );
    // Régions sum their communes (the files give them no population): 68 350 798 in all;
    // La Réunion measured in UTM 40S ≈ 2 500 km².
    let regions = by_code(Level::Region);
    assert_eq!(regions.len(), 18);
    assert_eq!(
        regions.values().filter_map(|r| r.population).sum::<u64>(),
        68_350_798
    );
    let reunion = regions["04"].area_km2.unwrap_or(0.0);
    assert!((reunion - 2_510.0).abs() < 40.0, "{reunion}");
    // A département measured on its own geometry matches the sum of its communes.
    let deps = by_code(Level::Departement);
    assert_eq!(deps["75"].population, Some(2_103_778));
    let rhone: f64 = communes
        .iter()
        .filter(|(code, _)| code.starts_with("69"))
        .filter_map(|(_, c)| c.area_km2)
        .sum();
    let own = deps["69"].area_km2.unwrap_or(0.0);
    assert!((own - rhone).abs() < 0.01 * rhone, "{own} vs {rhone}");
}

/// Runs the real `phare` binary.
fn phare(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run phare: {e}"))
}

#[test]
fn cli_stats_default_sample_prints_labelled_french_table() {
    let out = phare(&["stats"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // The banner opens and closes the table.
    assert_eq!(text.matches("DONNÉES SIMULÉES").count(), 2, "{text}");
    let line = |code: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{code} ")))
            .unwrap_or_else(|| panic!("no {code} in {text}"))
    };
    // France: 302 answers 1-4 (2 « Ne sait pas »), 76,1 % [69,4 ; 81,7].
    let fr = line("FR");
    assert!(
        fr.contains("76,1\u{a0}%") && fr.contains("[69,4 ; 81,7]") && fr.contains(" 302 "),
        "{fr}"
    );
    assert!(
        line("94").ends_with("insufficient"),
        "Corse has 3 respondents"
    );
    assert!(line("04").ends_with("empty"), "La Réunion has none");
    assert!(String::from_utf8_lossy(&out.stderr).contains("304 of 304 rows joined"));
}

#[test]
fn cli_stats_json_and_csv_rows() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv_path = dir.path().join("rows.csv");
    let csv_arg = csv_path.to_string_lossy().into_owned();
    let out = phare(&[
        "stats",
        "--level",
        "departement",
        "--measure",
        "q4:oui,frag_emploi:mean",
        "--json",
        "-o",
        &csv_arg,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    // 2 measures x (France + 101 départements).
    assert_eq!(rows.len(), 2 * 102);
    for r in &rows {
        for key in [
            "level", "code", "name", "measure", "value", "n", "n_eff", "ci_low", "ci_high", "flag",
        ] {
            assert!(r.get(key).is_some(), "missing {key} in {r}");
        }
        assert_eq!(r["synthetic"], true);
    }
    let flags: std::collections::BTreeSet<&str> =
        rows.iter().filter_map(|r| r["flag"].as_str()).collect();
    assert_eq!(flags, ["empty", "insufficient", "ok"].into_iter().collect());
    let paris = rows
        .iter()
        .find(|r| r["code"] == "75" && r["measure"] == "q4:oui");
    assert_eq!(
        paris.map(|r| r["reference"].clone()),
        Some(serde_json::json!("11"))
    );
    let csv_text = std::fs::read_to_string(&csv_path).unwrap_or_default();
    assert_eq!(csv_text.lines().count(), 1 + 2 * 102);
    assert!(csv_text.starts_with("level,code,name,actor,measure,"));
}

/// The small-sample flag follows Kish's effective n, not the raw count: Bourgogne-Franche-Comté
/// has 32 mayors in the embedded sample but their unequal weights are worth 14 of equal
/// weight, too few for the default threshold of 30.
#[test]
fn cli_stats_flags_insufficient_on_effective_n() {
    let out = phare(&["stats", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let row = |code: &str| {
        rows.iter()
            .find(|r| r["code"] == code)
            .unwrap_or_else(|| panic!("no row {code}"))
    };
    let bfc = row("27");
    assert_eq!(bfc["n"], 32, "{bfc}");
    let n_eff = bfc["n_eff"].as_f64().unwrap_or(f64::NAN);
    assert!((13.5..14.5).contains(&n_eff), "{bfc}");
    assert_eq!(bfc["flag"], "insufficient", "{bfc}");
    // France, n = 302 worth n eff. 183, passes.
    let fr = row("FR");
    assert_eq!(
        (fr["n"].clone(), fr["flag"].clone()),
        (302.into(), "ok".into())
    );
    // Raising the threshold to n eff. 10 shows the région again.
    let out = phare(&["stats", "--json", "--min-n", "10"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let bfc = rows.iter().find(|r| r["code"] == "27");
    assert_eq!(
        bfc.map(|r| r["flag"].clone()),
        Some(serde_json::json!("ok"))
    );
}

#[test]
fn cli_stats_usage_errors_exit_2() {
    let out = phare(&["stats", "--measure", "q4:7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("valid measures"));
    assert_eq!(
        phare(&["stats", "--level", "canton"]).status.code(),
        Some(2)
    );
}

#[test]
fn cli_stats_by_actor_and_france_reference() {
    let out = phare(&[
        "stats",
        "--by",
        "actor",
        "--reference",
        "france",
        "--measure",
        "q_innovation:oui",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Innovation : oui (1+2) [q_innovation:oui] — maires"),
        "{text}"
    );
    assert!(text.contains("écart : territoire - France"));
}

#[test]
fn cli_stats_commune_level_lists_only_communes_with_respondents() {
    let out = phare(&["stats", "--level", "commune", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    // France + the 304 sampled communes (each its own cell, n = 1: insufficient).
    assert_eq!(rows.len(), 1 + 304);
    for r in rows.iter().skip(1) {
        let code = r["code"].as_str().unwrap_or_default();
        let dep = r["reference"].as_str().unwrap_or_default();
        assert!(code.starts_with(dep) && !dep.is_empty(), "{code} vs {dep}");
        assert!(r["flag"] == "insufficient" || r["flag"] == "empty", "{r}");
    }
}

/// A commune loaded without a département field still gets its area in its own projection:
/// the département comes from the code (`97411` → `974`, UTM 40S), not its first two
/// characters (`97`, which is no département: the mainland projection, far from Réunion).
#[test]
fn overseas_commune_without_departement_field_is_measured_in_its_utm_zone() {
    use geo_types::{LineString, MultiPolygon, Polygon};
    let square = |lon: f64, lat: f64, side: f64| {
        MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (lon, lat),
                (lon + side, lat),
                (lon + side, lat + side),
                (lon, lat + side),
                (lon, lat),
            ]),
            vec![],
        )])
    };
    let commune = |departement: Option<&str>| Territory {
        code: "97411".into(),
        name: "Saint-Denis".into(),
        level: Level::Commune,
        departement: departement.map(String::from),
        region: None,
        epci: None,
        population: Some(150_000),
        geometry: square(55.45, -20.92, 0.05),
    };
    let area = |departement: Option<&str>| {
        let b = phare::boundaries::Boundaries {
            communes: Layer::new(vec![commune(departement)], "test"),
            departements: Layer::new(vec![], "test"),
            regions: Layer::new(vec![], "test"),
        };
        let sizes =
            phare::values::size::sizes(&b, Level::Commune).unwrap_or_else(|e| panic!("{e}"));
        sizes[0].1.area_km2.expect("an area")
    };
    let known = area(Some("974"));
    // 0.05° × 0.05° at 21° S: 5.20 km × 5.56 km.
    assert!((known - 28.9).abs() < 0.5, "{known}");
    assert!(
        (area(None) - known).abs() < 1e-6 * known,
        "{} vs {known}",
        area(None)
    );
    // What the first-two-characters rule measured: not the same area.
    let geometry = square(55.45, -20.92, 0.05);
    let wrong = phare::projection::area_km2(&geometry, phare::projection::for_departement("97"));
    assert!((wrong - known).abs() > 0.05 * known, "{wrong} vs {known}");
}
