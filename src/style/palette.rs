//! Colours and palettes: exact ColorBrewer k-class schemes (crate `colorous`; Cynthia Brewer,
//! Apache-2.0), viridis-family ramps, Okabe-Ito, diverging ramps centred on a chosen value,
//! and a colour-vision-deficiency check.

use std::fmt;
use std::str::FromStr;

use colorous::{Color, Gradient};

use crate::error::{Error, Result};

/// An sRGB colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb(pub u8, pub u8, pub u8);

/// CSS names accepted besides `#rrggbb` and `#rgb`.
const NAMED: [(&str, Rgb); 14] = [
    ("black", Rgb(0, 0, 0)),
    ("white", Rgb(255, 255, 255)),
    ("grey", Rgb(128, 128, 128)),
    ("gray", Rgb(128, 128, 128)),
    ("lightgrey", Rgb(211, 211, 211)),
    ("lightgray", Rgb(211, 211, 211)),
    ("darkgrey", Rgb(169, 169, 169)),
    ("darkgray", Rgb(169, 169, 169)),
    ("red", Rgb(255, 0, 0)),
    ("green", Rgb(0, 128, 0)),
    ("blue", Rgb(0, 0, 255)),
    ("yellow", Rgb(255, 255, 0)),
    ("orange", Rgb(255, 165, 0)),
    ("navy", Rgb(0, 0, 128)),
];

impl Rgb {
    /// `#rrggbb`, lower case.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG), 0 = black, 1 = white: picks dark or light text on a fill.
    pub fn luminance(self) -> f64 {
        let [r, g, b] = self.linear();
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// Black or white, whichever contrasts more with this fill (WCAG contrast ratio): the
    /// colour of a label drawn on it.
    pub fn readable_text(self) -> Rgb {
        // Contrast with black (L + 0.05) / 0.05 vs with white 1.05 / (L + 0.05): equal at L ≈ 0.179.
        if self.luminance() > 0.179 {
            Rgb(0, 0, 0)
        } else {
            Rgb(255, 255, 255)
        }
    }

    /// Channels in linear light, 0-1.
    fn linear(self) -> [f64; 3] {
        [self.0, self.1, self.2].map(|c| {
            let c = c as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
    }

    /// From linear light channels (clamped to 0-1).
    fn from_linear(c: [f64; 3]) -> Rgb {
        let [r, g, b] = c.map(|v| {
            let v = v.clamp(0.0, 1.0);
            let s = if v <= 0.003_130_8 {
                v * 12.92
            } else {
                1.055 * v.powf(1.0 / 2.4) - 0.055
            };
            (s * 255.0).round() as u8
        });
        Rgb(r, g, b)
    }

    /// CIE L*a*b* (D65), for colour differences.
    fn lab(self) -> [f64; 3] {
        let [r, g, b] = self.linear();
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// CIE76 colour difference ΔE*ab: about 2.3 is just noticeable; on a map, classes need
    /// far more to be matched with the legend.
    pub fn delta_e(self, other: Rgb) -> f64 {
        let (a, b) = (self.lab(), other.lab());
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// How a viewer with a full colour-vision deficiency sees this colour (Machado, Oliveira
    /// and Fernandes 2009, severity 1, applied in linear RGB).
    pub fn simulate(self, cvd: Cvd) -> Rgb {
        let m = cvd.matrix();
        let c = self.linear();
        Rgb::from_linear([0, 1, 2].map(|i| m[i][0] * c[0] + m[i][1] * c[1] + m[i][2] * c[2]))
    }

    /// Grey level as printed in black and white (luma), for the print style's check.
    pub fn grey(self) -> Rgb {
        let y =
            (0.299 * self.0 as f64 + 0.587 * self.1 as f64 + 0.114 * self.2 as f64).round() as u8;
        Rgb(y, y, y)
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl From<Color> for Rgb {
    fn from(c: Color) -> Self {
        Rgb(c.r, c.g, c.b)
    }
}

impl FromStr for Rgb {
    type Err = Error;

    /// `#rrggbb`, `#rgb` or a CSS name among a few (white, black, grey, lightgrey, ...).
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        let bad = || {
            let names: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
            Error::usage(format!("`{s}` is not a colour")).hint(format!(
                "write #rrggbb, #rgb, or one of {}",
                names.join(", ")
            ))
        };
        if let Some(hex) = t.strip_prefix('#') {
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad());
            }
            let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).map_err(|_| bad());
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
            return match hex.len() {
                6 => Ok(Rgb(byte(0)?, byte(2)?, byte(4)?)),
                3 => Ok(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
                _ => Err(bad()),
            };
        }
        NAMED
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(t))
            .map(|(_, c)| *c)
            .ok_or_else(bad)
    }
}

impl TryFrom<String> for Rgb {
    type Error = String;

    fn try_from(s: String) -> std::result::Result<Self, String> {
        s.parse().map_err(|e: Error| match e.hint {
            Some(h) => format!("{}: {h}", e.message),
            None => e.message,
        })
    }
}

impl From<Rgb> for String {
    fn from(c: Rgb) -> String {
        c.to_hex()
    }
}

/// A colour-vision deficiency (dichromacy) to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cvd {
    /// No L cones (about 1 % of men): reds darken and merge with greens.
    Protanopia,
    /// No M cones (about 1 % of men; anomalous trichromacy 5 % more): red-green confusion.
    Deuteranopia,
    /// No S cones (rare): blue-yellow confusion.
    Tritanopia,
}

impl Cvd {
    /// Machado 2009 matrices, severity 1.0.
    fn matrix(self) -> [[f64; 3]; 3] {
        match self {
            Cvd::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Cvd::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Cvd::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Cvd::Protanopia => "protanopia",
            Cvd::Deuteranopia => "deuteranopia",
            Cvd::Tritanopia => "tritanopia",
        }
    }
}

/// The family of a palette, which decides how it may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Light to dark: ordered values (shares, rates, densities).
    Sequential,
    /// Two hues around a neutral middle: values on either side of a reference.
    Diverging,
    /// Distinct hues without order: categories.
    Qualitative,
}

#[derive(Clone, Copy)]
enum Colours {
    /// Exact ColorBrewer tables for 3-9 (sequential) or 3-11 (diverging) classes, or a
    /// continuous ramp (viridis...) sampled evenly.
    Ramp(Gradient),
    /// A fixed list of distinct colours.
    Fixed(&'static [Color]),
}

struct Palette {
    name: &'static str,
    kind: Kind,
    /// Marked colourblind-safe by ColorBrewer (all its sequential schemes; BrBG, PiYG, PRGn,
    /// PuOr, RdBu, RdYlBu among diverging), or designed for it (viridis family, Okabe-Ito).
    cb_safe: bool,
    colours: Colours,
}

/// Okabe & Ito (2008), the qualitative palette that all dichromats can tell apart.
const OKABE_ITO: [Color; 8] = [
    Color {
        r: 0xe6,
        g: 0x9f,
        b: 0x00,
    },
    Color {
        r: 0x56,
        g: 0xb4,
        b: 0xe9,
    },
    Color {
        r: 0x00,
        g: 0x9e,
        b: 0x73,
    },
    Color {
        r: 0xf0,
        g: 0xe4,
        b: 0x42,
    },
    Color {
        r: 0x00,
        g: 0x72,
        b: 0xb2,
    },
    Color {
        r: 0xd5,
        g: 0x5e,
        b: 0x00,
    },
    Color {
        r: 0xcc,
        g: 0x79,
        b: 0xa7,
    },
    Color {
        r: 0x00,
        g: 0x00,
        b: 0x00,
    },
];

const fn seq(name: &'static str, g: Gradient) -> Palette {
    Palette {
        name,
        kind: Kind::Sequential,
        cb_safe: true,
        colours: Colours::Ramp(g),
    }
}
const fn div(name: &'static str, cb_safe: bool, g: Gradient) -> Palette {
    Palette {
        name,
        kind: Kind::Diverging,
        cb_safe,
        colours: Colours::Ramp(g),
    }
}
const fn qual(name: &'static str, cb_safe: bool, c: &'static [Color]) -> Palette {
    Palette {
        name,
        kind: Kind::Qualitative,
        cb_safe,
        colours: Colours::Fixed(c),
    }
}

const PALETTES: &[Palette] = &[
    seq("Blues", colorous::BLUES),
    seq("Greens", colorous::GREENS),
    seq("Greys", colorous::GREYS),
    seq("Oranges", colorous::ORANGES),
    seq("Purples", colorous::PURPLES),
    seq("Reds", colorous::REDS),
    seq("BuGn", colorous::BLUE_GREEN),
    seq("BuPu", colorous::BLUE_PURPLE),
    seq("GnBu", colorous::GREEN_BLUE),
    seq("OrRd", colorous::ORANGE_RED),
    seq("PuBuGn", colorous::PURPLE_BLUE_GREEN),
    seq("PuBu", colorous::PURPLE_BLUE),
    seq("PuRd", colorous::PURPLE_RED),
    seq("RdPu", colorous::RED_PURPLE),
    seq("YlGnBu", colorous::YELLOW_GREEN_BLUE),
    seq("YlGn", colorous::YELLOW_GREEN),
    seq("YlOrBr", colorous::YELLOW_ORANGE_BROWN),
    seq("YlOrRd", colorous::YELLOW_ORANGE_RED),
    seq("Viridis", colorous::VIRIDIS),
    seq("Cividis", colorous::CIVIDIS),
    seq("Magma", colorous::MAGMA),
    seq("Inferno", colorous::INFERNO),
    seq("Plasma", colorous::PLASMA),
    div("BrBG", true, colorous::BROWN_GREEN),
    div("PiYG", true, colorous::PINK_GREEN),
    div("PRGn", true, colorous::PURPLE_GREEN),
    div("PuOr", true, colorous::PURPLE_ORANGE),
    div("RdBu", true, colorous::RED_BLUE),
    div("RdYlBu", true, colorous::RED_YELLOW_BLUE),
    div("RdGy", false, colorous::RED_GREY),
    div("RdYlGn", false, colorous::RED_YELLOW_GREEN),
    div("Spectral", false, colorous::SPECTRAL),
    qual("OkabeIto", true, &OKABE_ITO),
    qual("Set2", false, &colorous::SET2),
    qual("Dark2", false, &colorous::DARK2),
    qual("Set1", false, &colorous::SET1),
    qual("Set3", false, &colorous::SET3),
    qual("Paired", false, &colorous::PAIRED),
    qual("Pastel1", false, &colorous::PASTEL1),
    qual("Pastel2", false, &colorous::PASTEL2),
    qual("Accent", false, &colorous::ACCENT),
    qual("Tableau10", false, &colorous::TABLEAU10),
    qual("Category10", false, &colorous::CATEGORY10),
];

/// Names of all palettes, for help texts and error messages.
pub fn names() -> Vec<&'static str> {
    PALETTES.iter().map(|p| p.name).collect()
}

/// A palette name with its modifiers: `-Blues` or `Blues:rev` reversed, `Greys:trim` without
/// its lightest colour.
struct Spec {
    palette: &'static Palette,
    reversed: bool,
    trim: bool,
}

fn find(spec: &str) -> Result<Spec> {
    let s = spec.trim();
    let (s, mut reversed) = match s.strip_prefix('-') {
        Some(rest) => (rest.trim(), true),
        None => (s, false),
    };
    let mut parts = s.split(':');
    let name = parts.next().unwrap_or_default().trim();
    let mut trim = false;
    for modifier in parts {
        match modifier.trim().to_ascii_lowercase().as_str() {
            "rev" | "reverse" => reversed = true,
            "trim" => trim = true,
            other => {
                return Err(Error::usage(format!(
                    "unknown palette modifier `:{other}` in `{spec}`"
                ))
                .hint("modifiers are :rev (reverse) and :trim (drop the lightest colour)"));
            }
        }
    }
    let palette = PALETTES.iter().find(|p| p.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
        Error::usage(format!("unknown palette `{name}`")).hint(format!(
            "choose one of {} (prefix with - or add :rev to reverse, :trim to drop the lightest colour)",
            names().join(", ")
        ))
    })?;
    if trim && palette.kind != Kind::Sequential {
        return Err(Error::usage(format!(
            "`:trim` applies to sequential palettes, not {}",
            palette.name
        )));
    }
    Ok(Spec {
        palette,
        reversed,
        trim,
    })
}

/// Family of a palette (`-Blues` and `Blues:rev` included).
pub fn kind(spec: &str) -> Result<Kind> {
    find(spec).map(|s| s.palette.kind)
}

/// True when the palette is marked or designed colourblind-safe; the default styles only use
/// such palettes. Unknown names are not safe.
pub fn colorblind_safe(spec: &str) -> bool {
    find(spec).is_ok_and(|s| s.palette.cb_safe)
}

/// `k` colours of the palette `spec`, light to dark for sequential schemes. `-Blues` or
/// `Blues:rev` reverses it; `Greys:trim` drops the lightest colour (takes k + 1, keeps the
/// darkest k), so that the first class stays distinct from white paper and white no-data.
/// ColorBrewer schemes are the exact published k-class tables for 3 ≤ k ≤ 9 (11 for
/// diverging); beyond, the scheme is interpolated. Qualitative palettes have a fixed number
/// of colours.
pub fn palette(spec: &str, k: usize) -> Result<Vec<Rgb>> {
    let Spec {
        palette: p,
        reversed,
        trim,
    } = find(spec)?;
    if k == 0 {
        return Err(Error::usage("a palette needs at least one colour"));
    }
    let mut colours: Vec<Rgb> = match p.colours {
        Colours::Ramp(g) => {
            let n = k + usize::from(trim);
            (n - k..n).map(|i| g.eval_rational(i, n).into()).collect()
        }
        Colours::Fixed(list) => {
            if k > list.len() {
                return Err(Error::usage(format!(
                    "palette {} has {} colours, {k} needed",
                    p.name,
                    list.len()
                ))
                .hint("use fewer categories or a palette with more colours (Set3, Paired: 12)"));
            }
            list[..k].iter().map(|&c| c.into()).collect()
        }
    };
    if reversed {
        colours.reverse();
    }
    Ok(colours)
}

/// Warnings for colours that a viewer with a colour-vision deficiency (protanopia,
/// deuteranopia, tritanopia) could not tell apart: adjacent classes when `ordered`, every
/// pair otherwise. Two colours count as indistinguishable below [`MIN_DELTA_E`].
pub fn cvd_warnings(colours: &[Rgb], ordered: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    for cvd in [Cvd::Deuteranopia, Cvd::Protanopia, Cvd::Tritanopia] {
        let sim: Vec<Rgb> = colours.iter().map(|c| c.simulate(cvd)).collect();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for i in 0..sim.len() {
            let others = if ordered {
                i + 1..(i + 2).min(sim.len())
            } else {
                i + 1..sim.len()
            };
            for j in others {
                if sim[i].delta_e(sim[j]) < MIN_DELTA_E
                    && colours[i].delta_e(colours[j]) >= MIN_DELTA_E
                {
                    pairs.push((i + 1, j + 1));
                }
            }
        }
        if !pairs.is_empty() {
            let list: Vec<String> = pairs.iter().map(|(a, b)| format!("{a} and {b}")).collect();
            warnings.push(format!(
                "with {}, classes {} look alike; choose a colourblind-safe palette (Blues, YlGnBu, Viridis, RdBu, PuOr, OkabeIto...)",
                cvd.name(),
                list.join(", ")
            ));
        }
    }
    warnings
}

/// Smallest CIE76 difference between two classes' colours for [`cvd_warnings`].
pub const MIN_DELTA_E: f64 = 6.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(c: &[Rgb]) -> Vec<String> {
        c.iter().map(|c| c.to_hex()).collect()
    }

    #[test]
    fn exact_colorbrewer() {
        assert_eq!(
            hex(&palette("Blues", 5).unwrap()),
            ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
        );
        assert_eq!(
            hex(&palette("-Blues", 3).unwrap()),
            ["#3182bd", "#9ecae1", "#deebf7"]
        );
        assert_eq!(
            palette("blues:rev", 3).unwrap(),
            palette("-Blues", 3).unwrap()
        );
        assert_eq!(
            hex(&palette("RdBu", 5).unwrap()),
            ["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"]
        );
        assert_eq!(
            palette("OkabeIto", 2).unwrap(),
            [Rgb(0xe6, 0x9f, 0), Rgb(0x56, 0xb4, 0xe9)]
        );
        assert!(palette("Set2", 9).is_err());
        // :trim keeps the darkest k of k + 1.
        assert_eq!(
            palette("Greys:trim", 3).unwrap(),
            palette("Greys", 4).unwrap()[1..].to_vec()
        );
        assert_eq!(
            palette("-Greys:trim", 3).unwrap()[0],
            palette("Greys", 4).unwrap()[3]
        );
        assert_eq!(
            palette("Greys:rev:trim", 3).unwrap(),
            palette("-Greys:trim", 3).unwrap()
        );
        assert!(palette("RdBu:trim", 3).is_err());
        assert!(palette("Blues:dark", 3).is_err());
        assert!(
            palette("Bleus", 5)
                .unwrap_err()
                .hint
                .unwrap()
                .contains("YlOrRd")
        );
    }

    #[test]
    fn parse_colours() {
        assert_eq!("#08519c".parse::<Rgb>().unwrap(), Rgb(8, 81, 156));
        assert_eq!("#fA0".parse::<Rgb>().unwrap(), Rgb(255, 170, 0));
        assert_eq!("White".parse::<Rgb>().unwrap(), Rgb(255, 255, 255));
        assert!("#12345".parse::<Rgb>().is_err());
        assert!("#ggg".parse::<Rgb>().is_err());
        assert!("#é12".parse::<Rgb>().is_err());
        assert_eq!(Rgb(8, 81, 156).to_hex(), "#08519c");
        assert_eq!(Rgb(8, 81, 156).readable_text(), Rgb(255, 255, 255));
        assert_eq!(Rgb(0xff, 0xff, 0xb2).readable_text(), Rgb(0, 0, 0));
    }

    #[test]
    fn safe_palettes_pass_the_simulation() {
        // Every palette marked safe stays distinguishable for dichromats up to 5 classes; the
        // default ones up to 9. Machado severity 1 is strict: at 8-9 classes some light ends
        // of ColorBrewer schemes merge for tritanopes, which the warning then reports.
        for p in PALETTES.iter().filter(|p| p.cb_safe) {
            for k in 3..=5 {
                let w = cvd_warnings(&palette(p.name, k).unwrap(), p.kind != Kind::Qualitative);
                assert!(w.is_empty(), "{} {k}: {w:?}", p.name);
            }
        }
        for name in ["YlOrRd", "Greys", "-RdBu", "Viridis", "Cividis"] {
            for k in 3..=9 {
                assert!(
                    cvd_warnings(&palette(name, k).unwrap(), true).is_empty(),
                    "{name} {k}"
                );
            }
        }
        assert!(!cvd_warnings(&palette("RdYlGn", 6).unwrap(), true).is_empty());
        assert!(!cvd_warnings(&palette("Tableau10", 5).unwrap(), false).is_empty());
        assert!(cvd_warnings(&palette("OkabeIto", 8).unwrap(), false).is_empty());
    }

    #[test]
    fn colourblind_checks() {
        assert!(
            colorblind_safe("YlGnBu") && colorblind_safe("-RdBu") && colorblind_safe("Viridis")
        );
        assert!(!colorblind_safe("RdYlGn") && !colorblind_safe("Set1") && !colorblind_safe("nope"));
        // Pure red and green merge for deuteranopes; safe sequential schemes raise nothing.
        let w = cvd_warnings(&[Rgb(200, 60, 40), Rgb(90, 140, 40)], true);
        assert!(w.iter().any(|w| w.contains("deuteranopia")), "{w:?}");
        for name in ["Blues", "YlOrRd", "YlGnBu", "Viridis", "RdBu", "PuOr"] {
            let w = cvd_warnings(&palette(name, 7).unwrap(), true);
            assert!(w.is_empty(), "{name}: {w:?}");
        }
    }
}
