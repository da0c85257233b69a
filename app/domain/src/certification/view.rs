//! What the certification pages show, as the server gives it.

use super::certificate::Certificate;
use super::committee::CommitteeDecision;
use super::conflict::{Screening, Tie};
use super::demande::{BoardMeeting, DemandeKind, DemandeState};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demande {
    pub id: i64,
    pub siae_id: i64,
    pub kind: DemandeKind,
    pub state: DemandeState,
    /// The issued edition of the manual it rests on.
    pub edition_id: Option<i64>,
    /// The SIAE's message to the region.
    pub message: String,
    /// The external auditor assigned (an account).
    pub auditor_id: Option<i64>,
    /// The audit's first and last days, once the auditor set them.
    pub audit_dates: Option<(NaiveDate, NaiveDate)>,
    pub created_at: DateTime<Utc>,
    /// For an audit blanc: when the SIAE shared its results with its next certification audit.
    pub shared_at: Option<DateTime<Utc>>,
}

impl Demande {
    /// Still under way (an audit blanc ends with its compte-rendu).
    pub fn is_open(&self) -> bool {
        self.kind.is_open(self.state)
    }
}

/// The self-assessment as it was when the demande was submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSnapshot {
    pub conformes: usize,
    pub applicables: usize,
    /// Each requirement's status (its label), by key.
    pub exigences: BTreeMap<String, String>,
}

/// A step of a demande's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeStep {
    pub occurred_at: DateTime<Utc>,
    pub actor_name: String,
    /// `None` when the demande was opened.
    pub from: Option<DemandeState>,
    pub to: DemandeState,
    pub comment: String,
    /// A submission: the number of the edition it rested on, and the self-assessment.
    pub edition_number: Option<i64>,
    pub assessment: Option<AssessmentSnapshot>,
    /// A board decision: its meeting.
    pub meeting: Option<BoardMeeting>,
}

/// An issued edition a demande can rest on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionChoice {
    pub id: i64,
    pub number: i64,
    pub issued_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandePage {
    pub siae_id: i64,
    pub siae_name: String,
    /// The latest demande, if any, and its timeline (oldest step first).
    pub current: Option<Demande>,
    pub steps: Vec<DemandeStep>,
    /// For those who prepare it: the issued editions, the latest first.
    pub editions: Vec<EditionChoice>,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_decide: bool,
    /// For the federation, while it waits for an auditor: every auditor, their ties screened.
    pub auditors: Vec<AuditorOption>,
    /// The auditor assigned, by name.
    pub auditor_name: Option<String>,
    /// The caller is the auditor assigned to it.
    pub caller_is_auditor: bool,
    /// The caller may open the audit's grid and report.
    pub reads_audit: bool,
    /// The audits (certification, audit blanc) whose report is submitted and read by the
    /// caller: their action plans exist (read as the report is).
    pub action_plans: Vec<super::demande::DemandeKind>,
    /// For the SIAE's editors, once a later demande is open: its audit blanc not shared yet,
    /// which it may still share with its certification audit.
    pub unshared_audit_blanc: Option<Demande>,
    /// What the current demande's audit costs, once its auditor is assigned.
    pub cost: Option<super::cost::AuditCost>,
    /// The caller is its assigned auditor, who records the invoice.
    pub can_invoice: bool,
    /// The caller records the funding granted (the federation).
    pub can_fund: bool,
    /// For a committee member while the committee decides: its members, recusals screened.
    pub committee: Vec<CommitteeMember>,
    /// The committee's decision, once taken.
    pub decision: Option<CommitteeDecision>,
    /// The SIAE's latest certificate.
    pub certificate: Option<Certificate>,
    /// The caller sits on the committee, which may withdraw the certificate.
    pub can_withdraw: bool,
}

/// A member of the certification committee, and the ties that recuse them for this SIAE.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeMember {
    pub account_id: i64,
    pub name: String,
    pub recused_by: Vec<String>,
}

/// An external auditor the federation may assign, with what the screening found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditorOption {
    pub account_id: i64,
    pub name: String,
    pub screening: Screening,
}

/// An auditor's own declaration of ties.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TiesPage {
    pub ties: Vec<Tie>,
    /// The organisations of the network a tie can name: the regions and the SIAE.
    pub organisations: Vec<(i64, String)>,
}
