//! Class breaks for choropleths: quantiles, equal intervals, natural breaks (exact ckmeans),
//! standard deviations, head/tail breaks and manual breaks; plus categorical classes.
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
//!   not on a 3,000-value sample as QGIS does;
//! - [`classify_around`] makes a reference value (the national share) a break, for diverging
//!   maps ([`crate::style::diverging_centred`]).

mod categorical;

pub use categorical::{Categorical, Category};

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};
use crate::format::{
    MINUS, NBSP, NumberFormat, THOUSANDS, break_decimals, exact_decimals, fr_number,
};

/// Most classes any method accepts (ColorBrewer schemes stop at 9 to 12 anyway).
pub const MAX_CLASSES: usize = 20;

/// Cap of the default class count: beyond 7 classes readers can no longer match map colours
/// to the legend.
pub const DEFAULT_MAX_CLASSES: usize = 7;

/// Most decimals a legend's bounds get when fewer cannot tell them apart (beyond, only if
/// even 3 cannot: [`break_decimals`]).
const LEGEND_DECIMALS: usize = 3;

/// Head/tail breaks stop when the head is no longer a minority (Jiang 2013: 40 %).
const HEAD_SHARE: f64 = 0.4;

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

impl Method {
    /// French name for the legend note ("Discrétisation : quantiles").
    pub fn name_fr(&self) -> &'static str {
        match self {
            Method::Quantile => "quantiles",
            Method::EqualInterval => "intervalles égaux",
            Method::NaturalBreaks => "seuils naturels (Jenks)",
            Method::StdDev => "écarts à la moyenne",
            Method::HeadTail => "head/tail (Jiang)",
            Method::Manual(_) => "seuils choisis",
        }
    }
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
                    Some(list) => return parse_breaks(list).map(Method::Manual),
                    None => {
                        return Err(Error::usage("manual classification needs its breaks")
                            .hint("write manual:10,20,50 (all bounds, ascending)"));
                    }
                },
                _ if arg.is_none()
                    && s.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) =>
                {
                    return parse_breaks(s).map(Method::Manual);
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

/// Parses a list of breaks: `10,20,50`, or `0;12,5;100` (decimal commas), `-inf` and `inf`
/// allowed at the ends.
fn parse_breaks(list: &str) -> Result<Vec<f64>> {
    let (sep, decimal_comma) = if list.contains(';') {
        (';', true)
    } else {
        (',', false)
    };
    let breaks = list
        .split(sep)
        .map(|t| {
            let t = t.trim();
            let norm = if decimal_comma {
                t.replace(',', ".")
            } else {
                t.to_string()
            };
            let v = match norm.to_ascii_lowercase().as_str() {
                "inf" | "+inf" | "∞" | "+∞" => Ok(f64::INFINITY),
                "-inf" | "−inf" | "-∞" | "−∞" => Ok(f64::NEG_INFINITY),
                n => n.parse::<f64>(),
            };
            v.map_err(|_| {
                Error::usage(format!("manual break `{t}` is not a number"))
                    .hint("write breaks as 10,20,50, or 0;12,5;100 with decimal commas")
            })
        })
        .collect::<Result<Vec<f64>>>()?;
    check_breaks(&breaks)?;
    Ok(breaks)
}

/// Manual breaks must be at least two, not NaN, strictly ascending.
fn check_breaks(breaks: &[f64]) -> Result<()> {
    let hint = "give all bounds in ascending order, e.g. manual:0,10,20,50 for 3 classes";
    if breaks.len() < 2 {
        return Err(Error::usage(format!(
            "manual breaks need at least 2 values (got {})",
            breaks.len()
        ))
        .hint(hint));
    }
    if breaks.iter().any(|b| b.is_nan()) {
        return Err(Error::usage("a manual break is NaN").hint(hint));
    }
    if breaks.len() - 1 > MAX_CLASSES {
        return Err(Error::usage(format!(
            "{} manual classes: at most {MAX_CLASSES}",
            breaks.len() - 1
        )));
    }
    if let Some(w) = breaks.windows(2).find(|w| w[0] >= w[1]) {
        return Err(Error::usage(format!(
            "manual breaks are not strictly ascending: {} then {}",
            w[0], w[1]
        ))
        .hint(hint));
    }
    Ok(())
}

/// Which bound of a class interval includes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Closure {
    /// `[a ; b[`: a value equal to a break belongs to the class above, except the maximum,
    /// which the last class `[a ; b]` holds (mapsf, mapshaper, Magrit's default).
    LeftClosed,
}

impl Closure {
    /// Legend note stating the convention, in French.
    pub fn note(self) -> &'static str {
        match self {
            Closure::LeftClosed => {
                "Classes : borne inférieure incluse, borne supérieure exclue (sauf la dernière)"
            }
        }
    }
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

/// How legend labels are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelStyle {
    /// "de 12,5 à moins de 20 %", last "de 20 à 35 %": the closure is in the words.
    #[default]
    Words,
    /// "[12,5 ; 20[", last "[20 ; 35]" (a narrow no-break space before the semicolon, as in
    /// French typography): compact; pair it with [`Closure::note`] and put the unit in the
    /// legend title.
    Brackets,
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
    /// The reference value that is a break, for [`classify_around`] (e.g. the national share).
    pub centre: Option<f64>,
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
        check_breaks(breaks)?;
        c.breaks = breaks.clone();
        c.fill_classes(&data);
        c.outside = data.len() - c.classes.iter().map(|k| k.count).sum::<usize>();
        if c.outside > 0 {
            c.warnings.push(format!(
                "{} values fall outside the manual breaks [{} ; {}] (data range {} to {}): they get no class and are shown as no data",
                c.outside,
                breaks[0],
                breaks[breaks.len() - 1],
                data[0],
                data[data.len() - 1]
            ));
        }
        let empty: Vec<String> = (1..=c.classes.len())
            .filter(|&i| c.classes[i - 1].count == 0)
            .map(|i| i.to_string())
            .collect();
        if !empty.is_empty() {
            c.warnings
                .push(format!("manual classes {} are empty", empty.join(", ")));
        }
        return Ok(c);
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
            Method::Quantile => (0..=asked)
                .map(|i| quantile7(&data, i as f64 / asked as f64))
                .collect(),
            Method::EqualInterval => equal_breaks(&data, asked, &mut c.warnings),
            Method::NaturalBreaks => natural_breaks(&data, asked)?,
            Method::StdDev => {
                let (breaks, mean, sd) = stddev_breaks(&data, asked);
                c.mean_sd = Some((mean, sd));
                breaks
            }
            Method::HeadTail => headtail_breaks(&data, asked, &mut c.warnings),
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
        centre: None,
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

/// Classes on each side of a reference value (the national share, 0, a target), which becomes
/// a break: `classes` (default Sturges) are split evenly between the values below `centre`
/// and those at or above it, each side classified with `method`. Pair it with
/// [`crate::style::diverging_centred`] so that the two colour ramps meet at the centre, as
/// QGIS's symmetric mode around a pivot.
///
/// Errors: those of [`classify`], manual breaks (give the centre among them instead), a
/// centre that is not finite.
pub fn classify_around(
    values: &[f64],
    method: &Method,
    classes: Option<usize>,
    centre: f64,
) -> Result<Classification> {
    if matches!(method, Method::Manual(_)) {
        return Err(
            Error::usage("manual breaks cannot be split around a centre")
                .hint("put the centre among the manual breaks"),
        );
    }
    if !centre.is_finite() {
        return Err(Error::usage(format!(
            "the centre {centre} is not a finite number"
        )));
    }
    let (data, mut c) = prepare(values, method)?;
    let per_side = (class_count(classes, data.len())? / 2).max(1);
    let split = data.partition_point(|v| *v < centre);
    for (side, name) in [(&data[..split], "below"), (&data[split..], "at or above")] {
        if side.is_empty() {
            c.warnings.push(format!(
                "no value {name} the centre {centre}: classes on one side only"
            ));
            continue;
        }
        let part = classify(side, method, Some(per_side))?;
        c.warnings.extend(
            part.warnings
                .into_iter()
                .map(|w| format!("{name} the centre: {w}")),
        );
        let mut b = part.breaks;
        if side[0] < centre {
            // Below: the last class now ends at the centre, open: [b ; centre[.
            if let Some(last) = b.last_mut() {
                *last = centre;
            }
        } else if !c.breaks.is_empty() {
            // At or above, after a lower side: start from the centre shared with it.
            b.remove(0);
        }
        c.breaks.extend(b);
    }
    c.centre = Some(centre);
    c.fill_classes(&data);
    Ok(c)
}

/// Midpoint that stays between `a` and `b` even for huge values.
fn midpoint(a: f64, b: f64) -> f64 {
    a + (b - a) / 2.0
}

/// R's default quantile (type 7): linear interpolation between order statistics at
/// h = (n − 1) p. `sorted` is ascending and not empty.
fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Equal-width breaks; if a class would be empty (outliers), fewer, wider classes, still
/// all of equal width.
fn equal_breaks(data: &[f64], asked: usize, warnings: &mut Vec<String>) -> Vec<f64> {
    let (min, max) = (data[0], data[data.len() - 1]);
    for k in (1..=asked).rev() {
        let width = (max - min) / k as f64;
        let breaks: Vec<f64> = (0..=k)
            .map(|i| if i == k { max } else { min + width * i as f64 })
            .collect();
        let all_filled = breaks.windows(2).enumerate().all(|(i, w)| {
            let lo = data.partition_point(|v| *v < w[0]);
            let hi = if i + 1 == k {
                data.len()
            } else {
                data.partition_point(|v| *v < w[1])
            };
            hi > lo
        });
        if all_filled {
            if k < asked {
                warnings.push(format!(
                    "equal intervals: {asked} classes would leave some empty (gaps in the data), using {k}"
                ));
            }
            return breaks;
        }
    }
    vec![min, max]
}

/// Natural breaks: ckmeans clusters, each break halfway between the largest value of a
/// cluster and the smallest of the next, as mapsf's `ckmeans` (`Ckmeans.1d.dp::ahist(style =
/// "midpoints")`) and classInt's `fisher` do; the partition is the optimal one either way.
fn natural_breaks(data: &[f64], k: usize) -> Result<Vec<f64>> {
    let k =
        u8::try_from(k).map_err(|_| Error::usage(format!("{k} classes: at most {MAX_CLASSES}")))?;
    let (sorted, ranges) = ckmeans::ckmeans_indices(data, k).map_err(|e| Error {
        kind: ErrorKind::Input,
        path: None,
        location: None,
        message: format!("natural breaks failed: {e:?}"),
        hint: Some("try another method, e.g. quantile".into()),
    })?;
    let mut breaks = vec![sorted[0]];
    breaks.extend(
        ranges
            .windows(2)
            .map(|w| midpoint(sorted[w[0].1], sorted[w[1].0])),
    );
    breaks.push(sorted[sorted.len() - 1]);
    Ok(breaks)
}

/// Standard-deviation breaks: width one sd, centred on the mean (odd k, mapsf's `msd` with
/// `central = TRUE`) or with the mean as a break (even k, `central = FALSE`); the outer
/// classes run to the minimum and maximum. The sd is the population one (divided by n), as
/// in mapsf. Breaks outside the data range are dropped (those classes would be empty).
/// Returns (breaks, mean, sd).
fn stddev_breaks(data: &[f64], k: usize) -> (Vec<f64>, f64, f64) {
    let n = data.len() as f64;
    let mean = data.iter().sum::<f64>() / n;
    let sd = (data.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let (min, max) = (data[0], data[data.len() - 1]);
    // Inner breaks in sd units: k = 5 → ±0.5, ±1.5; k = 4 → 0, ±1.
    let half = (k as f64 - 2.0) / 2.0; // furthest inner break, in sd units
    let inner = (0..k.saturating_sub(1)).map(|i| mean + (i as f64 - half) * sd);
    let mut breaks = vec![min];
    breaks.extend(inner.filter(|b| *b > min && *b < max));
    breaks.push(max);
    (breaks, mean, sd)
}

/// Head/tail breaks: split at the mean, keep splitting the head (values ≥ mean) while it is a
/// minority (≤ 40 %) and the class count allows.
fn headtail_breaks(data: &[f64], max_classes: usize, warnings: &mut Vec<String>) -> Vec<f64> {
    let mut breaks = vec![data[0]];
    let mut current = data;
    while breaks.len() < max_classes && current.len() > 1 && current[0] < current[current.len() - 1]
    {
        let mean = current.iter().sum::<f64>() / current.len() as f64;
        let head = &current[current.partition_point(|v| *v < mean)..];
        let share = head.len() as f64 / current.len() as f64;
        if share > HEAD_SHARE {
            if breaks.len() == 1 {
                warnings.push(format!(
                    "head/tail: {:.0} % of values are above the mean, the data is not heavy-tailed; \
                     quantile or jenks suit it better",
                    share * 100.0
                ));
                breaks.push(mean);
            }
            break;
        }
        breaks.push(mean);
        current = head;
    }
    breaks.push(data[data.len() - 1]);
    breaks
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

    /// Legend note in French: method and class count, with the mean and standard deviation
    /// for [`Method::StdDev`]: « Discrétisation : quantiles, 5 classes ».
    pub fn note(&self, fmt: &NumberFormat) -> String {
        let k = self.classes.len();
        let mut note = format!(
            "Discrétisation : {}, {k} classe{}",
            self.method.name_fr(),
            if k > 1 { "s" } else { "" }
        );
        if let Some(centre) = self.centre {
            note.push_str(&format!(
                " de part et d'autre de {}",
                fmt.value(
                    centre,
                    self.label_decimals(fmt).max(fmt.decimals_for(&[centre]))
                )
            ));
        }
        if let Some((mean, sd)) = self.mean_sd {
            let d = fmt.decimals_for(&self.breaks) + 1;
            note.push_str(&format!(
                " (moyenne {}, écart-type {})",
                fmt.value(mean, d),
                fmt.number(sd, d) + &fmt.unit_suffix()
            ));
        }
        note
    }

    /// The k + 1 breaks as French numbers with their unit, for legends that write values at
    /// the joints between colour boxes; same decimals as [`Classification::labels`]. (For a
    /// `discrete` classification, label the classes instead: its breaks are midpoints.)
    pub fn break_labels(&self, fmt: &NumberFormat) -> Vec<String> {
        let d = self.label_decimals(fmt);
        let unit = fmt.unit_suffix();
        self.breaks
            .iter()
            .map(|&b| self.bound(fmt, b, d) + &unit)
            .collect()
    }

    /// What a legend writes beside its boxes: the k + 1 bounds at the joints for
    /// [`LabelStyle::Words`], each box its interval for [`LabelStyle::Brackets`], each box its
    /// value for discrete classes.
    pub fn legend_ticks(&self, fmt: &NumberFormat, style: LabelStyle) -> Vec<String> {
        if self.discrete || style == LabelStyle::Brackets {
            self.labels_with(fmt, style)
        } else {
            self.break_labels(fmt)
        }
    }

    /// Legend labels in French, one per class, in the default [`LabelStyle::Words`].
    pub fn labels(&self, fmt: &NumberFormat) -> Vec<String> {
        self.labels_with(fmt, LabelStyle::Words)
    }

    /// Legend labels in French in the given style, every bound with the same decimals
    /// ([`Classification::label_decimals`]). Standard-deviation classes say where they sit
    /// ("(−0,5 à +0,5 σ)"); discrete classes show their single value.
    pub fn labels_with(&self, fmt: &NumberFormat, style: LabelStyle) -> Vec<String> {
        let k = self.classes.len();
        if self.discrete {
            let values: Vec<f64> = self
                .classes
                .iter()
                .map(|c| c.members.map_or(c.lower, |m| m.0))
                .collect();
            let d = fmt.decimals_for(&values);
            let unit = fmt.unit_suffix();
            return values
                .iter()
                .map(|&v| fr_number(fmt.display_value(v), d) + &unit)
                .collect();
        }
        let d = self.label_decimals(fmt);
        let unit = match style {
            LabelStyle::Words => fmt.unit_suffix(),
            LabelStyle::Brackets => String::new(),
        };
        self.classes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let last = i + 1 == k;
                let (lo, hi) = (self.bound(fmt, c.lower, d), self.bound(fmt, c.upper, d));
                let mut label = match style {
                    _ if c.lower == c.upper => format!("{lo}{}", fmt.unit_suffix()),
                    LabelStyle::Words if c.lower == f64::NEG_INFINITY => {
                        format!("moins de {hi}{unit}")
                    }
                    LabelStyle::Words if c.upper == f64::INFINITY => format!("{lo}{unit} ou plus"),
                    LabelStyle::Words if last => format!("de {lo} à {hi}{unit}"),
                    LabelStyle::Words => format!("de {lo} à moins de {hi}{unit}"),
                    LabelStyle::Brackets => {
                        format!("[{lo}{THOUSANDS}; {hi}{}", if last { "]" } else { "[" })
                    }
                };
                if let Some((mean, sd)) = self.mean_sd.filter(|(_, sd)| *sd > 0.0) {
                    let z = |b: f64| sd_units((b - mean) / sd);
                    let pos = if k == 1 {
                        String::new()
                    } else if i == 0 {
                        format!(" (<{NBSP}{}{NBSP}σ)", z(c.upper))
                    } else if last {
                        format!(" (≥{NBSP}{}{NBSP}σ)", z(c.lower))
                    } else {
                        format!(" ({} à {}{NBSP}σ)", z(c.lower), z(c.upper))
                    };
                    label.push_str(&pos);
                }
                label
            })
            .collect()
    }

    /// Decimals shared by every bound of a legend, so that « 7,0 » stands next to « 7,2 »,
    /// never « 7 » (what mapsf and QGIS users expect): `fmt.decimals` when fixed; 0 for
    /// computed breaks of whole-number data ([`Classification::integers`]); else the fewest,
    /// 0 to 3, that keep adjacent bounds distinct once rounded, and never fewer than manual
    /// breaks are written with (a manual 12.5 is not shown as « 12 »). More than 3 only when 3
    /// cannot tell two bounds apart.
    pub fn label_decimals(&self, fmt: &NumberFormat) -> usize {
        if let Some(d) = fmt.decimals {
            return d;
        }
        if self.rounds_up() {
            return 0;
        }
        let shown: Vec<f64> = self
            .breaks
            .iter()
            .filter(|b| b.is_finite())
            .map(|&b| fmt.display_value(b))
            .collect();
        let written = match self.method {
            Method::Manual(_) => shown.iter().filter_map(|&v| exact_decimals(v)).max(),
            _ => None,
        };
        let distinct = |d: usize| {
            shown
                .windows(2)
                .all(|w| w[0] == w[1] || fr_number(w[0], d) != fr_number(w[1], d))
        };
        (written.unwrap_or(0)..=LEGEND_DECIMALS)
            .find(|&d| distinct(d))
            .unwrap_or_else(|| break_decimals(&shown))
    }

    /// True when bounds are written as whole numbers rounded up: computed breaks of
    /// whole-number data (manual breaks are shown as the user wrote them).
    fn rounds_up(&self) -> bool {
        self.integers && !matches!(self.method, Method::Manual(_))
    }

    /// One bound as a legend writes it, `d` decimals kept even when they are zeros.
    fn bound(&self, fmt: &NumberFormat, x: f64, d: usize) -> String {
        let x = if self.rounds_up() && x.is_finite() {
            x.ceil()
        } else {
            x
        };
        fr_number(fmt.display_value(x), d)
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

/// A position in standard deviations with its sign: "−0,5", "+1", "0".
fn sd_units(z: f64) -> String {
    let r = (z * 10.0).round() / 10.0;
    let s = crate::format::fr_trimmed(r.abs(), 1);
    if r > 0.0 {
        format!("+{s}")
    } else if r < 0.0 {
        format!("{MINUS}{s}")
    } else {
        s
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
    fn quantile_type7() {
        let d = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile7(&d, 0.25), 2.0);
        assert_eq!(quantile7(&d, 0.5), 3.0);
        assert!((quantile7(&d, 0.9) - 7.6).abs() < 1e-12);
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
