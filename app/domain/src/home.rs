//! What the home page shows: one section for each kind of responsibility the user holds.

use crate::account::Account;
use crate::assessment::{Gap, SiaeProgress};
use crate::audit::AuditEntry;
use crate::certification::demande::{DemandeKind, DemandeState};
use crate::organisation::Organisation;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum HomeSection {
    Administration {
        accounts_awaiting_first_login: Vec<Account>,
        disabled_accounts: i64,
        recent_changes: Vec<AuditEntry>,
    },
    Federation {
        regions: Vec<RegionSummary>,
        /// The demandes waiting for the caller at the federation: an auditor to assign, a
        /// report to open to the committee, a decision to take.
        awaiting: Vec<DemandeWaiting>,
        /// Every SIAE's latest cycle, for those who follow the demandes; certificates ending
        /// first come first.
        cycles: Vec<CycleRow>,
        /// The caller keeps a declaration of ties (a member of the committee).
        declares_ties: bool,
    },
    Region {
        region: Organisation,
        siae: Vec<SiaeProgress>,
        /// The demandes of its SIAE that wait for the region (examination, board, transmission)
        /// and that the caller follows.
        demandes: Vec<DemandeWaiting>,
    },
    Siae {
        siae: Organisation,
        roles: Vec<String>,
        /// The self-assessment at a glance, when the role may read it.
        assessment: Option<AssessmentSummary>,
        /// The manuel qualité at a glance, when the role may read it.
        manual: Option<ManualGlance>,
        /// Its latest demande de certification and certificate, when the role follows them.
        certification: Option<crate::certification::certificate::CertificationGlance>,
        /// The suivi a minima of the SIAE's people, for its staff.
        suivi: Option<Box<crate::parcours::view::SuiviGlance>>,
    },
    Cabinet {
        cabinet: Organisation,
        /// The demandes assigned to the caller as auditor, still in progress.
        assignments: Vec<DemandeWaiting>,
    },
}

/// A demande that waits for the region, or is assigned to an auditor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeWaiting {
    pub siae_id: i64,
    pub siae_name: String,
    pub kind: DemandeKind,
    pub state: DemandeState,
}

impl DemandeWaiting {
    /// « — Soumise à la région. Le référent qualité régional l'examine… », after the SIAE's name.
    pub fn describe(&self) -> String {
        format!(
            " — {}. {}",
            self.kind.stage(self.state),
            self.kind.next_step(self.state)
        )
    }
}

/// A SIAE's latest certification cycle, for the federation's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleRow {
    pub siae_id: i64,
    pub siae_name: String,
    pub region_name: String,
    pub kind: DemandeKind,
    pub state: DemandeState,
    pub auditor_name: Option<String>,
    pub audit_dates: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub certification: crate::certification::certificate::CertificationGlance,
    /// What its audit costs, once an auditor is assigned.
    pub cost: Option<crate::certification::cost::AuditCost>,
}

/// A section of the manual, named for a link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionLink {
    pub id: i64,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualGlance {
    pub sections: usize,
    pub in_force: usize,
    /// Versions in review written by someone else: the caller may approve them.
    pub to_review: Vec<SectionLink>,
    /// The caller's versions sent back to them.
    pub sent_back: Vec<SectionLink>,
    /// Sections whose version in force is past its review date.
    pub review_overdue: Vec<SectionLink>,
    /// Numbers of the editions given to the caller and not yet acknowledged.
    pub editions_to_read: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSummary {
    pub overall: u32,
    pub overdue: usize,
    /// The next requirements to deal with, by target date.
    pub next: Vec<Gap>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    pub region: Organisation,
    pub siae_count: usize,
}
