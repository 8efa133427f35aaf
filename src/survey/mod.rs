//! Survey answers and indicator files: read, validate, join to communes.
//!
//! [`read`] turns CSV (any French dialect) or spreadsheet files into validated
//! [`Respondent`]s or an [`IndicatorTable`]; [`join`](mod@join) places them in today's
//! communes, repairing codes, and [`report`] says what happened to every row. [`actor`] names
//! who answered; [`sample`] chooses whose answers a command uses (the default survey policy).

pub mod actor;
pub mod dialect;
pub mod join;
pub mod read;
pub mod report;
pub mod sample;
mod table;
mod text;

pub use actor::Actor;
pub use dialect::{Dialect, Encoding, Format};
pub use join::{Joined, JoinedIndicator, JoinedIndicators, join, join_indicators, join_named};
pub use read::{
    IndicatorRow, IndicatorTable, Issue, ReadOptions, Skipped, SurveyFile, read_indicators,
    read_indicators_bytes, read_indicators_keyed, read_survey, read_survey_bytes,
};
pub use report::{
    Combination, CombinedColumn, Duplicate, JoinReport, MergedCommune, Repair, RepairReason,
    Unmatched,
};

pub mod synth;

/// The 16 fragility domains: key (column `frag_<key>`) and French label.
pub const DOMAINS: [(&str, &str); 16] = [
    ("emploi", "Emploi, chômage, insertion professionnelle"),
    ("pouvoir_achat", "Niveau de vie, pouvoir d'achat"),
    ("dev_eco", "Développement économique du territoire"),
    ("precarite", "Pauvreté, précarité, exclusion"),
    ("securite", "Sécurité, délinquance"),
    ("environnement", "Environnement"),
    ("education", "Éducation"),
    ("vieillissement", "Vieillissement"),
    ("lien_social", "Lien social, isolement"),
    ("handicap", "Handicap"),
    ("mobilite", "Mobilité, transports"),
    ("sante", "Santé, accès aux soins"),
    ("logement", "Logement"),
    ("jeunesse", "Jeunesse, insertion des jeunes"),
    ("culture", "Culture, sport, loisirs"),
    ("numerique", "Numérique, accès aux services"),
];

/// Answer labels of Q4 and q_innovation, by code (9 = « Ne sait pas »).
pub const ANSWER_LABELS: [(u8, &str); 5] = [
    (1, "Oui, tout à fait"),
    (2, "Oui, plutôt"),
    (3, "Non, plutôt pas"),
    (4, "Non, pas du tout"),
    (9, "Ne sait pas"),
];

/// One respondent, validated (schema of `docs/survey.md` §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Respondent {
    /// Unique id within the file.
    pub id: String,
    /// Who answered.
    pub actor: Actor,
    /// Survey wave, e.g. `PHARE-Institutions-2016`.
    pub wave: Option<String>,
    /// Commune code as given in the file (before any repair).
    pub insee_com: String,
    /// Vintage of the code list the code comes from.
    pub cog_year: Option<u16>,
    /// Post-stratification weight (default 1), > 0.
    pub weight: f64,
    /// Q4 answer code: 1-4, or 9 « Ne sait pas »; `None` when not asked or left blank.
    pub q4: Option<u8>,
    /// Innovation question, same scale.
    pub q_innovation: Option<u8>,
    /// Fragility scores 0-10 in [`DOMAINS`] order; `None` = blank, `Some(99.0)` is never
    /// stored: « Ne sait pas » (99) is kept apart in `frag_dont_know`.
    pub frag: [Option<f64>; 16],
    /// Which domains were answered « Ne sait pas » (99).
    pub frag_dont_know: [bool; 16],
    /// True on generated rows: such data is labelled « Données simulées » on every output.
    pub synthetic: bool,
    /// Line in the source file (1-based, header = line 1), for messages.
    pub line: usize,
}
