//! What the pages of the manual show, as the server gives it.

use super::content::FormContext;
use super::section::Section;
use super::version::{SectionVersion, VersionState};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The version in force of a section, in short.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForce {
    pub number: i64,
    pub approved_on: NaiveDate,
    pub review_due: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSummary {
    pub section: Section,
    pub in_force: Option<InForce>,
    /// The state of the open version, for those who write the manual.
    pub open: Option<VersionState>,
}

impl SectionSummary {
    /// Its version in force is past its review date.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.in_force.as_ref().is_some_and(|v| v.review_due < today)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualOverview {
    pub siae_id: i64,
    pub siae_name: String,
    pub sections: Vec<SectionSummary>,
    /// The caller writes the manual (drafts, order, new sections).
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionPage {
    pub siae_name: String,
    pub section: Section,
    /// What the section should contain.
    pub hint: String,
    pub in_force: Option<SectionVersion>,
    /// The version being written or reviewed, for those who write the manual.
    pub open: Option<SectionVersion>,
    /// Every approved version, the one in force first, then the obsolete ones.
    pub history: Vec<SectionVersion>,
    pub can_edit: bool,
    pub can_approve: bool,
    /// The caller, to tell them that they cannot approve their own version.
    pub account_id: i64,
    /// For those who write the manual: the lists a structured form offers.
    pub form_context: FormContext,
}
