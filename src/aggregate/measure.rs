//! What to aggregate: the share of an answer (or group of answers) to a categorical question,
//! or the mean of a 0-10 fragility score. Written `q4:oui`, `q4:1`, `q4:1+2`, `frag_emploi:mean`.

use std::fmt;
use std::str::FromStr;

use crate::survey::{ANSWER_LABELS, DOMAINS, Respondent};
use crate::{Error, Result};

/// A categorical question on the 1-4 + 9 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Question {
    /// Q4: co-construction dynamic of the territory.
    Q4,
    /// Are partnerships a source of innovation?
    Innovation,
}

impl Question {
    /// Column name in the survey schema.
    pub fn key(self) -> &'static str {
        match self {
            Question::Q4 => "q4",
            Question::Innovation => "q_innovation",
        }
    }

    fn answer(self, r: &Respondent) -> Option<u8> {
        match self {
            Question::Q4 => r.q4,
            Question::Innovation => r.q_innovation,
        }
    }
}

/// A set of answer codes (1-4 and 9), e.g. « oui » = {1, 2}.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Answers(u16);

impl Answers {
    /// « Oui » = 1 « tout à fait » + 2 « plutôt ».
    pub const OUI: Answers = Answers(0b110);
    /// « Non » = 3 « plutôt pas » + 4 « pas du tout ».
    pub const NON: Answers = Answers(0b11000);

    /// The set holding these codes (each 1-4 or 9).
    pub fn of(codes: &[u8]) -> Answers {
        Answers(codes.iter().fold(0, |m, &c| m | (1 << c)))
    }

    /// True when `code` is in the set.
    pub fn contains(self, code: u8) -> bool {
        code < 16 && self.0 & (1 << code) != 0
    }

    fn codes(self) -> impl Iterator<Item = u8> {
        (1..=9).filter(move |&c| self.contains(c))
    }
}

/// One aggregated measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// Weighted share of respondents giving one of `answers`. « Ne sait pas » (9) is left
    /// out of the base and counted apart, unless 9 is itself in `answers` (`q4:9`, the
    /// share of « Ne sait pas » among all who answered).
    Share {
        /// The question.
        question: Question,
        /// The answers counted as « yes » for this share.
        answers: Answers,
    },
    /// Weighted mean of a fragility score (index in [`DOMAINS`]); 99 is left out and counted.
    Mean {
        /// Index of the domain in [`DOMAINS`].
        domain: usize,
    },
}

/// What one respondent contributes to a measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Obs {
    /// Not asked or blank: not counted at all.
    Skip,
    /// « Ne sait pas », outside the base: counted in `dont_know` only.
    DontKnow,
    /// In the base with this value (0/1 for a share, the score for a mean).
    Value {
        /// The value.
        y: f64,
        /// The answer was « Ne sait pas » (only for `q4:9`-style shares).
        dont_know: bool,
    },
}

impl Measure {
    /// True for shares (values in 0-1, Wilson intervals), false for means (0-10 scale).
    pub fn is_share(&self) -> bool {
        matches!(self, Measure::Share { .. })
    }

    /// Every standard measure, in table order: Q4 and innovation shares, then the 16 means.
    pub fn all() -> Vec<Measure> {
        let mut v = Vec::new();
        for question in [Question::Q4, Question::Innovation] {
            for answers in [Answers::OUI, Answers::NON] {
                v.push(Measure::Share { question, answers });
            }
            for (code, _) in ANSWER_LABELS {
                v.push(Measure::Share {
                    question,
                    answers: Answers::of(&[code]),
                });
            }
        }
        v.extend((0..DOMAINS.len()).map(|domain| Measure::Mean { domain }));
        v
    }

    /// A French label for tables and legends, e.g. « Q4 : oui (1+2) ».
    pub fn label(&self) -> String {
        match *self {
            Measure::Share { question, answers } => {
                let q = match question {
                    Question::Q4 => "Q4 co-construction",
                    Question::Innovation => "Innovation",
                };
                let a = if answers == Answers::OUI {
                    "oui (1+2)".to_string()
                } else if answers == Answers::NON {
                    "non (3+4)".to_string()
                } else {
                    let labels: Vec<String> = answers
                        .codes()
                        .map(|c| {
                            let l = ANSWER_LABELS
                                .iter()
                                .find(|(k, _)| *k == c)
                                .map_or("?", |(_, l)| l);
                            format!("{c} {}", l.to_lowercase())
                        })
                        .collect();
                    labels.join(" + ")
                };
                format!("{q} : {a}")
            }
            Measure::Mean { domain } => format!("{} (moyenne /10)", DOMAINS[domain].1),
        }
    }

    pub(crate) fn observe(&self, r: &Respondent) -> Obs {
        match *self {
            Measure::Share { question, answers } => match question.answer(r) {
                Some(9) if answers.contains(9) => Obs::Value {
                    y: 1.0,
                    dont_know: true,
                },
                Some(9) => Obs::DontKnow,
                Some(c @ 1..=4) => Obs::Value {
                    y: f64::from(u8::from(answers.contains(c))),
                    dont_know: false,
                },
                _ => Obs::Skip,
            },
            Measure::Mean { domain } => match r.frag[domain] {
                Some(y) => Obs::Value {
                    y,
                    dont_know: false,
                },
                None if r.frag_dont_know[domain] => Obs::DontKnow,
                None => Obs::Skip,
            },
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Measure::Share { question, answers } => {
                write!(f, "{}:", question.key())?;
                if answers == Answers::OUI {
                    f.write_str("oui")
                } else if answers == Answers::NON {
                    f.write_str("non")
                } else {
                    let codes: Vec<String> = answers.codes().map(|c| c.to_string()).collect();
                    f.write_str(&codes.join("+"))
                }
            }
            Measure::Mean { domain } => write!(f, "frag_{}:mean", DOMAINS[domain].0),
        }
    }
}

const VALID: &str = "valid measures: q4:oui (1+2), q4:non (3+4), q4:1 ... q4:4, q4:9, a group such as q4:1+2+3, \
the same for q_innovation (q_innovation:oui ...), and frag_<domain>:mean with <domain> one of \
emploi, pouvoir_achat, dev_eco, precarite, securite, environnement, education, vieillissement, \
lien_social, handicap, mobilite, sante, logement, jeunesse, culture, numerique";

impl FromStr for Measure {
    type Err = Error;

    fn from_str(s: &str) -> Result<Measure> {
        let bad = || Error::usage(format!("unknown measure '{s}'")).hint(VALID);
        let lower = s.trim().to_ascii_lowercase();
        let (var, stat) = lower.split_once(':').ok_or_else(bad)?;
        if let Some(key) = var.strip_prefix("frag_") {
            let domain = DOMAINS
                .iter()
                .position(|(k, _)| *k == key)
                .ok_or_else(bad)?;
            return if stat == "mean" {
                Ok(Measure::Mean { domain })
            } else {
                Err(bad())
            };
        }
        let question = match var {
            "q4" => Question::Q4,
            "q_innovation" | "innovation" => Question::Innovation,
            _ => return Err(bad()),
        };
        let answers = match stat {
            "oui" | "yes" => Answers::OUI,
            "non" | "no" => Answers::NON,
            codes => {
                let mut set = Vec::new();
                for c in codes.split('+') {
                    match c.trim().parse::<u8>() {
                        Ok(c @ (1..=4 | 9)) => set.push(c),
                        _ => return Err(bad()),
                    }
                }
                Answers::of(&set)
            }
        };
        Ok(Measure::Share { question, answers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_back() {
        for s in [
            "q4:oui",
            "q4:non",
            "q4:1",
            "q4:9",
            "q4:1+3",
            "q_innovation:oui",
            "frag_emploi:mean",
        ] {
            let m: Measure = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(m.to_string(), s);
        }
        assert_eq!(
            "Q4:1+2".parse::<Measure>().ok(),
            Some(Measure::Share {
                question: Question::Q4,
                answers: Answers::OUI
            })
        );
        assert_eq!(Measure::all().len(), 2 * 7 + 16);
    }

    #[test]
    fn unknown_measure_lists_valid_ones() {
        for s in [
            "q4",
            "q4:5",
            "q5:oui",
            "frag_emploi:median",
            "frag_foo:mean",
        ] {
            let e = s
                .parse::<Measure>()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.contains("unknown measure") && e.contains("frag_<domain>:mean"),
                "{s}: {e}"
            );
        }
    }
}
