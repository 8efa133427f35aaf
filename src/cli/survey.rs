//! `phare survey`: generate a synthetic sample, or check and join a survey file.

use std::path::PathBuf;

use phare::history::CogHistory;
use phare::survey::read::read_survey;
use phare::survey::{Actor, join, synth};

use super::common::{BoundaryArgs, SurveyReadArgs};

/// Options of `phare survey`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Write a synthetic sample (§4 schema, every row `synthetic=true`) calibrated on the
    /// published PHARE figures: mayors by quota région x commune-size band, weights to the
    /// number of communes per cell; citizens, companies, associations in proportion to
    /// population.
    #[command(after_help = "Examples:
  phare survey synth -o maires.csv                   # 304 mayors, seed 2016 (the embedded sample)
  phare survey synth --actor citoyen --n 5000 --seed 7 -o citoyens.csv")]
    Synth(SynthArgs),
    /// Read, validate and join a survey file to the communes; print the join report.
    /// Exit 1 when a row cannot be used (or on any warning with --strict).
    #[command(
        after_help = "The columns read are described in docs/survey-schema.md. Codes are joined to the
embedded communes unless --boundaries is given.

Examples:
  phare survey check answers.csv
  phare survey check answers.csv --strict --report join-report.json"
    )]
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct SynthArgs {
    /// Number of respondents (default: 304 mayors, 2 000 citizens, 1 000 companies or
    /// associations).
    #[arg(long)]
    n: Option<usize>,
    /// Seed: the same seed and boundaries give the same file on every platform.
    #[arg(long, default_value_t = 2016)]
    seed: u64,
    /// Actor type: maire, citoyen, entreprise, association (Q4 is asked of mayors only).
    #[arg(long, default_value = "maire")]
    actor: Actor,
    /// Output CSV file.
    #[arg(short, long, value_name = "FILE.csv")]
    output: PathBuf,
    #[command(flatten)]
    boundaries: BoundaryArgs,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Survey file (CSV with `,` or `;`, UTF-8 or Windows-1252, or a spreadsheet; schema in
    /// docs/survey-schema.md).
    file: PathBuf,
    /// Write the join report as JSON to this file.
    #[arg(long, value_name = "R.json")]
    report: Option<PathBuf>,
    /// Treat warnings (repaired codes, dropped duplicates...) as errors.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    survey_rows: SurveyReadArgs,
    #[command(flatten)]
    boundaries: BoundaryArgs,
}

/// Runs `phare survey`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Synth(a) => synth_cmd(a),
        Command::Check(a) => check_cmd(a),
    }
}

fn synth_cmd(a: SynthArgs) -> anyhow::Result<()> {
    let n = a.n.unwrap_or(synth::default_n(a.actor));
    if n == 0 {
        return Err(phare::Error::usage("--n must be at least 1").into());
    }
    super::common::refuse_overwrite(a.boundaries.files(), [Some(a.output.as_path())])?;
    let b = a.boundaries.load(false)?;
    let without = b
        .communes
        .territories
        .iter()
        .filter(|t| t.population.is_none())
        .count();
    if without == b.communes.len() {
        return Err(phare::Error::input(&b.communes.source, "the communes carry no population")
            .hint("the quota by commune-size band needs it: give boundaries with a population property")
            .into());
    }
    if without > 0 {
        eprintln!("warning: {without} communes without population are counted in the < 500 band");
    }
    let respondents = synth::synthesize(&b.communes, n, a.seed, a.actor);
    synth::write_csv(&a.output, &respondents)?;
    eprintln!(
        "wrote {} synthetic respondents (Données simulées, seed {}) to {}",
        respondents.len(),
        a.seed,
        a.output.display()
    );
    Ok(())
}

fn check_cmd(a: CheckArgs) -> anyhow::Result<()> {
    super::common::refuse_overwrite(
        a.boundaries
            .files()
            .into_iter()
            .chain([Some(a.file.as_path())]),
        [a.report.as_deref()],
    )?;
    let b = a.boundaries.load(false)?;
    let file = read_survey(&a.file, &a.survey_rows.options(a.strict))?;
    for w in &file.warnings {
        eprintln!("warning: {w}");
    }
    let synthetic = file.synthetic;
    let (_, report) = join::join_file(file, &b.communes, CogHistory::embedded());
    print!("{report}");
    if synthetic {
        println!(
            "Données simulées : ce fichier contient des réponses synthétiques (synthetic=true)."
        );
    }
    if let Some(path) = &a.report {
        report.write_json(path)?;
    }
    if a.strict {
        report.check_strict(&a.file)?;
    }
    if !report.unmatched.is_empty() {
        return Err(phare::Error::input(
            &a.file,
            format!("{} rows match no commune", report.unmatched.len()),
        )
        .hint("fix the codes listed above (a former code or a name helps)")
        .into());
    }
    Ok(())
}
