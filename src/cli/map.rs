//! `phare map`: a choropleth of communes, départements or régions, to PNG, SVG or PDF, with
//! its JSON provenance sidecar (and a world file for PNG); `--by-actor` draws one panel per
//! actor type on shared classes instead.

use std::path::{Path, PathBuf};

use phare::aggregate::{Located, Measure};
use phare::atlas::Format;
use phare::classify::Method;
use phare::compose::map::{Labels, MapSpec, Within, build_scene};
use phare::compose::multiples::{self, Panel};
use phare::history::CogHistory;
use phare::style::{MapLabels, Style};
use phare::survey::Actor;
use phare::survey::join::{self, Joined};
use phare::survey::read::{ReadOptions, read_indicators};
use phare::survey::sample::{ActorChoice, Sample};
use phare::values::{self, MapData, Source};
use phare::{Error, Level};

use super::common::{BoundaryArgs, SurveyReadArgs, print_warnings};

/// What to map and how it looks: the options `phare map` and `phare atlas` share.
#[derive(Debug, clap::Args)]
pub struct MapOptions {
    #[command(flatten)]
    pub boundaries: BoundaryArgs,
    /// Level of the territories coloured: commune, departement or region (default: region
    /// for survey measures, commune for --indicators, departement for density, population
    /// and area).
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// What to map: density, population, area (from the boundaries), a column of
    /// --indicators, or a survey measure such as q4:oui (default, from --survey or the
    /// embedded synthetic sample).
    #[arg(long, value_name = "VALUE")]
    pub value: Option<String>,
    /// Survey file (CSV or spreadsheet, schema in docs/survey-schema.md); default: the embedded
    /// synthetic sample of mayors (« Données simulées »).
    #[arg(long, value_name = "FILE")]
    pub survey: Option<PathBuf>,
    #[command(flatten)]
    pub survey_rows: SurveyReadArgs,
    /// Whose answers: maire, citoyen, entreprise, association, or all to pool them on purpose
    /// (each answer keeps its survey's weight). Default: the mayors when the survey has them,
    /// else its only actor. Without --survey, other actors come from default synthetic samples.
    #[arg(long, value_name = "ACTOR|all", conflicts_with = "indicators")]
    pub actor: Option<ActorChoice>,
    /// Commune indicator file (CSV or spreadsheet): --value names one of its columns.
    #[arg(long, value_name = "FILE", conflicts_with = "survey")]
    pub indicators: Option<PathBuf>,
    /// Class method: quantile, equal, jenks, stddev, headtail, manual:0,10,50 (default: the
    /// style's).
    #[arg(long)]
    pub method: Option<Method>,
    /// Number of classes (default: the style's, else Sturges' rule, at most 7).
    #[arg(long)]
    pub classes: Option<usize>,
    /// Manual class breaks, all bounds, lowest to highest: 0,50,100,500 (overrides --method).
    #[arg(long, value_name = "B0,B1,...", value_parser = parse_breaks)]
    pub breaks: Option<Method>,
    /// Palette (default: the style's): YlOrRd, Blues, viridis, -RdBu (a leading '-'
    /// reverses it)...
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub palette: Option<String>,
    /// Style: a builtin name (default, print, presentation) or a TOML file.
    #[arg(long, value_name = "NAME|FILE", default_value = "default")]
    pub style: String,
    /// Style override, repeatable: --set borders.departement.width=1.2
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Map title (default: what the value is).
    #[arg(long)]
    pub title: Option<String>,
    /// Subtitle (default: level and extent).
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Data source for the source line (default: from the data's provenance).
    #[arg(long)]
    pub source: Option<String>,
    /// Territory labels (default: the style's).
    #[arg(long, value_enum)]
    pub labels: Option<Labels>,
    /// Page size in pixels: 3000 (square) or 3000x2400 (default: the style's).
    #[arg(long, value_name = "PX|WxH")]
    pub size: Option<String>,
    /// Resolution, with --width-cm: the page is width-cm at this many dots per inch.
    #[arg(long, requires = "width_cm")]
    pub dpi: Option<f32>,
    /// Physical width in centimetres (square page), with --dpi.
    #[arg(long, requires = "dpi")]
    pub width_cm: Option<f32>,
    /// Survey estimates whose effective sample size (Kish n eff.) is below this are hatched,
    /// never coloured.
    #[arg(long, default_value_t = 30)]
    pub min_n: u64,
}

/// Options of `phare map`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  phare map -o output/map.png
  phare map --level commune --value density --method quantile --classes 7 --size 3000 -o output/density.png
  phare map --level commune --value population --within reg:84 --labels name -o output/aura.svg
  phare map --actor citoyen --value frag_emploi:mean --level departement -o output/citoyens.png
  phare map --by-actor --value frag_emploi:mean -o output/actors.png")]
pub struct Args {
    #[command(flatten)]
    map: MapOptions,
    /// Draw one région or département only, with a locator: reg:84, dep:69 (default: all
    /// France).
    #[arg(long, value_name = "reg:CODE|dep:CODE")]
    within: Option<Within>,
    /// Île-de-France zoom box (default: on for commune maps of all France).
    #[arg(long, value_name = "BOOL")]
    idf_zoom: Option<bool>,
    /// Small multiples: one panel per actor type (maire, citoyen, entreprise, association)
    /// on the same classes, one legend. Needs a survey measure.
    #[arg(long, conflicts_with_all = ["actor", "indicators"])]
    by_actor: bool,
    /// Output file: .png, .svg or .pdf; a .json provenance sidecar is written beside it.
    #[arg(short, long, default_value = "output/map.png")]
    output: PathBuf,
}

/// Reads `--breaks 0,50,100` as the manual method.
fn parse_breaks(list: &str) -> phare::Result<Method> {
    format!("manual:{list}").parse()
}

/// Survey answers joined to communes, with what the source line and sidecar say of them.
pub struct Survey {
    /// Respondents placed in their communes.
    pub joined: Vec<Joined>,
    /// Source line text.
    pub source: String,
    /// Input files.
    pub inputs: Vec<String>,
    /// The one actor whose answers were kept (`None`: several, pooled or apart).
    pub actor: Option<Actor>,
    /// The reader's and the join's warnings, for stderr and the sidecar.
    pub warnings: Vec<String>,
}

impl MapOptions {
    /// The files read: boundaries, survey, indicators.
    pub fn input_files(&self) -> impl Iterator<Item = Option<&Path>> {
        let data = [self.survey.as_deref(), self.indicators.as_deref()];
        self.boundaries.files().into_iter().chain(data)
    }

    /// The style with --style, --set and --palette applied.
    pub fn style(&self) -> phare::Result<Style> {
        let mut style = Style::from_arg(&self.style)?;
        for pair in &self.set {
            style.set_pair(pair)?;
        }
        if let Some(p) = &self.palette {
            style.set("palette", p)?;
        }
        Ok(style)
    }

    /// Page size in pixels: --dpi with --width-cm, else --size, else the style's.
    pub fn page_size(&self, style: &Style) -> phare::Result<(u32, u32)> {
        if let (Some(dpi), Some(cm)) = (self.dpi, self.width_cm) {
            let px = (cm / 2.54 * dpi).round();
            if !(200.0..=20000.0).contains(&px) {
                return Err(Error::usage(format!("{cm} cm at {dpi} dpi gives {px} px"))
                    .hint("choose 200 to 20000 px"));
            }
            return Ok((px as u32, px as u32));
        }
        let Some(s) = &self.size else {
            return Ok((style.layout.width, style.layout.height));
        };
        let parse = |v: &str| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|p| (200..=20000).contains(p))
        };
        let (w, h) = match s.split_once(['x', 'X']) {
            Some((w, h)) => (parse(w), parse(h)),
            None => (parse(s), parse(s)),
        };
        match (w, h) {
            (Some(w), Some(h)) => Ok((w, h)),
            _ => Err(Error::usage(format!("bad --size '{s}'"))
                .hint("give pixels from 200 to 20000: 3000 or 3000x2400")),
        }
    }

    /// What --value names: a column of --indicators, a boundary indicator, or a survey measure
    /// (default q4:oui).
    pub fn source(&self) -> phare::Result<Source> {
        match &self.value {
            Some(v) => Source::parse(v, self.indicators.is_some()),
            None if self.indicators.is_some() => {
                Err(Error::usage("--indicators needs --value COLUMN")
                    .hint("name the column to map"))
            }
            None => "q4:oui".parse().map(Source::Survey),
        }
    }

    /// Reads and joins the survey (--survey, or the embedded synthetic samples), keeping
    /// the respondents of --actor (the default rule of [`Sample`]), or of every actor, kept
    /// apart, with `all_actors`.
    pub fn survey(
        &self,
        b: &phare::boundaries::Boundaries,
        all_actors: bool,
    ) -> anyhow::Result<Survey> {
        let opts = self.survey_rows.options(false);
        let choice = if all_actors {
            ActorChoice::Apart
        } else {
            self.actor.unwrap_or_default()
        };
        let sample = Sample::load(self.survey.as_deref(), choice, &b.communes, &opts)?;
        let inputs = vec![sample.file.input()];
        let source = sample.source();
        let actor = sample.actor();
        let (joined, warnings) = super::stats::join_survey(sample, &b.communes)?;
        Ok(Survey {
            joined,
            source,
            inputs,
            actor,
            warnings,
        })
    }

    /// The values of `source` to map at `level`, resolved once for the whole map or atlas;
    /// the warnings of reading and joining go to `warnings` (the caller prints them and puts
    /// them in the sidecar).
    pub fn map_data(
        &self,
        b: &phare::boundaries::Boundaries,
        level: Level,
        source: &Source,
        warnings: &mut Vec<String>,
    ) -> anyhow::Result<MapData> {
        match source {
            Source::Boundary(indicator) => Ok(values::boundary_data(b, level, *indicator)?),
            Source::Column(column) => {
                let Some(path) = &self.indicators else {
                    return Err(Error::usage(format!("'{column}' is a column name"))
                        .hint("give the indicator file with --indicators FILE")
                        .into());
                };
                let table = read_indicators(path, &ReadOptions::default())?;
                warnings.extend(table.warnings.iter().map(ToString::to_string));
                // Values of the mapped column set aside (secret, not available) are drawn as
                // « non renseigné »: the reader's note on them is the map's warning too.
                warnings.extend(
                    (table.notes.iter())
                        .filter(|n| n.column.as_deref() == Some(column.as_str()))
                        .map(|n| format!("{}: column '{column}': {}", n.path.display(), n.message)),
                );
                let (joined, report) =
                    join::join_indicators(&table, &b.communes, CogHistory::embedded());
                eprintln!(
                    "{}: {} of {} rows joined",
                    path.display(),
                    report.matched,
                    report.rows
                );
                super::common::check_joined(path, &report)?;
                warnings.extend(super::common::join_warnings(path, &report));
                let file = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let data = values::column_data(b, &joined, &table.additive, level, column, &file)?;
                warnings.extend(values::partial_sums(b, &joined, column, level));
                Ok(data)
            }
            Source::Survey(measure) => {
                let mut s = self.survey(b, false)?;
                warnings.append(&mut s.warnings);
                let data = values::survey_data(
                    b,
                    &s.joined,
                    level,
                    measure,
                    self.min_n_usize(),
                    &s.source,
                    s.inputs.clone(),
                );
                let who = s.actor.map_or("respondent", Actor::plural);
                warnings.extend(unanswered(who, measure, data.n));
                warnings.extend(self.coarser_level(b, &s.joined, level, measure, &data));
                Ok(data)
            }
        }
    }

    /// When answers exist but no territory at `level` has --min-n of them, names the
    /// coarser levels that have some (commune → département → région).
    fn coarser_level<J: Located + Sync>(
        &self,
        b: &phare::boundaries::Boundaries,
        joined: &[J],
        level: Level,
        measure: &Measure,
        data: &MapData,
    ) -> Option<String> {
        let shown = |d: &MapData| {
            d.values
                .values()
                .any(|v| !v.insufficient && v.value.is_some())
        };
        if data.n.unwrap_or(0) == 0 || shown(data) {
            return None;
        }
        let coarser: &[Level] = match level {
            Level::Commune => &[Level::Departement, Level::Region],
            Level::Departement => &[Level::Region],
            Level::Region => &[],
        };
        let enough = coarser.iter().find_map(|&l| {
            let d = values::survey_data(b, joined, l, measure, self.min_n_usize(), "", Vec::new());
            let count = d
                .values
                .values()
                .filter(|v| !v.insufficient && v.value.is_some())
                .count();
            (count > 0).then_some((l, count))
        });
        let lead = format!(
            "no {} has an effective sample (Kish n eff.) of {} (--min-n) for {measure}",
            level.as_str(),
            self.min_n
        );
        Some(match enough {
            Some((l, count)) => format!(
                "{lead}: at the {} level, {count} have enough; try --level {}",
                l.as_str(),
                l.as_str()
            ),
            None => format!(
                "{lead}, at any level of the map: `phare stats` gives France as a whole, or \
                 lower --min-n knowing the estimates are then less reliable"
            ),
        })
    }

    fn min_n_usize(&self) -> usize {
        usize::try_from(self.min_n).unwrap_or(usize::MAX)
    }

    /// The map specification at `level` on a page of `size` (all France, the style's
    /// labels unless --labels).
    pub fn spec(&self, style: &Style, level: Level, (width, height): (u32, u32)) -> MapSpec {
        MapSpec {
            level,
            width,
            height,
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            source: self.source.clone(),
            within: None,
            labels: self.labels.unwrap_or(match style.layout.labels {
                MapLabels::None => Labels::None,
                MapLabels::Code => Labels::Code,
                MapLabels::Name => Labels::Name,
            }),
            idf_zoom: None,
            method: self.breaks.clone().or_else(|| self.method.clone()),
            classes: self.classes,
            classification: None,
            min_n: self.min_n,
            px_per_pt: self.dpi.map(|d| d / 72.0),
        }
    }
}

/// The provenance sidecar of `output`: `map.png` → `map.png.json`.
fn sidecar(output: &Path) -> PathBuf {
    let mut side = output.as_os_str().to_owned();
    side.push(".json");
    side.into()
}

/// Draws `scene` into `output` and writes the provenance `json` beside it (`output.json`).
fn write_with_sidecar(
    output: &Path,
    (format, scene, dpi): (Format, &phare::render::scene::Scene, f32),
    json: &impl serde::Serialize,
) -> phare::Result<()> {
    format.write(scene, dpi, output)?;
    let side = sidecar(output);
    let text =
        serde_json::to_string_pretty(json).map_err(|e| Error::output(&side, e.to_string()))?;
    phare::output::write_bytes(&side, format!("{text}\n").as_bytes())?;
    eprintln!("wrote {} and {}", output.display(), side.display());
    Ok(())
}

/// Runs `phare map`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let format = Format::of(&a.output)?;
    let outputs = [
        a.output.clone(),
        sidecar(&a.output),
        a.output.with_extension("pgw"),
    ];
    super::common::refuse_overwrite(
        a.map.input_files(),
        outputs.iter().map(|o| Some(o.as_path())),
    )?;
    let style = a.map.style()?;
    let size = a.map.page_size(&style)?;
    let b = a.map.boundaries.load(true)?;
    let source = a.map.source()?;
    let level = a.map.level.unwrap_or(source.default_level());
    let mut spec = a.map.spec(&style, level, size);
    spec.within = a.within.clone().map(super::common::repair_within);
    spec.idf_zoom = a.idf_zoom;
    let dpi = spec.resolved_px_per_pt(&style) * 72.0;
    if a.by_actor {
        let Source::Survey(measure) = source else {
            return Err(Error::usage("--by-actor maps a survey measure")
                .hint("give --value q4:oui, q_innovation:oui or frag_<domain>:mean")
                .into());
        };
        return by_actor(&a, &b, &measure, &style, &spec, (format, dpi));
    }
    let mut warnings = Vec::new();
    let data = a.map.map_data(&b, level, &source, &mut warnings)?;
    let (scene, mut prov) = build_scene(&b, &data, &style, &spec)?;
    warnings.append(&mut prov.warnings);
    prov.warnings = warnings;
    print_warnings(&prov.warnings);
    write_with_sidecar(&a.output, (format, &scene, dpi), &prov)?;
    super::leave_to_exit((b, scene, data));
    if let (Format::Png, Some(wf)) = (format, prov.world_file(1.0)) {
        phare::output::write_bytes(&a.output.with_extension("pgw"), wf.as_bytes())?;
    }
    Ok(())
}

/// The small-multiples figure: one panel per actor type with answers to the measure.
fn by_actor(
    a: &Args,
    b: &phare::boundaries::Boundaries,
    measure: &Measure,
    style: &Style,
    spec: &MapSpec,
    (format, dpi): (Format, f32),
) -> anyhow::Result<()> {
    let mut s = a.map.survey(b, true)?;
    let mut warnings = std::mem::take(&mut s.warnings);
    let panels: Vec<Panel> = Actor::ALL
        .iter()
        .map(|&actor| {
            let rows: Vec<&Joined> = s
                .joined
                .iter()
                .filter(|j| j.respondent.actor == actor)
                .collect();
            let data = values::survey_data(
                b,
                &rows,
                spec.level,
                measure,
                a.map.min_n_usize(),
                &s.source,
                s.inputs.clone(),
            );
            let heading = actor.heading().to_string();
            warnings.extend(unanswered(&heading.to_lowercase(), measure, data.n));
            let coarser = a.map.coarser_level(b, &rows, spec.level, measure, &data);
            warnings.extend(coarser.map(|w| format!("{heading}: {w}")));
            Panel { heading, data }
        })
        .collect();
    let mut spec = spec.clone();
    spec.source.get_or_insert(s.source);
    // Two rows of two panels read best on a landscape page: panels as wide as France.
    if a.map.size.is_none() && a.map.dpi.is_none() {
        spec.width = spec.width * 4 / 3;
    }
    let (scene, mut prov) = multiples::build(b, &panels, style, &spec)?;
    warnings.append(&mut prov.warnings);
    prov.warnings = warnings;
    print_warnings(&prov.warnings);
    Ok(write_with_sidecar(&a.output, (format, &scene, dpi), &prov)?)
}

/// Says when nobody (`who`) answered the measure: the map would be all « non renseigné ».
fn unanswered(who: &str, measure: &Measure, n: Option<u64>) -> Option<String> {
    (n.unwrap_or(0) == 0).then(|| {
        let why = if measure.to_string().starts_with("q4") {
            " (Q4 was asked of mayors only)"
        } else {
            ""
        };
        format!("no {who} answered {measure}{why}")
    })
}
