//! The certification committee's decision on an audited demande (seed « B – La démarche de
//! certification », step 7): its verdict, the members present — each voting, abstaining or
//! recused —, its reasons and, for a certification under conditions, the conditions and their
//! deadline. The auditor of the audit never records it nor takes part in it; a member with a
//! declared tie to the SIAE is recused.

use super::demande::DemandeState;
use crate::workflow::Refusal;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    Certifiee,
    CertifieeSousConditions,
    Ajournee,
    Refusee,
}

impl Verdict {
    pub const ALL: [Self; 4] = [
        Self::Certifiee,
        Self::CertifieeSousConditions,
        Self::Ajournee,
        Self::Refusee,
    ];

    pub fn code(self) -> &'static str {
        self.state().code()
    }

    pub fn label(self) -> &'static str {
        self.state().label()
    }

    /// Where the demande goes.
    pub fn state(self) -> DemandeState {
        match self {
            Self::Certifiee => DemandeState::Certifiee,
            Self::CertifieeSousConditions => DemandeState::CertifieeSousConditions,
            Self::Ajournee => DemandeState::Ajournee,
            Self::Refusee => DemandeState::Refusee,
        }
    }

    /// The SIAE receives a certificate.
    pub fn certifies(self) -> bool {
        matches!(self, Self::Certifiee | Self::CertifieeSousConditions)
    }
}

impl FromStr for Verdict {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == code)
            .ok_or_else(|| format!("unknown verdict {code:?}"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Participation {
    Vote,
    Abstention,
    /// A declared tie with the SIAE: present, but takes no part.
    Recusal,
}

impl Participation {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vote => "vote",
            Self::Abstention => "abstention",
            Self::Recusal => "recusal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Vote => "a pris part à la décision",
            Self::Abstention => "s'est abstenu",
            Self::Recusal => "récusé (lien déclaré avec la structure)",
        }
    }
}

/// A member of the committee present at the meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub account_id: i64,
    pub name: String,
    pub participation: Participation,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeDecision {
    pub verdict: Verdict,
    pub held_on: NaiveDate,
    pub seats: Vec<Seat>,
    pub reasons: String,
    /// For a certification under conditions: what the SIAE must do, and by when.
    pub conditions: String,
    pub conditions_due_on: Option<NaiveDate>,
    /// The member who records it (an account).
    pub recorded_by: i64,
}

impl CommitteeDecision {
    /// Whether the decision may stand, the audit having been made by `auditor_id`.
    pub fn check(&self, auditor_id: Option<i64>, today: NaiveDate) -> Result<(), Refusal> {
        if auditor_id == Some(self.recorded_by) {
            return Err(Refusal::invalid(
                "",
                "L'auditeur de cet audit ne peut ni enregistrer la décision du comité ni y prendre part.",
            ));
        }
        let seat_of = |id: i64| self.seats.iter().find(|s| s.account_id == id);
        if let Some(auditor) = auditor_id.and_then(seat_of) {
            return Err(Refusal::invalid(
                "members",
                format!(
                    "{} a réalisé l'audit : il ne siège pas pour cette décision.",
                    auditor.name
                ),
            ));
        }
        if seat_of(self.recorded_by).is_some_and(|s| s.participation == Participation::Recusal) {
            return Err(Refusal::invalid(
                "",
                "Vous avez déclaré un lien avec la structure : vous êtes récusé et ne pouvez enregistrer la décision.",
            ));
        }
        if self.held_on > today {
            return Err(Refusal::invalid(
                "held_on",
                "La réunion du comité ne peut pas être datée dans le futur.",
            ));
        }
        if !self
            .seats
            .iter()
            .any(|s| s.participation == Participation::Vote)
        {
            return Err(Refusal::invalid(
                "members",
                "Au moins un membre présent, non récusé, prend part à la décision.",
            ));
        }
        if self.verdict != Verdict::Certifiee && self.reasons.trim().is_empty() {
            return Err(Refusal::invalid(
                "reasons",
                "Motivez la décision : elle n'est pas une certification sans réserve.",
            ));
        }
        if self.verdict == Verdict::CertifieeSousConditions {
            if self.conditions.trim().is_empty() {
                return Err(Refusal::invalid(
                    "conditions",
                    "Indiquez les conditions que la structure doit lever.",
                ));
            }
            if self.conditions_due_on.is_none_or(|due| due <= self.held_on) {
                return Err(Refusal::invalid(
                    "conditions_due_on",
                    "Indiquez l'échéance des conditions, après la réunion du comité.",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, d).unwrap()
    }

    fn seat(account_id: i64, participation: Participation) -> Seat {
        Seat {
            account_id,
            name: format!("Membre {account_id}"),
            participation,
        }
    }

    fn decision(verdict: Verdict) -> CommitteeDecision {
        CommitteeDecision {
            verdict,
            held_on: day(10),
            seats: vec![
                seat(1, Participation::Vote),
                seat(2, Participation::Abstention),
            ],
            reasons: String::new(),
            conditions: String::new(),
            conditions_due_on: None,
            recorded_by: 1,
        }
    }

    fn field(result: Result<(), Refusal>) -> Option<&'static str> {
        match result {
            Ok(()) => None,
            Err(Refusal::Invalid { field, .. }) => Some(field),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_plain_certification_needs_a_voting_member_only() {
        assert_eq!(
            field(decision(Verdict::Certifiee).check(Some(9), day(10))),
            None
        );
        let mut nobody_votes = decision(Verdict::Certifiee);
        nobody_votes.seats = vec![
            seat(1, Participation::Abstention),
            seat(2, Participation::Recusal),
        ];
        assert_eq!(field(nobody_votes.check(Some(9), day(10))), Some("members"));
    }

    #[test]
    fn the_auditor_never_records_nor_sits() {
        let mut by_auditor = decision(Verdict::Certifiee);
        by_auditor.recorded_by = 9;
        assert_eq!(field(by_auditor.check(Some(9), day(10))), Some(""));
        let mut auditor_sits = decision(Verdict::Certifiee);
        auditor_sits.seats.push(seat(9, Participation::Abstention));
        assert_eq!(field(auditor_sits.check(Some(9), day(10))), Some("members"));
    }

    #[test]
    fn a_recused_member_does_not_record() {
        let mut recused = decision(Verdict::Certifiee);
        recused.seats[0].participation = Participation::Recusal;
        recused.seats.push(seat(3, Participation::Vote));
        assert_eq!(field(recused.check(Some(9), day(10))), Some(""));
    }

    #[test]
    fn reasons_conditions_and_dates() {
        assert_eq!(
            field(decision(Verdict::Ajournee).check(None, day(10))),
            Some("reasons")
        );
        assert_eq!(
            field(decision(Verdict::Refusee).check(None, day(10))),
            Some("reasons")
        );
        let mut conditional = decision(Verdict::CertifieeSousConditions);
        conditional.reasons = "Deux non-conformités mineures.".into();
        assert_eq!(field(conditional.check(None, day(10))), Some("conditions"));
        conditional.conditions = "Formaliser la procédure d'accueil.".into();
        assert_eq!(
            field(conditional.check(None, day(10))),
            Some("conditions_due_on")
        );
        conditional.conditions_due_on = Some(day(10));
        assert_eq!(
            field(conditional.check(None, day(10))),
            Some("conditions_due_on")
        );
        conditional.conditions_due_on = Some(day(30));
        assert_eq!(field(conditional.check(None, day(10))), None);
        assert_eq!(field(conditional.check(None, day(9))), Some("held_on"));
    }

    #[test]
    fn codes_are_stable() {
        for verdict in Verdict::ALL {
            assert_eq!(verdict.code().parse::<Verdict>(), Ok(verdict));
        }
    }
}
