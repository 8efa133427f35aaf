//! Class breaks for choropleths: quantiles, equal intervals, natural breaks (exact ckmeans),
//! standard deviations, head/tail breaks and manual breaks. One file per method, each with its
//! reasons and an example; [`classify`] here dispatches and applies the shared conventions, and
//! `labels.rs` writes the French legend labels and notes.
//!
//! Conventions, chosen to match mapsf (so that maps can be compared with R output):
//! - classes are **left-closed** `[a ; b[`, the last one closed `[a ; b]` ([`Closure`]);
//! - breaks run from the minimum to the maximum of the data (k classes → k + 1 breaks), except
//!   manual breaks, which are the user's and may leave values outside: those get no class and
//!   are drawn as "no data", with a warning, never silently recoloured (mapsf#56);
//! - NaN and infinite values are ignored and counted ([`Classification::ignored`]);
//! - the default number of classes is Sturges' rule `round(1 + 3.3 log10 n)`, capped at 7;
//! - no method but manual ever returns an empty class: when the data cannot fill k classes
//!   (few distinct values, ties), k is reduced and a warning says so;
//! - natural breaks are computed **exactly** on all values by Wang & Song's dynamic programme
//!   (crate `ckmeans`), which minimises the within-class sum of squares like Fisher-Jenks,
//!   not on a 3,000-value sample as QGIS does.

mod equal;
mod headtail;
mod labels;
mod manual;
mod natural;
mod quantile;
mod stddev;

pub use labels::LabelStyle;

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};

/// Most classes any method accepts (ColorBrewer schemes stop at 9 to 12 anyway).
pub const MAX_CLASSES: usize = 20;

/// Cap of the default class count: beyond 7 classes readers can no longer match map colours
/// to the legend.
pub const DEFAULT_MAX_CLASSES: usize = 7;

/// How class breaks are chosen. In style files and on the command line it is written as
/// [`FromStr`] reads it (`quantile`, `jenks`, `manual:10,20,50`...).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Method {
    /// Same number of values in each class (R's quantile type 7, as mapsf and classInt).
    Quantile,
    /// Classes of equal width between the minimum and the maximum.
    EqualInterval,
    /// Natural breaks: exact optimal 1-D k-means (ckmeans), the Fisher-Jenks objective.
    NaturalBreaks,
    /// Classes one standard deviation wide around the mean: with an odd class count the middle
    /// class is mean ± 0.5 sd, with an even count the mean is a break.
    StdDev,
    /// Head/tail breaks (Jiang 2013) for heavy-tailed data; the class count is a maximum.
    HeadTail,
    /// The user's breaks, all bounds included (k classes → k + 1 values); may be ±infinity.
    Manual(Vec<f64>),
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Quantile => f.write_str("quantile"),
            Method::EqualInterval => f.write_str("equal"),
            Method::NaturalBreaks => f.write_str("jenks"),
            Method::StdDev => f.write_str("stddev"),
            Method::HeadTail => f.write_str("headtail"),
            Method::Manual(b) => {
                let list: Vec<String> = b.iter().map(|v| v.to_string()).collect();
                write!(f, "manual:{}", list.join(","))
            }
        }
    }
}

const METHOD_HINT: &str = "use quantile, equal, jenks (or fisher, ckmeans, natural), stddev (or sd), \
     headtail, or manual breaks as manual:10,20,50 (all bounds, ascending; -inf/inf allowed)";

impl FromStr for Method {
    type Err = Error;

    /// Parses `quantile`, `equal`, `jenks|fisher|ckmeans|natural`, `stddev|sd`, `headtail`,
    /// `manual:10,20,50` (or `manual=…`, or the bare list `10,20,50`; with `;` as separator a
    /// decimal comma is accepted: `0;12,5;100`).
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        let (name, arg) = match s.find([':', '=']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let method =
            match name.to_ascii_lowercase().as_str() {
                "quantile" | "quantiles" => Method::Quantile,
                "equal" | "equal-interval" | "equal_interval" | "equalinterval" => {
                    Method::EqualInterval
                }
                "jenks" | "fisher" | "ckmeans" | "natural" | "natural-breaks"
                | "natural_breaks" => Method::NaturalBreaks,
                "stddev" | "sd" | "std" | "msd" => Method::StdDev,
                "headtail" | "head-tail" | "head_tail" | "ht" => Method::HeadTail,
                "manual" | "breaks" | "fixed" => match arg {
                    Some(list) => return manual::parse_breaks(list).map(Method::Manual),
                    None => {
                        return Err(Error::usage("manual classification needs its breaks")
                            .hint("write manual:10,20,50 (all bounds, ascending)"));
                    }
                },
                _ if arg.is_none()
                    && s.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) =>
                {
                    return manual::parse_breaks(s).map(Method::Manual);
                }
                _ => {
                    return Err(Error::usage(format!("unknown classification method `{s}`"))
                        .hint(METHOD_HINT));
                }
            };
        match arg {
            Some(a) => Err(
                Error::usage(format!("method `{name}` takes no argument (got `{a}`)"))
                    .hint(METHOD_HINT),
            ),
            None => Ok(method),
        }
    }
}

impl TryFrom<String> for Method {
    type Error = String;

    fn try_from(s: String) -> std::result::Result<Self, String> {
        s.parse().map_err(|e: Error| match e.hint {
            Some(h) => format!("{} ({h})", e.message),
            None => e.message,
        })
    }
}

impl From<Method> for String {
    fn from(m: Method) -> String {
        m.to_string()
    }
}

/// Which bound of a class interval includes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Closure {
    /// `[a ; b[`: a value equal to a break belongs to the class above, except the maximum,
    /// which the last class `[a ; b]` holds (mapsf, mapshaper, Magrit's default).
    LeftClosed,
}

/// One class of a [`Classification`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Class {
    /// Lower bound (included).
    pub lower: f64,
    /// Upper bound (excluded, except for the last class).
    pub upper: f64,
    /// Number of classified values in the class.
    pub count: usize,
    /// Smallest and largest value in the class; `None` when empty (manual breaks only).
    /// After [`Classification::recount`], those of the values first classified.
    pub members: Option<(f64, f64)>,
}

/// Result of [`classify`]: breaks, classes with counts, and what the caller must tell the user.
/// Serialises to JSON for `--json` outputs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Classification {
    /// Method used.
    pub method: Method,
    /// k + 1 ascending bounds; from min to max of the data except for manual breaks.
    pub breaks: Vec<f64>,
    /// k classes, in ascending order.
    pub classes: Vec<Class>,
    /// Interval convention.
    pub closure: Closure,
    /// Things the user should know (fewer classes than asked, values ignored or outside...),
    /// in English for the terminal.
    pub warnings: Vec<String>,
    /// NaN or infinite values, left out of the classification.
    pub ignored: usize,
    /// Finite values outside manual breaks: they get no class.
    pub outside: usize,
    /// True when each class holds a single distinct value (fewer distinct values than
    /// classes asked): labels then show that value, not an interval.
    pub discrete: bool,
    /// Mean and (population) standard deviation for [`Method::StdDev`]: labels state positions in sd.
    pub mean_sd: Option<(f64, f64)>,
    /// True when every classified value is a whole number (counts, populations): computed
    /// bounds are then written as whole numbers, rounded up, which is exact for left-closed
    /// classes (a break 12.5 between 12 and 13 reads « moins de 13 », « 13 »).
    pub integers: bool,
}

/// Sturges' rule `round(1 + 3.3 log10 n)` capped at [`DEFAULT_MAX_CLASSES`], at least 1.
pub fn sturges(n: usize) -> usize {
    let k = (1.0 + 3.3 * (n.max(1) as f64).log10()).round() as usize;
    k.clamp(1, DEFAULT_MAX_CLASSES)
}

/// Classifies `values` (NaN and infinities ignored) into `classes` classes (default
/// [`sturges`]) with `method`. See the module doc for the conventions.
///
/// Errors: no finite value, a class count of 0 or above [`MAX_CLASSES`], bad manual breaks.
///
/// ```
/// use phare::classify::{Method, classify};
/// use phare::format::NumberFormat;
///
/// let shares = [0.12, 0.25, 0.18, f64::NAN, 0.40, 0.33, 0.21];
/// let c = classify(&shares, &Method::Quantile, Some(3)).unwrap();
/// assert_eq!(c.ignored, 1);
/// assert_eq!(c.class_of(0.40), Some(2));
/// assert_eq!(c.labels(&NumberFormat::share())[2], "de 28 à 40\u{a0}%");
/// ```
pub fn classify(values: &[f64], method: &Method, classes: Option<usize>) -> Result<Classification> {
    let (data, mut c) = prepare(values, method)?;
    if let Method::Manual(breaks) = method {
        return manual::classify(&data, breaks, c);
    }

    let asked = class_count(classes, data.len())?;
    let (min, max) = (data[0], data[data.len() - 1]);
    let distinct = 1 + data.windows(2).filter(|w| w[0] != w[1]).count();

    if distinct == 1 {
        if asked > 1 {
            c.warnings
                .push(format!("all {} values equal {min}: one class", data.len()));
        }
        c.discrete = true;
        c.breaks = vec![min, max];
    } else if distinct <= asked && !matches!(method, Method::StdDev | Method::HeadTail) {
        // Likert-like data: the best any method can do is one class per value.
        if distinct < asked {
            c.warnings.push(format!("only {distinct} distinct values for {asked} classes: {distinct} classes, one per value"));
        }
        c.discrete = true;
        let mut values = data.clone();
        values.dedup();
        c.breaks = std::iter::once(min)
            .chain(values.windows(2).map(|w| midpoint(w[0], w[1])))
            .chain(std::iter::once(max))
            .collect();
    } else {
        c.breaks = match method {
            Method::Quantile => quantile::breaks(&data, asked),
            Method::EqualInterval => equal::breaks(&data, asked, &mut c.warnings),
            Method::NaturalBreaks => natural::breaks(&data, asked)?,
            Method::StdDev => {
                let (breaks, mean, sd) = stddev::breaks(&data, asked);
                c.mean_sd = Some((mean, sd));
                breaks
            }
            Method::HeadTail => headtail::breaks(&data, asked, &mut c.warnings),
            Method::Manual(breaks) => breaks.clone(), // handled above; kept total
        };
        dedup_breaks(&mut c.breaks);
    }
    c.fill_classes(&data);
    c.drop_empty_classes(&data);
    let k = c.classes.len();
    if k < asked && !c.discrete {
        let why = match method {
            Method::Quantile => "tied values make equal quantile breaks",
            Method::HeadTail => "head/tail breaks stop when the head is no longer a minority",
            _ => "the data cannot fill more classes",
        };
        c.warnings
            .push(format!("{k} classes instead of {asked}: {why}"));
    }
    Ok(c)
}

/// Removes repeated breaks (ties), but keeps a last class `[max ; max]`: a cluster or
/// quantile made of the maximum alone is a real class.
fn dedup_breaks(breaks: &mut Vec<f64>) {
    let n = breaks.len();
    let last_single = n >= 3 && breaks[n - 2] == breaks[n - 1];
    breaks.dedup();
    if last_single && breaks.len() >= 2 {
        breaks.push(breaks[breaks.len() - 1]);
    }
}

/// Sorted finite values and an empty classification that counts the ignored ones.
fn prepare(values: &[f64], method: &Method) -> Result<(Vec<f64>, Classification)> {
    let mut data: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let ignored = values.len() - data.len();
    if data.is_empty() {
        return Err(Error {
            kind: ErrorKind::Input,
            path: None,
            location: None,
            message: format!(
                "nothing to classify: none of the {} values is a finite number",
                values.len()
            ),
            hint: Some(
                "check the indicator column: empty cells and NaN are treated as missing".into(),
            ),
            setting: None,
        });
    }
    data.sort_by(f64::total_cmp);
    let mut c = Classification {
        method: method.clone(),
        breaks: Vec::new(),
        classes: Vec::new(),
        closure: Closure::LeftClosed,
        warnings: Vec::new(),
        ignored,
        outside: 0,
        discrete: false,
        mean_sd: None,
        integers: data.iter().all(|v| v.fract() == 0.0),
    };
    if ignored > 0 {
        c.warnings.push(format!(
            "{ignored} missing or infinite values ignored (shown as no data)"
        ));
    }
    Ok((data, c))
}

/// The class count asked, or Sturges' for `n` values; 1 to [`MAX_CLASSES`].
fn class_count(classes: Option<usize>, n: usize) -> Result<usize> {
    match classes {
        Some(0) => Err(Error::usage("0 classes asked")
            .hint("ask for 1 to 20 classes, or leave it out for Sturges' rule")),
        Some(k) if k > MAX_CLASSES => Err(Error::usage(format!(
            "{k} classes asked: at most {MAX_CLASSES}"
        ))
        .hint("7 classes or fewer keep colours readable")),
        Some(k) => Ok(k),
        None => Ok(sturges(n)),
    }
}

/// Midpoint that stays between `a` and `b` even for huge values.
fn midpoint(a: f64, b: f64) -> f64 {
    a + (b - a) / 2.0
}

impl Classification {
    /// Number of classes.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// True when there is no class (never after [`classify`]).
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The class holding `v`, or `None` for NaN, infinities and values outside the breaks
    /// (draw those as no data).
    pub fn class_of(&self, v: f64) -> Option<usize> {
        let k = self.classes.len();
        let (Some(&lo), Some(&hi)) = (self.breaks.first(), self.breaks.get(k)) else {
            return None;
        };
        if !v.is_finite() || k == 0 || v < lo || v > hi {
            return None;
        }
        Some(self.breaks[1..k].partition_point(|b| *b <= v))
    }

    /// The same classes counted over other values (one page of an atlas whose classes are
    /// computed on all pages): method, breaks and labels unchanged (the members stay those of
    /// the whole classification, they write discrete labels), counts, ignored and outside
    /// values those of `values`. Its warnings are only about `values`.
    pub fn recount(&self, values: &[f64]) -> Classification {
        let mut data: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        data.sort_by(f64::total_cmp);
        let mut c = self.clone();
        c.fill_classes(&data);
        for (page, all) in c.classes.iter_mut().zip(&self.classes) {
            page.members = all.members;
        }
        c.ignored = values.len() - data.len();
        c.outside = data.len() - c.classes.iter().map(|k| k.count).sum::<usize>();
        c.warnings = Vec::new();
        if c.outside > 0 {
            c.warnings.push(format!(
                "{} values fall outside the shared classes: they are shown as no data",
                c.outside
            ));
        }
        c
    }

    /// Counts values per class and records each class's members' range.
    fn fill_classes(&mut self, sorted: &[f64]) {
        let k = self.breaks.len() - 1;
        self.classes = self
            .breaks
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let lo = sorted.partition_point(|v| *v < w[0]);
                let hi = if i + 1 == k {
                    sorted.partition_point(|v| *v <= w[1])
                } else {
                    sorted.partition_point(|v| *v < w[1])
                };
                let count = hi.saturating_sub(lo);
                Class {
                    lower: w[0],
                    upper: w[1],
                    count,
                    members: (count > 0).then(|| (sorted[lo], sorted[hi - 1])),
                }
            })
            .collect();
    }

    /// Merges each empty class into a neighbour by removing one of its bounds (never the
    /// overall min or max).
    fn drop_empty_classes(&mut self, sorted: &[f64]) {
        while self.classes.len() > 1 {
            let Some(i) = self.classes.iter().position(|c| c.count == 0) else {
                return;
            };
            let remove = if i + 1 == self.classes.len() {
                i
            } else {
                i + 1
            };
            self.breaks.remove(remove);
            self.fill_classes(sorted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sturges_rule() {
        assert_eq!(sturges(1), 1);
        assert_eq!(sturges(10), 4); // 1 + 3.3 = 4.3
        assert_eq!(sturges(100), 8.min(DEFAULT_MAX_CLASSES)); // 7.6 → 8 → capped 7
        assert_eq!(sturges(30), 6); // 1 + 3.3 × 1.477 = 5.87
        assert_eq!(sturges(34875), 7);
    }

    #[test]
    fn method_names_round_trip() {
        for m in [
            Method::Quantile,
            Method::EqualInterval,
            Method::NaturalBreaks,
            Method::StdDev,
            Method::HeadTail,
        ] {
            assert_eq!(m.to_string().parse::<Method>().ok(), Some(m));
        }
        let m = Method::Manual(vec![0.0, 12.5, f64::INFINITY]);
        assert_eq!(m.to_string().parse::<Method>().ok(), Some(m));
    }
}
