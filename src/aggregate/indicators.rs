//! The commune-size strata of the PHARE quota design. Population, area and density of
//! territories are computed in [`crate::values::size`].

use serde::Serialize;

/// Commune-size stratum, in inhabitants (population municipale): the bands of the PHARE
/// quota design (`docs/survey.md` §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SizeStratum {
    /// Fewer than 500 inhabitants.
    #[serde(rename = "< 500")]
    Under500,
    /// 500 to 1 999.
    #[serde(rename = "500-1 999")]
    From500,
    /// 2 000 to 9 999.
    #[serde(rename = "2 000-9 999")]
    From2000,
    /// 10 000 and more.
    #[serde(rename = ">= 10 000")]
    From10000,
}

/// Communes of at least this population count as urban. PHARE-Institutions reported
/// "85 % rural / 15 % urban" mayors; the 2 000-inhabitant threshold (INSEE's historical
/// definition of an urban commune) splits today's communes 84.2 / 15.8.
pub const URBAN_MIN_POPULATION: u64 = 2_000;

impl SizeStratum {
    /// The four strata, smallest first.
    pub const ALL: [SizeStratum; 4] = [
        SizeStratum::Under500,
        SizeStratum::From500,
        SizeStratum::From2000,
        SizeStratum::From10000,
    ];

    /// Stratum of a commune of `population` inhabitants.
    pub fn of(population: u64) -> SizeStratum {
        match population {
            0..500 => SizeStratum::Under500,
            500..2_000 => SizeStratum::From500,
            2_000..10_000 => SizeStratum::From2000,
            _ => SizeStratum::From10000,
        }
    }

    /// Label as in the survey documentation: `< 500`, `500-1 999`, `2 000-9 999`, `>= 10 000`.
    pub fn label(self) -> &'static str {
        match self {
            SizeStratum::Under500 => "< 500",
            SizeStratum::From500 => "500-1 999",
            SizeStratum::From2000 => "2 000-9 999",
            SizeStratum::From10000 => ">= 10 000",
        }
    }

    /// Position in [`SizeStratum::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the urban strata (at least [`URBAN_MIN_POPULATION`] inhabitants).
    pub fn is_urban(self) -> bool {
        self >= SizeStratum::From2000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_bounds() {
        assert_eq!(SizeStratum::of(0), SizeStratum::Under500);
        assert_eq!(SizeStratum::of(499), SizeStratum::Under500);
        assert_eq!(SizeStratum::of(500), SizeStratum::From500);
        assert_eq!(SizeStratum::of(1_999), SizeStratum::From500);
        assert_eq!(SizeStratum::of(2_000), SizeStratum::From2000);
        assert!(SizeStratum::of(2_000).is_urban() && !SizeStratum::of(1_999).is_urban());
        assert_eq!(SizeStratum::of(10_000), SizeStratum::From10000);
        assert_eq!(SizeStratum::of(2_103_778).label(), ">= 10 000");
    }
}
