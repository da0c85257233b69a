//! The suivi a minima (référentiel 2.1 d): « aucune personne en insertion n'est laissée sans
//! objectif et sans vérification de celui-ci ». From a person's records and the SIAE's own
//! delay for a first proposal, what is missing today.

use super::engagement::EngagementKind;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The delay a SIAE gives itself for a first proposal after the inscription, unless it set
/// another (the seed's example: « une proposition de travail dans le mois qui suit »).
pub const DEFAULT_PROPOSAL_DELAY_DAYS: i64 = 30;

/// An engagement as the suivi sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementFacts {
    pub kind: EngagementKind,
    pub due_on: NaiveDate,
    pub has_bilan: bool,
}

/// What the suivi needs to know of a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub inscription_on: Option<NaiveDate>,
    pub exited: bool,
    pub engagements: Vec<EngagementFacts>,
    /// Actions recorded (each a proposal made to the person).
    pub actions: usize,
}

/// Why a person is not followed a minima today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lapse {
    /// An engagement's échéance is passed and its bilan is not written.
    EcheancePassed {
        kind: EngagementKind,
        due_on: NaiveDate,
    },
    /// Inscribed past the delay, nothing proposed yet.
    NoProposal {
        inscribed_on: NaiveDate,
        delay_days: i64,
    },
    /// In parcours (or past the delay with actions only), with no engagement in progress:
    /// no objective and no échéance.
    NoCurrentEngagement,
}

impl Lapse {
    pub fn describe(&self) -> String {
        match self {
            Self::EcheancePassed { kind, due_on } => format!(
                "Échéance du {} passée sans bilan ({})",
                crate::time::display_date(*due_on),
                kind.label()
            ),
            Self::NoProposal {
                inscribed_on,
                delay_days,
            } => format!(
                "Inscrite le {}, aucune proposition dans le délai de {delay_days} jours",
                crate::time::display_date(*inscribed_on)
            ),
            Self::NoCurrentEngagement => {
                "Aucun engagement en cours : ni objectif ni échéance".to_string()
            }
        }
    }
}

/// What is missing in the person's follow-up on `today`; empty when they are followed (or not
/// yet inscribed, or gone).
pub fn lapses(facts: &FileFacts, delay_days: i64, today: NaiveDate) -> Vec<Lapse> {
    let Some(inscribed_on) = facts.inscription_on.filter(|_| !facts.exited) else {
        return Vec::new();
    };
    let mut found: Vec<Lapse> = facts
        .engagements
        .iter()
        .filter(|e| !e.has_bilan && e.due_on < today)
        .map(|e| Lapse::EcheancePassed {
            kind: e.kind,
            due_on: e.due_on,
        })
        .collect();
    let current = facts.engagements.iter().any(|e| !e.has_bilan);
    let past_delay = inscribed_on + Duration::days(delay_days) < today;
    if !current {
        if facts.engagements.is_empty() && facts.actions == 0 {
            if past_delay {
                found.push(Lapse::NoProposal {
                    inscribed_on,
                    delay_days,
                });
            }
        } else if !facts.engagements.is_empty() || past_delay {
            found.push(Lapse::NoCurrentEngagement);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn engagement(due: &str, has_bilan: bool) -> EngagementFacts {
        EngagementFacts {
            kind: EngagementKind::Decouverte,
            due_on: day(due),
            has_bilan,
        }
    }

    fn inscribed(on: &str) -> FileFacts {
        FileFacts {
            inscription_on: Some(day(on)),
            exited: false,
            engagements: Vec::new(),
            actions: 0,
        }
    }

    #[test]
    fn nothing_is_asked_before_the_inscription_nor_after_the_exit() {
        let not_inscribed = FileFacts {
            inscription_on: None,
            ..inscribed("2026-01-01")
        };
        assert_eq!(lapses(&not_inscribed, 30, day("2026-12-01")), vec![]);
        let gone = FileFacts {
            exited: true,
            engagements: vec![engagement("2026-02-01", false)],
            ..inscribed("2026-01-01")
        };
        assert_eq!(lapses(&gone, 30, day("2026-12-01")), vec![]);
    }

    #[test]
    fn a_first_proposal_is_due_within_the_siaes_delay() {
        let person = inscribed("2026-03-01");
        // 30 days after the 1st of March is the 31st: still within the delay.
        assert_eq!(lapses(&person, 30, day("2026-03-31")), vec![]);
        assert_eq!(
            lapses(&person, 30, day("2026-04-01")),
            vec![Lapse::NoProposal {
                inscribed_on: day("2026-03-01"),
                delay_days: 30
            }]
        );
        // A SIAE that gives itself two weeks.
        assert_eq!(lapses(&person, 14, day("2026-03-16")).len(), 1);
        // One action proposed within the delay; past it, still no engagement.
        let proposed = FileFacts {
            actions: 1,
            ..person
        };
        assert_eq!(lapses(&proposed, 30, day("2026-03-20")), vec![]);
        assert_eq!(
            lapses(&proposed, 30, day("2026-04-15")),
            vec![Lapse::NoCurrentEngagement]
        );
    }

    #[test]
    fn an_echeance_passed_without_bilan_is_a_lapse_until_the_bilan() {
        let person = FileFacts {
            engagements: vec![engagement("2026-05-02", false)],
            ..inscribed("2026-04-18")
        };
        assert_eq!(lapses(&person, 30, day("2026-05-02")), vec![]);
        assert_eq!(
            lapses(&person, 30, day("2026-05-03")),
            vec![Lapse::EcheancePassed {
                kind: EngagementKind::Decouverte,
                due_on: day("2026-05-02")
            }]
        );
        // The bilan written and no new engagement: no objective any more.
        let after_bilan = FileFacts {
            engagements: vec![engagement("2026-05-02", true)],
            ..person.clone()
        };
        assert_eq!(
            lapses(&after_bilan, 30, day("2026-05-03")),
            vec![Lapse::NoCurrentEngagement]
        );
        // The follow-up engagement is current.
        let followed = FileFacts {
            engagements: vec![
                engagement("2026-05-02", true),
                engagement("2026-07-01", false),
            ],
            ..person
        };
        assert_eq!(lapses(&followed, 30, day("2026-05-03")), vec![]);
    }

    #[test]
    fn lapses_read_as_sentences() {
        assert_eq!(
            Lapse::EcheancePassed {
                kind: EngagementKind::CoupDePouce,
                due_on: day("2026-05-02")
            }
            .describe(),
            "Échéance du 02/05/2026 passée sans bilan (Coup de pouce)"
        );
    }
}
