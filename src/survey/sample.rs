//! Whose answers a command uses: the default survey and the rule that actors are never pooled
//! behind the user's back.
//!
//! Without a survey file, commands use the embedded synthetic sample of 304 mayors, and
//! synthetic samples of the other actors ([`synth::default_n`], seed [`DEFAULT_SEED`]) when
//! one of them is asked for. With a file, its mayors are used when it has any (as the embedded
//! sample), else its only actor; a file of several other actors and no mayors is refused
//! until one is chosen. Pooling actors is a choice ([`ActorChoice::Pooled`]): each answer
//! keeps its own survey's weight, so the actors weigh in proportion to their summed weights,
//! which is stated with the estimate. Every command states the actor it used.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::read::{ReadOptions, SurveyFile, read_survey, read_survey_bytes};
use super::{Actor, synth};
use crate::format::fr_number;
use crate::{Error, Layer, Result, Setting};

/// The embedded synthetic sample of mayors (304 rows, seed 2016), in the §4 schema.
pub const EMBEDDED_MAYORS: &str = include_str!("../../geodata/sample-maires.csv");

/// How the embedded sample is named in messages and provenance.
pub const EMBEDDED_MAYORS_NAME: &str = "geodata/sample-maires.csv (embedded synthetic sample)";

/// Seed of the default synthetic samples of the other actors.
pub const DEFAULT_SEED: u64 = 2016;

/// Which actors' answers a command asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ActorChoice {
    /// The file's mayors when it has any, else its only actor.
    #[default]
    Default,
    /// One actor's answers.
    Only(Actor),
    /// Every actor's answers in one estimate, on purpose (`--actor all`).
    Pooled,
    /// Every actor's answers, which the command keeps apart (one table, panel or series per
    /// actor).
    Apart,
}

impl FromStr for ActorChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<ActorChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "all" | "tous" => Ok(ActorChoice::Pooled),
            _ => s.parse().map(ActorChoice::Only).map_err(|e: Error| {
                e.hint("use maire, citoyen, entreprise, association, or all to pool them")
            }),
        }
    }
}

/// The actors whose answers a [`Sample`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// One actor.
    One(Actor),
    /// Every actor of the file, pooled in one estimate.
    Pooled,
    /// Every actor of the file, kept apart by the command.
    Apart,
}

/// Respondents of one actor in a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActorCount {
    /// The actor.
    pub actor: Actor,
    /// Respondents.
    pub n: usize,
    /// Sum of their weights.
    pub weight: f64,
}

/// The answers a command uses, and what was chosen among the file's actors.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The sample really read (its path names it: a file, the embedded sample, or a synthetic
    /// sample), holding the kept respondents only.
    pub file: SurveyFile,
    /// Whose answers were kept.
    pub kept: Kept,
    /// Respondents kept, per actor present (in [`Actor::ALL`] order).
    pub counts: Vec<ActorCount>,
    /// Respondents of the other actors, left out.
    pub left_out: Vec<ActorCount>,
    /// True when no file was given: the default synthetic samples.
    pub default_sample: bool,
}

impl Sample {
    /// Reads the survey at `path`, or the default samples when `None`, and keeps the answers
    /// `choice` asks for (the module's rule).
    pub fn load(
        path: Option<&Path>,
        choice: ActorChoice,
        communes: &Layer,
        opts: &ReadOptions,
    ) -> Result<Sample> {
        let file = match path {
            Some(p) => read_survey(p, opts)?,
            None => default_survey(choice, communes, opts)?,
        };
        Sample::choose(file, choice, path.is_none())
    }

    /// Applies `choice` to the respondents of `file`.
    fn choose(mut file: SurveyFile, choice: ActorChoice, default_sample: bool) -> Result<Sample> {
        let present = counts(&file);
        let kept = match choice {
            ActorChoice::Only(actor) => Kept::One(actor),
            ActorChoice::Pooled => Kept::Pooled,
            ActorChoice::Apart => Kept::Apart,
            ActorChoice::Default => match present.as_slice() {
                [one] => Kept::One(one.actor),
                _ if present.iter().any(|c| c.actor == Actor::Maire) => Kept::One(Actor::Maire),
                _ => {
                    return Err(Error::usage(format!(
                        "the survey holds several actors and no mayors ({}): pooling them would mix their surveys' weights",
                        list(&present)
                    ))
                    .in_file(&file.path)
                    .hint("choose one actor (citoyen, entreprise, association), or pool them all on purpose")
                    .about(Setting::Actor));
                }
            },
        };
        let (counts, left_out) = match kept {
            Kept::One(actor) => present.into_iter().partition(|c| c.actor == actor),
            Kept::Pooled | Kept::Apart => (present, Vec::new()),
        };
        if let Kept::One(actor) = kept {
            if counts.is_empty() {
                return Err(Error::input(
                    &file.path,
                    format!(
                        "no answers from {} in this file (it holds {})",
                        actor.plural(),
                        list(&left_out)
                    ),
                )
                .hint("check the `actor` column (maire, citoyen, entreprise, association) or choose another actor")
                .about(Setting::Actor));
            }
            if !left_out.is_empty() {
                file.respondents.retain(|r| r.actor == actor);
            }
        }
        Ok(Sample {
            file,
            kept,
            counts,
            left_out,
            default_sample,
        })
    }

    /// The one actor whose answers are used, if only one.
    pub fn actor(&self) -> Option<Actor> {
        match self.kept {
            Kept::One(actor) => Some(actor),
            Kept::Pooled | Kept::Apart => None,
        }
    }

    /// What was kept, for the stderr summary: `maires (left out: 40 citoyens; --actor all
    /// pools them)`, or the pooled actors with their shares of the weights.
    pub fn statement(&self) -> String {
        match self.kept {
            Kept::One(actor) if self.left_out.is_empty() => format!("actor: {}", actor.plural()),
            Kept::One(actor) => format!(
                "actor: {} only (left out: {}; --actor all pools them, --actor NAME picks another)",
                actor.plural(),
                list(&self.left_out)
            ),
            Kept::Apart => format!("actors kept apart: {}", list(&self.counts)),
            Kept::Pooled => format!(
                "actors pooled: {}; {}",
                list(&self.counts),
                self.pooled_note().unwrap_or_default()
            ),
        }
    }

    /// For a pooled sample of several actors: what its weights mean.
    pub fn pooled_note(&self) -> Option<String> {
        if self.kept != Kept::Pooled || self.counts.len() < 2 {
            return None;
        }
        let total: f64 = self.counts.iter().map(|c| c.weight).sum();
        let shares: Vec<String> = self
            .counts
            .iter()
            .map(|c| {
                format!(
                    "{} {} %",
                    c.actor.plural(),
                    fr_number(100.0 * c.weight / total, 0)
                )
            })
            .collect();
        Some(format!(
            "each answer keeps its own survey's weight, so the actors count in proportion to their summed weights ({}), not as one population",
            shares.join(", ")
        ))
    }

    /// The French words of the source line: which survey, and whose answers.
    pub fn source(&self) -> String {
        let whose = match self.kept {
            Kept::One(actor) => format!(", {}", actor.plural()),
            Kept::Pooled => ", tous acteurs confondus".to_string(),
            Kept::Apart => String::new(),
        };
        if !self.default_sample {
            let name = self.file.path.file_name().map_or_else(
                || self.file.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            return format!("enquête PHARE ({name}){whose}");
        }
        match self.kept {
            Kept::One(actor) => format!("enquête {}, échantillon synthétique", actor.survey()),
            Kept::Pooled | Kept::Apart => {
                format!("enquêtes PHARE des quatre acteurs, échantillons synthétiques{whose}")
            }
        }
    }
}

/// `40 citoyens, 1 entreprise`.
fn list(counts: &[ActorCount]) -> String {
    counts
        .iter()
        .map(|c| {
            let noun = if c.n == 1 {
                c.actor.key()
            } else {
                c.actor.plural()
            };
            format!("{} {noun}", c.n)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Respondents per actor present in `file`, in [`Actor::ALL`] order.
fn counts(file: &SurveyFile) -> Vec<ActorCount> {
    Actor::ALL
        .into_iter()
        .filter_map(|actor| {
            let (n, weight) = file
                .respondents
                .iter()
                .filter(|r| r.actor == actor)
                .fold((0, 0.0), |(n, w), r| (n + 1, w + r.weight));
            (n > 0).then_some(ActorCount { actor, n, weight })
        })
        .collect()
}

/// The default survey for `choice`: the embedded mayors; a synthetic sample of another actor
/// asked for alone; the mayors and synthetic samples of the three others for every actor.
/// Generated samples go through the same reader as any file.
fn default_survey(choice: ActorChoice, communes: &Layer, opts: &ReadOptions) -> Result<SurveyFile> {
    let mayors = || {
        read_survey_bytes(
            EMBEDDED_MAYORS.as_bytes().to_vec(),
            Path::new(EMBEDDED_MAYORS_NAME),
            opts,
        )
    };
    let others: &[Actor] = match choice {
        ActorChoice::Default | ActorChoice::Only(Actor::Maire) => return mayors(),
        ActorChoice::Only(actor) => &[actor],
        ActorChoice::Pooled | ActorChoice::Apart => &Actor::ALL[1..],
    };
    let mut respondents = Vec::new();
    for &actor in others {
        respondents.extend(synth::synthesize(
            communes,
            synth::default_n(actor),
            DEFAULT_SEED,
            actor,
        ));
    }
    let mut bytes = Vec::new();
    synth::write_to(&mut bytes, &respondents)
        .map_err(|e| Error::input("synthetic sample", format!("cannot write it: {e}")))?;
    let name = format!(
        "synthetic sample of {} (seed {DEFAULT_SEED})",
        others
            .iter()
            .map(|&a| format!("{} {}", synth::default_n(a), a.plural()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let generated = read_survey_bytes(bytes, Path::new(&name), opts)?;
    if let ActorChoice::Only(_) = choice {
        return Ok(generated);
    }
    let mut file = mayors()?;
    file.respondents.extend(generated.respondents);
    file.path = PathBuf::from(format!("{EMBEDDED_MAYORS_NAME} and {name}"));
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixed() -> SurveyFile {
        let csv = "respondent_id,actor,insee_com,weight,frag_emploi\n\
                   M1,maire,01001,1,5\n\
                   M2,maire,69123,1,7\n\
                   C1,citoyen,69123,3,2\n\
                   E1,entreprise,75056,2,9\n";
        read_survey_bytes(
            csv.as_bytes().to_vec(),
            Path::new("mixed.csv"),
            &ReadOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn embedded_sample_is_synthetic_and_complete() {
        assert_eq!(EMBEDDED_MAYORS.lines().count(), 305);
        assert!(
            EMBEDDED_MAYORS
                .lines()
                .skip(1)
                .all(|l| l.ends_with(",true"))
        );
    }

    #[test]
    fn mayors_by_default_and_the_others_stated() {
        let s = Sample::choose(mixed(), ActorChoice::Default, false).unwrap();
        assert_eq!(s.actor(), Some(Actor::Maire));
        assert_eq!(s.file.respondents.len(), 2);
        assert_eq!(
            s.statement(),
            "actor: maires only (left out: 1 citoyen, 1 entreprise; --actor all pools them, --actor NAME picks another)"
        );
        assert_eq!(s.source(), "enquête PHARE (mixed.csv), maires");
    }

    #[test]
    fn pooling_is_stated_with_the_weight_shares() {
        let s = Sample::choose(mixed(), ActorChoice::Pooled, false).unwrap();
        assert_eq!(s.file.respondents.len(), 4);
        let note = s.pooled_note().unwrap();
        // Weights 2 + 3 + 2 = 7: mayors 29 %, citizens 43 %, companies 29 %.
        assert!(
            note.contains("maires 29 %, citoyens 43 %, entreprises 29 %"),
            "{note}"
        );
        assert_eq!(
            s.source(),
            "enquête PHARE (mixed.csv), tous acteurs confondus"
        );
    }

    #[test]
    fn several_actors_without_mayors_are_refused_until_chosen() {
        let mut file = mixed();
        file.respondents.retain(|r| r.actor != Actor::Maire);
        let err = Sample::choose(file.clone(), ActorChoice::Default, false).unwrap_err();
        assert!(err.to_string().contains("1 citoyen, 1 entreprise"), "{err}");
        let s = Sample::choose(file, ActorChoice::Only(Actor::Citoyen), false).unwrap();
        assert_eq!(s.file.respondents.len(), 1);
        let missing = Sample::choose(mixed(), ActorChoice::Only(Actor::Association), false);
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .contains("no answers from associations")
        );
    }

    #[test]
    fn choices_parse_all_and_actor_words() {
        assert_eq!("all".parse::<ActorChoice>().unwrap(), ActorChoice::Pooled);
        assert_eq!(
            "citizens".parse::<ActorChoice>().unwrap(),
            ActorChoice::Only(Actor::Citoyen)
        );
        assert!("everyone".parse::<ActorChoice>().is_err());
    }
}
