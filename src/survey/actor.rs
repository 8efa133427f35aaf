//! Who answered: the four actor types of the PHARE surveys, their one parser and their French
//! words (singular, plural, with an article), so that files, the command line and every output
//! name them alike.

use std::fmt;
use std::str::FromStr;

use crate::names::normalise_name;

/// Type of actor who answered (the PHARE surveys asked the same questions of all four).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Actor {
    /// Mayors and deputy mayors (PHARE-Institutions).
    Maire,
    /// Citizens (PHARE-Citoyens).
    Citoyen,
    /// Companies (PHARE-Entreprises).
    Entreprise,
    /// Associations (PHARE-Associations).
    Association,
}

impl Actor {
    /// The four actors, in the order tables and panels show them (mayors first: the
    /// reference sample).
    pub const ALL: [Actor; 4] = [
        Actor::Maire,
        Actor::Citoyen,
        Actor::Entreprise,
        Actor::Association,
    ];

    /// Lower-case singular, as survey files and the command line write it: `maire`.
    pub fn key(self) -> &'static str {
        match self {
            Actor::Maire => "maire",
            Actor::Citoyen => "citoyen",
            Actor::Entreprise => "entreprise",
            Actor::Association => "association",
        }
    }

    /// French plural, for summaries and source lines: `maires`.
    pub fn plural(self) -> &'static str {
        match self {
            Actor::Maire => "maires",
            Actor::Citoyen => "citoyens",
            Actor::Entreprise => "entreprises",
            Actor::Association => "associations",
        }
    }

    /// Capitalised plural, for headings: `Maires`.
    pub fn heading(self) -> &'static str {
        match self {
            Actor::Maire => "Maires",
            Actor::Citoyen => "Citoyens",
            Actor::Entreprise => "Entreprises",
            Actor::Association => "Associations",
        }
    }

    /// Singular with its definite article: « le maire », « l'entreprise ».
    pub fn with_article(self) -> &'static str {
        match self {
            Actor::Maire => "le maire",
            Actor::Citoyen => "le citoyen",
            Actor::Entreprise => "l'entreprise",
            Actor::Association => "l'association",
        }
    }

    /// « aucun maire », « aucune entreprise »: the negative agrees with the noun's gender.
    pub fn none(self) -> &'static str {
        match self {
            Actor::Maire => "aucun maire",
            Actor::Citoyen => "aucun citoyen",
            Actor::Entreprise => "aucune entreprise",
            Actor::Association => "aucune association",
        }
    }

    /// The PHARE survey that asked this actor: `PHARE-Institutions` for mayors.
    pub fn survey(self) -> &'static str {
        match self {
            Actor::Maire => "PHARE-Institutions",
            Actor::Citoyen => "PHARE-Citoyens",
            Actor::Entreprise => "PHARE-Entreprises",
            Actor::Association => "PHARE-Associations",
        }
    }

    /// Parses the words files and users write, without allocating for the schema's own
    /// lower-case values (a survey may hold a million rows): French or English, singular or
    /// plural, any case and accents (`maire`, `Élus`, `institution`, `mayor`, `citizens`,
    /// `companies`...).
    pub fn parse(word: &str) -> Option<Actor> {
        let folded;
        let key = if word.bytes().all(|b| b.is_ascii_lowercase()) {
            word
        } else {
            folded = normalise_name(word);
            &folded
        };
        Some(match key {
            "maire" | "maires" | "elu" | "elus" | "institution" | "institutions" | "mayor"
            | "mayors" => Actor::Maire,
            "citoyen" | "citoyens" | "citizen" | "citizens" => Actor::Citoyen,
            "entreprise" | "entreprises" | "company" | "companies" => Actor::Entreprise,
            "association" | "associations" => Actor::Association,
            _ => return None,
        })
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Actor {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Actor> {
        Actor::parse(s).ok_or_else(|| {
            crate::Error::usage(format!("unknown actor '{s}'"))
                .hint("use maire, citoyen, entreprise or association")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parser_accepts_the_words_of_files_and_users() {
        for (word, actor) in [
            ("maire", Actor::Maire),
            ("Maires", Actor::Maire),
            ("élu", Actor::Maire),
            ("ELUS", Actor::Maire),
            ("institution", Actor::Maire),
            ("mayor", Actor::Maire),
            ("citoyens", Actor::Citoyen),
            ("citizen", Actor::Citoyen),
            ("Entreprise", Actor::Entreprise),
            ("companies", Actor::Entreprise),
            ("associations", Actor::Association),
        ] {
            assert_eq!(word.parse::<Actor>().ok(), Some(actor), "{word}");
        }
        for word in ["", "maireS2", "all", "habitant"] {
            assert!(word.parse::<Actor>().is_err(), "{word}");
        }
    }

    #[test]
    fn french_words_agree_in_gender_and_number() {
        assert_eq!(Actor::Entreprise.with_article(), "l'entreprise");
        assert_eq!(Actor::Association.none(), "aucune association");
        assert_eq!(Actor::Citoyen.none(), "aucun citoyen");
        assert_eq!(Actor::Maire.plural(), "maires");
        assert_eq!(Actor::Maire.heading(), "Maires");
        assert_eq!(Actor::Maire.survey(), "PHARE-Institutions");
        for a in Actor::ALL {
            assert_eq!(a.key().parse::<Actor>().unwrap(), a);
            assert_eq!(a.plural().parse::<Actor>().unwrap(), a);
        }
    }
}
