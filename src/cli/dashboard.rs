//! `phare dashboard`: one self-contained interactive HTML page with every measure, level and
//! actor, the map, tooltips and territory profiles.

use std::path::PathBuf;

use phare::Error;
use phare::compose::map::Within;
use phare::dashboard::{self, IndicatorInput, Inputs, Options};
use phare::history::CogHistory;
use phare::style::Style;
use phare::survey::join;
use phare::survey::read::{ReadOptions, read_indicators};
use phare::survey::sample::{ActorChoice, Sample};

use super::common::{BoundaryArgs, SurveyReadArgs, check_joined, join_warnings, print_warnings};

/// Options of `phare dashboard`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  phare dashboard -o output/dashboard.html
  phare dashboard --survey answers.csv --indicators communes.csv --within reg:84 -o output/aura.html")]
pub struct Args {
    #[command(flatten)]
    boundaries: BoundaryArgs,
    /// Survey file (CSV or spreadsheet, schema in docs/survey-schema.md); default: the embedded
    /// synthetic sample of mayors and synthetic other actors (« Données simulées »).
    #[arg(long, value_name = "FILE")]
    survey: Option<PathBuf>,
    #[command(flatten)]
    survey_rows: SurveyReadArgs,
    /// Commune indicator file (CSV or spreadsheet): each numeric column becomes a measure.
    #[arg(long, value_name = "FILE")]
    indicators: Option<PathBuf>,
    /// The communes offered at commune level: one région or département, reg:84, dep:69
    /// (default: the région with the most respondents).
    #[arg(long, value_name = "reg:CODE|dep:CODE")]
    within: Option<Within>,
    /// Style: a builtin name (default, print, presentation) or a TOML file.
    #[arg(long, value_name = "NAME|FILE", default_value = "default")]
    style: String,
    /// Style override, repeatable: --set palette=viridis
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Survey estimates whose effective sample size (Kish n eff.) is below this are flagged and
    /// hatched, never coloured.
    #[arg(long, default_value_t = phare::aggregate::DEFAULT_MIN_N)]
    min_n: usize,
    /// Detail of the maps: side of their page in pixels (they scale to the window).
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u32).range(300..=4000))]
    size: u32,
    /// Output HTML file.
    #[arg(short, long, default_value = "output/dashboard.html")]
    output: PathBuf,
}

/// Runs `phare dashboard`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let mut style = Style::from_arg(&a.style)?;
    for pair in &a.set {
        style.set_pair(pair)?;
    }
    let data = [a.survey.as_deref(), a.indicators.as_deref()];
    super::common::refuse_overwrite(
        a.boundaries.files().into_iter().chain(data),
        [Some(a.output.as_path())],
    )?;
    let b = a.boundaries.load(true)?;
    // Without --survey, the default of `phare map` and `phare stats`: the mayors' sample and
    // synthetic citizens, companies and associations, so that every actor can be picked.
    let sample = Sample::load(
        a.survey.as_deref(),
        ActorChoice::Apart,
        &b.communes,
        &a.survey_rows.options(false),
    )?;
    let survey_path = sample.file.path.clone();
    let survey_source = sample.source();
    let (joined, survey_warnings) = super::stats::join_survey(sample, &b.communes)?;
    print_warnings(&survey_warnings);
    let table = a
        .indicators
        .as_ref()
        .map(|p| read_indicators(p, &ReadOptions::default()))
        .transpose()?;
    let joined_ind = table
        .as_ref()
        .map(|t| {
            let warnings: Vec<String> = t.warnings.iter().map(ToString::to_string).collect();
            print_warnings(&warnings);
            let (j, r) = join::join_indicators(t, &b.communes, CogHistory::embedded());
            eprintln!(
                "{}: {} of {} rows joined",
                t.path.display(),
                r.matched,
                r.rows
            );
            check_joined(&t.path, &r)?;
            print_warnings(&join_warnings(&t.path, &r));
            Ok::<_, Error>(j)
        })
        .transpose()?;
    let indicators = match (&table, &joined_ind) {
        (Some(t), Some(j)) => Some(IndicatorInput {
            joined: j,
            additive: &t.additive,
            source: t.path.file_name().map_or_else(
                || t.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
        }),
        _ => None,
    };
    let within = match a.within {
        Some(w) => super::common::repair_within(w),
        None => busiest_region(&joined, &survey_path)?,
    };
    let opts = Options {
        style,
        min_n: a.min_n,
        within,
        size: a.size,
    };
    let inputs = Inputs {
        joined: &joined,
        survey_source,
        indicators,
    };
    let data = dashboard::build(&b, &inputs, &opts)?;
    for (key, series) in &data.series {
        let of_series: Vec<String> = series
            .warnings
            .iter()
            .map(|w| format!("{key}: {w}"))
            .collect();
        print_warnings(&of_series);
    }
    let maps = dashboard::maps(&b, &opts)?;
    let html = dashboard::page::page(&data, &maps)?;
    phare::output::write_bytes(&a.output, html.as_bytes())?;
    eprintln!(
        "wrote {} ({} kB; communes of {} {})",
        a.output.display(),
        html.len() / 1024,
        data.within[1],
        data.within[0]
    );
    Ok(())
}

/// The région holding the most respondents (the lowest code on a tie).
fn busiest_region(joined: &[join::Joined], survey: &std::path::Path) -> phare::Result<Within> {
    let mut count: std::collections::BTreeMap<&str, usize> = Default::default();
    for j in joined {
        *count.entry(j.region.as_str()).or_default() += 1;
    }
    count
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(x.0)))
        .map(|(r, _)| Within::Region(r.to_string()))
        .ok_or_else(|| {
            Error::input(survey, "no respondent joined to a commune")
                .hint("check the insee_com codes (phare survey check), or give --within reg:CODE")
        })
}
