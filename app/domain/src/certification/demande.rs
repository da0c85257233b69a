//! A demande de certification, on the lifecycle every workflow of Cedre follows
//! (`crate::workflow`): the SIAE's référent qualité (or direction) prepares it on an issued
//! edition of its manual and submits it to the regional référent qualité, who may return it for
//! completion (every round is kept); the regional board (CA) validates or refuses it, recording
//! its meeting; the regional référent forwards a validated demande to the federation, whose
//! responsable qualité assigns an external auditor once the conflicts of interest are screened
//! (`super::conflict`); the auditor confirms on their honour that they have none before the
//! audit starts.

use super::committee::CommitteeDecision;
use super::conflict::Screening;
use crate::policy::Action;
use crate::workflow::{Machine, Refusal};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DemandeState {
    /// Being prepared by the SIAE.
    Brouillon,
    /// With the regional référent qualité and the regional board.
    Soumise,
    /// Returned to the SIAE, saying what is missing.
    ACompleter,
    /// Validated by the regional board, to be forwarded.
    ValideeRegion,
    /// Refused by the regional board, with its reasons: the cycle ends there.
    RefuseeRegion,
    /// Forwarded to the federation's responsable qualité, who will assign an auditor.
    Transmise,
    /// An auditor is assigned and has yet to confirm on their honour that they have no conflict.
    AuditeurDesigne,
    /// The assigned auditor confirmed: they contact the SIAE and audit it.
    AuditEnCours,
    /// The auditor submitted their compte-rendu to the SIAE and the federation.
    RapportRemis,
    /// The federation opened the report to the certification committee, which decides.
    SoumiseAuComite,
    /// The committee certified the SIAE: a certificate valid three years.
    Certifiee,
    /// Certified, with conditions to meet by a deadline.
    CertifieeSousConditions,
    /// Postponed: the SIAE will apply again once ready.
    Ajournee,
    /// Refused by the committee, with its reasons.
    Refusee,
}

impl DemandeState {
    pub const ALL: [Self; 14] = [
        Self::Brouillon,
        Self::Soumise,
        Self::ACompleter,
        Self::ValideeRegion,
        Self::RefuseeRegion,
        Self::Transmise,
        Self::AuditeurDesigne,
        Self::AuditEnCours,
        Self::RapportRemis,
        Self::SoumiseAuComite,
        Self::Certifiee,
        Self::CertifieeSousConditions,
        Self::Ajournee,
        Self::Refusee,
    ];

    /// The stored code (a CHECK of `demandes.state` lists them).
    pub fn code(self) -> &'static str {
        match self {
            Self::Brouillon => "brouillon",
            Self::Soumise => "soumise",
            Self::ACompleter => "a_completer",
            Self::ValideeRegion => "validee_region",
            Self::RefuseeRegion => "refusee_region",
            Self::Transmise => "transmise",
            Self::AuditeurDesigne => "auditeur_designe",
            Self::AuditEnCours => "audit_en_cours",
            Self::RapportRemis => "rapport_remis",
            Self::SoumiseAuComite => "soumise_au_comite",
            Self::Certifiee => "certifiee",
            Self::CertifieeSousConditions => "certifiee_sous_conditions",
            Self::Ajournee => "ajournee",
            Self::Refusee => "refusee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Brouillon => "En préparation",
            Self::Soumise => "Soumise à la région",
            Self::ACompleter => "À compléter",
            Self::ValideeRegion => "Validée par le conseil d'administration régional",
            Self::RefuseeRegion => "Refusée par le conseil d'administration régional",
            Self::Transmise => "Transmise à la fédération",
            Self::AuditeurDesigne => "Auditeur désigné",
            Self::AuditEnCours => "Audit en cours",
            Self::RapportRemis => "Compte-rendu d'audit remis",
            Self::SoumiseAuComite => "Soumise au comité de certification",
            Self::Certifiee => "Certifiée",
            Self::CertifieeSousConditions => "Certifiée sous conditions",
            Self::Ajournee => "Ajournée",
            Self::Refusee => "Refusée par le comité de certification",
        }
    }

    /// Who acts next, for the pages that say what awaits whom.
    pub fn next_step(self) -> &'static str {
        match self {
            Self::Brouillon => "La structure prépare et soumet sa demande.",
            Self::Soumise => "Le référent qualité régional l'examine ; le conseil d'administration régional la valide ou la refuse.",
            Self::ACompleter => "La structure complète sa demande et la soumet de nouveau.",
            Self::ValideeRegion => "Le référent qualité régional la transmet à la fédération.",
            Self::RefuseeRegion => "Le cycle s'arrête : une nouvelle demande pourra être préparée.",
            Self::Transmise => "Le responsable qualité fédéral désigne un auditeur externe.",
            Self::AuditeurDesigne => "L'auditeur désigné déclare sur l'honneur n'avoir aucun conflit d'intérêts avec la structure.",
            Self::AuditEnCours => "L'auditeur prend contact avec la structure, fixe les dates, réalise l'audit et remet son compte-rendu.",
            Self::RapportRemis => "Le responsable qualité fédéral ouvre le compte-rendu au comité de certification.",
            Self::SoumiseAuComite => "Le comité de certification prend sa décision, sans l'auditeur.",
            Self::Certifiee => "La structure est certifiée trois ans ; le renouvellement se prépare avant l'échéance.",
            Self::CertifieeSousConditions => "La structure est certifiée ; elle lève les conditions avant leur échéance.",
            Self::Ajournee | Self::Refusee => "Le cycle s'arrête : une nouvelle demande pourra être préparée.",
        }
    }

    /// The SIAE may change its text and the edition it rests on.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Brouillon | Self::ACompleter)
    }

    /// The cycle goes on (a SIAE has at most one demande in progress).
    pub fn is_open(self) -> bool {
        !self.is_decided() && self != Self::RefuseeRegion
    }

    /// The committee decided: the cycle is over, whatever its outcome.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            Self::Certifiee | Self::CertifieeSousConditions | Self::Ajournee | Self::Refusee
        )
    }

    /// The auditor's compte-rendu exists (submitted, with the committee, or decided on).
    pub fn has_report(self) -> bool {
        matches!(self, Self::RapportRemis | Self::SoumiseAuComite) || self.is_decided()
    }

    /// The committee has the report (opened to it, or decided on).
    pub fn is_with_committee(self) -> bool {
        self == Self::SoumiseAuComite || self.is_decided()
    }

    /// The audit's dossier is open to its assigned auditor: from their declaration on their
    /// honour until the committee decides.
    pub fn is_audited(self) -> bool {
        matches!(
            self,
            Self::AuditEnCours | Self::RapportRemis | Self::SoumiseAuComite
        )
    }
}

impl fmt::Display for DemandeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for DemandeState {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| format!("unknown demande state {code:?}"))
    }
}

/// What a demande asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DemandeKind {
    /// The certification audit, decided by the committee.
    #[default]
    Certification,
    /// The rehearsal the SIAE may ask for first: the same steps up to the compte-rendu, which
    /// is advisory only and stays with the SIAE (and whoever funded the audit).
    AuditBlanc,
}

impl DemandeKind {
    pub const ALL: [Self; 2] = [Self::Certification, Self::AuditBlanc];

    /// The stored code (a CHECK of `demandes.kind` lists them).
    pub fn code(self) -> &'static str {
        match self {
            Self::Certification => "certification",
            Self::AuditBlanc => "audit_blanc",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Certification => "Demande de certification",
            Self::AuditBlanc => "Audit blanc",
        }
    }

    /// Where a demande of this kind stands, as the tables say it.
    pub fn stage(self, state: DemandeState) -> String {
        match self {
            Self::Certification => state.label().to_string(),
            Self::AuditBlanc => format!("Audit blanc : {}", state.label().to_lowercase()),
        }
    }

    /// Who acts next on a demande of this kind in `state`.
    pub fn next_step(self, state: DemandeState) -> &'static str {
        match (self, state) {
            (Self::AuditBlanc, DemandeState::RapportRemis) => {
                "L'audit blanc est terminé : la structure s'appuie sur son compte-rendu pour préparer sa demande de certification."
            }
            _ => state.next_step(),
        }
    }

    /// A demande of this kind in `state` is still under way: an audit blanc ends with its
    /// compte-rendu.
    pub fn is_open(self, state: DemandeState) -> bool {
        state.is_open() && !(self == Self::AuditBlanc && state == DemandeState::RapportRemis)
    }
}

impl FromStr for DemandeKind {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::from_code(code).ok_or_else(|| format!("unknown demande kind {code:?}"))
    }
}

/// What the lifecycle needs to know of a demande.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeStatus {
    pub kind: DemandeKind,
    pub state: DemandeState,
    /// The issued edition of the manual it rests on.
    pub edition_id: Option<i64>,
    /// The external auditor assigned to it (an account).
    pub auditor_id: Option<i64>,
    /// The audit's dates are set.
    pub audit_scheduled: bool,
}

/// The regional board's meeting that decided on a demande.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardMeeting {
    pub held_on: NaiveDate,
    /// The members present, one name each.
    pub members_present: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemandeEvent {
    /// The SIAE submits (or resubmits) it.
    Submit,
    /// The regional référent returns it, saying what is missing.
    ReturnForCompletion { comment: String },
    /// The regional board validates or refuses it (reasons required for a refusal).
    BoardDecision {
        meeting: BoardMeeting,
        validated: bool,
        reasons: String,
        today: NaiveDate,
    },
    /// The regional référent forwards it to the federation.
    Forward,
    /// The federation assigns an auditor, their ties screened; a looser tie needs a
    /// justification.
    Assign {
        auditor_id: i64,
        screening: Screening,
        justification: String,
    },
    /// The assigned auditor `by` declares on their honour that they have no conflict of interest.
    ConfirmNoConflict { by: i64 },
    /// The assigned auditor `by` sets the audit's dates, agreed with the SIAE.
    Schedule {
        by: i64,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    },
    /// The assigned auditor `by` submits their compte-rendu: its summary, and the requirements
    /// they have not assessed yet (none may be left).
    SubmitReport {
        by: i64,
        summary: String,
        unassessed: Vec<String>,
    },
    /// The federation's responsable qualité opens the report to the certification committee.
    OpenToCommittee,
    /// The committee's decision, as recorded by one of its members.
    CommitteeDecision {
        decision: CommitteeDecision,
        today: NaiveDate,
    },
}

pub struct DemandeLifecycle;

impl Machine for DemandeLifecycle {
    type State = DemandeStatus;
    type Event = DemandeEvent;

    fn required_action(event: &DemandeEvent) -> Action {
        match event {
            DemandeEvent::Submit => Action::EditDemande,
            DemandeEvent::ReturnForCompletion { .. } | DemandeEvent::Forward => {
                Action::ReviewDemande
            }
            DemandeEvent::BoardDecision { .. } => Action::DecideDemandeRegion,
            DemandeEvent::Assign { .. } => Action::AssignAuditor,
            DemandeEvent::ConfirmNoConflict { .. }
            | DemandeEvent::Schedule { .. }
            | DemandeEvent::SubmitReport { .. } => Action::ConductAudit,
            DemandeEvent::OpenToCommittee => Action::AssignAuditor,
            DemandeEvent::CommitteeDecision { .. } => Action::DecideCertification,
        }
    }

    fn next(demande: &DemandeStatus, event: &DemandeEvent) -> Result<DemandeStatus, Refusal> {
        use DemandeState::*;
        let to = match (demande.state, event) {
            (Brouillon | ACompleter, DemandeEvent::Submit) => {
                if demande.edition_id.is_none() {
                    return Err(Refusal::invalid(
                        "edition_id",
                        "Une demande s'appuie sur une édition émise du manuel qualité : émettez-en une, puis choisissez-la.",
                    ));
                }
                Soumise
            }
            (Soumise, DemandeEvent::ReturnForCompletion { comment }) => {
                if comment.trim().is_empty() {
                    return Err(Refusal::invalid(
                        "comment",
                        "Dites à la structure ce qui manque à sa demande.",
                    ));
                }
                ACompleter
            }
            (
                Soumise,
                DemandeEvent::BoardDecision {
                    meeting,
                    validated,
                    reasons,
                    today,
                },
            ) => {
                if meeting.held_on > *today {
                    return Err(Refusal::invalid(
                        "held_on",
                        "La réunion du conseil d'administration ne peut pas être datée dans le futur.",
                    ));
                }
                if meeting.members_present.iter().all(|m| m.trim().is_empty()) {
                    return Err(Refusal::invalid(
                        "members_present",
                        "Indiquez les membres présents, un par ligne.",
                    ));
                }
                if !validated && reasons.trim().is_empty() {
                    return Err(Refusal::invalid(
                        "reasons",
                        "Un refus se motive : indiquez les raisons du conseil d'administration.",
                    ));
                }
                if *validated {
                    ValideeRegion
                } else {
                    RefuseeRegion
                }
            }
            (ValideeRegion, DemandeEvent::Forward) => Transmise,
            (
                Transmise,
                DemandeEvent::Assign {
                    auditor_id,
                    screening,
                    justification,
                },
            ) => {
                let names = |ties: &[super::conflict::Tie]| {
                    ties.iter()
                        .map(|t| t.organisation_name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if !screening.blocking.is_empty() {
                    return Err(Refusal::invalid(
                        "auditor_id",
                        format!(
                            "Cet auditeur a un lien de moins de trois ans avec la structure ou son association régionale ({}) : désignez-en un autre.",
                            names(&screening.blocking)
                        ),
                    ));
                }
                if !screening.looser.is_empty() && justification.trim().is_empty() {
                    return Err(Refusal::invalid(
                        "justification",
                        format!(
                            "Cet auditeur a déclaré des liens à considérer ({}) : justifiez sa désignation.",
                            names(&screening.looser)
                        ),
                    ));
                }
                return Ok(DemandeStatus {
                    state: AuditeurDesigne,
                    auditor_id: Some(*auditor_id),
                    ..demande.clone()
                });
            }
            (AuditeurDesigne, DemandeEvent::ConfirmNoConflict { by })
            | (AuditEnCours, DemandeEvent::Schedule { by, .. })
            | (AuditEnCours, DemandeEvent::SubmitReport { by, .. })
                if demande.auditor_id != Some(*by) =>
            {
                return Err(Refusal::invalid(
                    "",
                    "Seul l'auditeur désigné pour cette demande le peut.",
                ));
            }
            (AuditeurDesigne, DemandeEvent::ConfirmNoConflict { .. }) => AuditEnCours,
            (
                AuditEnCours,
                DemandeEvent::Schedule {
                    starts_on, ends_on, ..
                },
            ) => {
                if ends_on < starts_on {
                    return Err(Refusal::invalid(
                        "ends_on",
                        "La fin de l'audit ne peut précéder son début.",
                    ));
                }
                AuditEnCours
            }
            (
                AuditEnCours,
                DemandeEvent::SubmitReport {
                    summary,
                    unassessed,
                    ..
                },
            ) => {
                if !demande.audit_scheduled {
                    return Err(Refusal::invalid(
                        "",
                        "Enregistrez d'abord les dates de l'audit.",
                    ));
                }
                if !unassessed.is_empty() {
                    return Err(Refusal::invalid(
                        "",
                        format!(
                            "Chaque exigence reçoit une appréciation avant la remise du compte-rendu ; il en manque {} : {}.",
                            unassessed.len(),
                            unassessed.join(", ")
                        ),
                    ));
                }
                if summary.trim().is_empty() {
                    return Err(Refusal::invalid(
                        "summary",
                        "Rédigez la synthèse du compte-rendu.",
                    ));
                }
                RapportRemis
            }
            (RapportRemis, DemandeEvent::OpenToCommittee)
                if demande.kind == DemandeKind::AuditBlanc =>
            {
                return Err(Refusal::invalid(
                    "",
                    "Un audit blanc prépare la structure : son compte-rendu ne va pas au comité de certification.",
                ));
            }
            (RapportRemis, DemandeEvent::OpenToCommittee) => SoumiseAuComite,
            (SoumiseAuComite, DemandeEvent::CommitteeDecision { decision, today }) => {
                decision.check(demande.auditor_id, *today)?;
                decision.verdict.state()
            }
            (state, _) => {
                return Err(Refusal::invalid(
                    "",
                    format!(
                        "Cette étape ne s'applique pas à une demande « {} ». {}",
                        state.label().to_lowercase(),
                        state.next_step()
                    ),
                ))
            }
        };
        Ok(DemandeStatus {
            state: to,
            ..demande.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certification::committee::{Participation, Seat, Verdict};
    use DemandeState::*;

    fn status(state: DemandeState) -> DemandeStatus {
        DemandeStatus {
            kind: DemandeKind::Certification,
            state,
            edition_id: Some(7),
            auditor_id: Some(31),
            audit_scheduled: true,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn decision(validated: bool, reasons: &str) -> DemandeEvent {
        DemandeEvent::BoardDecision {
            meeting: BoardMeeting {
                held_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                members_present: vec!["Anne Le Bihan".into(), "Yves Morvan".into()],
            },
            validated,
            reasons: reasons.into(),
            today: today(),
        }
    }

    fn events() -> Vec<(&'static str, DemandeEvent)> {
        vec![
            ("soumettre", DemandeEvent::Submit),
            (
                "renvoyer",
                DemandeEvent::ReturnForCompletion {
                    comment: "Joindre l'édition 2".into(),
                },
            ),
            ("valider", decision(true, "")),
            ("refuser", decision(false, "Manuel trop incomplet")),
            ("transmettre", DemandeEvent::Forward),
            (
                "désigner",
                DemandeEvent::Assign {
                    auditor_id: 31,
                    screening: Screening::default(),
                    justification: String::new(),
                },
            ),
            ("confirmer", DemandeEvent::ConfirmNoConflict { by: 31 }),
            (
                "planifier",
                DemandeEvent::Schedule {
                    by: 31,
                    starts_on: NaiveDate::from_ymd_opt(2027, 2, 2).unwrap(),
                    ends_on: NaiveDate::from_ymd_opt(2027, 2, 3).unwrap(),
                },
            ),
            ("remettre", report(31)),
            ("ouvrir", DemandeEvent::OpenToCommittee),
            ("certifier", committee(Verdict::Certifiee, 50)),
            ("ajourner", committee(Verdict::Ajournee, 50)),
        ]
    }

    fn report(by: i64) -> DemandeEvent {
        DemandeEvent::SubmitReport {
            by,
            summary: "Démarche qualité solide.".into(),
            unassessed: vec![],
        }
    }

    fn committee(verdict: Verdict, recorded_by: i64) -> DemandeEvent {
        DemandeEvent::CommitteeDecision {
            decision: CommitteeDecision {
                verdict,
                held_on: today(),
                seats: vec![Seat {
                    account_id: 50,
                    name: "Claire Fontaine".into(),
                    participation: Participation::Vote,
                }],
                reasons: "Conditions non réunies.".into(),
                conditions: String::new(),
                conditions_due_on: None,
                recorded_by,
            },
            today: today(),
        }
    }

    /// Every state × every event, the outcome written out: `-` refused.
    #[test]
    fn the_lifecycle_table() {
        const N: Option<DemandeState> = None;
        #[rustfmt::skip]
        let table: &[(DemandeState, [Option<DemandeState>; 12])] = &[
            //                         soumettre      renvoyer          valider              refuser              transmettre      désigner               confirmer           planifier           remettre            ouvrir                 certifier        ajourner
            (Brouillon,               [Some(Soumise), N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (Soumise,                 [N,             Some(ACompleter), Some(ValideeRegion), Some(RefuseeRegion), N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (ACompleter,              [Some(Soumise), N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (ValideeRegion,           [N,             N,                N,                   N,                   Some(Transmise), N,                     N,                  N,                  N,                  N,                     N,               N]),
            (RefuseeRegion,           [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (Transmise,               [N,             N,                N,                   N,                   N,               Some(AuditeurDesigne), N,                  N,                  N,                  N,                     N,               N]),
            (AuditeurDesigne,         [N,             N,                N,                   N,                   N,               N,                     Some(AuditEnCours), N,                  N,                  N,                     N,               N]),
            (AuditEnCours,            [N,             N,                N,                   N,                   N,               N,                     N,                  Some(AuditEnCours), Some(RapportRemis), N,                     N,               N]),
            (RapportRemis,            [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  Some(SoumiseAuComite), N,               N]),
            (SoumiseAuComite,         [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     Some(Certifiee), Some(Ajournee)]),
            (Certifiee,               [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (CertifieeSousConditions, [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (Ajournee,                [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
            (Refusee,                 [N,             N,                N,                   N,                   N,               N,                     N,                  N,                  N,                  N,                     N,               N]),
        ];
        assert_eq!(table.len(), DemandeState::ALL.len());
        for (from, outcomes) in table {
            for ((name, event), expected) in events().iter().zip(outcomes) {
                let got = DemandeLifecycle::next(&status(*from), event)
                    .ok()
                    .map(|s| s.state);
                assert_eq!(got, *expected, "{from:?} + {name}");
            }
        }
    }

    #[test]
    fn a_report_needs_its_dates_every_requirement_and_a_summary() {
        let unscheduled = DemandeStatus {
            audit_scheduled: false,
            ..status(AuditEnCours)
        };
        assert!(DemandeLifecycle::next(&unscheduled, &report(31)).is_err());
        let missing = DemandeEvent::SubmitReport {
            by: 31,
            summary: "Synthèse".into(),
            unassessed: vec!["1.2.a".into()],
        };
        assert!(DemandeLifecycle::next(&status(AuditEnCours), &missing).is_err());
        let empty = DemandeEvent::SubmitReport {
            by: 31,
            summary: " ".into(),
            unassessed: vec![],
        };
        assert!(matches!(
            DemandeLifecycle::next(&status(AuditEnCours), &empty),
            Err(Refusal::Invalid {
                field: "summary",
                ..
            })
        ));
        // Another auditor's report is refused.
        assert!(DemandeLifecycle::next(&status(AuditEnCours), &report(32)).is_err());
    }

    /// Every sequence of events, whoever sends them (the assigned auditor or another account,
    /// a committee with or without the auditor): none reaches a certification without a
    /// regional validation, a report submitted by the assigned auditor and a committee's
    /// decision the auditor neither recorded nor sat in. Explored exhaustively up to the
    /// length of the longest honest cycle plus slack, on every state reached.
    #[test]
    fn no_path_to_a_certification_skips_a_step() {
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        struct Seen {
            validated_by_region: bool,
            report_by_auditor: bool,
            decided_without_auditor: bool,
        }
        let auditor = 31;
        let mut alphabet: Vec<DemandeEvent> = events().into_iter().map(|(_, e)| e).collect();
        alphabet.push(report(99));
        alphabet.push(committee(Verdict::Certifiee, auditor));
        alphabet.push(committee(Verdict::CertifieeSousConditions, 50));
        let mut with_auditor_seated = committee(Verdict::Certifiee, 50);
        if let DemandeEvent::CommitteeDecision { decision, .. } = &mut with_auditor_seated {
            decision.seats.push(Seat {
                account_id: auditor,
                name: "L'auditeur".into(),
                participation: Participation::Vote,
            });
        }
        alphabet.push(with_auditor_seated);
        alphabet.push(DemandeEvent::ConfirmNoConflict { by: 99 });
        let start = DemandeStatus {
            kind: DemandeKind::Certification,
            state: Brouillon,
            edition_id: Some(7),
            auditor_id: None,
            audit_scheduled: true,
        };
        let mut frontier = vec![(start, Seen::default())];
        let mut visited = std::collections::HashSet::new();
        let mut certified = 0;
        for _ in 0..16 {
            let mut next = Vec::new();
            for (status, seen) in frontier {
                for event in &alphabet {
                    let Ok(to) = DemandeLifecycle::next(&status, event) else {
                        continue;
                    };
                    let mut seen = seen;
                    match event {
                        DemandeEvent::BoardDecision {
                            validated: true, ..
                        } => seen.validated_by_region = true,
                        DemandeEvent::SubmitReport { by, .. } if Some(*by) == to.auditor_id => {
                            seen.report_by_auditor = true
                        }
                        DemandeEvent::CommitteeDecision { decision, .. } => {
                            seen.decided_without_auditor = Some(decision.recorded_by)
                                != to.auditor_id
                                && decision
                                    .seats
                                    .iter()
                                    .all(|s| Some(s.account_id) != to.auditor_id);
                        }
                        _ => {}
                    }
                    if matches!(to.state, Certifiee | CertifieeSousConditions) {
                        certified += 1;
                        assert!(
                            seen.validated_by_region
                                && seen.report_by_auditor
                                && seen.decided_without_auditor,
                            "certified by {event:?}"
                        );
                    }
                    if visited.insert((
                        to.state,
                        to.auditor_id,
                        seen.validated_by_region,
                        seen.report_by_auditor,
                    )) {
                        next.push((to, seen));
                    }
                }
            }
            frontier = next;
        }
        assert!(certified > 0, "the honest path certifies");
    }

    /// Every sequence of events on an audit blanc: it reaches its compte-rendu and stops there,
    /// never with the committee nor decided.
    #[test]
    fn an_audit_blanc_ends_with_its_report() {
        let blanc = |state| DemandeStatus {
            kind: DemandeKind::AuditBlanc,
            auditor_id: None,
            ..status(state)
        };
        let mut frontier = vec![blanc(Brouillon)];
        let mut reached: Vec<DemandeStatus> = Vec::new();
        for _ in 0..12 {
            let mut next = Vec::new();
            for status in frontier {
                for (_, event) in events() {
                    if let Ok(to) = DemandeLifecycle::next(&status, &event) {
                        if !reached.contains(&to) {
                            reached.push(to.clone());
                            next.push(to);
                        }
                    }
                }
            }
            frontier = next;
        }
        let states: std::collections::HashSet<_> = reached.iter().map(|s| s.state).collect();
        assert!(states.contains(&RapportRemis), "{states:?}");
        for beyond in [
            SoumiseAuComite,
            Certifiee,
            CertifieeSousConditions,
            Ajournee,
            Refusee,
        ] {
            assert!(
                !states.contains(&beyond),
                "an audit blanc reached {beyond:?}"
            );
        }
        assert!(!DemandeKind::AuditBlanc.is_open(RapportRemis));
        assert!(DemandeKind::Certification.is_open(RapportRemis));
        assert!(DemandeKind::AuditBlanc.is_open(AuditEnCours));
    }

    #[test]
    fn a_demande_rests_on_an_issued_edition() {
        let draft = DemandeStatus {
            kind: DemandeKind::Certification,
            state: Brouillon,
            edition_id: None,
            auditor_id: None,
            audit_scheduled: false,
        };
        assert!(matches!(
            DemandeLifecycle::next(&draft, &DemandeEvent::Submit),
            Err(Refusal::Invalid {
                field: "edition_id",
                ..
            })
        ));
    }

    #[test]
    fn a_refusal_says_why_and_the_meeting_is_recorded() {
        let refused = DemandeLifecycle::next(&status(Soumise), &decision(false, "  "));
        assert!(matches!(
            refused,
            Err(Refusal::Invalid {
                field: "reasons",
                ..
            })
        ));
        let nobody = DemandeEvent::BoardDecision {
            meeting: BoardMeeting {
                held_on: today(),
                members_present: vec![" ".into()],
            },
            validated: true,
            reasons: String::new(),
            today: today(),
        };
        let refused = DemandeLifecycle::next(&status(Soumise), &nobody);
        assert!(matches!(
            refused,
            Err(Refusal::Invalid {
                field: "members_present",
                ..
            })
        ));
        let future = DemandeEvent::BoardDecision {
            meeting: BoardMeeting {
                held_on: today().succ_opt().unwrap(),
                members_present: vec!["Anne Le Bihan".into()],
            },
            validated: true,
            reasons: String::new(),
            today: today(),
        };
        let refused = DemandeLifecycle::next(&status(Soumise), &future);
        assert!(matches!(
            refused,
            Err(Refusal::Invalid {
                field: "held_on",
                ..
            })
        ));
        let returned = DemandeEvent::ReturnForCompletion {
            comment: " ".into(),
        };
        assert!(DemandeLifecycle::next(&status(Soumise), &returned).is_err());
    }

    #[test]
    fn a_blocking_tie_forbids_the_assignment_a_looser_one_needs_a_justification() {
        use crate::certification::conflict::{Tie, TieKind};
        let tie = Tie {
            id: 1,
            organisation_id: 5,
            organisation_name: "Emploi Solidaire du Pays de Rennes".into(),
            organisation_region_id: Some(2),
            kind: TieKind::Conseil,
            started_on: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
            ended_on: None,
        };
        let assign = |screening: Screening, justification: &str| DemandeEvent::Assign {
            auditor_id: 40,
            screening,
            justification: justification.into(),
        };
        let blocking = Screening {
            blocking: vec![tie.clone()],
            looser: vec![],
        };
        let refused = DemandeLifecycle::next(&status(Transmise), &assign(blocking, "Urgent"));
        assert!(matches!(
            refused,
            Err(Refusal::Invalid {
                field: "auditor_id",
                ..
            })
        ));
        let looser = Screening {
            blocking: vec![],
            looser: vec![tie],
        };
        let refused = DemandeLifecycle::next(&status(Transmise), &assign(looser.clone(), " "));
        assert!(matches!(
            refused,
            Err(Refusal::Invalid {
                field: "justification",
                ..
            })
        ));
        let assigned = DemandeLifecycle::next(
            &status(Transmise),
            &assign(looser, "Lien ancien et ponctuel"),
        )
        .unwrap();
        assert_eq!(
            (assigned.state, assigned.auditor_id),
            (AuditeurDesigne, Some(40))
        );
        // Only that auditor confirms.
        let other = DemandeEvent::ConfirmNoConflict { by: 41 };
        assert!(DemandeLifecycle::next(&assigned, &other).is_err());
        let confirmed =
            DemandeLifecycle::next(&assigned, &DemandeEvent::ConfirmNoConflict { by: 40 }).unwrap();
        assert_eq!(confirmed.state, AuditEnCours);
    }

    #[test]
    fn codes_are_stable() {
        for state in DemandeState::ALL {
            assert_eq!(state.code().parse::<DemandeState>(), Ok(state));
        }
    }
}
