//! Speed of the survey pipeline on 1,000,000 synthetic respondents, release build:
//! `cargo bench --bench survey`. Target: read + validate + join + aggregate within 2 s,
//! so read + join should stay under 1 s.
//!
//! The read + join part is here ([`write_survey`], [`read_and_join`]); aggregation is timed
//! on the joined respondents after it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use phare::Layer;
use phare::history::CogHistory;
use phare::survey::{DOMAINS, Joined, ReadOptions, join, read_survey};

/// Respondents in the benchmark file.
const N: usize = 1_000_000;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let layer = commune_layer();
    let path = write_survey(dir.path(), &layer, N);
    let (joined, _seconds) = read_and_join(&path, &layer);
    assert!(joined.len() > N * 9 / 10);
}

/// Small deterministic generator (xorshift64*): no dependency, same file every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Today's communes, from the embedded boundaries (attributes only).
fn commune_layer() -> Layer {
    phare::boundaries::embedded::boundaries_without_geometry()
        .unwrap_or_else(|e| panic!("{e}"))
        .communes
}

/// Writes `n` respondents as French Excel exports them: `;`, decimal commas, labels for some
/// answers; 1 % of codes lost their leading zero, 1 % are arrondissements, 1 % former codes.
pub fn write_survey(dir: &Path, layer: &Layer, n: usize) -> PathBuf {
    let start = Instant::now();
    let mut rng = Rng(0x5EED_CAFE);
    let mut text = String::with_capacity(n * 120);
    text.push_str("respondent_id;actor;wave;insee_com;cog_year;weight;q4;q_innovation");
    for (d, _) in DOMAINS {
        text.push_str(";frag_");
        text.push_str(d);
    }
    text.push_str(";synthetic\r\n");
    let answers = ["1", "2", "3", "4", "9", "Oui, plutôt"];
    for i in 0..n {
        let t = &layer.territories[rng.below(layer.len() as u64) as usize];
        let code = match rng.below(100) {
            0 if t.code.starts_with('0') => t.code[1..].to_string(),
            1 => format!("751{:02}", 1 + rng.below(20)),
            2 => "01039".to_string(),
            _ => t.code.clone(),
        };
        let weight = 0.5 + rng.below(2000) as f64 / 1000.0;
        let q4 = answers[rng.below(6) as usize];
        let qi = answers[rng.below(5) as usize];
        text.push_str(&format!(
            "R{i:07};maire;PHARE-Institutions-2016;{code};2016;{}",
            format!("{weight:.3}").replace('.', ",")
        ));
        text.push_str(&format!(";{q4};{qi}"));
        for _ in DOMAINS {
            let score = rng.below(12);
            text.push(';');
            text.push_str(&if score == 11 {
                "99".to_string()
            } else {
                score.to_string()
            });
        }
        text.push_str(";true\r\n");
    }
    let path = dir.join("survey-1m.csv");
    std::fs::write(&path, &text).expect("write the benchmark file");
    eprintln!(
        "wrote {} respondents ({:.0} MB) in {:.2} s",
        n,
        text.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    path
}

/// CPU seconds used by this process so far (user + system), from /proc: on a shared machine
/// wall time alone says little.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Reads, validates and joins the file; prints the time of each step. Returns the joined
/// respondents and the seconds spent.
pub fn read_and_join(path: &Path, layer: &Layer) -> (Vec<Joined>, f64) {
    let start = Instant::now();
    let cpu = cpu_seconds();
    let file = read_survey(path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let read = start.elapsed().as_secs_f64();
    let read_cpu = cpu_seconds() - cpu;
    let history = CogHistory::embedded();
    let t = Instant::now();
    let (joined, report) = join(file.respondents, layer, history);
    let joined_s = t.elapsed().as_secs_f64();
    let total = start.elapsed().as_secs_f64();
    let total_cpu = cpu_seconds() - cpu;
    println!(
        "survey read+validate {read:.3} s ({read_cpu:.2} s CPU), join {joined_s:.3} s, total {total:.3} s ({total_cpu:.2} s CPU) for {} rows ({} matched, {} repaired, {} unmatched)",
        report.rows,
        report.matched,
        report.repaired.len(),
        report.unmatched.len()
    );
    (joined, total)
}
