//! Synthetic PHARE samples of the four actors, clearly labelled: no PHARE microdata is public,
//! so phare ships a generator calibrated on the published national figures (`docs/survey.md`
//! §2 and §5). Every row it makes has `synthetic = true` and a wave ending in `-synthetique`
//! ([`wave`]); every output built from such rows says « Données simulées ».
//!
//! Mayors' design (as the documented 2024 mayors' wave): the sample is split between régions in
//! proportion to their number of communes, then equally between the size bands present in
//! each région (remainders to the smaller bands first); communes are drawn without
//! replacement inside each région x band cell (they repeat only when a cell asks for more
//! respondents than it has communes, i.e. in stress samples), and each respondent weighs
//! `communes in cell / respondents in cell`. Cells left without respondent (small régions
//! in small samples: the five overseas régions get none of 304) are not represented.
//!
//! Answers:
//! - Q4 by size band from the §5 table; each région gets one effect on P(oui) drawn uniformly
//!   in ±4 points, centred within each band on the communes so that the national table
//!   holds in expectation; the effect is taken from « non » and given to « oui » pro rata.
//! - Innovation: 35 / 52 / 9 / 3 / 1 % for 1 / 2 / 3 / 4 / 9 [A], i.e. the published 87 % oui.
//! - Fragility: mean of the domain + urban/rural shift + a respondent effect N(0, 0.8) shared
//!   across domains + N(0, √(2² - 0.8²)) so the total SD is 2; rounded, clipped to 0-10; 3 %
//!   « Ne sait pas » (99) per domain. Urban = commune of at least 2 000 inhabitants
//!   ([`crate::territory::stratum::URBAN_MIN_POPULATION`]). Shifts are urban-minus-rural contrasts split so that the
//!   national (commune-weighted) mean stays the §5 mean: urban gets `c·(1-u)`, rural `-c·u`,
//!   with `u` the share of urban communes. Emploi therefore stays first nationally.
//!
//! Citizens, companies and associations ([`synthesize`] with another [`Actor`]): the surveys
//! were representative samples, so respondents are drawn with replacement in proportion to
//! commune population, weight 1, no urban/rural contrast (none was published) and no Q4
//! (asked of mayors only). Their scores reproduce the published figures *after* rounding to
//! integers and clipping to 0-10, the latent means being solved for exactly:
//! - citizens: the means of [`CITIZEN_MEANS`] (emploi 7.1, pouvoir d'achat 6.6, sécurité 6.8
//!   (published 6.6-7.0), développement économique 6.5, environnement and précarité 6.3 [P];
//!   the ten others below 6.3 [A]), so emploi comes first in every région;
//! - associations: the share « citing » a domain, read as a score of [`CITED_FROM`] or more,
//!   of [`ASSOCIATION_CITED`]: emploi 60 %, vieillissement 60 %, lien social 51 % [P], the
//!   others below [A];
//! - companies: the means of [`COMPANY_MEANS`], précarité 5.5 [P], the rest [A];
//! - innovation « oui » [A]: citizens 75 %, companies 81 % and associations 86 % (their
//!   published « devoir d'alliances » shares, the nearest published figures).
//!
//! Determinism: our own xoshiro256** seeded by SplitMix64 and Box–Muller normals, so a seed
//! gives the same sample on every platform and with every dependency version (only `ln` and
//! `cos` come from the platform's libm; their last-bit differences cannot move a rounded
//! score except on an exact .5 tie).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::survey::{Actor, DOMAINS, Respondent};
use crate::territory::stratum::SizeStratum;
use crate::{Layer, Result, output};

/// Wave written on every synthetic mayors' row.
pub const WAVE: &str = "PHARE-Institutions-2016-synthetique";

/// Wave written on every synthetic row of `actor`.
pub fn wave(actor: Actor) -> &'static str {
    match actor {
        Actor::Maire => WAVE,
        Actor::Citoyen => "PHARE-Citoyens-2015-synthetique",
        Actor::Entreprise => "PHARE-Entreprises-2015-synthetique",
        Actor::Association => "PHARE-Associations-2015-synthetique",
    }
}

/// Size of the default synthetic sample of `actor`: the published n where there is one
/// (304 mayors, « plus de 2 000 » citizens), 1 000 otherwise [A].
pub fn default_n(actor: Actor) -> usize {
    match actor {
        Actor::Maire => 304,
        Actor::Citoyen => 2000,
        Actor::Entreprise | Actor::Association => 1000,
    }
}

/// Citizens' mean importance by domain, in [`DOMAINS`] order, as observed (after rounding
/// and clipping): the six published figures [P], the others [A] below them.
pub const CITIZEN_MEANS: [f64; 16] = [
    7.1, 6.6, 6.5, 6.3, 6.8, 6.3, 5.6, 5.8, 5.4, 5.0, 5.5, 6.0, 5.8, 5.7, 4.5, 4.8,
];

/// Companies' mean score by domain, in [`DOMAINS`] order: précarité 5.5 [P], the rest [A].
pub const COMPANY_MEANS: [f64; 16] = [
    6.9, 5.6, 6.7, 5.5, 5.0, 5.4, 5.6, 4.8, 4.6, 4.2, 6.0, 5.2, 5.0, 5.8, 3.9, 5.6,
];

/// Share of associations citing each domain, in [`DOMAINS`] order: emploi 60 %,
/// vieillissement 60 %, lien social 51 % [P] (their top 3), the others below [A].
pub const ASSOCIATION_CITED: [f64; 16] = [
    0.60, 0.45, 0.35, 0.48, 0.25, 0.35, 0.40, 0.60, 0.51, 0.38, 0.42, 0.45, 0.40, 0.46, 0.36, 0.30,
];

/// A domain is « cited » by a respondent who scores it this much or more (out of 10).
pub const CITED_FROM: f64 = 7.0;

/// Innovation answer probabilities (codes 1, 2, 3, 4, 9) of the other actors [A].
const INNOVATION_CITOYEN: [f64; 5] = [0.25, 0.50, 0.15, 0.05, 0.05];
const INNOVATION_ENTREPRISE: [f64; 5] = [0.30, 0.51, 0.12, 0.05, 0.02];
const INNOVATION_ASSOCIATION: [f64; 5] = [0.36, 0.50, 0.09, 0.03, 0.02];

/// Q4 answer probabilities for codes 1, 2, 3, 4, 9 by size band (§5 [A]).
pub const Q4_BY_STRATUM: [[f64; 5]; 4] = [
    [0.25, 0.47, 0.18, 0.09, 0.01],
    [0.31, 0.47, 0.14, 0.07, 0.01],
    [0.40, 0.44, 0.11, 0.04, 0.01],
    [0.55, 0.35, 0.07, 0.02, 0.01],
];

/// Innovation answer probabilities for codes 1, 2, 3, 4, 9 [A]: 87 % oui as published.
pub const INNOVATION: [f64; 5] = [0.35, 0.52, 0.09, 0.03, 0.01];

/// Mean fragility score of mayors by domain, in [`DOMAINS`] order (§5 [A]).
pub const FRAG_MEANS: [f64; 16] = [
    6.6, 5.6, 6.2, 5.0, 4.3, 4.8, 4.6, 6.3, 5.6, 4.2, 6.2, 6.4, 4.8, 5.0, 4.0, 5.3,
];

/// Urban-minus-rural contrast by domain, in [`DOMAINS`] order (§5 [A]).
const URBAN_CONTRAST: [f64; 16] = [
    0.0, 0.0, 0.0, 0.8, 1.0, 0.0, 0.0, -0.6, 0.0, 0.0, -0.8, -0.8, 0.6, 0.0, 0.0, -0.5,
];

/// Half-range of the regional effect on P(oui).
const REGION_NOISE: f64 = 0.04;
const FRAG_SD: f64 = 2.0;
const RESPONDENT_SD: f64 = 0.8;
const FRAG_DONT_KNOW: f64 = 0.03;
const ANSWER_CODES: [u8; 5] = [1, 2, 3, 4, 9];

/// One quota cell: the communes of a région x size band.
struct Cell<'a> {
    region: &'a str,
    stratum: SizeStratum,
    communes: Vec<usize>,
}

/// Generates `n` synthetic respondents of `actor` over `communes` (which need région codes
/// and populations; communes without a région are left out of the frame). Mayors follow the
/// quota design, the other actors a sample in proportion to population (module doc).
pub fn synthesize(communes: &Layer, n: usize, seed: u64, actor: Actor) -> Vec<Respondent> {
    match actor {
        Actor::Maire => mayors(communes, n, seed),
        _ => by_population(communes, n, seed, actor),
    }
}

/// The mayors' quota sample (module doc).
fn mayors(communes: &Layer, n: usize, seed: u64) -> Vec<Respondent> {
    let mut rng = Rng::new(seed);
    let mut by_cell: BTreeMap<(&str, SizeStratum), Vec<usize>> = BTreeMap::new();
    for (i, t) in communes.territories.iter().enumerate() {
        if let Some(reg) = t.region.as_deref() {
            let stratum = SizeStratum::of(t.population.unwrap_or(0));
            by_cell.entry((reg, stratum)).or_default().push(i);
        }
    }
    let cells: Vec<Cell> = by_cell
        .into_iter()
        .map(|((region, stratum), mut communes_in)| {
            communes_in.sort_by(|&a, &b| {
                communes.territories[a]
                    .code
                    .cmp(&communes.territories[b].code)
            });
            Cell {
                region,
                stratum,
                communes: communes_in,
            }
        })
        .collect();
    let frame: usize = cells.iter().map(|c| c.communes.len()).sum();
    if frame == 0 || n == 0 {
        return Vec::new();
    }

    // Région quotas in proportion to communes, then equal split between the bands present.
    let mut regions: Vec<(&str, usize)> = Vec::new();
    for c in &cells {
        match regions.last_mut() {
            Some((r, count)) if *r == c.region => *count += c.communes.len(),
            _ => regions.push((c.region, c.communes.len())),
        }
    }
    let region_quota =
        largest_remainder(n, &regions.iter().map(|r| r.1 as f64).collect::<Vec<_>>());
    let mut cell_quota = vec![0usize; cells.len()];
    for ((region, _), &quota) in regions.iter().zip(&region_quota) {
        let idx: Vec<usize> = (0..cells.len())
            .filter(|&i| cells[i].region == *region)
            .collect();
        for (k, q) in idx
            .iter()
            .zip(largest_remainder(quota, &vec![1.0; idx.len()]))
        {
            cell_quota[*k] = q;
        }
    }

    // Regional effects on P(oui), drawn once per région, centred within each band.
    let effect: BTreeMap<&str, f64> = regions
        .iter()
        .map(|(r, _)| (*r, (rng.f64() * 2.0 - 1.0) * REGION_NOISE))
        .collect();
    let mut band_mean = [0.0; 4];
    let mut band_communes = [0.0; 4];
    for c in &cells {
        band_mean[c.stratum.index()] += effect[c.region] * c.communes.len() as f64;
        band_communes[c.stratum.index()] += c.communes.len() as f64;
    }
    let urban_communes: usize = cells
        .iter()
        .filter(|c| c.stratum.is_urban())
        .map(|c| c.communes.len())
        .sum();
    let urban_share = urban_communes as f64 / frame as f64;

    let mut out = Vec::with_capacity(n);
    for (cell, &k) in cells.iter().zip(&cell_quota) {
        if k == 0 {
            continue;
        }
        let b = cell.stratum.index();
        let delta = effect[cell.region] - band_mean[b] / band_communes[b];
        let q4_probs = shift_yes(Q4_BY_STRATUM[b], delta);
        let weight = cell.communes.len() as f64 / k as f64;
        let urban = cell.stratum.is_urban();
        let shift = if urban {
            1.0 - urban_share
        } else {
            -urban_share
        };
        let means: [f64; 16] = std::array::from_fn(|d| FRAG_MEANS[d] + URBAN_CONTRAST[d] * shift);
        for commune in rng.draw(&cell.communes, k) {
            let q4 = Some(rng.pick(&q4_probs));
            let q_innovation = Some(rng.pick(&INNOVATION));
            let (frag, frag_dont_know) = rng.scores(&means);
            out.push(respondent(
                out.len(),
                Actor::Maire,
                &communes.territories[commune].code,
                weight,
                [q4, q_innovation],
                frag,
                frag_dont_know,
            ));
        }
    }
    out
}

/// Citizens, companies or associations: drawn with replacement in proportion to commune
/// population, weight 1, scores calibrated on the published figures (module doc).
fn by_population(communes: &Layer, n: usize, seed: u64, actor: Actor) -> Vec<Respondent> {
    // Each actor its own stream: one seed must not give companies and associations the
    // same communes.
    let mut rng = Rng::new(seed ^ (actor as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut frame: Vec<(&str, u64)> = communes
        .territories
        .iter()
        .filter(|t| t.region.is_some())
        .map(|t| (t.code.as_str(), t.population.unwrap_or(0)))
        .filter(|(_, p)| *p > 0)
        .collect();
    frame.sort_unstable();
    let cumulative: Vec<u64> = frame
        .iter()
        .scan(0u64, |sum, (_, p)| {
            *sum += p;
            Some(*sum)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(0);
    if total == 0 || n == 0 {
        return Vec::new();
    }
    let (innovation, latent) = match actor {
        Actor::Citoyen => (INNOVATION_CITOYEN, CITIZEN_MEANS.map(latent_for_mean)),
        Actor::Entreprise => (INNOVATION_ENTREPRISE, COMPANY_MEANS.map(latent_for_mean)),
        Actor::Association | Actor::Maire => (
            INNOVATION_ASSOCIATION,
            ASSOCIATION_CITED.map(latent_for_cited),
        ),
    };
    (0..n)
        .map(|i| {
            let u = (rng.f64() * total as f64) as u64;
            let (code, _) = frame[cumulative.partition_point(|&c| c <= u).min(frame.len() - 1)];
            let q_innovation = Some(rng.pick(&innovation));
            let (frag, frag_dont_know) = rng.scores(&latent);
            respondent(
                i,
                actor,
                code,
                1.0,
                [None, q_innovation],
                frag,
                frag_dont_know,
            )
        })
        .collect()
}

/// The `i`-th synthetic row (0-based): id, wave and line follow from it.
fn respondent(
    i: usize,
    actor: Actor,
    code: &str,
    weight: f64,
    [q4, q_innovation]: [Option<u8>; 2],
    frag: [Option<f64>; 16],
    frag_dont_know: [bool; 16],
) -> Respondent {
    let prefix = match actor {
        Actor::Maire => "M",
        Actor::Citoyen => "C",
        Actor::Entreprise => "E",
        Actor::Association => "A",
    };
    Respondent {
        id: format!("{prefix}{:06}", i + 1),
        actor,
        wave: Some(wave(actor).to_string()),
        insee_com: code.to_string(),
        cog_year: None,
        weight,
        q4,
        q_innovation,
        frag,
        frag_dont_know,
        synthetic: true,
        line: i + 2,
    }
}

/// Standard normal distribution function, through erfc (Numerical Recipes' `erfcc`,
/// relative error below 1.2e-7: far below what a sample can detect).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * (-z * z + poly).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Mean score when the latent score is N(`mu`, [`FRAG_SD`]), rounded and clipped to 0-10:
/// E[score] = Σ_k P(score ≥ k) for k = 1..10.
fn observed_mean(mu: f64) -> f64 {
    (1..=10)
        .map(|k| 1.0 - normal_cdf((f64::from(k) - 0.5 - mu) / FRAG_SD))
        .sum()
}

/// Share of rounded scores of [`CITED_FROM`] or more when the latent score is N(`mu`, SD).
fn cited_share(mu: f64) -> f64 {
    1.0 - normal_cdf((CITED_FROM - 0.5 - mu) / FRAG_SD)
}

/// The latent mean whose observed (rounded, clipped) mean is `target`.
fn latent_for_mean(target: f64) -> f64 {
    solve_increasing(observed_mean, target)
}

/// The latent mean whose share of scores ≥ [`CITED_FROM`] is `target`.
fn latent_for_cited(target: f64) -> f64 {
    solve_increasing(cited_share, target)
}

/// Bisection for an increasing `f` on a latent range wide enough for any 0-10 target.
fn solve_increasing(f: fn(f64) -> f64, target: f64) -> f64 {
    let (mut lo, mut hi) = (-10.0, 20.0);
    for _ in 0..80 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Moves `delta` of probability from « non » (3, 4) to « oui » (1, 2), pro rata within each.
fn shift_yes(p: [f64; 5], delta: f64) -> [f64; 5] {
    let yes = p[0] + p[1];
    let no = p[2] + p[3];
    let delta = delta.clamp(-yes, no);
    let (ky, kn) = ((yes + delta) / yes, (no - delta) / no);
    [p[0] * ky, p[1] * ky, p[2] * kn, p[3] * kn, p[4]]
}

/// Splits `total` in proportion to `shares` (largest remainder; ties go to the first).
fn largest_remainder(total: usize, shares: &[f64]) -> Vec<usize> {
    let sum: f64 = shares.iter().sum();
    if sum <= 0.0 {
        return vec![0; shares.len()];
    }
    let exact: Vec<f64> = shares.iter().map(|s| total as f64 * s / sum).collect();
    let mut out: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let missing = total - out.iter().sum::<usize>();
    for &i in order.iter().take(missing) {
        out[i] += 1;
    }
    out
}

/// Writes respondents in the §4 schema (comma-separated, UTF-8, header line) to `path`,
/// atomically.
pub fn write_csv(path: &Path, respondents: &[Respondent]) -> Result<()> {
    output::write_atomic(path, |w| write_to(w, respondents))
}

/// Writes respondents in the §4 schema to any writer (what [`write_csv`] does).
pub fn write_to(w: &mut dyn Write, respondents: &[Respondent]) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<String> = [
        "respondent_id",
        "actor",
        "wave",
        "insee_com",
        "cog_year",
        "weight",
        "q4",
        "q_innovation",
    ]
    .map(String::from)
    .to_vec();
    header.extend(DOMAINS.iter().map(|(k, _)| format!("frag_{k}")));
    header.push("synthetic".to_string());
    out.write_record(&header)?;
    let opt = |v: Option<u8>| v.map(|c| c.to_string()).unwrap_or_default();
    for r in respondents {
        let mut rec: Vec<String> = vec![
            r.id.clone(),
            r.actor.key().to_string(),
            r.wave.clone().unwrap_or_default(),
            r.insee_com.clone(),
            r.cog_year.map(|y| y.to_string()).unwrap_or_default(),
            r.weight.to_string(),
            opt(r.q4),
            opt(r.q_innovation),
        ];
        for (score, dk) in r.frag.iter().zip(&r.frag_dont_know) {
            rec.push(match (score, dk) {
                (_, true) => "99".to_string(),
                (Some(s), false) => s.to_string(),
                (None, false) => String::new(),
            });
        }
        rec.push(r.synthetic.to_string());
        out.write_record(&rec)?;
    }
    out.flush()
}

/// xoshiro256** (Blackman & Vigna), seeded through SplitMix64: small, fast, and its value
/// stream is fixed by this code, not by a dependency's version.
struct Rng {
    s: [u64; 4],
    spare: Option<f64>,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut split = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [split(), split(), split(), split()],
            spare: None,
        }
    }

    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2⁻³² for our n).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Standard normal (Box–Muller, both values used).
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let u1 = 1.0 - self.f64(); // in (0, 1]: ln is finite
        let u2 = self.f64();
        let r = (-2.0 * u1.ln()).sqrt();
        let a = 2.0 * std::f64::consts::PI * u2;
        self.spare = Some(r * a.sin());
        r * a.cos()
    }

    /// An answer code drawn with these probabilities for 1, 2, 3, 4, 9.
    fn pick(&mut self, probs: &[f64; 5]) -> u8 {
        let mut u = self.f64() * probs.iter().sum::<f64>();
        for (p, code) in probs.iter().zip(ANSWER_CODES) {
            if u < *p {
                return code;
            }
            u -= p;
        }
        9
    }

    /// Fragility scores around `means`: a respondent effect shared by all domains, then per
    /// domain « Ne sait pas » with probability [`FRAG_DONT_KNOW`] or a rounded, clipped score
    /// (total SD [`FRAG_SD`]).
    fn scores(&mut self, means: &[f64; 16]) -> ([Option<f64>; 16], [bool; 16]) {
        let residual_sd = (FRAG_SD * FRAG_SD - RESPONDENT_SD * RESPONDENT_SD).sqrt();
        let person = self.normal() * RESPONDENT_SD;
        let mut frag = [None; 16];
        let mut dont_know = [false; 16];
        for d in 0..DOMAINS.len() {
            if self.f64() < FRAG_DONT_KNOW {
                dont_know[d] = true;
                continue;
            }
            let score = means[d] + person + self.normal() * residual_sd;
            frag[d] = Some(score.round().clamp(0.0, 10.0));
        }
        (frag, dont_know)
    }

    /// `k` items of `pool`: without replacement (partial Fisher–Yates) for each full pass.
    fn draw(&mut self, pool: &[usize], k: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        let mut work = pool.to_vec();
        while out.len() < k {
            let take = (k - out.len()).min(work.len());
            for i in 0..take {
                let j = i + self.below(work.len() - i);
                work.swap(i, j);
            }
            out.extend_from_slice(&work[..take]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_stream() {
        // Reference values of SplitMix64 from seed 0: first output 0xE220A8397B1DCDAF.
        let mut x = 0u64;
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        assert_eq!(z ^ (z >> 31), 0xE220_A839_7B1D_CDAF);
        // xoshiro256** reference vector (state 1, 2, 3, 4), as in rand_xoshiro's tests.
        let mut r = Rng {
            s: [1, 2, 3, 4],
            spare: None,
        };
        let v: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(v, [11520, 0, 1509978240, 1215971899390074240]);
        // The seeded stream is pinned: a change here changes every committed sample.
        let mut r = Rng::new(2016);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = Rng::new(2016);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_eq!(first[0], PINNED_2016);
    }

    const PINNED_2016: u64 = 2847270706246100896;

    #[test]
    fn latent_means_give_the_targets_after_rounding() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-6);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
        // Clipping at 10 pulls a 7.1 mean down: the latent mean is higher.
        let mu = latent_for_mean(7.1);
        assert!(mu > 7.1 && (observed_mean(mu) - 7.1).abs() < 1e-9, "{mu}");
        // 60 % citing (score ≥ 7, i.e. latent ≥ 6.5): 6.5 + 2·z(0.60) = 7.0067.
        assert!((latent_for_cited(0.60) - 7.006_694).abs() < 1e-4);
    }

    #[test]
    fn largest_remainder_sums_and_ties() {
        assert_eq!(largest_remainder(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(largest_remainder(3, &[5.0, 0.0, 1.0]), [3, 0, 0]);
        assert_eq!(largest_remainder(7, &[2.0, 1.0]).iter().sum::<usize>(), 7);
    }

    #[test]
    fn shift_yes_keeps_total_and_moves_oui() {
        let p = shift_yes(Q4_BY_STRATUM[0], 0.04);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((p[0] + p[1] - 0.76).abs() < 1e-12 && (p[2] + p[3] - 0.23).abs() < 1e-12);
        assert!((p[0] / p[1] - 25.0 / 47.0).abs() < 1e-12);
    }

    #[test]
    fn draw_without_replacement_then_repeats() {
        let mut r = Rng::new(1);
        let mut d = r.draw(&[10, 11, 12], 3);
        d.sort_unstable();
        assert_eq!(d, [10, 11, 12]);
        let d = r.draw(&[10, 11], 5);
        assert_eq!(
            d.iter().filter(|&&x| x == 10).count() + d.iter().filter(|&&x| x == 11).count(),
            5
        );
        assert!(d.iter().filter(|&&x| x == 10).count() >= 2);
    }
}
