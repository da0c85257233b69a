//! The lifecycle of a section version (document control, ISO 9001 §7.5):
//! *brouillon → en relecture → approuvée (en vigueur) → obsolète*, with *renvoyée* back to its
//! author. An approved version is numbered and dated; approving needs someone other than its
//! author; a version sent back says why.

use crate::policy::Action;
use crate::workflow::{Machine, Refusal};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VersionState {
    Brouillon,
    EnRelecture,
    Renvoyee,
    /// Approved: the version in force of its section.
    Approuvee,
    /// Replaced by a later approved version; never shown as current again.
    Obsolete,
}

impl VersionState {
    pub const ALL: [Self; 5] = [
        Self::Brouillon,
        Self::EnRelecture,
        Self::Renvoyee,
        Self::Approuvee,
        Self::Obsolete,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Brouillon => "brouillon",
            Self::EnRelecture => "en_relecture",
            Self::Renvoyee => "renvoyee",
            Self::Approuvee => "approuvee",
            Self::Obsolete => "obsolete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Brouillon => "Brouillon",
            Self::EnRelecture => "En relecture",
            Self::Renvoyee => "Renvoyée à son auteur",
            Self::Approuvee => "En vigueur",
            Self::Obsolete => "Obsolète",
        }
    }

    /// Its text can still change (the one open version of a section).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Brouillon | Self::EnRelecture | Self::Renvoyee)
    }
}

impl fmt::Display for VersionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for VersionState {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| format!("unknown section version state {code:?}"))
    }
}

/// A version of a section, as stored and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionVersion {
    pub id: i64,
    pub section_id: i64,
    pub status: VersionStatus,
    /// The text, in Markdown.
    pub body: String,
    /// What changed, in the author's words (listed in the editions' « Modifications » annex).
    pub change_note: String,
    pub author_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Counts the saves of an open version; a save must start from the current one.
    pub revision: i64,
    pub approver_name: Option<String>,
}

/// What the lifecycle needs to know of a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionStatus {
    pub state: VersionState,
    pub author_id: i64,
    /// Set at approval: 1 for the first approved version of the section, then 2, 3…
    pub number: Option<i64>,
    pub approved_on: Option<NaiveDate>,
    pub approved_by: Option<i64>,
    /// When the section must be reviewed again (12 months after approval unless chosen).
    pub review_due: Option<NaiveDate>,
    /// Why it was sent back, for its author.
    pub review_comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionEvent {
    /// The author asks for a review.
    Submit,
    /// A reviewer who is not the author approves it as version `number`.
    Approve {
        by: i64,
        on: NaiveDate,
        number: i64,
        review_due: Option<NaiveDate>,
    },
    /// A reviewer sends it back to its author, saying what to change.
    SendBack { by: i64, comment: String },
    /// A later version of the section was approved.
    Supersede,
}

/// Twelve months after approval, unless the reviewer chose another date.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

pub fn default_review_due(approved_on: NaiveDate) -> NaiveDate {
    approved_on
        .checked_add_months(Months::new(DEFAULT_REVIEW_MONTHS))
        .unwrap_or(approved_on)
}

pub struct SectionVersionLifecycle;

impl Machine for SectionVersionLifecycle {
    type State = VersionStatus;
    type Event = VersionEvent;

    fn required_action(event: &VersionEvent) -> Action {
        match event {
            VersionEvent::Submit | VersionEvent::Supersede => Action::EditManual,
            VersionEvent::Approve { .. } | VersionEvent::SendBack { .. } => Action::ApproveManual,
        }
    }

    fn next(version: &VersionStatus, event: &VersionEvent) -> Result<VersionStatus, Refusal> {
        use VersionState::*;
        let mut next = version.clone();
        match (version.state, event) {
            (Brouillon | Renvoyee, VersionEvent::Submit) => {
                next.state = EnRelecture;
            }
            (EnRelecture, VersionEvent::Approve { by, .. }) if *by == version.author_id => {
                return Err(Refusal::invalid(
                    "",
                    "Vous avez écrit cette version : elle doit être approuvée par une autre personne (référent qualité ou direction).",
                ));
            }
            (
                EnRelecture,
                VersionEvent::Approve {
                    by,
                    on,
                    number,
                    review_due,
                },
            ) => {
                let due = review_due.unwrap_or_else(|| default_review_due(*on));
                if due <= *on {
                    return Err(Refusal::invalid(
                        "review_due",
                        "La date de révision doit suivre la date d'approbation.",
                    ));
                }
                next.state = Approuvee;
                next.number = Some(*number);
                next.approved_on = Some(*on);
                next.approved_by = Some(*by);
                next.review_due = Some(due);
                next.review_comment = None;
            }
            (EnRelecture, VersionEvent::SendBack { comment, .. }) => {
                if comment.trim().is_empty() {
                    return Err(Refusal::invalid(
                        "comment",
                        "Dites à l'auteur ce qu'il faut reprendre.",
                    ));
                }
                next.state = Renvoyee;
                next.review_comment = Some(comment.trim().to_string());
            }
            (Approuvee, VersionEvent::Supersede) => {
                next.state = Obsolete;
            }
            (Approuvee | Obsolete, _) => {
                return Err(Refusal::invalid(
                    "",
                    "Cette version est approuvée : elle ne change plus. Modifiez la section pour en préparer une nouvelle.",
                ));
            }
            (EnRelecture, VersionEvent::Submit) => {
                return Err(Refusal::invalid("", "Cette version est déjà en relecture."));
            }
            (Brouillon | Renvoyee, _) => {
                return Err(Refusal::invalid(
                    "",
                    "Cette version n'est pas en relecture : soumettez-la d'abord.",
                ));
            }
            (EnRelecture, VersionEvent::Supersede) => {
                return Err(Refusal::invalid(
                    "",
                    "Seule une version en vigueur devient obsolète.",
                ));
            }
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::{OrgRef, OrganisationKind};
    use crate::policy::{Actor, Target};
    use crate::role::{Membership, Role};
    use crate::workflow::transition;
    use VersionState::*;

    const AUTHOR: i64 = 7;
    const REVIEWER: i64 = 8;
    const SIAE: OrgRef = OrgRef {
        id: 11,
        kind: OrganisationKind::Siae,
        region_id: Some(10),
    };

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn status(state: VersionState) -> VersionStatus {
        VersionStatus {
            state,
            author_id: AUTHOR,
            number: None,
            approved_on: None,
            approved_by: None,
            review_due: None,
            review_comment: None,
        }
    }

    fn approve(by: i64) -> VersionEvent {
        VersionEvent::Approve {
            by,
            on: day(10),
            number: 3,
            review_due: None,
        }
    }

    fn send_back(comment: &str) -> VersionEvent {
        VersionEvent::SendBack {
            by: REVIEWER,
            comment: comment.into(),
        }
    }

    /// Every state × event, with the state reached or the field refused, written out.
    #[test]
    fn the_lifecycle_table() {
        let approved = VersionStatus {
            state: Approuvee,
            number: Some(3),
            approved_on: Some(day(10)),
            approved_by: Some(REVIEWER),
            review_due: Some(NaiveDate::from_ymd_opt(2027, 3, 10).unwrap()),
            ..status(Brouillon)
        };
        let sent_back = VersionStatus {
            state: Renvoyee,
            review_comment: Some("Préciser le rythme des réunions".into()),
            ..status(Brouillon)
        };
        let cases: Vec<(VersionState, VersionEvent, Result<VersionStatus, &str>)> = vec![
            (Brouillon, VersionEvent::Submit, Ok(status(EnRelecture))),
            (Renvoyee, VersionEvent::Submit, Ok(status(EnRelecture))),
            (EnRelecture, VersionEvent::Submit, Err("")),
            (Brouillon, approve(REVIEWER), Err("")),
            (EnRelecture, approve(REVIEWER), Ok(approved.clone())),
            (EnRelecture, approve(AUTHOR), Err("")),
            (EnRelecture, send_back("  "), Err("comment")),
            (
                EnRelecture,
                send_back(" Préciser le rythme des réunions "),
                Ok(sent_back),
            ),
            (Brouillon, send_back("x"), Err("")),
            (Approuvee, VersionEvent::Supersede, Ok(status(Obsolete))),
            (EnRelecture, VersionEvent::Supersede, Err("")),
            (Approuvee, VersionEvent::Submit, Err("")),
            (Approuvee, approve(REVIEWER), Err("")),
            (Obsolete, VersionEvent::Submit, Err("")),
            (Obsolete, VersionEvent::Supersede, Err("")),
        ];
        for (state, event, expected) in cases {
            let got = SectionVersionLifecycle::next(&status(state), &event);
            match (got, expected) {
                (Ok(got), Ok(expected)) => assert_eq!(got, expected, "{state:?} {event:?}"),
                (Err(Refusal::Invalid { field, .. }), Err(expected)) => {
                    assert_eq!(field, expected, "{state:?} {event:?}")
                }
                (got, expected) => panic!("{state:?} {event:?}: {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn a_chosen_review_date_must_follow_the_approval() {
        let event = VersionEvent::Approve {
            by: REVIEWER,
            on: day(10),
            number: 1,
            review_due: Some(day(10)),
        };
        let refused = SectionVersionLifecycle::next(&status(EnRelecture), &event);
        assert!(matches!(
            refused,
            Err(Refusal::Invalid {
                field: "review_due",
                ..
            })
        ));
        assert_eq!(
            default_review_due(day(10)),
            NaiveDate::from_ymd_opt(2027, 3, 10).unwrap()
        );
    }

    #[test]
    fn only_the_siae_s_quality_people_review_and_an_accompagnateur_does_not() {
        let actor = |role| Actor {
            account_id: REVIEWER,
            memberships: vec![Membership {
                role,
                organisation_id: SIAE.id,
                region_id: SIAE.region_id,
            }],
        };
        let target = Target::Organisation(SIAE);
        for role in [Role::ReferentQualite, Role::Direction] {
            let done = transition::<SectionVersionLifecycle>(
                &status(EnRelecture),
                &approve(REVIEWER),
                &actor(role),
                target,
            );
            assert_eq!(done.map(|t| t.to.state), Ok(Approuvee), "{role:?}");
        }
        for role in [
            Role::Accompagnateur,
            Role::ReferentQualiteRegional,
            Role::Administrateur,
        ] {
            let refused = transition::<SectionVersionLifecycle>(
                &status(EnRelecture),
                &approve(REVIEWER),
                &actor(role),
                target,
            );
            assert_eq!(
                refused,
                Err(Refusal::Forbidden {
                    action: Action::ApproveManual
                }),
                "{role:?}"
            );
        }
    }
}
