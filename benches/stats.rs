//! Speed of the survey pipeline on 1,000,000 synthetic respondents: read + validate + join +
//! aggregate (every standard measure: 14 shares and 16 means, with n, n_eff, intervals, flags
//! and gaps) to départements and régions; then the same work in pandas (read_csv + merge +
//! groupby of weighted sums) when python3 with pandas is available.
//!
//!     cargo bench --bench stats                 # target: phare under 2 s
//!     PHARE_BENCH_N=100000 cargo bench --bench stats
//!
//! Needs ../shared/geodata/communes.csv (skips otherwise). pandas is looked for in the
//! anchors venv (../shared/bench/setup-anchors.sh), then in python3.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use phare::aggregate::{self, Measure, Reference, RowOptions};
use phare::history::CogHistory;
use phare::survey::read::{ReadOptions, read_survey};
use phare::survey::{Actor, join, synth};
use phare::{Layer, Level, Territory};

const COMMUNES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/geodata/communes.csv"
);

fn communes() -> Option<Layer> {
    let mut reader = csv::Reader::from_path(COMMUNES).ok()?;
    let mut t = Vec::new();
    for rec in reader.records() {
        let rec = rec.ok()?;
        t.push(Territory {
            code: rec[0].to_string(),
            name: rec[1].to_string(),
            level: Level::Commune,
            departement: Some(rec[2].to_string()),
            region: Some(rec[3].to_string()),
            epci: None,
            population: rec[5].parse().ok(),
            geometry: geo_types::MultiPolygon(vec![]),
        });
    }
    Some(Layer::new(t, COMMUNES))
}

fn main() {
    let n: usize = std::env::var("PHARE_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let Some(layer) = communes() else {
        eprintln!("skipped: ../shared absent");
        return;
    };
    let dir = std::env::temp_dir().join(format!("phare-bench-stats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join("survey.csv");
    let t = Instant::now();
    let respondents = synth::synthesize(&layer, n, 1, Actor::Maire);
    synth::write_csv(&path, &respondents).unwrap_or_else(|e| panic!("{e}"));
    drop(respondents);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "setup: {n} respondents generated and written ({:.0} MB) in {:.2} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    // Best of 3 runs of the whole pipeline.
    let mut best = [f64::INFINITY; 4];
    let mut cells = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let file = read_survey(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let t1 = Instant::now();
        let (joined, report) = join::join(file.respondents, &layer, CogHistory::embedded());
        assert_eq!(report.matched, n);
        let t2 = Instant::now();
        let empty = Layer::default();
        cells = 0;
        for level in [Level::Departement, Level::Region] {
            let opts = RowOptions {
                level,
                measures: Measure::all(),
                min_n: aggregate::DEFAULT_MIN_N,
                reference: Reference::Parent,
                by_actor: false,
            };
            cells += aggregate::rows(&joined, &empty, &opts).len();
        }
        let t3 = Instant::now();
        let run = [t1 - t0, t2 - t1, t3 - t2, t3 - t0].map(|d| d.as_secs_f64());
        for (b, r) in best.iter_mut().zip(run) {
            *b = b.min(r);
        }
    }
    println!(
        "phare (best of 3, {} threads):",
        rayon::current_num_threads()
    );
    println!("  read + validate   {:>7.3} s", best[0]);
    println!("  join to communes  {:>7.3} s", best[1]);
    println!(
        "  aggregate         {:>7.3} s  ({cells} rows: 30 measures x (101 départements + 18 régions + France x 2))",
        best[2]
    );
    println!("  total             {:>7.3} s  (target < 2 s)", best[3]);

    match pandas() {
        Some(python) => {
            let t = Instant::now();
            let out = Command::new(&python)
                .arg("-c")
                .arg(PANDAS)
                .arg(&path)
                .arg(COMMUNES)
                .output();
            let wall = t.elapsed().as_secs_f64();
            match out {
                Ok(o) if o.status.success() => {
                    print!(
                        "pandas ({}):\n{}",
                        python.display(),
                        String::from_utf8_lossy(&o.stdout)
                    );
                    println!(
                        "  whole process     {wall:>7.3} s (with interpreter start and imports)"
                    );
                }
                Ok(o) => println!("pandas failed: {}", String::from_utf8_lossy(&o.stderr)),
                Err(e) => println!("pandas not run: {e}"),
            }
        }
        None => println!("pandas: not available (run ../shared/bench/setup-anchors.sh)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A python with pandas: the anchors venv first, then python3.
fn pandas() -> Option<PathBuf> {
    let anchors = std::env::var_os("ANCHORS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/phare-anchors")))
        .map(|a| a.join("venv/bin/python"));
    anchors
        .into_iter()
        .chain([PathBuf::from("python3")])
        .find(|p| {
            Command::new(p)
                .args(["-c", "import pandas"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The same work in pandas: read both CSVs, merge respondents to communes, and group by
/// département and région the weighted sums every estimate needs (n, Σw, Σw², Σwy per
/// measure; 99/9 excluded like phare does). Times are in-process, best of 3.
const PANDAS: &str = r#"
import sys, time
import pandas as pd
survey_path, communes_path = sys.argv[1], sys.argv[2]
DOMAINS = ["emploi", "pouvoir_achat", "dev_eco", "precarite", "securite", "environnement",
           "education", "vieillissement", "lien_social", "handicap", "mobilite", "sante",
           "logement", "jeunesse", "culture", "numerique"]
GROUPS = [("oui", [1, 2]), ("non", [3, 4]), ("1", [1]), ("2", [2]), ("3", [3]), ("4", [4])]
best = [float("inf")] * 4
for _ in range(3):
    t0 = time.perf_counter()
    s = pd.read_csv(survey_path, dtype={"insee_com": str, "respondent_id": str})
    c = pd.read_csv(communes_path, dtype={"code": str, "dep": str, "reg": str}, usecols=["code", "dep", "reg"])
    t1 = time.perf_counter()
    m = s.merge(c, left_on="insee_com", right_on="code", how="inner", validate="many_to_one")
    t2 = time.perf_counter()
    w = m["weight"]
    cols = {}
    for q in ["q4", "q_innovation"]:
        a = m[q]
        base = a.isin([1, 2, 3, 4])
        wb = w.where(base, 0.0)
        cols[q + ":n"] = base.astype("int64")
        cols[q + ":sw"] = wb
        cols[q + ":sw2"] = wb * wb
        cols[q + ":dk"] = (a == 9).astype("int64")
        cols[q + ":sw9"] = w.where(a.isin([1, 2, 3, 4, 9]), 0.0)
        cols[q + ":9"] = w.where(a == 9, 0.0)
        for name, codes in GROUPS:
            cols[q + ":" + name] = w.where(a.isin(codes), 0.0)
    for d in DOMAINS:
        x = m["frag_" + d]
        ok = x.between(0, 10)
        wx = w.where(ok, 0.0)
        cols[d + ":n"] = ok.astype("int64")
        cols[d + ":sw"] = wx
        cols[d + ":sw2"] = wx * wx
        cols[d + ":swy"] = wx * x.where(ok, 0.0)
        cols[d + ":sw2y2"] = wx * wx * x.where(ok, 0.0) ** 2
        cols[d + ":dk"] = (x == 99).astype("int64")
    df = pd.DataFrame(cols)
    df["dep"] = m["dep"].values
    df["reg"] = m["reg"].values
    out = []
    for level in ["dep", "reg"]:
        g = df.drop(columns=["reg" if level == "dep" else "dep"]).groupby(level).sum()
        for q in ["q4", "q_innovation"]:
            for name, _ in GROUPS:
                out.append(g[q + ":" + name] / g[q + ":sw"])
        for d in DOMAINS:
            out.append(g[d + ":swy"] / g[d + ":sw"])
    t3 = time.perf_counter()
    run = [t1 - t0, t2 - t1, t3 - t2, t3 - t0]
    best = [min(b, r) for b, r in zip(best, run)]
print("  read_csv          %7.3f s" % best[0])
print("  merge             %7.3f s" % best[1])
print("  groupby sums      %7.3f s" % best[2])
print("  total             %7.3f s  (pandas %s, best of 3)" % (best[3], pd.__version__))
"#;
