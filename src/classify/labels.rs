//! French legend labels and notes of a classification: « de 12,5 à moins de 20 % », « [12,5 ;
//! 20[ », « Discrétisation : quantiles, 5 classes ». Every bound of a legend gets the same
//! decimals, whole-number data gets whole-number bounds, standard-deviation classes say where
//! they sit.
//!
//! ```
//! use phare::classify::{LabelStyle, Method, classify};
//! use phare::format::NumberFormat;
//!
//! let c = classify(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &Method::EqualInterval, Some(2)).unwrap();
//! let fmt = NumberFormat::default();
//! assert_eq!(c.labels(&fmt), ["de 1 à moins de 4", "de 4 à 6"]);
//! assert_eq!(c.labels_with(&fmt, LabelStyle::Brackets), ["[1\u{202f}; 4[", "[4\u{202f}; 6]"]);
//! assert_eq!(c.note(&fmt), "Discrétisation : intervalles égaux, 2 classes");
//! ```

use super::{Classification, Closure, Method};
use crate::format::{
    MINUS, NBSP, NumberFormat, THOUSANDS, break_decimals, exact_decimals, fr_number,
};

/// Most decimals a legend's bounds get when fewer cannot tell them apart (beyond, only if
/// even 3 cannot: [`break_decimals`]).
const LEGEND_DECIMALS: usize = 3;

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

impl Classification {
    /// Legend note in French: method and class count, with the mean and standard deviation
    /// for [`Method::StdDev`]: « Discrétisation : quantiles, 5 classes ».
    pub fn note(&self, fmt: &NumberFormat) -> String {
        let k = self.classes.len();
        let mut note = format!(
            "Discrétisation : {}, {k} classe{}",
            self.method.name_fr(),
            if k > 1 { "s" } else { "" }
        );
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
