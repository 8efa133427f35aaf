//! `phare stats`: survey answers aggregated to communes, départements, régions and France,
//! as an aligned French table, JSON rows, or CSV rows.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use phare::aggregate::{self, Flag, Measure, Reference, Row, RowOptions};
use phare::format::fr_number as fr;
use phare::history::CogHistory;
use phare::survey::join;
use phare::survey::sample::{ActorChoice, Sample};
use phare::table::{CsvDialect, Table, TableFormat};
use phare::{Layer, Level};

use super::common::{BoundaryArgs, SurveyReadArgs};

/// Options of `phare stats`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  phare stats                                      # Q4 « oui » by région, embedded sample
  phare stats --level departement --measure q4:oui,frag_emploi:mean
  phare stats --survey answers.csv --measure all --reference france -o regions.csv
  phare stats --by actor --measure frag_sante:mean --json")]
pub struct Args {
    /// Survey file (CSV with `,` or `;`, or a spreadsheet; schema in docs/survey-schema.md).
    /// Default: the embedded synthetic sample of 304 mayors (« Données simulées »).
    #[arg(long, value_name = "FILE")]
    survey: Option<PathBuf>,
    #[command(flatten)]
    survey_rows: SurveyReadArgs,
    /// Territories to aggregate to: commune, departement or region.
    #[arg(long, default_value = "region")]
    level: Level,
    /// Split the table by this variable (default: one table).
    #[arg(long, value_enum)]
    by: Option<By>,
    /// Whose answers: maire, citoyen, entreprise, association, or all to pool them on purpose
    /// (each answer keeps its survey's weight). Default: the mayors when the survey has them,
    /// else its only actor. Without --survey, other actors come from default synthetic samples.
    #[arg(long, value_name = "ACTOR|all", conflicts_with = "by")]
    actor: Option<ActorChoice>,
    /// Measures (repeat or comma-separate): q4:oui, q4:non, q4:1 ... q4:4, q4:9, q4:1+2,
    /// q_innovation:oui ..., frag_<domain>:mean; `all` for every standard measure.
    #[arg(
        long = "measure",
        value_name = "MEASURE",
        value_delimiter = ',',
        default_value = "q4:oui"
    )]
    measures: Vec<String>,
    /// Cells whose effective sample size (Kish n eff.) is below this are flagged `insufficient`.
    #[arg(long, default_value_t = aggregate::DEFAULT_MIN_N)]
    min_n: usize,
    /// Gaps are measured to the parent territory or to France.
    #[arg(long, value_enum, default_value_t = Reference::Parent)]
    reference: Reference,
    /// Print a JSON array of rows instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write the rows to this file, in the format its extension names: .csv, .xlsx (an
    /// Excel workbook: numbers stay numbers, codes stay text) or .json.
    #[arg(short, long, value_name = "FILE.csv|.xlsx|.json")]
    output: Option<PathBuf>,
    /// CSV dialect of -o: standard (`,`, decimal point) or fr (`;`, decimal comma, UTF-8
    /// with a byte-order mark, as Excel on a French system opens it).
    #[arg(long, value_enum, default_value_t = CsvDialect::Standard, requires = "output")]
    csv: CsvDialect,
    /// Write the join report as JSON to this file.
    #[arg(long, value_name = "R.json")]
    report: Option<PathBuf>,
    /// Refuse warnings (repaired or unmatched codes, duplicates) instead of reporting them.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    boundaries: BoundaryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    /// One table per actor type (maire, citoyen, entreprise, association).
    Actor,
}

/// Runs `phare stats`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let measures = parse_measures(&args.measures)?;
    if let Some(path) = &args.output {
        check_table_output(path, args.csv)?;
    }
    super::common::refuse_overwrite(
        args.boundaries
            .files()
            .into_iter()
            .chain([args.survey.as_deref()]),
        [args.output.as_deref(), args.report.as_deref()],
    )?;
    let b = args.boundaries.load(false)?;
    let read_opts = args.survey_rows.options(args.strict);
    let choice = match args.by {
        Some(By::Actor) => ActorChoice::Apart,
        None => args.actor.unwrap_or_default(),
    };
    let sample = Sample::load(args.survey.as_deref(), choice, &b.communes, &read_opts)?;
    for w in &sample.file.warnings {
        eprintln!("warning: {w}");
    }
    let statement = sample.statement();
    let actor = sample.actor();
    let path = sample.file.path.clone();
    let (joined, report) = join::join_file(sample.file, &b.communes, CogHistory::embedded());
    if let Some(path) = &args.report {
        report.write_json(path)?;
    }
    if args.strict {
        report.check_strict(&path)?;
    }
    eprintln!(
        "{}: {} of {} rows joined to {} communes{}; {statement}",
        path.display(),
        report.matched,
        report.rows,
        report.communes,
        if report.warnings() > 0 {
            " (see --report for repairs and unmatched codes)"
        } else {
            ""
        }
    );
    super::common::check_joined(&path, &report)?;
    super::common::print_warnings(&super::common::join_warnings(&path, &report));

    let opts = RowOptions {
        level: args.level,
        measures,
        min_n: args.min_n,
        reference: args.reference,
        by_actor: args.by == Some(By::Actor),
    };
    let mut rows: Vec<Row> = aggregate::rows(&joined, b.layer(args.level), &opts);
    if let Some(actor) = actor {
        for row in &mut rows {
            row.actor = Some(actor);
        }
    }
    if let Some(path) = &args.output {
        Table::from_records(&rows).write(path, args.csv, "stats")?;
        eprintln!("wrote {} rows to {}", rows.len(), path.display());
    }
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &rows)?;
        writeln!(stdout)?;
    } else {
        stdout.write_all(table(&rows, &opts, rows.iter().any(|r| r.synthetic)).as_bytes())?;
    }
    Ok(())
}

/// The table format of `-o`, checked before any work: `--csv` only shapes a `.csv`.
fn check_table_output(path: &Path, dialect: CsvDialect) -> phare::Result<()> {
    if TableFormat::of(path)? != TableFormat::Csv && dialect != CsvDialect::Standard {
        return Err(phare::Error::usage(format!(
            "--csv shapes a .csv output, not {}",
            path.display()
        ))
        .hint("drop --csv, or write a .csv"));
    }
    Ok(())
}

fn parse_measures(specs: &[String]) -> phare::Result<Vec<Measure>> {
    let mut out = Vec::new();
    for s in specs {
        if s.eq_ignore_ascii_case("all") {
            out.extend(Measure::all());
        } else {
            out.push(s.parse()?);
        }
    }
    out.dedup();
    Ok(out)
}

/// Joins a sample to the communes, printing a one-line join summary that names the sample
/// and its actors on stderr, as every command that reads answers does; returns the reader's
/// and the join's warnings for the caller to print and record. A file none of whose rows
/// joins is an error.
pub(super) fn join_survey(
    sample: Sample,
    communes: &Layer,
) -> phare::Result<(Vec<join::Joined>, Vec<String>)> {
    let mut warnings: Vec<String> = sample
        .file
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    let statement = sample.statement();
    let path = sample.file.path.clone();
    let (joined, report) = join::join_file(sample.file, communes, CogHistory::embedded());
    eprintln!(
        "{}: {} of {} rows joined; {statement}",
        path.display(),
        report.matched,
        report.rows
    );
    super::common::check_joined(&path, &report)?;
    warnings.extend(super::common::join_warnings(&path, &report));
    Ok((joined, warnings))
}

const BANNER: &str =
    "DONNÉES SIMULÉES : échantillon synthétique (synthetic=true), pas des réponses réelles";

/// The aligned French table: one block per (actor, measure), France first.
fn table(rows: &[Row], opts: &RowOptions, synthetic: bool) -> String {
    let mut out = String::new();
    let banner = format!(
        "{0}\n  {BANNER}\n{0}\n",
        "=".repeat(BANNER.chars().count() + 4)
    );
    if synthetic {
        out.push_str(&banner);
    }
    let reference = match opts.reference {
        Reference::Parent => "territoire parent",
        Reference::France => "France",
    };
    let mut start = 0;
    while start < rows.len() {
        let key = (&rows[start].actor, &rows[start].measure);
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| (&r.actor, &r.measure) == key)
                .count();
        let block = &rows[start..end];
        let first = &block[0];
        // Rows carry their actor unless actors were pooled on purpose (--actor all).
        let actor = match first.actor {
            Some(a) => format!(" — {}", a.plural()),
            None => " — tous acteurs confondus".to_string(),
        };
        let _ = writeln!(out, "\n{} [{}]{actor}", first.label, first.measure);
        let cells: Vec<[String; 9]> = block
            .iter()
            .map(|r| cells(r, first.measure.starts_with("frag_")))
            .collect();
        let header = [
            "code",
            "territoire",
            "valeur",
            "IC 95 %",
            "n",
            "n eff.",
            "NSP",
            "écart",
            "statut",
        ];
        let width: Vec<usize> = (0..9)
            .map(|i| {
                cells
                    .iter()
                    .map(|c| c[i].chars().count())
                    .chain([header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |c: &[&str]| {
            let mut s = String::new();
            for (i, cell) in c.iter().enumerate() {
                let pad = width[i] - cell.chars().count();
                // Text columns left-aligned, numbers right-aligned.
                if i <= 1 || i == 8 {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
                s.push_str("  ");
            }
            s.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&header));
        for c in &cells {
            let _ = writeln!(out, "{}", line(&c.each_ref().map(String::as_str)));
        }
        start = end;
    }
    let _ = writeln!(
        out,
        "\nvaleur : part pondérée (base : réponses 1-4 ; « Ne sait pas » exclu, compté en NSP) ou moyenne pondérée /10.\n\
         IC 95 % : Wilson sur n eff. (parts), Student sur n eff. - 1 (moyennes) ; n eff. = (Σw)² / Σw² (Kish).\n\
         écart : territoire - {reference}, en points ; * = significatif à 95 % (territoire contre le reste de la référence).\n\
         statut : insufficient = n eff. inférieur à {} (à ne pas interpréter seul) ; empty = aucun répondant.",
        opts.min_n
    );
    if synthetic {
        out.push_str(&banner);
    }
    out
}

fn cells(r: &Row, mean: bool) -> [String; 9] {
    let (scale, unit) = if mean { (1.0, "") } else { (100.0, "\u{A0}%") };
    let value = r.value.map_or_else(
        || "—".to_string(),
        |v| format!("{}{unit}", fr(v * scale, 1)),
    );
    let ci = match (r.ci_low, r.ci_high) {
        (Some(l), Some(h)) => format!("[{} ; {}]", fr(l * scale, 1), fr(h * scale, 1)),
        _ => String::new(),
    };
    let gap = match (r.gap, r.gap_significant) {
        (Some(g), sig) => {
            let g = if g.abs() < 0.05 { 0.0 } else { g };
            format!(
                "{}{}{}",
                if g > 0.0 { "+" } else { "" },
                fr(g, 1),
                if sig == Some(true) { " *" } else { "  " }
            )
        }
        _ => String::new(),
    };
    let name: String = if r.name.chars().count() > 32 {
        r.name.chars().take(31).chain(['…']).collect()
    } else {
        r.name.clone()
    };
    [
        r.code.clone(),
        name,
        value,
        ci,
        r.n.to_string(),
        if r.flag == Flag::Empty {
            String::new()
        } else {
            fr(r.n_eff, 0)
        },
        r.dont_know.to_string(),
        gap,
        r.flag.as_str().to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_cells() {
        let row = Row {
            level: "region",
            code: "84".into(),
            name: "Auvergne-Rhône-Alpes".into(),
            actor: None,
            measure: "q4:oui".into(),
            label: String::new(),
            value: Some(0.7634),
            n: 31,
            n_eff: 18.26,
            ci_low: Some(0.701),
            ci_high: Some(0.819),
            dont_know: 1,
            flag: Flag::Insufficient,
            reference: Some("FR".into()),
            gap: Some(-3.24),
            gap_significant: Some(true),
            synthetic: true,
        };
        let c = cells(&row, false);
        assert_eq!(c[2], "76,3\u{A0}%");
        assert_eq!(c[3], "[70,1 ; 81,9]");
        assert_eq!(c[5], "18");
        assert_eq!(c[7], "\u{2212}3,2 *");
        assert_eq!(c[8], "insufficient");
    }
}
