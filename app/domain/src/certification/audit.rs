//! The external audit (seed « B », step 5): what the auditor saw, frozen when the audit starts
//! (the manual's edition, the self-assessment, every evidence file with its SHA-256); their
//! appreciation of each requirement with findings citing that snapshot; the compte-rendu; and
//! who may read the audit's file — its auditor while assigned, then the SIAE and the federation
//! once the report is submitted, the committee once the federation opened it to them. No
//! other role, region or SIAE. An audit blanc's file goes to the SIAE alone, and to whoever
//! funded the audit (the federation or the region).

use super::demande::{DemandeKind, DemandeState};
use crate::assessment::Status;
use crate::organisation::OrgRef;
use crate::policy::{Action, Actor, Target};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FindingKind {
    PointFort,
    PisteDeProgres,
    NonConformiteMineure,
    NonConformiteMajeure,
}

impl FindingKind {
    pub const ALL: [Self; 4] = [
        Self::PointFort,
        Self::PisteDeProgres,
        Self::NonConformiteMineure,
        Self::NonConformiteMajeure,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::PointFort => "point_fort",
            Self::PisteDeProgres => "piste_de_progres",
            Self::NonConformiteMineure => "non_conformite_mineure",
            Self::NonConformiteMajeure => "non_conformite_majeure",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PointFort => "Point fort",
            Self::PisteDeProgres => "Piste de progrès",
            Self::NonConformiteMineure => "Non-conformité mineure",
            Self::NonConformiteMajeure => "Non-conformité majeure",
        }
    }
}

impl FromStr for FindingKind {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| format!("unknown finding kind {code:?}"))
    }
}

/// An evidence file as the audit froze it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenDocument {
    pub document_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// The requirements it was linked to.
    pub requirements: Vec<String>,
}

/// A requirement's self-assessment as the audit froze it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenAssessment {
    pub status: Status,
    pub comment: String,
}

/// What the auditor saw, fixed when the audit started; the committee sees the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSnapshot {
    pub taken_at: DateTime<Utc>,
    pub edition_id: i64,
    pub edition_number: i64,
    pub edition_sha256: String,
    pub assessment: BTreeMap<String, FrozenAssessment>,
    pub documents: Vec<FrozenDocument>,
}

impl AuditSnapshot {
    pub fn documents_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a FrozenDocument> {
        self.documents
            .iter()
            .filter(move |d| d.requirements.iter().any(|r| r == key))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: i64,
    pub requirement_key: String,
    pub kind: FindingKind,
    pub text: String,
    /// Frozen documents the auditor saw for it (ids of the snapshot's documents).
    pub evidence: Vec<i64>,
}

/// A requirement's result in an audit: the auditor's appreciation and findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementResult {
    pub status: Status,
    pub comment: String,
    pub findings: Vec<Finding>,
}

/// A requirement's result in the SIAE's previous audit, beside the current one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousResult {
    /// The audit it comes from: « audit de certification » or « audit blanc partagé ».
    pub from: String,
    pub status: Status,
    pub findings: Vec<FindingKind>,
}

/// One line of the audit grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridLine {
    pub key: String,
    pub title: String,
    pub section: String,
    pub frozen: Option<FrozenAssessment>,
    pub documents: Vec<FrozenDocument>,
    pub previous: Option<PreviousResult>,
    pub result: RequirementResult,
}

/// Who reads an audit's file, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditReader {
    /// The auditor assigned to it, from their declaration until the committee decides.
    Auditor,
    /// The audited SIAE or the federation's responsable qualité, once the report is submitted.
    Recipient,
    /// A member of the certification committee, once the report is opened to the committee.
    Committee,
}

/// The audit whose file is read: what it is for, its state, its auditor and, for an audit
/// blanc, the organisation that funded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditFile {
    pub kind: DemandeKind,
    pub state: DemandeState,
    pub auditor_id: Option<i64>,
    pub funder_id: Option<i64>,
}

impl AuditReader {
    /// Why `actor` may read the file of `audit`, an audit of `siae`.
    pub fn of(actor: &Actor, siae: OrgRef, audit: AuditFile) -> Option<Self> {
        let target = Target::Organisation(siae);
        let state = audit.state;
        let member_of = |organisation: i64| {
            actor
                .memberships
                .iter()
                .any(|m| m.organisation_id == organisation)
        };
        let recipient = match audit.kind {
            DemandeKind::Certification => actor.may(Action::ReadAuditReport, target),
            // The SIAE's own readers; of the funder, who follows the demande there.
            DemandeKind::AuditBlanc => {
                (member_of(siae.id) && actor.may(Action::ReadAuditReport, target))
                    || (audit.funder_id.is_some_and(member_of)
                        && (actor.may(Action::ReviewDemande, target)
                            || actor.may(Action::AssignAuditor, target)))
            }
        };
        if audit.auditor_id == Some(actor.account_id)
            && state.is_audited()
            && audit.kind.is_open(state)
            && actor.may(Action::ConductAudit, Target::Global)
        {
            Some(Self::Auditor)
        } else if state.has_report() && recipient {
            Some(Self::Recipient)
        } else if state.is_with_committee() && actor.may(Action::DecideCertification, target) {
            Some(Self::Committee)
        } else {
            None
        }
    }
}

/// The audit grid: the auditor works on it; the report's readers read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditGrid {
    pub siae_id: i64,
    pub siae_name: String,
    pub demande_id: i64,
    pub state: DemandeState,
    pub auditor_name: String,
    pub audit_dates: Option<(NaiveDate, NaiveDate)>,
    pub snapshot: AuditSnapshot,
    pub lines: Vec<GridLine>,
    /// The compte-rendu's summary (a draft while the audit is in progress).
    pub summary: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reader: AuditReader,
    /// The auditor may still change it.
    pub editable: bool,
    /// For the federation: who read the report, and when.
    pub readings: Option<Vec<Reading>>,
    /// The federation may open the report to the committee.
    pub can_open_to_committee: bool,
}

impl AuditGrid {
    /// Findings of each kind, in the order of [`FindingKind::ALL`].
    pub fn counts(&self) -> Vec<(FindingKind, usize)> {
        FindingKind::ALL
            .into_iter()
            .map(|kind| {
                let n = self
                    .lines
                    .iter()
                    .flat_map(|l| &l.result.findings)
                    .filter(|f| f.kind == kind)
                    .count();
                (kind, n)
            })
            .collect()
    }
}

/// A reading of an audit report, recorded for the federation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub read_at: DateTime<Utc>,
    pub reader_name: String,
    /// `page` or `pdf`.
    pub what: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::OrganisationKind;
    use crate::role::{Membership, Role};
    use DemandeState::*;

    const SIAE: OrgRef = OrgRef {
        id: 11,
        kind: OrganisationKind::Siae,
        region_id: Some(10),
    };

    fn actor(account_id: i64, role: Role, organisation_id: i64, region_id: Option<i64>) -> Actor {
        Actor {
            account_id,
            memberships: vec![Membership {
                role,
                organisation_id,
                region_id,
            }],
        }
    }

    #[test]
    fn who_reads_an_audit_file_by_state() {
        let auditor = actor(40, Role::AuditeurExterne, 30, None);
        let other_auditor = actor(41, Role::AuditeurExterne, 30, None);
        let referent = actor(50, Role::ReferentQualite, 11, Some(10));
        let neighbour = actor(51, Role::ReferentQualite, 12, Some(10));
        let federal = actor(60, Role::ResponsableQualiteFederal, 1, None);
        let committee = actor(61, Role::MembreComiteCertification, 1, None);
        let region = actor(70, Role::ReferentQualiteRegional, 10, Some(10));
        let board = actor(71, Role::MembreCaRegional, 10, Some(10));
        let admin = actor(80, Role::Administrateur, 1, None);
        use AuditReader::*;
        #[rustfmt::skip]
        let table: &[(DemandeState, [Option<AuditReader>; 9])] = &[
            //                        auditor        other  referent         neighbour federal          committee        region board admin
            (AuditeurDesigne,         [None,         None,  None,            None,     None,            None,            None,  None, None]),
            (AuditEnCours,            [Some(Auditor), None, None,            None,     None,            None,            None,  None, None]),
            (RapportRemis,            [Some(Auditor), None, Some(Recipient), None,     Some(Recipient), None,            None,  None, None]),
            (SoumiseAuComite,         [Some(Auditor), None, Some(Recipient), None,     Some(Recipient), Some(Committee), None,  None, None]),
            (Certifiee,               [None,         None,  Some(Recipient), None,     Some(Recipient), Some(Committee), None,  None, None]),
            (Refusee,                 [None,         None,  Some(Recipient), None,     Some(Recipient), Some(Committee), None,  None, None]),
        ];
        let actors = [
            &auditor,
            &other_auditor,
            &referent,
            &neighbour,
            &federal,
            &committee,
            &region,
            &board,
            &admin,
        ];
        for (state, expected) in table {
            for (who, want) in actors.iter().zip(expected) {
                let file = AuditFile {
                    kind: DemandeKind::Certification,
                    state: *state,
                    auditor_id: Some(40),
                    funder_id: None,
                };
                assert_eq!(
                    AuditReader::of(who, SIAE, file),
                    *want,
                    "{state:?} account {}",
                    who.account_id
                );
            }
        }
        // An audit blanc's report: the SIAE alone; the region too when it funded it, the
        // federation when it did. Its auditor's reading ends with the report.
        #[rustfmt::skip]
        let blanc: &[(Option<i64>, [Option<AuditReader>; 9])] = &[
            //        auditor other  referent         neighbour federal          committee region           board admin
            (None,     [None, None, Some(Recipient), None,     None,            None,     None,            None, None]),
            (Some(10), [None, None, Some(Recipient), None,     None,            None,     Some(Recipient), None, None]),
            (Some(1),  [None, None, Some(Recipient), None,     Some(Recipient), None,     None,            None, None]),
        ];
        for (funder_id, expected) in blanc {
            for (who, want) in actors.iter().zip(expected) {
                let file = AuditFile {
                    kind: DemandeKind::AuditBlanc,
                    state: RapportRemis,
                    auditor_id: Some(40),
                    funder_id: *funder_id,
                };
                assert_eq!(
                    AuditReader::of(who, SIAE, file),
                    *want,
                    "funded by {funder_id:?}, account {}",
                    who.account_id
                );
            }
        }
    }
}
