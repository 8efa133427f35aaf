//! The synthetic sample: calibration on the §5 targets, labelling, determinism, and the
//! committed default sample `geodata/sample-maires.csv`.

use std::collections::HashMap;

use phare::aggregate::{self, Located, Measure};
use phare::survey::synth::{self, Q4_BY_STRATUM};
use phare::survey::{Actor, Respondent};
use phare::territory::stratum::SizeStratum;
use phare::{Layer, Level, Territory};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/sample-maires.csv");

/// The embedded communes (codes, parents, populations; no geometry needed). They carry the
/// same codes and populations as ../shared/geodata/communes.csv.
fn communes() -> Layer {
    match phare::boundaries::embedded::boundaries_without_geometry() {
        Ok(b) => b.communes,
        Err(e) => panic!("embedded boundaries: {e}"),
    }
}

/// A respondent with its codes; "région" is replaced by the size stratum to tabulate by it.
struct J {
    r: Respondent,
    dep: String,
    group: String,
}

impl Located for J {
    fn respondent(&self) -> &Respondent {
        &self.r
    }
    fn code(&self, level: Level) -> &str {
        match level {
            Level::Commune => &self.r.insee_com,
            Level::Departement => &self.dep,
            Level::Region => &self.group,
        }
    }
}

fn place(layer: &Layer, rs: Vec<Respondent>) -> Vec<J> {
    place_by(layer, rs, |t| {
        SizeStratum::of(t.population.unwrap_or(0))
            .label()
            .to_string()
    })
}

/// Respondents in their communes, grouped by `group` of the commune.
fn place_by(layer: &Layer, rs: Vec<Respondent>, group: impl Fn(&Territory) -> String) -> Vec<J> {
    rs.into_iter()
        .map(|r| {
            let t = layer
                .get(&r.insee_com)
                .unwrap_or_else(|| panic!("unknown commune {}", r.insee_com));
            J {
                dep: t.departement.clone().unwrap_or_default(),
                group: group(t),
                r,
            }
        })
        .collect()
}

/// National targets implied by the §5 table and the real number of communes per band:
/// (share of oui among answers 1-4, share of oui among all answers, P(9)).
fn targets(layer: &Layer) -> (f64, f64, f64) {
    let mut count = [0.0; 4];
    for t in &layer.territories {
        count[SizeStratum::of(t.population.unwrap_or(0)).index()] += 1.0;
    }
    let total: f64 = count.iter().sum();
    let (mut yes, mut dk) = (0.0, 0.0);
    for (c, p) in count.iter().zip(Q4_BY_STRATUM) {
        yes += c / total * (p[0] + p[1]);
        dk += c / total * p[4];
    }
    (yes / (1.0 - dk), yes, dk)
}

fn m(s: &str) -> Measure {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn large_sample_reproduces_the_national_targets() {
    let layer = communes();
    let rs = synth::synthesize(&layer, 100_000, 2016, Actor::Maire);
    assert_eq!(rs.len(), 100_000);
    assert!(
        rs.iter()
            .all(|r| r.synthetic && r.wave.as_deref() == Some(synth::WAVE))
    );
    // Every région x band cell is filled, so the weights add up to the number of communes.
    let sw: f64 = rs.iter().map(|r| r.weight).sum();
    assert!((sw - layer.len() as f64).abs() < 1e-6, "Σw = {sw}");
    let joined = place(&layer, rs);

    // Commune-weighted band shares 52.35 / 31.86 / 12.79 / 3.01 % give
    // oui = 0.5235·0.72 + 0.3186·0.78 + 0.1279·0.84 + 0.0301·0.90 = 0.7606 of all answers
    // (the published 76 %), 0.7683 of answers 1-4.
    let (oui, oui_all, dk) = targets(&layer);
    assert!((oui_all - 0.76).abs() < 0.005, "{oui_all}");
    let national =
        |s: &str| aggregate::estimate(&joined, Level::Region, &m(s), 30)[aggregate::FRANCE];
    let got = national("q4:oui");
    assert!(
        (got.value - oui).abs() < 0.01,
        "q4:oui {} vs {oui}",
        got.value
    );
    assert!((got.value * (1.0 - national("q4:9").value) - 0.76).abs() < 0.01);
    assert!((national("q4:9").value - dk).abs() < 0.01);
    assert!((national("q_innovation:oui").value - 0.87 / 0.99).abs() < 0.01);

    // The stratum table, cell by cell: q4:k (base 1-4) = P(k) / (1 - P(9)); q4:9 = P(9).
    for s in SizeStratum::ALL {
        let p = Q4_BY_STRATUM[s.index()];
        for (k, code) in [1, 2, 3, 4].into_iter().enumerate() {
            let e = aggregate::estimate(&joined, Level::Region, &m(&format!("q4:{code}")), 30)
                [s.label()];
            let want = p[k] / (1.0 - p[4]);
            assert!(
                (e.value - want).abs() < 0.01,
                "{} q4:{code}: {} vs {want}",
                s.label(),
                e.value
            );
        }
        let e = aggregate::estimate(&joined, Level::Region, &m("q4:9"), 30)[s.label()];
        assert!(
            (e.value - p[4]).abs() < 0.01,
            "{} q4:9: {}",
            s.label(),
            e.value
        );
    }

    // Fragility: emploi first nationally, means near §5 (rounding and clipping move them a little).
    let means: Vec<f64> = (0..16)
        .map(|d| national(&format!("frag_{}:mean", phare::survey::DOMAINS[d].0)).value)
        .collect();
    let top = means
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i);
    assert_eq!(top, Some(0), "{means:?}");
    for (got, want) in means.iter().zip(synth::FRAG_MEANS) {
        assert!((got - want).abs() < 0.1, "{got} vs {want}");
    }
    let dk_share =
        aggregate::estimate(&joined, Level::Region, &m("frag_emploi:mean"), 30)[aggregate::FRANCE];
    assert!((dk_share.dont_know as f64 / 100_000.0 - 0.03).abs() < 0.003);
}

#[test]
fn urban_communes_score_security_higher() {
    let layer = communes();
    let joined = place(&layer, synth::synthesize(&layer, 20_000, 7, Actor::Maire));
    // Urban - rural contrast of 1.0 point on sécurité (§5), by band.
    let e = aggregate::estimate(&joined, Level::Region, &m("frag_securite:mean"), 30);
    let (small, big) = (e["< 500"].value, e[">= 10 000"].value);
    assert!((big - small - 1.0).abs() < 0.15, "{big} - {small}");
}

#[test]
fn same_seed_same_sample_and_default_sample_is_committed_bytes() {
    let layer = communes();
    let a = synth::synthesize(&layer, 304, 2016, Actor::Maire);
    assert_eq!(a, synth::synthesize(&layer, 304, 2016, Actor::Maire));
    assert_ne!(a, synth::synthesize(&layer, 304, 2017, Actor::Maire));
    let mut bytes = Vec::new();
    synth::write_to(&mut bytes, &a).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var_os("UPDATE_SAMPLE").is_some() {
        std::fs::write(SAMPLE, &bytes).unwrap_or_else(|e| panic!("{SAMPLE}: {e}"));
    }
    let committed = std::fs::read(SAMPLE).unwrap_or_default();
    assert!(
        committed == bytes,
        "geodata/sample-maires.csv differs from `phare survey synth --n 304 --seed 2016`"
    );
}

#[test]
fn default_sample_is_within_its_own_sampling_error() {
    let layer = communes();
    let rs = synth::synthesize(&layer, 304, 2016, Actor::Maire);
    // Equal allocation puts about half of the 304 mayors in urban bands (>= 2 000
    // inhabitants); the weights bring them back to the 16 % of communes that are urban.
    let joined = place(&layer, rs);
    let (oui, _, _) = targets(&layer);
    let e = aggregate::estimate(&joined, Level::Region, &m("q4:oui"), 30)[aggregate::FRANCE];
    assert!(
        e.ci_low <= oui && oui <= e.ci_high,
        "target {oui} outside [{}, {}]",
        e.ci_low,
        e.ci_high
    );
    assert!(
        e.n_eff < e.n as f64,
        "unequal weights must cost effective size"
    );
    // Each answer's national share, target Σ_band communes·P(k) / Σ_band communes·(1 - P(9)).
    let mut count = [0.0; 4];
    for t in &layer.territories {
        count[SizeStratum::of(t.population.unwrap_or(0)).index()] += 1.0;
    }
    for k in 0..4 {
        let num: f64 = count.iter().zip(Q4_BY_STRATUM).map(|(c, p)| c * p[k]).sum();
        let den: f64 = count
            .iter()
            .zip(Q4_BY_STRATUM)
            .map(|(c, p)| c * (1.0 - p[4]))
            .sum();
        let e = aggregate::estimate(&joined, Level::Region, &m(&format!("q4:{}", k + 1)), 30)
            [aggregate::FRANCE];
        let want = num / den;
        assert!(
            e.ci_low <= want && want <= e.ci_high,
            "q4:{}: {want} outside [{}, {}]",
            k + 1,
            e.ci_low,
            e.ci_high
        );
    }
}

#[test]
fn csv_schema_header_and_labels() {
    let layer = communes();
    let rs = synth::synthesize(&layer, 3, 1, Actor::Maire);
    let mut bytes = Vec::new();
    synth::write_to(&mut bytes, &rs).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(bytes).unwrap_or_default();
    let header = text.lines().next().unwrap_or_default();
    assert!(header.starts_with(
        "respondent_id,actor,wave,insee_com,cog_year,weight,q4,q_innovation,frag_emploi,"
    ));
    assert!(header.ends_with(",frag_numerique,synthetic"));
    let first: HashMap<&str, &str> = header
        .split(',')
        .zip(text.lines().nth(1).unwrap_or_default().split(','))
        .collect();
    assert_eq!(first["actor"], "maire");
    assert_eq!(first["wave"], "PHARE-Institutions-2016-synthetique");
    assert_eq!(first["synthetic"], "true");
    assert_eq!(first["insee_com"].len(), 5);
}

fn phare(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_phare"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run phare: {e}"))
}

#[test]
fn cli_survey_synth_with_embedded_boundaries_gives_the_committed_sample() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("s.csv");
    let p = path.to_string_lossy().into_owned();
    let out = phare(&["survey", "synth", "--n", "304", "--seed", "2016", "-o", &p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&path).unwrap_or_default() == std::fs::read(SAMPLE).unwrap_or_default());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Données simulées"));
}

#[test]
fn cli_survey_check_reports_and_fails_on_unmatched_rows() {
    let out = phare(&["survey", "check", SAMPLE]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("matched     304 (100.0 %)") && text.contains("Données simulées"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "respondent_id,insee_com,q4\n1,01001,1\n2,99999,2\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let report = dir.path().join("r.json");
    let (b, r) = (
        bad.to_string_lossy().into_owned(),
        report.to_string_lossy().into_owned(),
    );
    let out = phare(&["survey", "check", &b, "--report", &r]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(json["matched"], 1);
}

/// Respondents by région code.
fn place_in_regions(layer: &Layer, rs: Vec<Respondent>) -> Vec<J> {
    place_by(layer, rs, |t| t.region.clone().unwrap_or_default())
}

fn national_means(joined: &[J]) -> Vec<f64> {
    (0..16)
        .map(|d| {
            let key = format!("frag_{}:mean", phare::survey::DOMAINS[d].0);
            aggregate::estimate(joined, Level::Region, &m(&key), 30)[aggregate::FRANCE].value
        })
        .collect()
}

#[test]
fn citizens_reproduce_the_published_means_and_emploi_leads_every_region() {
    let layer = communes();
    let rs = synth::synthesize(&layer, 100_000, 2015, Actor::Citoyen);
    assert_eq!(rs.len(), 100_000);
    assert!(rs.iter().all(|r| r.synthetic
        && r.actor == Actor::Citoyen
        && r.q4.is_none()
        && r.weight == 1.0
        && r.wave.as_deref() == Some("PHARE-Citoyens-2015-synthetique")));
    let joined = place_in_regions(&layer, rs);
    // After rounding and clipping: emploi 7.1, pouvoir d'achat 6.6, sécurité 6.8,
    // développement économique 6.5, environnement 6.3, précarité 6.3 (§2).
    let means = national_means(&joined);
    for (got, want) in means.iter().zip(synth::CITIZEN_MEANS) {
        assert!((got - want).abs() < 0.03, "{got} vs {want}");
    }
    assert!((means[0] - 7.1).abs() < 0.03 && (means[4] - 6.8).abs() < 0.03);
    // Emploi first in each of the 13 metropolitan régions.
    let by_region: Vec<_> = (0..16)
        .map(|d| {
            let key = format!("frag_{}:mean", phare::survey::DOMAINS[d].0);
            aggregate::estimate(&joined, Level::Region, &m(&key), 30)
        })
        .collect();
    let regions: Vec<&String> = by_region[0]
        .keys()
        .filter(|c| c.as_str() >= "11" && c.as_str() != aggregate::FRANCE)
        .collect();
    assert_eq!(regions.len(), 13, "{regions:?}");
    for r in regions {
        let emploi = by_region[0][r].value;
        for (d, e) in by_region.iter().enumerate().skip(1) {
            assert!(
                e[r].value < emploi,
                "région {r}: domain {d} {} >= emploi {emploi}",
                e[r].value
            );
        }
    }
}

#[test]
fn associations_cite_emploi_vieillissement_lien_social_first() {
    let layer = communes();
    let rs = synth::synthesize(&layer, 100_000, 2015, Actor::Association);
    assert!(rs.iter().all(|r| r.q4.is_none() && r.id.starts_with('A')));
    // Share of associations citing a domain: a score of 7 or more, « Ne sait pas » apart.
    let cited: Vec<f64> = (0..16)
        .map(|d| {
            let scored: Vec<f64> = rs.iter().filter_map(|r| r.frag[d]).collect();
            scored.iter().filter(|&&s| s >= synth::CITED_FROM).count() as f64 / scored.len() as f64
        })
        .collect();
    for (got, want) in cited.iter().zip(synth::ASSOCIATION_CITED) {
        assert!((got - want).abs() < 0.01, "{got} vs {want}");
    }
    let mut order: Vec<usize> = (0..16).collect();
    order.sort_by(|&a, &b| cited[b].total_cmp(&cited[a]));
    let mut top: Vec<&str> = order[..3]
        .iter()
        .map(|&d| phare::survey::DOMAINS[d].0)
        .collect();
    top.sort_unstable();
    assert_eq!(top, ["emploi", "lien_social", "vieillissement"]);
}

#[test]
fn companies_score_precarite_5_5_and_actors_draw_their_own_communes() {
    let layer = communes();
    let rs = synth::synthesize(&layer, 50_000, 2015, Actor::Entreprise);
    let joined = place_in_regions(&layer, rs);
    let means = national_means(&joined);
    assert!((means[3] - 5.5).abs() < 0.03, "précarité {}", means[3]);
    let oui = aggregate::estimate(&joined, Level::Region, &m("q_innovation:oui"), 30)
        [aggregate::FRANCE]
        .value;
    assert!((oui - 0.81 / 0.98).abs() < 0.01, "{oui}");
    // One seed, two actors: different communes (each actor has its own stream).
    let a = synth::synthesize(&layer, 50, 2016, Actor::Entreprise);
    let b = synth::synthesize(&layer, 50, 2016, Actor::Association);
    let same = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.insee_com == y.insee_com)
        .count();
    assert!(same < 5, "{same} of 50 communes in common");
}
