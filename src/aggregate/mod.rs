//! Honest aggregation of survey answers to communes, départements, régions and France:
//! weighted shares and means, Kish effective n, 95 % intervals, small-n flags, and gaps to
//! a reference territory with a significance flag.
//!
//! Method (stated once here, repeated in the README):
//! - **Share** of an answer group: `p = Σ w·y / Σ w` over respondents who answered 1-4
//!   (« Ne sait pas » = 9 left out and counted in `dont_know`; `q4:9` keeps it in the base).
//!   Interval: Wilson score on Kish's effective size `n_eff = (Σ w)² / Σ w²`, which carries
//!   the design effect of unequal weights into the interval.
//! - **Mean** of a 0-10 score: `ȳ = Σ w·y / Σ w`, variance by linearisation of this ratio
//!   (with-replacement, single-stage, strata ignored, which errs on the wide side):
//!   `v = n/(n-1) · Σ w²(y - ȳ)² / (Σ w)²`; interval `ȳ ± t(0.975, n_eff - 1) · √v`, Student t
//!   on `n_eff - 1` degrees of freedom, clipped to the 0-10 scale; the whole scale when
//!   `n_eff < 2` (no variance can be estimated).
//! - **Flags**: `empty` when n = 0, `insufficient` when the Kish effective size `n_eff` is
//!   below `min_n` (default 30), else `ok`. n is the unweighted count of respondents in the
//!   base; unequal weights make a cell of n = 32 worth n_eff = 14 respondents of equal weight,
//!   and it is the latter that sets the interval's width, so the flag follows it. Both n and
//!   n_eff are written in every output.
//! - **Gaps**: `gap = value(territory) - value(reference)` in points (percentage points for
//!   shares, points of the 0-10 scale for means). The reference contains the territory, so
//!   the two are not independent; but `territory - reference = (1 - s)(territory - rest)`
//!   where `rest` is the reference without the territory and `s` its weight share, so the gap
//!   is zero exactly when `territory - rest` is. We therefore test `territory - rest`, two
//!   independent samples, with the MOVER interval built from their two 95 % intervals, and
//!   flag the gap significant when that interval excludes 0.

pub mod interval;
mod measure;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::survey::{Actor, Respondent};
use crate::{Layer, Level};

use measure::Obs;
pub use measure::{Answers, Measure, Question};

/// Code of the France row in estimates and tables.
pub const FRANCE: &str = "FR";

/// Default minimum effective n (Kish) below which a cell is flagged `insufficient`.
pub const DEFAULT_MIN_N: usize = 30;

/// Reliability of one estimate; every table, map and profile shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// An effective sample size (Kish) of at least `min_n`.
    Ok,
    /// An effective sample size below `min_n`: show hatched or suppressed, never as a plain
    /// value.
    Insufficient,
    /// No respondent.
    Empty,
}

impl Flag {
    /// The lower-case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Ok => "ok",
            Flag::Insufficient => "insufficient",
            Flag::Empty => "empty",
        }
    }
}

/// One estimate for one territory and measure. Values are NaN when the flag is `empty`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Weighted share (0-1) or weighted mean (0-10).
    pub value: f64,
    /// Unweighted number of respondents in the base.
    pub n: usize,
    /// Kish effective size `(Σ w)² / Σ w²`.
    pub n_eff: f64,
    /// Lower bound of the 95 % interval.
    pub ci_low: f64,
    /// Upper bound of the 95 % interval.
    pub ci_high: f64,
    /// Reliability flag.
    pub flag: Flag,
    /// Respondents who answered « Ne sait pas » (99 or 9), outside the base.
    pub dont_know: usize,
}

/// A respondent placed in its commune, département and région: what aggregation needs.
/// Implemented by the survey join's `Joined` and by `&T`.
pub trait Located {
    /// The answers.
    fn respondent(&self) -> &Respondent;
    /// Code of the territory holding the respondent at `level`.
    fn code(&self, level: Level) -> &str;
}

impl<T: Located + ?Sized> Located for &T {
    fn respondent(&self) -> &Respondent {
        (**self).respondent()
    }
    fn code(&self, level: Level) -> &str {
        (**self).code(level)
    }
}

impl Located for crate::survey::join::Joined {
    fn respondent(&self) -> &Respondent {
        &self.respondent
    }
    fn code(&self, level: Level) -> &str {
        match level {
            Level::Commune => &self.commune,
            Level::Departement => &self.departement,
            Level::Region => &self.region,
        }
    }
}

/// Sufficient statistics of one cell: every estimate, and the "rest of the reference" used
/// for gaps (a difference of two accumulators), is computed from these sums.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Acc {
    n: usize,
    dont_know: usize,
    sw: f64,
    sw2: f64,
    swy: f64,
    sw2y: f64,
    sw2y2: f64,
}

impl Acc {
    fn add(&mut self, w: f64, obs: Obs) {
        match obs {
            Obs::Skip => {}
            Obs::DontKnow => self.dont_know += 1,
            Obs::Value { y, dont_know } => {
                self.n += 1;
                self.dont_know += usize::from(dont_know);
                let w2 = w * w;
                self.sw += w;
                self.sw2 += w2;
                self.swy += w * y;
                self.sw2y += w2 * y;
                self.sw2y2 += w2 * y * y;
            }
        }
    }

    fn merge(&mut self, o: &Acc) {
        self.n += o.n;
        self.dont_know += o.dont_know;
        self.sw += o.sw;
        self.sw2 += o.sw2;
        self.swy += o.swy;
        self.sw2y += o.sw2y;
        self.sw2y2 += o.sw2y2;
    }

    /// `self` without the respondents of `part` (a subset of it).
    fn without(&self, part: &Acc) -> Acc {
        Acc {
            n: self.n.saturating_sub(part.n),
            dont_know: self.dont_know.saturating_sub(part.dont_know),
            sw: self.sw - part.sw,
            sw2: self.sw2 - part.sw2,
            swy: self.swy - part.swy,
            sw2y: self.sw2y - part.sw2y,
            sw2y2: self.sw2y2 - part.sw2y2,
        }
    }

    fn estimate(&self, measure: &Measure, min_n: usize) -> Estimate {
        let n_eff = if self.sw2 > 0.0 {
            self.sw * self.sw / self.sw2
        } else {
            0.0
        };
        let flag = if self.n == 0 {
            Flag::Empty
        } else if n_eff < min_n as f64 {
            Flag::Insufficient
        } else {
            Flag::Ok
        };
        if self.n == 0 || self.sw <= 0.0 {
            let nan = f64::NAN;
            return Estimate {
                value: nan,
                n: 0,
                n_eff: 0.0,
                ci_low: nan,
                ci_high: nan,
                flag,
                dont_know: self.dont_know,
            };
        }
        let value = self.swy / self.sw;
        let (ci_low, ci_high) = if measure.is_share() {
            interval::wilson(value.clamp(0.0, 1.0), n_eff)
        } else if n_eff < 2.0 || self.n < 2 {
            (0.0, 10.0)
        } else {
            let n = self.n as f64;
            // Σ w²(y - ȳ)² expanded on the accumulated sums.
            let ss = (self.sw2y2 - 2.0 * value * self.sw2y + value * value * self.sw2).max(0.0);
            let se = (n / (n - 1.0) * ss).sqrt() / self.sw;
            let half = interval::t975(n_eff - 1.0) * se;
            ((value - half).max(0.0), (value + half).min(10.0))
        };
        Estimate {
            value,
            n: self.n,
            n_eff,
            ci_low,
            ci_high,
            flag,
            dont_know: self.dont_know,
        }
    }
}

/// Respondents grouped by territory code at one level.
struct Groups<'a> {
    codes: Vec<&'a str>,
    /// First row of each group: its parent codes are read there (the join gives every row
    /// of a commune the same département and région).
    first_row: Vec<usize>,
    of_row: Vec<u32>,
}

fn group<J: Located>(joined: &[J], level: Level) -> Groups<'_> {
    // FxHash: territory codes are a few bytes, where SipHash's setup dominates.
    let mut index: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let mut g = Groups {
        codes: Vec::new(),
        first_row: Vec::new(),
        of_row: Vec::with_capacity(joined.len()),
    };
    for (row, j) in joined.iter().enumerate() {
        let code = j.code(level);
        let i = *index.entry(code).or_insert_with(|| {
            g.codes.push(code);
            g.first_row.push(row);
            (g.codes.len() - 1) as u32
        });
        g.of_row.push(i);
    }
    g
}

/// Rows per chunk of the parallel accumulation.
const CHUNK: usize = 1 << 16;

/// Accumulators `[measure][group]`, in one pass over the rows (each respondent's memory is
/// read once for all measures). Chunks are fixed by the data, not by the thread count, and
/// merged in order, so sums are bit-identical on any machine.
fn accumulate<J: Located + Sync>(
    joined: &[J],
    groups: &Groups,
    measures: &[Measure],
) -> Vec<Vec<Acc>> {
    let cells = (groups.codes.len() * measures.len()).max(1);
    // At most 16 partial tables, and at most ~64 MB of them (commune level).
    let max_chunks = (64 << 20) / (cells * std::mem::size_of::<Acc>());
    let chunks = joined
        .len()
        .div_ceil(CHUNK)
        .clamp(1, max_chunks.clamp(1, 16));
    let chunk = joined.len().div_ceil(chunks).max(1);
    let partials = joined
        .par_chunks(chunk)
        .zip(groups.of_row.par_chunks(chunk))
        .map(|(rows, of)| {
            // Group-major: one respondent's accumulators for all measures are contiguous.
            let mut accs = vec![Acc::default(); cells];
            for (j, &g) in rows.iter().zip(of) {
                let r = j.respondent();
                let base = g as usize * measures.len();
                for (m, a) in measures.iter().zip(&mut accs[base..base + measures.len()]) {
                    a.add(r.weight, m.observe(r));
                }
            }
            accs
        })
        .collect::<Vec<_>>()
        .into_iter()
        .reduce(|mut a, b| {
            a.iter_mut().zip(&b).for_each(|(x, y)| x.merge(y));
            a
        });
    let flat = partials.unwrap_or_else(|| vec![Acc::default(); cells]);
    (0..measures.len())
        .map(|m| {
            (0..groups.codes.len())
                .map(|g| flat[g * measures.len() + m])
                .collect()
        })
        .collect()
}

fn total(accs: &[Acc]) -> Acc {
    accs.iter().fold(Acc::default(), |mut t, a| {
        t.merge(a);
        t
    })
}

/// Estimates of `measure` for every territory of `level` that holds at least one respondent,
/// plus France under the code [`FRANCE`]. A territory absent from the map has no respondent:
/// show it as [`Flag::Empty`].
///
/// ```
/// use phare::Level;
/// use phare::aggregate::{FRANCE, Flag, estimate};
/// use phare::boundaries::embedded;
/// use phare::history::CogHistory;
/// use phare::survey::{Actor, join, synth};
///
/// let communes = embedded::boundaries_without_geometry().unwrap().communes;
/// let respondents = synth::synthesize(&communes, 2_000, 7, Actor::Maire);
/// let (joined, _report) = join::join(respondents, &communes, CogHistory::embedded());
/// let q4_yes = "q4:oui".parse().unwrap();
/// let shares = estimate(&joined, Level::Region, &q4_yes, 30);
/// let france = &shares[FRANCE];
/// assert!(france.n > 1_000 && france.n <= 2_000, "respondents who answered Q4");
/// assert!(france.ci_low < france.value && france.value < france.ci_high);
/// // Under 30 answers a région is flagged, never shown as a plain value.
/// assert!(shares.values().all(|e| (e.flag == Flag::Ok) == (e.n >= 30)));
/// ```
pub fn estimate<J: Located + Sync>(
    joined: &[J],
    level: Level,
    measure: &Measure,
    min_n: usize,
) -> BTreeMap<String, Estimate> {
    let groups = group(joined, level);
    let accs = accumulate(joined, &groups, std::slice::from_ref(measure)).swap_remove(0);
    let mut out: BTreeMap<String, Estimate> = groups
        .codes
        .iter()
        .zip(&accs)
        .map(|(c, a)| (c.to_string(), a.estimate(measure, min_n)))
        .collect();
    out.insert(FRANCE.to_string(), total(&accs).estimate(measure, min_n));
    out
}

/// What gaps are measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Reference {
    /// The parent territory: département for a commune, région for a département, France
    /// for a région.
    #[default]
    Parent,
    /// France as a whole.
    France,
}

/// One line of `phare stats`: a territory, a measure, its estimate and its gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// `commune`, `departement`, `region` or `france`.
    pub level: &'static str,
    /// INSEE code, or `FR`.
    pub code: String,
    /// Territory name.
    pub name: String,
    /// Actor type: of each table when split by actor, of the whole sample when it holds one
    /// actor (`phare stats` sets it); `None` when actors are pooled.
    pub actor: Option<Actor>,
    /// Measure, e.g. `q4:oui`, `frag_emploi:mean`.
    pub measure: String,
    /// French label of the measure.
    pub label: String,
    /// Share in 0-1 or mean in 0-10; empty when the flag is `empty`.
    pub value: Option<f64>,
    /// Unweighted respondents in the base.
    pub n: usize,
    /// Kish effective n.
    pub n_eff: f64,
    /// Lower bound of the 95 % interval.
    pub ci_low: Option<f64>,
    /// Upper bound of the 95 % interval.
    pub ci_high: Option<f64>,
    /// « Ne sait pas » answers, outside the base.
    pub dont_know: usize,
    /// `ok`, `insufficient` or `empty`.
    pub flag: Flag,
    /// Code of the reference territory of the gap (`FR` for France).
    pub reference: Option<String>,
    /// Gap to the reference, in points (percentage points for shares).
    pub gap: Option<f64>,
    /// True when the gap is significant at 95 % (territory vs rest of the reference).
    pub gap_significant: Option<bool>,
    /// True when the data set holds synthetic rows: say « Données simulées ».
    pub synthetic: bool,
}

/// What [`rows`] computes.
#[derive(Debug, Clone)]
pub struct RowOptions {
    /// Level of the territories.
    pub level: Level,
    /// Measures, one row per territory and measure.
    pub measures: Vec<Measure>,
    /// Minimum n for the `ok` flag.
    pub min_n: usize,
    /// Reference of the gaps.
    pub reference: Reference,
    /// One table per actor type instead of all actors together.
    pub by_actor: bool,
}

fn parent(level: Level) -> Option<Level> {
    match level {
        Level::Commune => Some(Level::Departement),
        Level::Departement => Some(Level::Region),
        Level::Region => None,
    }
}

/// The rows of `phare stats`: per actor (if asked), per measure, France then every territory.
///
/// At département and région level every territory of `layer` gets a row (`empty` when no
/// one answered there); at commune level only communes with respondents do (35 000 empty
/// rows would drown the table). `layer` gives names; codes missing from it keep their code.
pub fn rows<J: Located + Sync>(joined: &[J], layer: &Layer, opts: &RowOptions) -> Vec<Row> {
    let mut subsets: Vec<(Option<Actor>, Vec<&J>)> = Vec::new();
    if opts.by_actor {
        let mut by: BTreeMap<Actor, Vec<&J>> = BTreeMap::new();
        for j in joined {
            by.entry(j.respondent().actor).or_default().push(j);
        }
        subsets.extend(by.into_iter().map(|(a, v)| (Some(a), v)));
    } else {
        subsets.push((None, joined.iter().collect()));
    }
    let mut out = Vec::new();
    for (actor, subset) in &subsets {
        out.extend(subset_rows(subset, *actor, layer, opts, None));
    }
    out
}

/// The rows of [`rows`] (all actors together) for the territories `only` and France: what
/// one territory's profile needs, without the estimates and gaps of every other one.
pub fn rows_for<J: Located + Sync>(
    joined: &[J],
    layer: &Layer,
    opts: &RowOptions,
    only: &[&str],
) -> Vec<Row> {
    subset_rows(joined, None, layer, opts, Some(only))
}

fn subset_rows<J: Located + Sync>(
    joined: &[J],
    actor: Option<Actor>,
    layer: &Layer,
    opts: &RowOptions,
    only: Option<&[&str]>,
) -> Vec<Row> {
    let groups = group(joined, opts.level);
    // Each territory's reference: its parent's group, or France (None).
    let parents = match (opts.reference, parent(opts.level)) {
        (Reference::Parent, Some(pl)) => {
            let mut pcodes: Vec<&str> = Vec::new();
            let mut of = Vec::with_capacity(groups.codes.len());
            for &row in &groups.first_row {
                let code = joined[row].code(pl);
                let i = pcodes.iter().position(|c| *c == code).unwrap_or_else(|| {
                    pcodes.push(code);
                    pcodes.len() - 1
                });
                of.push(i as u32);
            }
            Some((pcodes, of))
        }
        _ => None,
    };
    let index: HashMap<&str, usize> = groups
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i))
        .collect();
    let mut codes: Vec<&str> = if opts.level == Level::Commune {
        groups.codes.clone()
    } else {
        let mut c: Vec<&str> = layer.territories.iter().map(|t| t.code.as_str()).collect();
        c.extend(groups.codes.iter().filter(|c| layer.get(c).is_none()));
        c
    };
    if let Some(only) = only {
        codes.retain(|c| only.contains(c));
    }
    codes.sort_unstable();
    let synthetic = joined.iter().any(|j| j.respondent().synthetic);

    let all = accumulate(joined, &groups, &opts.measures);
    let per_measure: Vec<Vec<Row>> = opts
        .measures
        .par_iter()
        .zip(&all)
        .map(|(m, accs)| {
            let france = total(accs);
            let parent_accs = parents.as_ref().map(|(pcodes, of)| {
                let mut p = vec![Acc::default(); pcodes.len()];
                for (a, &pi) in accs.iter().zip(of) {
                    p[pi as usize].merge(a);
                }
                p
            });
            let scale = if m.is_share() { 100.0 } else { 1.0 };
            let make = |level: &'static str, code: &str, name: String, acc: &Acc| {
                let e = acc.estimate(m, opts.min_n);
                let finite = |x: f64| x.is_finite().then_some(x);
                Row {
                    level,
                    code: code.to_string(),
                    name,
                    actor,
                    measure: m.to_string(),
                    label: m.label(),
                    value: finite(e.value),
                    n: e.n,
                    n_eff: e.n_eff,
                    ci_low: finite(e.ci_low),
                    ci_high: finite(e.ci_high),
                    dont_know: e.dont_know,
                    flag: e.flag,
                    reference: None,
                    gap: None,
                    gap_significant: None,
                    synthetic,
                }
            };
            let mut rows = vec![make("france", FRANCE, "France".to_string(), &france)];
            for code in &codes {
                let name = layer
                    .get(code)
                    .map_or_else(|| code.to_string(), |t| t.name.clone());
                let Some(&g) = index.get(code) else {
                    // No respondent: no gap, but the reference is still named.
                    let mut row = make(opts.level.as_str(), code, name, &Acc::default());
                    let t = layer.get(code);
                    row.reference = match (opts.reference, opts.level) {
                        (Reference::Parent, Level::Commune) => {
                            t.and_then(|t| t.departement.clone())
                        }
                        (Reference::Parent, Level::Departement) => t.and_then(|t| t.region.clone()),
                        _ => Some(FRANCE.to_string()),
                    };
                    rows.push(row);
                    continue;
                };
                let mut row = make(opts.level.as_str(), code, name, &accs[g]);
                let (ref_code, ref_acc) = match (&parents, &parent_accs) {
                    (Some((pcodes, of)), Some(pa)) => (pcodes[of[g] as usize], &pa[of[g] as usize]),
                    _ => (FRANCE, &france),
                };
                row.reference = Some(ref_code.to_string());
                if let Some((gap, significant)) = gap(&accs[g], ref_acc, m, opts.min_n) {
                    row.gap = Some(gap * scale);
                    row.gap_significant = Some(significant);
                }
                rows.push(row);
            }
            rows
        })
        .collect();
    per_measure.into_iter().flatten().collect()
}

/// Gap of a territory to its reference (which contains it), in the measure's unit, and
/// whether it is significant: territory vs the rest of the reference, MOVER at 95 %.
/// `None` when the territory has no respondent in the base.
fn gap(territory: &Acc, reference: &Acc, m: &Measure, min_n: usize) -> Option<(f64, bool)> {
    let t = territory.estimate(m, min_n);
    let r = reference.estimate(m, min_n);
    if t.n == 0 {
        return None;
    }
    let rest = reference.without(territory);
    if rest.n == 0 {
        // The territory is the whole reference: nothing independent to compare with.
        return Some((t.value - r.value, false));
    }
    let o = rest.estimate(m, min_n);
    let (low, high) = interval::mover(
        (t.value, t.ci_low, t.ci_high),
        (o.value, o.ci_low, o.ci_high),
    );
    Some((t.value - r.value, low > 0.0 || high < 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(obs: &[(f64, f64)]) -> Acc {
        let mut a = Acc::default();
        for &(w, y) in obs {
            a.add(
                w,
                Obs::Value {
                    y,
                    dont_know: false,
                },
            );
        }
        a
    }

    #[test]
    fn rest_of_reference_is_exact_difference() {
        let t = acc(&[(1.0, 1.0), (2.0, 0.0)]);
        let o = acc(&[(3.0, 1.0), (0.5, 1.0)]);
        let mut r = t;
        r.merge(&o);
        let rest = r.without(&t);
        assert_eq!(rest.n, 2);
        assert!(
            (rest.sw - 3.5).abs() < 1e-12
                && (rest.swy - 3.5).abs() < 1e-12
                && (rest.sw2 - 9.25).abs() < 1e-12
        );
    }

    #[test]
    fn mean_interval_uses_linearisation_and_t() {
        // y = 2, 4, 6, 8 with w = 1: ȳ = 5, Σ(y-ȳ)² = 20, v = 4/3 · 20 / 16 = 5/3,
        // se = 1.290994; n_eff = 4, t(0.975, 3) = 3.182446: half = 4.108521.
        let a = acc(&[(1.0, 2.0), (1.0, 4.0), (1.0, 6.0), (1.0, 8.0)]);
        let e = a.estimate(&Measure::Mean { domain: 0 }, 30);
        assert!((e.value - 5.0).abs() < 1e-12);
        assert!((e.ci_low - (5.0 - 4.108521)).abs() < 1e-5, "{}", e.ci_low);
        assert!((e.ci_high - (5.0 + 4.108521)).abs() < 1e-5, "{}", e.ci_high);
        assert_eq!(e.flag, Flag::Insufficient);
    }
}
