//! French number formatting for every text a map or report shows.
//!
//! Conventions (Imprimerie nationale, as INSEE publishes):
//! - decimal comma: `12,5`;
//! - thousands grouped by a narrow no-break space U+202F ([`THOUSANDS`]): `1 234 567`;
//!   numbers of four digits are grouped too (`1 234`), so that columns of numbers line up;
//! - a no-break space U+00A0 ([`NBSP`]) before `%` and units: `12,5 %`;
//! - the minus sign is U+2212 (`−3,2`), and `-0` is never shown.
//!
//! Both spaces exist in DejaVu Sans, the only font the renderer uses, and neither lets a line
//! break inside a number.

/// Thousands separator: narrow no-break space (U+202F).
pub const THOUSANDS: char = '\u{202F}';
/// Space before `%` and units: no-break space (U+00A0).
pub const NBSP: char = '\u{A0}';
/// Minus sign (U+2212), wider than a hyphen and aligned with the digits' middle.
pub const MINUS: char = '\u{2212}';

/// Most decimals [`break_decimals`] ever asks for.
pub const MAX_DECIMALS: usize = 6;

/// `x` with `decimals` decimals, French style: `fr_number(-1234.5, 1)` = `"−1 234,5"`.
///
/// Exact ties round half to even, like R (so labels agree with mapsf's). Infinities read `∞` / `−∞` and NaN reads `n.d.` (non disponible), so that a stray missing
/// value in a label is visible rather than a crash.
pub fn fr_number(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "n.d.".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "∞".to_string()
        } else {
            format!("{MINUS}∞")
        };
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let negative = x < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::with_capacity(text.len() + 8);
    if negative {
        out.push(MINUS);
    }
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(THOUSANDS);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// Like [`fr_number`], then trailing zeros of the decimals (and a bare comma) removed:
/// `fr_trimmed(12.50, 2)` = `"12,5"`, `fr_trimmed(20.0, 2)` = `"20"`.
pub fn fr_trimmed(x: f64, decimals: usize) -> String {
    let s = fr_number(x, decimals);
    if decimals == 0 || !s.contains(',') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches(',').to_string()
}

/// An integer with grouped thousands: `fr_integer(34875)` = `"34 875"`.
pub fn fr_integer(n: i64) -> String {
    fr_number(n as f64, 0)
}

/// A share in [0, 1] as a French percentage: `fr_percent(0.125, 1)` = `"12,5 %"`.
pub fn fr_percent(share: f64, decimals: usize) -> String {
    if share.is_nan() {
        return fr_number(share, decimals);
    }
    format!("{}{NBSP}%", fr_number(share * 100.0, decimals))
}

/// Decimals for a set of breaks: the fewest (at most [`MAX_DECIMALS`]) that keep every pair of
/// adjacent distinct values distinct once rounded, so a legend never reads "de 12 à moins de
/// 12"; and never fewer than a round value needs (a manual break 12.5 is not shown as "12").
///
/// `values` are in display units (already ×100 for percentages) and sorted ascending;
/// infinite values are ignored.
pub fn break_decimals(values: &[f64]) -> usize {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let distinct = (0..=MAX_DECIMALS)
        .find(|&d| {
            finite
                .windows(2)
                .all(|w| w[0] == w[1] || fr_number(w[0], d) != fr_number(w[1], d))
        })
        .unwrap_or(MAX_DECIMALS);
    let round = finite
        .iter()
        .filter_map(|&v| exact_decimals(v))
        .max()
        .unwrap_or(0);
    distinct.max(round)
}

/// Decimals that write `v` exactly, if 3 or fewer do (12.5 → 1, 20 → 0, 1/3 → none).
pub fn exact_decimals(v: f64) -> Option<usize> {
    (0..=3).find(|&d| {
        let scale = 10f64.powi(d as i32);
        ((v * scale).round() / scale - v).abs() <= 1e-9 * v.abs().max(1.0)
    })
}

/// What the numbers of a legend or label mean, hence how they are written.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Unit {
    /// Plain numbers: `1 234,5`.
    #[default]
    None,
    /// Shares in [0, 1], shown as percentages: 0.125 → `12,5 %`.
    Share,
    /// Values already in percent (0-100): 12.5 → `12,5 %`.
    Percent,
    /// Any other unit written after the number: `hab./km²` → `1 234 hab./km²`.
    Suffix(String),
}

/// How to write the numbers of labels: decimals and unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberFormat {
    /// Fixed number of decimals; `None` picks them from the values ([`break_decimals`]) and
    /// trims trailing zeros.
    pub decimals: Option<usize>,
    /// What the values are.
    pub unit: Unit,
}

impl NumberFormat {
    /// Plain numbers, smart decimals.
    pub fn plain() -> Self {
        NumberFormat::default()
    }

    /// Shares in [0, 1] shown as percentages, smart decimals.
    pub fn share() -> Self {
        NumberFormat {
            decimals: None,
            unit: Unit::Share,
        }
    }

    /// Values already in percent, smart decimals.
    pub fn percent() -> Self {
        NumberFormat {
            decimals: None,
            unit: Unit::Percent,
        }
    }

    /// Same format with a fixed number of decimals.
    pub fn with_decimals(mut self, decimals: usize) -> Self {
        self.decimals = Some(decimals);
        self
    }

    /// A value converted to the number that is displayed (×100 for shares).
    pub fn display_value(&self, x: f64) -> f64 {
        match self.unit {
            Unit::Share => x * 100.0,
            _ => x,
        }
    }

    /// The unit as written after a number, with its no-break space (`" %"`), or `""`.
    pub fn unit_suffix(&self) -> String {
        match &self.unit {
            Unit::None => String::new(),
            Unit::Share | Unit::Percent => format!("{NBSP}%"),
            Unit::Suffix(s) => format!("{NBSP}{s}"),
        }
    }

    /// Decimals to use for this set of values (sorted ascending, raw units).
    pub fn decimals_for(&self, values: &[f64]) -> usize {
        self.decimals.unwrap_or_else(|| {
            let shown: Vec<f64> = values.iter().map(|&v| self.display_value(v)).collect();
            break_decimals(&shown)
        })
    }

    /// One number without its unit, with `decimals` decimals (trailing zeros trimmed when the
    /// decimals are automatic).
    pub fn number(&self, x: f64, decimals: usize) -> String {
        let v = self.display_value(x);
        if self.decimals.is_some() {
            fr_number(v, decimals)
        } else {
            fr_trimmed(v, decimals)
        }
    }

    /// One number with its unit: `12,5 %`.
    pub fn value(&self, x: f64, decimals: usize) -> String {
        format!("{}{}", self.number(x, decimals), self.unit_suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(fr_number(1234.5, 1), "1\u{202F}234,5");
        assert_eq!(fr_number(1234567.0, 0), "1\u{202F}234\u{202F}567");
        assert_eq!(fr_number(999.0, 0), "999");
        // exact ties round to even, like R's round() and sprintf() (so like mapsf)
        assert_eq!(fr_number(0.125, 2), "0,12");
        assert_eq!(fr_number(3.5, 0), "4");
        assert_eq!(fr_number(-3.25, 1), "\u{2212}3,2");
        assert_eq!(fr_number(-0.04, 1), "0,0");
        assert_eq!(fr_number(-1000.0, 0), "\u{2212}1\u{202F}000");
        assert_eq!(fr_number(f64::INFINITY, 1), "∞");
        assert_eq!(fr_number(f64::NAN, 1), "n.d.");
        assert_eq!(fr_integer(34875), "34\u{202F}875");
        assert_eq!(fr_integer(-5), "\u{2212}5");
    }

    #[test]
    fn percent_and_trimmed() {
        assert_eq!(fr_percent(0.125, 1), "12,5\u{A0}%");
        assert_eq!(fr_percent(1.0, 0), "100\u{A0}%");
        assert_eq!(fr_percent(f64::NAN, 1), "n.d.");
        assert_eq!(fr_trimmed(20.0, 2), "20");
        assert_eq!(fr_trimmed(12.50, 2), "12,5");
        assert_eq!(fr_trimmed(1200.0, 0), "1\u{202F}200");
    }

    #[test]
    fn smart_decimals() {
        assert_eq!(break_decimals(&[0.0, 10.0, 20.0]), 0);
        assert_eq!(break_decimals(&[12.3456, 12.5, 20.0]), 1);
        assert_eq!(break_decimals(&[0.001, 0.002, 0.0035]), 3);
        assert_eq!(break_decimals(&[0.001, 0.0014]), 4);
        assert_eq!(break_decimals(&[5.0, 5.0, 6.0]), 0);
        assert_eq!(break_decimals(&[10.0, 12.5, 20.0]), 1); // 12.5 is not shown as "12"
        assert_eq!(break_decimals(&[1.0 / 3.0, 7.0, 20.0]), 0);
        assert_eq!(break_decimals(&[f64::NEG_INFINITY, 1.21, 1.24]), 2);
        let f = NumberFormat::share();
        let d = f.decimals_for(&[0.1, 0.125, 0.2]);
        assert_eq!(d, 1);
        assert_eq!(f.value(0.125, d), "12,5\u{A0}%");
        assert_eq!(f.value(0.2, d), "20\u{A0}%");
        let fixed = NumberFormat::plain().with_decimals(2);
        assert_eq!(fixed.value(3.0, fixed.decimals_for(&[])), "3,00");
    }
}
