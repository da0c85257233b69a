//! Conflicts of interest of external auditors. Each auditor keeps a declaration of their ties:
//! the organisations they worked for, advised or sat on the board of, with dates. Before an
//! assignment, the ties are screened against the audited SIAE: a tie with the SIAE, the
//! ensemblier it belongs to or its association régionale within three years blocks the assignment; a looser one (older, or with
//! another SIAE of the same region) is shown to the federation, which may assign anyway with a
//! recorded justification.

use crate::organisation::Organisation;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long a close tie blocks an assignment after it ended.
pub const BLOCKING_YEARS: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TieKind {
    /// Worked for it (employee, contractor).
    Emploi,
    /// Advised it (consulting, training, support).
    Conseil,
    /// Sat on its board.
    Administration,
}

impl TieKind {
    pub const ALL: [Self; 3] = [Self::Emploi, Self::Conseil, Self::Administration];

    pub fn code(self) -> &'static str {
        match self {
            Self::Emploi => "emploi",
            Self::Conseil => "conseil",
            Self::Administration => "administration",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Emploi => "A travaillé pour la structure",
            Self::Conseil => "L'a conseillée ou accompagnée",
            Self::Administration => "A siégé à son conseil d'administration",
        }
    }
}

/// A declared tie of an auditor with an organisation of the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tie {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The organisation's association régionale (itself for a region).
    pub organisation_region_id: Option<i64>,
    pub kind: TieKind,
    pub started_on: NaiveDate,
    /// `None` while it lasts.
    pub ended_on: Option<NaiveDate>,
}

impl Tie {
    /// The tie lasts, or ended less than [`BLOCKING_YEARS`] before `today`.
    pub fn is_recent(&self, today: NaiveDate) -> bool {
        let limit = today
            .checked_sub_months(Months::new(12 * BLOCKING_YEARS))
            .unwrap_or(NaiveDate::MIN);
        self.ended_on.is_none_or(|end| end > limit)
    }
}

/// The audited SIAE, as the screening sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Audited {
    pub siae_id: i64,
    pub ensemblier_id: Option<i64>,
    pub region_id: Option<i64>,
}

impl From<&Organisation> for Audited {
    fn from(siae: &Organisation) -> Self {
        Self {
            siae_id: siae.id,
            ensemblier_id: siae.ensemblier_id,
            region_id: siae.region_id,
        }
    }
}

/// The ties that matter for one assignment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    /// They forbid the assignment.
    pub blocking: Vec<Tie>,
    /// Shown to the federation; assigning anyway needs a justification.
    pub looser: Vec<Tie>,
}

impl Screening {
    pub fn is_clear(&self) -> bool {
        self.blocking.is_empty() && self.looser.is_empty()
    }
}

pub fn screen(ties: &[Tie], audited: Audited, today: NaiveDate) -> Screening {
    let mut screening = Screening::default();
    for tie in ties {
        let close = [
            Some(audited.siae_id),
            audited.ensemblier_id,
            audited.region_id,
        ]
        .contains(&Some(tie.organisation_id));
        let same_region =
            audited.region_id.is_some() && tie.organisation_region_id == audited.region_id;
        if close && tie.is_recent(today) {
            screening.blocking.push(tie.clone());
        } else if close || (same_region && tie.is_recent(today)) {
            screening.looser.push(tie.clone());
        }
    }
    screening
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENNES: i64 = 5;
    const BRETAGNE: i64 = 2;
    const ODET: i64 = 7;
    const FOREZ: i64 = 9;
    const AURA: i64 = 3;
    const AVENIR: i64 = 8;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn tie(organisation_id: i64, region: i64, ended_on: Option<NaiveDate>) -> Tie {
        Tie {
            id: organisation_id,
            organisation_id,
            organisation_name: format!("organisation {organisation_id}"),
            organisation_region_id: Some(region),
            kind: TieKind::Conseil,
            started_on: day(2015, 1, 1),
            ended_on,
        }
    }

    #[test]
    fn close_ties_block_for_three_years_then_are_shown() {
        let today = day(2026, 11, 23);
        let rennes = Audited {
            siae_id: RENNES,
            ensemblier_id: None,
            region_id: Some(BRETAGNE),
        };
        let ids = |ties: &[Tie]| ties.iter().map(|t| t.organisation_id).collect::<Vec<_>>();
        // Lasting, or ended two years ago: blocking. Ended three years and a day ago: looser.
        let lasting = screen(&[tie(RENNES, BRETAGNE, None)], rennes, today);
        assert_eq!(ids(&lasting.blocking), vec![RENNES]);
        let recent = screen(
            &[tie(BRETAGNE, BRETAGNE, Some(day(2024, 11, 23)))],
            rennes,
            today,
        );
        assert_eq!(ids(&recent.blocking), vec![BRETAGNE]);
        let on_the_day = screen(
            &[tie(RENNES, BRETAGNE, Some(day(2023, 11, 24)))],
            rennes,
            today,
        );
        assert_eq!(ids(&on_the_day.blocking), vec![RENNES]);
        let old = screen(
            &[tie(RENNES, BRETAGNE, Some(day(2023, 11, 23)))],
            rennes,
            today,
        );
        assert_eq!(
            (ids(&old.blocking), ids(&old.looser)),
            (vec![], vec![RENNES])
        );
    }

    #[test]
    fn a_recent_tie_in_the_same_region_is_shown_others_do_not_matter() {
        let today = day(2026, 11, 23);
        let rennes = Audited {
            siae_id: RENNES,
            ensemblier_id: None,
            region_id: Some(BRETAGNE),
        };
        let screening = screen(
            &[
                tie(ODET, BRETAGNE, None),
                tie(ODET, BRETAGNE, Some(day(2020, 1, 1))),
                tie(FOREZ, AURA, None),
                tie(AURA, AURA, None),
            ],
            rennes,
            today,
        );
        assert!(screening.blocking.is_empty());
        assert_eq!(screening.looser.len(), 1);
        assert_eq!(screening.looser[0].organisation_id, ODET);
        assert!(screen(&[tie(FOREZ, AURA, None)], rennes, today).is_clear());
    }

    #[test]
    fn a_tie_with_the_ensemblier_of_the_siae_blocks_like_one_with_the_siae() {
        let today = day(2026, 11, 23);
        let member = Audited {
            siae_id: ODET,
            ensemblier_id: Some(AVENIR),
            region_id: Some(BRETAGNE),
        };
        let ended_last_year = tie(AVENIR, BRETAGNE, Some(day(2025, 6, 30)));
        let screening = screen(std::slice::from_ref(&ended_last_year), member, today);
        assert_eq!(screening.blocking, vec![ended_last_year.clone()]);
        // The same tie, for a SIAE outside the ensemblier, is only shown (same region).
        let rennes = Audited {
            siae_id: RENNES,
            ensemblier_id: None,
            region_id: Some(BRETAGNE),
        };
        let screening = screen(std::slice::from_ref(&ended_last_year), rennes, today);
        assert_eq!((screening.blocking.len(), screening.looser.len()), (0, 1));
        // Older than three years: shown, no longer blocking.
        let old = tie(AVENIR, BRETAGNE, Some(day(2022, 6, 30)));
        let screening = screen(std::slice::from_ref(&old), member, today);
        assert_eq!((screening.blocking.len(), screening.looser.len()), (0, 1));
    }
}
