//! Map styles: palettes and colours ([`mod@palette`]), and the style files of `styles/`.
//!
//! A style is a TOML file. It only needs the keys it changes: the rest comes from the builtin
//! style named by `base` (default: `default`). Unknown keys are errors that name the line and
//! list the valid keys, so a typo never silently falls back to a default. Every key can also
//! be set from the command line with [`Style::set`] (`borders.departement.width=1.2`).
//!
//! Units: page size and margins in pixels; font sizes, line widths and hatch spacing in
//! points (1/72 inch), turned into pixels with `layout.dpi` ([`Style::px`]), so that one
//! style prints at the same physical size at any resolution.

pub mod palette;

pub use palette::{Cvd, Kind, Rgb, colorblind_safe, cvd_warnings, palette};

use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::classify::{LabelStyle, MAX_CLASSES, Method};
use crate::error::{Error, Result, Setting};

/// A complete map style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Palette of classed values: a sequential or diverging name, `-Name` or `Name:rev`
    /// reversed ([`palette::names`]).
    pub palette: String,
    /// Classification method: quantile, equal, jenks, stddev, headtail, manual:a,b,c.
    pub method: Method,
    /// Number of classes; absent = Sturges' rule capped at 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<usize>,
    /// Qualitative palette for categories other than survey answers (e.g. types of EPCI).
    pub categories: String,
    /// Page, text and furniture colours.
    pub colours: Colours,
    /// Colours of survey answers (« Oui, tout à fait » … « Ne sait pas »).
    pub answers: Answers,
    /// Territories without a value.
    pub no_data: NoData,
    /// Hatching over territories whose sample is too small to trust.
    pub small_sample: Hatching,
    /// Boundary lines, one per level.
    pub borders: Borders,
    /// Text sizes.
    pub fonts: Fonts,
    /// Legend wording.
    pub legend: Legend,
    /// Page and map furniture.
    pub layout: Layout,
}

/// Colours of the page and its furniture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Page.
    pub background: Rgb,
    /// Behind the map and inside inset boxes.
    pub sea: Rgb,
    /// Title, legend and labels.
    pub text: Rgb,
    /// Secondary text: source line, notes.
    pub muted: Rgb,
    /// Warnings printed on the map, e.g. « Données simulées ».
    pub warning: Rgb,
    /// Territories around the mapped extent (neighbours of a région or département map).
    pub context: Rgb,
    /// Highlight of the mapped extent in a locator.
    pub accent: Rgb,
}

/// Colours of the answer scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Diverging palette for the four answers, first colour = « Oui, tout à fait ».
    pub palette: String,
    /// Colour of « Ne sait pas », kept out of the scale.
    pub dont_know: Rgb,
}

/// Fill and legend label of territories without data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoData {
    /// Fill colour.
    pub colour: Rgb,
    /// Legend label, e.g. « Non renseigné ».
    pub label: String,
}

/// Hatching of small samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hatching {
    /// Fill under the hatching: a colour hides the unreliable value (honest default); absent,
    /// the hatching is drawn over the class colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Rgb>,
    /// Line colour.
    pub colour: Rgb,
    /// Line width, points.
    pub width: f64,
    /// Distance between lines, points.
    pub spacing: f64,
    /// Line angle in degrees, counter-clockwise from horizontal.
    pub angle: f64,
    /// Legend label; `{n}` is replaced by the threshold ([`Style::small_sample_label`]).
    pub label: String,
}

/// A line style.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stroke {
    /// Line colour.
    pub colour: Rgb,
    /// Line width, points (0 = not drawn).
    pub width: f64,
    /// Opacity 0-1 (default 1).
    #[serde(default = "opaque")]
    pub opacity: f64,
    /// Points: where the territories of a map frame are narrower than this on average, their
    /// lines get thinner in proportion, so that 35,000 commune outlines stay a light texture
    /// on a map of all France while each commune of a département map is clearly outlined.
    /// Absent: the width is fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fade_below: Option<f64>,
}

fn opaque() -> f64 {
    1.0
}

/// Boundary lines by level: hairline communes, thicker départements, thickest régions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Borders {
    /// Commune boundaries.
    pub commune: Stroke,
    /// Département boundaries.
    pub departement: Stroke,
    /// Région boundaries.
    pub region: Stroke,
    /// Frames of the overseas insets and of the Île-de-France zoom.
    pub inset: Stroke,
}

/// Text sizes in points; the font is always DejaVu Sans (embedded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    /// Map title.
    pub title: f64,
    /// Subtitle (question, population, date).
    pub subtitle: f64,
    /// Legend title.
    pub legend_title: f64,
    /// Legend class labels.
    pub legend: f64,
    /// Source and credits line.
    pub source: f64,
    /// Territory labels on the map.
    pub labels: f64,
}

/// Legend wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Legend {
    /// `words` ("de 12,5 à moins de 20 %") or `brackets` ("[12,5 ; 20[" plus a closure note).
    pub labels: LabelStyle,
    /// Show the number of territories of each class.
    pub counts: bool,
}

/// Where the legend goes. On a map of all France the legend shares a column with the
/// overseas insets, left or right of the mainland, at the column's top or bottom; on a
/// région or département map it goes over that corner of the map when it hides no territory
/// there, else over the next free corner, else in a column right of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegendPosition {
    /// Top left.
    TopLeft,
    /// Top right.
    TopRight,
    /// Bottom left (below the overseas insets on a map of France).
    BottomLeft,
    /// Bottom right.
    BottomRight,
    /// A column right of the map (with the overseas insets on a map of France).
    Right,
    /// No legend.
    None,
}

/// Which text labels territories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MapLabels {
    /// No labels.
    None,
    /// INSEE code.
    Code,
    /// Name.
    Name,
}

/// Page and map furniture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Page width, pixels.
    pub width: u32,
    /// Page height, pixels.
    pub height: u32,
    /// Resolution: pixels per inch, converts points to pixels.
    pub dpi: f64,
    /// Blank margin around the page, pixels.
    pub margin: u32,
    /// Legend position.
    pub legend: LegendPosition,
    /// Overseas départements in insets (else mainland only).
    pub insets: bool,
    /// Île-de-France zoom box.
    pub idf_zoom: bool,
    /// Scale bar (mainland).
    pub scale_bar: bool,
    /// Territory labels.
    pub labels: MapLabels,
}

/// The builtin styles, embedded so the binary works from any directory.
const BUILTIN: [(&str, &str); 3] = [
    ("default", include_str!("../../styles/default.toml")),
    ("print", include_str!("../../styles/print.toml")),
    (
        "presentation",
        include_str!("../../styles/presentation.toml"),
    ),
];

impl Default for Style {
    fn default() -> Self {
        match Style::builtin("default") {
            Ok(s) => s,
            Err(e) => unreachable!("the embedded default style is tested: {e}"),
        }
    }
}

impl Style {
    /// Names of the builtin styles.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// A builtin style: `default` (colourblind-safe YlOrRd), `print` (greys that survive a
    /// photocopy, strong hatching, A4 at 300 dpi), `presentation` (16:9, large text).
    pub fn builtin(name: &str) -> Result<Style> {
        let text = builtin_text(name)?;
        let path = format!("styles/{name}.toml (embedded)");
        let table = parse(text, &path)?;
        Style::from_tables(DeTable::default(), table, text, &path)
    }

    /// Reads a style file. It may set only some keys: the others come from the builtin style
    /// named by its `base` key (default `default`).
    pub fn load(path: impl AsRef<Path>) -> Result<Style> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        // Notepad saves UTF-8 with a byte-order mark, which TOML does not allow.
        Style::parse_str(text.strip_prefix('\u{feff}').unwrap_or(&text), path)
    }

    /// Parses style text as [`Style::load`] does; `path` is only used in messages.
    pub fn parse_str(text: &str, path: impl AsRef<Path>) -> Result<Style> {
        let path = path.as_ref().display().to_string();
        let mut user = parse(text, &path)?;
        let base_text = match user.get_mut().remove("base") {
            None => builtin_text("default")?,
            Some(v) => {
                let at = line_at(text, v.span());
                let DeValue::String(name) = v.get_ref() else {
                    return Err(Error::input(
                        &path,
                        "`base` must be a builtin style name in quotes",
                    )
                    .at(at)
                    .hint(format!(
                        "base = \"{}\"",
                        Style::builtin_names().join("\" or \"")
                    )));
                };
                builtin_text(name).map_err(|e| {
                    Error::input(&path, e.message)
                        .at(at)
                        .hint(e.hint.unwrap_or_default())
                })?
            }
        };
        let base = parse(base_text, "builtin")?;
        Style::from_tables(base.into_inner(), user, text, &path)
    }

    /// Merges `user` over `base`, deserialises and validates; errors point into `text`.
    fn from_tables<'a>(
        mut base: DeTable<'a>,
        user: Spanned<DeTable<'a>>,
        text: &str,
        path: &str,
    ) -> Result<Style> {
        let span = user.span();
        let user_table = user.get_ref().clone();
        merge(&mut base, user.into_inner());
        let style = Style::deserialize(toml::Deserializer::from(Spanned::new(span, base)))
            .map_err(|e| {
                let message = e.message().trim().to_string();
                let mut err = if message.starts_with("unknown field") {
                    Error::input(path, message).hint(
                        "a style file only needs the keys it changes; see styles/default.toml",
                    )
                } else {
                    Error::input(path, message)
                };
                if let Some(s) = e.span() {
                    err = err.at(line_at(text, s));
                }
                err
            })?;
        style.validate().map_err(|(key, msg)| {
            let user = Spanned::new(0..text.len(), user_table);
            let mut err = Error::input(path, format!("`{key}`: {msg}"));
            if let Some(at) = line_of_key(&user, text, &key) {
                err = err.at(at);
            }
            err
        })?;
        Ok(style)
    }

    /// Sets one key from the command line: `palette=Blues`, `classes=5` (`auto` removes an
    /// optional key), `borders.departement.width=1.2`, `no_data.colour=#eeeeee`. Works for
    /// every key, since it edits the TOML tree and deserialises it again.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let fail = |msg: String| {
            Error::usage(format!("cannot set `{key}`: {msg}"))
                .hint("keys are dotted TOML paths as in styles/default.toml, e.g. borders.departement.width=1.2")
        };
        let current = toml::to_string(self).map_err(|e| fail(e.to_string()))?;
        let mut root = parse(&current, "style")
            .map_err(|e| fail(e.message))?
            .into_inner();
        let parts: Vec<&str> = key.trim().split('.').map(str::trim).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(fail("empty key part".into()));
        }
        let (leaf, tables) = parts.split_last().ok_or_else(|| fail("empty key".into()))?;
        // `auto` / `none` first try removing the key, so optional keys (classes,
        // small_sample.background) return to their default; a required key keeps the text.
        if matches!(value.trim(), "auto" | "none") {
            let mut without = root.clone();
            if remove_at(&mut without, &parts) && self.replace_with(without).is_ok() {
                return Ok(());
            }
        }
        let mut table = &mut root;
        let mut walked = String::new();
        for part in tables {
            walked = if walked.is_empty() {
                part.to_string()
            } else {
                format!("{walked}.{part}")
            };
            let entry = table
                .entry(Spanned::new(0..0, part.to_string().into()))
                .or_insert_with(|| Spanned::new(0..0, DeValue::Table(DeTable::default())));
            table = match entry.get_mut() {
                DeValue::Table(t) => t,
                _ => return Err(fail(format!("`{walked}` is a value, not a table"))),
            };
        }
        let old = table.get(*leaf).map(|v| v.get_ref().clone());
        let v = value.trim();
        let given = match &old {
            Some(DeValue::String(_)) => DeValue::String(unquote(v).into()),
            _ => match DeValue::parse(v) {
                Ok(parsed) => parsed.into_inner(),
                Err(_) => DeValue::String(unquote(v).into()),
            },
        };
        let absent = old.is_none();
        table.insert(
            Spanned::new(0..0, leaf.to_string().into()),
            Spanned::new(0..0, given),
        );
        match self.replace_with(root) {
            // `none` on an optional key that is already absent: a known key (its type is
            // wrong, not its name), nothing to do.
            Err(m) if absent && matches!(v, "auto" | "none") && !m.starts_with("unknown field") => {
                Ok(())
            }
            r => r.map_err(fail),
        }
    }

    /// Deserialises and validates `root`, and makes it this style; the message on failure.
    fn replace_with(&mut self, root: DeTable<'_>) -> std::result::Result<(), String> {
        let style = Style::deserialize(toml::Deserializer::from(Spanned::new(0..0, root)))
            .map_err(|e| e.message().trim().to_string())?;
        style.validate().map_err(|(k, m)| format!("`{k}`: {m}"))?;
        *self = style;
        Ok(())
    }

    /// A `--style` argument: a builtin name (`default`, `print`, `presentation`) or a path to a
    /// TOML file.
    pub fn from_arg(arg: &str) -> Result<Style> {
        if BUILTIN
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(arg.trim()))
        {
            Style::builtin(arg)
        } else if looks_like_a_path(arg) {
            Style::load(arg)
        } else {
            Err(
                Error::usage(format!("no builtin style '{arg}' and no file of that name")).hint(
                    format!(
                        "builtin styles: {}; or the path of a TOML style file",
                        Style::builtin_names().join(", ")
                    ),
                ),
            )
        }
    }

    /// A `key=value` override ([`Style::set`]).
    pub fn set_pair(&mut self, pair: &str) -> Result<()> {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::usage(format!("`{pair}` is not key=value"))
                .hint("e.g. palette=Blues or borders.departement.width=1.2")
                .about(Setting::StyleOverride));
        };
        self.set(key, value)
    }

    /// The style as TOML text (all keys), e.g. to start a custom style file.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self)
            .map_err(|e| Error::usage(format!("cannot write the style as TOML: {e}")))
    }

    /// Points to pixels at the style's resolution.
    pub fn px(&self, points: f64) -> f32 {
        (points * self.layout.dpi / 72.0) as f32
    }

    /// The hatching legend label with the threshold on the effective sample size:
    /// « Échantillon insuffisant (n eff. < 30) ».
    pub fn small_sample_label(&self, min_n: usize) -> String {
        self.small_sample.label.replace("{n}", &min_n.to_string())
    }

    /// `k` class colours of the style's palette.
    pub fn class_colours(&self, k: usize) -> Result<Vec<Rgb>> {
        palette(&self.palette, k)
    }

    /// `k` colours for unordered categories, from the `categories` palette.
    pub fn category_colours(&self, k: usize) -> Result<Vec<Rgb>> {
        palette(&self.categories, k)
    }

    /// Five colours for the answer codes 1, 2, 3, 4 and 9, in that order.
    pub fn answer_colours(&self) -> Result<Vec<Rgb>> {
        let mut c = palette(&self.answers.palette, 4)?;
        c.push(self.answers.dont_know);
        Ok(c)
    }

    /// Things to tell the user about the style with `k` classes: a palette that is not
    /// colourblind-safe, classes that dichromats cannot tell apart, a no-data colour (or
    /// « Ne sait pas » colour) too close to a class colour to be told apart on the map.
    pub fn warnings(&self, k: usize) -> Vec<String> {
        let mut w = Vec::new();
        if !colorblind_safe(&self.palette) {
            w.push(format!("palette {} is not colourblind-safe", self.palette));
        }
        let confusable = |what: &str, c: Rgb, others: &[Rgb], w: &mut Vec<String>| {
            if let Some(i) = others
                .iter()
                .position(|o| o.delta_e(c) < palette::MIN_DELTA_E)
            {
                w.push(format!(
                    "{what} {c} looks like class {} ({}); pick a more distinct colour",
                    i + 1,
                    others[i]
                ));
            }
        };
        if let Ok(colours) = palette(&self.palette, k) {
            w.extend(cvd_warnings(&colours, true));
            confusable("no_data.colour", self.no_data.colour, &colours, &mut w);
        }
        if let Ok(answers) = palette(&self.answers.palette, 4) {
            confusable(
                "answers.dont_know",
                self.answers.dont_know,
                &answers,
                &mut w,
            );
            confusable(
                "no_data.colour (on answer maps)",
                self.no_data.colour,
                &answers,
                &mut w,
            );
            if self.no_data.colour.delta_e(self.answers.dont_know) < palette::MIN_DELTA_E {
                w.push(format!(
                    "no_data.colour {} and answers.dont_know {} look alike",
                    self.no_data.colour, self.answers.dont_know
                ));
            }
        }
        w
    }

    /// Checks values serde cannot: palette names, ranges. Returns (key, message).
    fn validate(&self) -> std::result::Result<(), (String, String)> {
        let err = |k: &str, m: String| Err((k.to_string(), m));
        match palette::kind(&self.palette) {
            Err(e) => {
                return err(
                    "palette",
                    format!("{} ({})", e.message, e.hint.unwrap_or_default()),
                );
            }
            Ok(Kind::Qualitative) => {
                return err(
                    "palette",
                    format!(
                        "{} is qualitative; classes need a sequential or diverging palette",
                        self.palette
                    ),
                );
            }
            Ok(_) => {}
        }
        if let Err(e) = palette::kind(&self.categories) {
            return err(
                "categories",
                format!("{} ({})", e.message, e.hint.unwrap_or_default()),
            );
        }
        if let Err(e) = palette(&self.answers.palette, 4) {
            return err(
                "answers.palette",
                format!("{} ({})", e.message, e.hint.unwrap_or_default()),
            );
        }
        if let Some(k) = self.classes
            && !(1..=MAX_CLASSES).contains(&k)
        {
            return err(
                "classes",
                format!("{k} classes: give 1 to {MAX_CLASSES}, or leave it out for Sturges' rule"),
            );
        }
        let positive: [(&str, f64); 9] = [
            ("small_sample.spacing", self.small_sample.spacing),
            ("fonts.title", self.fonts.title),
            ("fonts.subtitle", self.fonts.subtitle),
            ("fonts.legend_title", self.fonts.legend_title),
            ("fonts.legend", self.fonts.legend),
            ("fonts.source", self.fonts.source),
            ("fonts.labels", self.fonts.labels),
            ("layout.dpi", self.layout.dpi),
            ("small_sample.width", self.small_sample.width),
        ];
        if let Some((k, v)) = positive.iter().find(|(_, v)| !(v.is_finite() && *v > 0.0)) {
            return err(k, format!("{v} must be a positive number"));
        }
        let b = &self.borders;
        for (name, stroke) in [
            ("commune", b.commune),
            ("departement", b.departement),
            ("region", b.region),
            ("inset", b.inset),
        ] {
            if !(stroke.width.is_finite() && stroke.width >= 0.0) {
                return err(
                    &format!("borders.{name}.width"),
                    format!("{} must be 0 (no line) or more", stroke.width),
                );
            }
            if !(0.0..=1.0).contains(&stroke.opacity) {
                return err(
                    &format!("borders.{name}.opacity"),
                    format!("{} must be between 0 and 1", stroke.opacity),
                );
            }
            if let Some(f) = stroke.fade_below.filter(|f| !(f.is_finite() && *f > 0.0)) {
                return err(
                    &format!("borders.{name}.fade_below"),
                    format!("{f} must be a positive number of points"),
                );
            }
        }
        let l = &self.layout;
        if !(36.0..=1200.0).contains(&l.dpi) {
            return err("layout.dpi", format!("{} dpi: give 36 to 1200", l.dpi));
        }
        for (k, v) in [("layout.width", l.width), ("layout.height", l.height)] {
            if !(100..=20_000).contains(&v) {
                return err(k, format!("{v} px: give 100 to 20000"));
            }
        }
        if 4 * l.margin >= l.width.min(l.height) {
            return err(
                "layout.margin",
                format!(
                    "{} px leaves no room for the map on a {}×{} page",
                    l.margin, l.width, l.height
                ),
            );
        }
        Ok(())
    }
}

fn builtin_text(name: &str) -> Result<&'static str> {
    BUILTIN
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            Error::usage(format!("unknown builtin style `{name}`")).hint(format!(
                "choose {}, or give a .toml file",
                Style::builtin_names().join(", ")
            ))
        })
}

/// Parses TOML text into a spanned table; syntax errors name the line.
fn parse<'a>(text: &'a str, path: &str) -> Result<Spanned<DeTable<'a>>> {
    DeTable::parse(text).map_err(|e| {
        let mut err = Error::input(path, format!("not valid TOML: {}", e.message().trim()));
        if let Some(s) = e.span() {
            err = err.at(line_at(text, s));
        }
        err
    })
}

/// Recursively overlays `over` on `base`: tables merge, anything else replaces.
fn merge<'a>(base: &mut DeTable<'a>, over: DeTable<'a>) {
    for (key, value) in over {
        if let (Some(DeValue::Table(b)), DeValue::Table(_)) = (
            base.get_mut(key.get_ref().as_ref()).map(|v| v.get_mut()),
            value.get_ref(),
        ) {
            if let DeValue::Table(o) = value.into_inner() {
                merge(b, o);
            }
            continue;
        }
        base.insert(key, value);
    }
}

/// "line N" for a byte span of `text`.
fn line_at(text: &str, span: Range<usize>) -> String {
    let end = span.start.min(text.len());
    format!(
        "line {}",
        1 + text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    )
}

/// "line N" of a dotted key in the parsed user file, if the file sets it.
fn line_of_key(table: &Spanned<DeTable<'_>>, text: &str, key: &str) -> Option<String> {
    let mut current = table.get_ref();
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        let (k, v) = current.get_key_value(part)?;
        if parts.peek().is_none() {
            return Some(line_at(text, k.span()));
        }
        match v.get_ref() {
            DeValue::Table(t) => current = t,
            _ => return None,
        }
    }
    None
}

/// Removes the value at a dotted path; false when it is not there.
fn remove_at(table: &mut DeTable<'_>, path: &[&str]) -> bool {
    match path {
        [] => false,
        [leaf] => table.remove(*leaf).is_some(),
        [head, rest @ ..] => match table.get_mut(*head).map(|v| v.get_mut()) {
            Some(DeValue::Table(t)) => remove_at(t, rest),
            _ => false,
        },
    }
}

/// Removes surrounding double quotes, for `--set 'label="Non renseigné"'`.
fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(v)
}

/// Whether a `--style` argument names a file rather than a builtin style: it exists, or has
/// an extension or a folder (a misspelt builtin such as `nope` is then told the builtins).
fn looks_like_a_path(arg: &str) -> bool {
    let path = Path::new(arg);
    path.exists() || path.extension().is_some() || path.components().count() > 1
}
