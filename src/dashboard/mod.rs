//! The interactive dashboard: one self-contained HTML page (no server, no network) where a
//! reader picks a measure, a level and an actor, reads every territory's estimate and opens
//! its profile.
//!
//! Everything the page shows is computed here, in Rust, with the same calls as the other
//! commands, so that the page cannot disagree with them: survey figures are the rows of
//! `phare stats` ([`aggregate::rows`], gaps to the parent included); classes and colours are
//! those `phare map` draws (the style's method, class count and palette over the territories
//! of the extent whose sample suffices); maps are the frames of `phare map` pages, composed
//! without header, legend or footer and serialised by the SVG backend, one `<path id="CODE">`
//! per territory. The page's script only looks values up.

pub mod page;
pub mod panel;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregate::{self, Flag, Measure, Reference, Row, RowOptions};
use crate::boundaries::Boundaries;
use crate::classify::classify;
use crate::compose::look::rgba;
use crate::compose::map::{MapSpec, Parts, Within, compose};
use crate::format::NumberFormat;
use crate::profile::IndicatorSet;
use crate::render::layout::Rect;
use crate::render::scene::Scene;
use crate::render::svg::{SvgOptions, render_svg_with};
use crate::style::Style;
use crate::survey::Actor;
use crate::survey::join::{Joined, JoinedIndicators};
use crate::values::{self, BoundaryIndicator, Datum, MapData};
use crate::{Error, Level, Result, Setting};

/// What the dashboard is built from, besides the boundaries.
pub struct Inputs<'a> {
    /// Survey respondents placed in their communes.
    pub joined: &'a [Joined],
    /// Where the survey comes from, for the source line (`enquête PHARE (answers.csv)`).
    pub survey_source: String,
    /// A commune indicator file, joined: each column becomes a measure.
    pub indicators: Option<IndicatorInput<'a>>,
}

/// A joined indicator file and what the reader needs to know about it.
pub struct IndicatorInput<'a> {
    /// The joined rows.
    pub joined: &'a JoinedIndicators,
    /// Per column: true when it holds counts, which may be summed to départements and régions.
    pub additive: &'a [bool],
    /// File name, for the source line.
    pub source: String,
}

/// How the dashboard is drawn.
#[derive(Debug, Clone)]
pub struct Options {
    /// Map style: palette, class method and count, colours, hatching.
    pub style: Style,
    /// Estimates from fewer respondents are flagged `insufficient` and hatched.
    pub min_n: usize,
    /// The extent of the commune level (communes of one région or département).
    pub within: Within,
    /// Side of the map pages, px (the SVG scales to the window; this fixes the detail).
    pub size: u32,
}

/// The data embedded in the page, as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// Page title.
    pub title: String,
    /// True when the survey holds synthetic rows: the page says « Données simulées ».
    pub synthetic: bool,
    /// Source lines, French.
    pub sources: Vec<String>,
    /// Vintage line, French.
    pub vintage: String,
    /// Respondents joined to a commune.
    pub respondents: usize,
    /// Minimum n of the `ok` flag.
    pub min_n: usize,
    /// The extent of the commune level, `reg:84`, and its name.
    pub within: [String; 2],
    /// Actor choices, present or not in the data.
    pub actors: Vec<ActorEntry>,
    /// Région, département and commune levels with their territories.
    pub levels: Vec<LevelEntry>,
    /// Every measure a reader can pick.
    pub measures: Vec<MeasureEntry>,
    /// Estimates and classes by [`series_key`].
    pub series: BTreeMap<String, Series>,
    /// The territories' profiles (side panel), as `phare profile` computes them.
    pub profiles: panel::Profiles,
    /// Colour and legend label of territories without data.
    pub no_data: [String; 2],
    /// Legend label of hatched territories (« Échantillon insuffisant (n eff. < 30) »).
    pub small_sample: String,
    /// Hatching colours, background (or `none`) and lines, for the legend's swatch.
    pub hatch: [String; 2],
}

/// One actor choice.
#[derive(Debug, Clone, Serialize)]
pub struct ActorEntry {
    /// `all`, `maire`, `citoyen`, `entreprise` or `association`.
    pub key: &'static str,
    /// French label.
    pub label: &'static str,
    /// Respondents of this actor (0: the choice is shown disabled).
    pub respondents: usize,
}

/// One level with its territories (for communes, those of the extent).
#[derive(Debug, Clone, Serialize)]
pub struct LevelEntry {
    /// `region`, `departement` or `commune`.
    pub key: &'static str,
    /// French label.
    pub label: String,
    /// Territories in code order: `[code, name, parent code]` (parent `FR` for régions).
    pub territories: Vec<[String; 3]>,
}

/// One measure.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureEntry {
    /// `q4:oui`, `frag_emploi:mean`, or `ind:<column>` for indicators.
    pub key: String,
    /// French label.
    pub label: String,
    /// Menu group: « Q4 co-construction », « Fragilités »...
    pub group: &'static str,
    /// `share` (0-1, shown in %), `mean` (0-10) or `plain`.
    pub unit: &'static str,
    /// Survey measure (per actor, with n and intervals) or indicator (one value).
    pub survey: bool,
    /// Legend title.
    pub legend: String,
}

/// Estimates of one measure at one level for one actor, with the classes `phare map` draws.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Classes, lowest first.
    pub classes: Vec<ClassEntry>,
    /// Classification method in French (« quantiles »), empty without classes.
    pub method: String,
    /// Territories ranked (those with an `ok` value).
    pub ranked: usize,
    /// Cells by territory code (France is `FR`); territories without respondents are absent.
    pub cells: BTreeMap<String, Cell>,
    /// The classifier's warnings (fewer classes than asked...), as `phare map` reports them;
    /// left out of the page's JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One class of the legend.
#[derive(Debug, Clone, Serialize)]
pub struct ClassEntry {
    /// Colour `#rrggbb`.
    pub color: String,
    /// French label, as on the static map.
    pub label: String,
    /// Territories in the class.
    pub count: usize,
}

/// One territory's figure. Serialised as a JSON array, trailing nulls dropped (the page holds
/// tens of thousands), numbers rounded to 6 decimals and written without `.0` when whole, the
/// flag as 0 (`ok`), 1 (`insufficient`) or 2 (`empty`), the significance as 0 or 1:
/// `[value, flag, class, rank, n, ci_low, ci_high, gap, gap_significant, n_eff]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Share 0-1, mean 0-10 or indicator value.
    pub value: Option<f64>,
    /// `ok` or `insufficient`.
    pub flag: Flag,
    /// Class index in [`Series::classes`] (only for `ok` values).
    pub class: Option<usize>,
    /// Rank, 1 = highest, among the `ok` values of the level (and extent).
    pub rank: Option<usize>,
    /// Respondents in the base (survey measures).
    pub n: Option<usize>,
    /// Kish effective size of the base, which sets the `insufficient` flag.
    pub n_eff: Option<f64>,
    /// Lower bound of the 95 % interval.
    pub ci_low: Option<f64>,
    /// Upper bound of the 95 % interval.
    pub ci_high: Option<f64>,
    /// Gap to the parent territory, in points (percentage points for shares).
    pub gap: Option<f64>,
    /// The gap is significant at 95 %.
    pub gap_significant: Option<bool>,
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde_json::Value;
        let num = |x: Option<f64>| {
            x.map_or(Value::Null, |x| {
                let x = round6(x);
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    Value::from(x as i64)
                } else {
                    Value::from(x)
                }
            })
        };
        let flag = match self.flag {
            Flag::Ok => 0,
            Flag::Insufficient => 1,
            Flag::Empty => 2,
        };
        let mut v = vec![
            num(self.value),
            Value::from(flag),
            self.class.map_or(Value::Null, Value::from),
            self.rank.map_or(Value::Null, Value::from),
            self.n.map_or(Value::Null, Value::from),
            num(self.ci_low),
            num(self.ci_high),
            num(self.gap),
            self.gap_significant
                .map_or(Value::Null, |g| Value::from(u8::from(g))),
            num(self.n_eff.map(|x| (x * 10.0).round() / 10.0)),
        ];
        while v.last() == Some(&Value::Null) {
            v.pop();
        }
        v.serialize(s)
    }
}

/// Key of a series: `level|measure|actor` (indicators have no actor).
pub fn series_key(level: Level, measure: &str, actor: Option<&str>) -> String {
    format!("{}|{measure}|{}", level.as_str(), actor.unwrap_or(""))
}

const LEVELS: [Level; 3] = [Level::Region, Level::Departement, Level::Commune];

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn level_label(level: Level) -> &'static str {
    match level {
        Level::Region => "Régions",
        Level::Departement => "Départements",
        Level::Commune => "Communes",
    }
}

/// Computes everything the page shows.
pub fn build(b: &Boundaries, inputs: &Inputs, opts: &Options) -> Result<Dashboard> {
    let within_name = match &opts.within {
        Within::Region(r) => b.regions.get(r).map(|t| t.name.clone()),
        Within::Departement(d) => b.departements.get(d).map(|t| t.name.clone()),
    }
    .ok_or_else(|| {
        Error::usage(format!("no territory for the extent {}", opts.within))
            .hint("give a région (reg:84) or département (dep:69) code")
            .about(Setting::Extent)
    })?;
    let joined = inputs.joined;
    let synthetic = joined.iter().any(|j| j.respondent.synthetic);
    let count = |a: Actor| joined.iter().filter(|j| j.respondent.actor == a).count();
    let present: Vec<Actor> = Actor::ALL.into_iter().filter(|&a| count(a) > 0).collect();
    let mut actors = Vec::new();
    if present.len() > 1 {
        actors.push(ActorEntry {
            key: "all",
            label: "Tous les acteurs",
            respondents: joined.len(),
        });
    }
    actors.extend(Actor::ALL.iter().map(|&a| ActorEntry {
        key: a.key(),
        label: a.heading(),
        respondents: count(a),
    }));

    let levels: Vec<LevelEntry> = LEVELS
        .iter()
        .map(|&level| LevelEntry {
            key: level.as_str(),
            label: match level {
                Level::Commune => format!("Communes ({within_name})"),
                _ => level_label(level).to_string(),
            },
            territories: b
                .layer(level)
                .territories
                .iter()
                .filter(|t| level != Level::Commune || opts.within.contains(t))
                .map(|t| {
                    let parent = match level {
                        Level::Region => Some(aggregate::FRANCE.to_string()),
                        Level::Departement => t.region.clone(),
                        Level::Commune => t.departement.clone(),
                    };
                    [t.code.clone(), t.name.clone(), parent.unwrap_or_default()]
                })
                .collect(),
        })
        .collect();
    let in_level = |level: Level, code: &str| -> bool {
        level != Level::Commune
            || b.communes
                .get(code)
                .is_some_and(|t| opts.within.contains(t))
    };

    let style = &opts.style;
    let mut measures = Vec::new();
    let mut series = BTreeMap::new();
    let survey_measures = Measure::all();
    measures.extend(survey_measures.iter().map(survey_entry));
    // One subset per actor, and all actors together when there are several.
    let mut subsets: Vec<(&str, Vec<&Joined>)> = present
        .iter()
        .map(|&a| {
            (
                a.key(),
                joined.iter().filter(|j| j.respondent.actor == a).collect(),
            )
        })
        .collect();
    if present.len() > 1 {
        subsets.insert(0, ("all", joined.iter().collect()));
    }
    for level in LEVELS {
        let ropts = RowOptions {
            level,
            measures: survey_measures.clone(),
            min_n: opts.min_n,
            reference: Reference::Parent,
            by_actor: false,
        };
        for (actor, subset) in &subsets {
            // The `phare stats` table of this actor and level, all measures in one pass; its
            // rows come measure by measure, France first.
            let rows = aggregate::rows(subset, b.layer(level), &ropts);
            for (m, block) in survey_measures
                .iter()
                .zip(rows.chunk_by(|x, y| x.measure == y.measure))
            {
                let fmt = if m.is_share() {
                    NumberFormat::share()
                } else {
                    NumberFormat::plain()
                };
                let cells: Vec<(&str, Cell)> = block
                    .iter()
                    .filter(|r| r.flag != Flag::Empty)
                    .filter(|r| r.code == aggregate::FRANCE || in_level(level, &r.code))
                    .map(|r| (r.code.as_str(), row_cell(r)))
                    .collect();
                series.insert(
                    series_key(level, &m.to_string(), Some(actor)),
                    classed(cells, style, &fmt)?,
                );
            }
        }
    }

    // Indicators: from the boundaries, then the columns of an indicator file.
    let mut sources = Vec::new();
    let n = joined.len();
    sources.push(format!(
        "Source : {}, n = {} ; {}",
        inputs.survey_source,
        crate::format::fr_number(n as f64, 0),
        b.credit()
    ));
    let mut add_indicator = |key: String, per_level: Vec<(Level, MapData)>| -> Result<()> {
        let Some((_, first)) = per_level.first() else {
            return Ok(());
        };
        measures.push(MeasureEntry {
            key: key.clone(),
            label: first.title.clone(),
            group: "Indicateurs",
            unit: "plain",
            survey: false,
            legend: first.label.clone(),
        });
        for (level, data) in &per_level {
            let cells = data
                .values
                .iter()
                .filter(|(code, _)| in_level(*level, code))
                .filter_map(|(code, d)| d.value.map(|v| (code.as_str(), value_cell(v))))
                .collect();
            series.insert(
                series_key(*level, &key, None),
                classed(cells, style, &data.format)?,
            );
        }
        Ok(())
    };
    for indicator in BoundaryIndicator::ALL {
        let per_level = LEVELS
            .iter()
            .map(|&l| Ok((l, values::boundary_data(b, l, indicator)?)))
            .collect::<Result<Vec<_>>>()?;
        add_indicator(format!("ind:{}", indicator.name()), per_level)?;
    }
    sources.push(format!(
        "Indicateurs : {} ; superficies calculées en Lambert-93 (UTM outre-mer)",
        b.population_source()
    ));
    if let Some(ind) = &inputs.indicators {
        for column in &ind.joined.columns {
            // A rate cannot be summed to départements: such a column stays at commune level.
            let per_level = LEVELS
                .iter()
                .filter_map(|&l| {
                    let d =
                        values::column_data(b, ind.joined, ind.additive, l, column, &ind.source)
                            .ok()?;
                    if let Some(w) = values::partial_sums(b, ind.joined, column, l) {
                        eprintln!("warning: {w}");
                    }
                    Some((l, d))
                })
                .collect();
            add_indicator(format!("ind:{column}"), per_level)?;
        }
        sources.push(format!("Indicateurs : {}", ind.source));
    }

    let sets: Vec<IndicatorSet> = (inputs.indicators.iter())
        .map(|i| IndicatorSet {
            source: i.source.clone(),
            joined: i.joined.clone(),
            additive: i.additive.to_vec(),
        })
        .collect();
    let wave = joined.iter().find_map(|j| j.respondent.wave.clone());
    Ok(Dashboard {
        title: "PHARE : tableau de bord des territoires".to_string(),
        synthetic,
        sources,
        vintage: format!(
            "Millésimes : {} ; géographie COG 2026",
            wave.unwrap_or_else(|| "enquête PHARE".to_string())
        ),
        respondents: n,
        min_n: opts.min_n,
        within: [opts.within.to_string(), within_name],
        actors,
        levels,
        profiles: panel::profiles(b, joined, &sets, opts.min_n, &inputs.survey_source)?,
        measures,
        series,
        no_data: [style.no_data.colour.to_hex(), style.no_data.label.clone()],
        small_sample: style.small_sample_label(opts.min_n),
        hatch: [
            style
                .small_sample
                .background
                .map_or_else(|| "none".to_string(), |c| c.to_hex()),
            style.small_sample.colour.to_hex(),
        ],
    })
}

fn survey_entry(m: &Measure) -> MeasureEntry {
    MeasureEntry {
        key: m.to_string(),
        label: m.label(),
        group: match m {
            Measure::Share {
                question: aggregate::Question::Q4,
                ..
            } => "Q4 co-construction",
            Measure::Share { .. } => "Innovation",
            Measure::Mean { .. } => "Fragilités (score moyen /10)",
        },
        unit: if m.is_share() { "share" } else { "mean" },
        survey: true,
        legend: if m.is_share() {
            "Part des répondants"
        } else {
            "Score moyen (0 à 10)"
        }
        .to_string(),
    }
}

fn row_cell(r: &Row) -> Cell {
    Cell {
        value: r.value,
        flag: r.flag,
        class: None,
        rank: None,
        n: Some(r.n),
        n_eff: Some(r.n_eff),
        ci_low: r.ci_low,
        ci_high: r.ci_high,
        gap: r.gap,
        gap_significant: r.gap_significant,
    }
}

fn value_cell(v: f64) -> Cell {
    Cell {
        value: Some(v),
        flag: Flag::Ok,
        class: None,
        rank: None,
        n: None,
        n_eff: None,
        ci_low: None,
        ci_high: None,
        gap: None,
        gap_significant: None,
    }
}

/// Classes, colours and ranks of `cells`, as `phare map` draws them: the style's method,
/// class count and palette over the `ok` values of the extent (France excluded).
fn classed(cells: Vec<(&str, Cell)>, style: &Style, fmt: &NumberFormat) -> Result<Series> {
    let shown: Vec<f64> = cells
        .iter()
        .filter(|(code, c)| *code != aggregate::FRANCE && c.flag == Flag::Ok)
        .filter_map(|(_, c)| c.value)
        .collect();
    let mut sorted = shown.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let (cls, classes) = if shown.is_empty() {
        (None, Vec::new())
    } else {
        let cls = classify(&shown, &style.method, style.classes)?;
        let colors = style.class_colours(cls.len())?;
        let classes = cls
            .labels(fmt)
            .into_iter()
            .zip(&colors)
            .zip(&cls.classes)
            .map(|((label, c), k)| ClassEntry {
                color: c.to_hex(),
                label,
                count: k.count,
            })
            .collect();
        (Some(cls), classes)
    };
    let cells = cells
        .into_iter()
        .map(|(code, mut c)| {
            if let (Some(v), Flag::Ok, true) = (c.value, c.flag, code != aggregate::FRANCE) {
                c.class = cls.as_ref().and_then(|k| k.class_of(v));
                c.rank = Some(1 + sorted.partition_point(|&s| s > v));
            }
            (code.to_string(), c)
        })
        .collect();
    Ok(Series {
        method: cls
            .as_ref()
            .map_or_else(String::new, |c| c.method.name_fr().to_string()),
        ranked: shown.len(),
        classes,
        cells,
        warnings: cls.map_or_else(Vec::new, |c| c.warnings),
    })
}

/// One level's map: the frames of a `phare map` page (main, overseas insets, locator, with
/// the inset names), serialised by the SVG backend without static titles; title, legend
/// and source are the page's.
#[derive(Debug, Clone)]
pub struct MapSvg {
    /// The level drawn.
    pub level: Level,
    /// An `<svg>` element, one `<path id="CODE">` per territory, hatched until the page's
    /// script colours it; the hatch is the static maps' pattern `hatch-0`.
    pub svg: String,
}

/// Draws the three levels (communes within `opts.within`).
pub fn maps(b: &Boundaries, opts: &Options) -> Result<Vec<MapSvg>> {
    let mut style = opts.style.clone();
    style.set("layout.legend", "none")?;
    style.layout.scale_bar = false;
    let frames_only = Parts {
        header: false,
        footer: false,
    };
    LEVELS
        .iter()
        .map(|&level| {
            // Every territory hatched: the scene then carries the hatch pattern, and a
            // territory the script cannot colour reads as "not shown", never as a value.
            let values = b
                .layer(level)
                .territories
                .iter()
                .map(|t| {
                    let d = Datum {
                        insufficient: true,
                        ..Datum::default()
                    };
                    (t.code.clone(), d)
                })
                .collect();
            let data = MapData {
                level,
                values,
                title: String::new(),
                label: String::new(),
                format: NumberFormat::plain(),
                measure: String::new(),
                source: String::new(),
                credit: b.credit(),
                synthetic: false,
                n: None,
                inputs: Vec::new(),
                vintage: String::new(),
            };
            let spec = MapSpec {
                level,
                width: opts.size,
                height: opts.size,
                within: (level == Level::Commune).then(|| opts.within.clone()),
                min_n: opts.min_n as u64,
                ..MapSpec::default()
            };
            let map = compose(b, &data, &style, &spec, frames_only)?;
            let scene = Scene {
                width: spec.width as f32,
                height: spec.height as f32,
                background: rgba(style.colours.background),
                items: map.items,
                title: String::new(),
                description: String::new(),
            };
            let frames: Vec<Rect> = map.layout.frames().map(|f| f.rect).collect();
            Ok(MapSvg {
                level,
                svg: render_svg_with(&scene, &map_svg_options(&frames, level)),
            })
        })
        .collect()
}

/// The dashboard's map element: no static titles (the page's script writes its own
/// tooltips and labels), sized by the page, its `viewBox` the frames' bounding box.
fn map_svg_options(frames: &[Rect], level: Level) -> SvgOptions {
    let (x0, y0, x1, y1) = frames.iter().fold(
        (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
        |(a, b, c, d), r| (a.min(r.x), b.min(r.y), c.max(r.right()), d.max(r.bottom())),
    );
    let view_box = format!(
        "{:.1} {:.1} {:.1} {:.1}",
        x0 - 2.0,
        y0 - 2.0,
        x1 - x0 + 4.0,
        y1 - y0 + 4.0
    );
    let root = [
        ("class", "map".to_string()),
        ("data-level", level.as_str().to_string()),
        ("viewBox", view_box),
        ("role", "group".to_string()),
        (
            "aria-label",
            format!("Carte des {}", level_label(level).to_lowercase()),
        ),
    ];
    SvgOptions {
        titles: false,
        root: root.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_serialise_compactly() {
        let mut c = value_cell(1_234.567_891_23);
        c.class = Some(2);
        c.rank = Some(7);
        assert_eq!(
            serde_json::to_string(&c).ok().as_deref(),
            Some(r#"[1234.567891,0,2,7]"#)
        );
        let c = Cell {
            value: Some(0.5),
            flag: Flag::Insufficient,
            class: None,
            rank: None,
            n: Some(12),
            n_eff: Some(7.46),
            ci_low: Some(0.25),
            ci_high: Some(0.75),
            gap: Some(-3.2),
            gap_significant: Some(false),
        };
        assert_eq!(
            serde_json::to_string(&c).ok().as_deref(),
            Some(r#"[0.5,1,null,null,12,0.25,0.75,-3.2,0,7.5]"#)
        );
    }

    #[test]
    fn map_svg_has_no_titles_and_the_page_root() {
        let rects = [
            Rect::new(10.0, 20.0, 100.0, 50.0),
            Rect::new(5.0, 80.0, 20.0, 20.0),
        ];
        let scene = Scene {
            width: 200.0,
            height: 200.0,
            background: crate::render::scene::Rgba::rgb(255, 255, 255),
            items: vec![crate::render::scene::Item::Shape {
                id: Some("84".into()),
                title: Some("Auvergne-Rhône-Alpes (84) : x".into()),
                path: rects[0].path(),
                fill: None,
                stroke: None,
                bordered: false,
            }],
            title: "T".into(),
            description: "D".into(),
        };
        let svg = render_svg_with(&scene, &map_svg_options(&rects, Level::Region));
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" data-level=\"region\" \
             viewBox=\"3.0 18.0 109.0 84.0\" role=\"group\" aria-label=\"Carte des régions\" \
             font-family="
        ));
        assert!(!svg.contains("<title") && !svg.contains("<desc"), "{svg}");
        assert!(
            !svg.contains("width=\"200\""),
            "the page sizes the map: {svg}"
        );
        assert!(svg.contains("<path id=\"84\" d=\"M10 20"), "{svg}");
        assert!(svg.ends_with("</svg>\n"));
    }
}
