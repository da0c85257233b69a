//! Data that crosses between server functions and pages, shared by both builds.

use domain::account::{AccountDetail, Member};
use domain::audit::AuditEntry;
use domain::organisation::Organisation;
use domain::policy::Actor;
use domain::role::MembershipDetail;
use domain::security::SecurityEntry;
use domain::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashKind {
    Succes,
    Erreur,
}

/// A message shown once, on the page after a form post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashMessage {
    pub kind: FlashKind,
    pub text: String,
}

/// A refused form post, shown again on the page it came from: what was typed (never a password)
/// and the messages, by field. Kept on the server for the browser's next page, never in a cookie.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEcho {
    /// The path the form posts to, `/api/organisations/creer`: which form of the page it is.
    pub action: String,
    /// The submitted `name=value` pairs, in order.
    pub values: Vec<(String, String)>,
    pub errors: FieldErrors,
}

impl FormEcho {
    /// The value submitted under `name` (the first one, if the name came several times).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The signed-in user, as the layout shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub account_id: i64,
    pub display_name: String,
    pub email: String,
    pub memberships: Vec<MembershipDetail>,
    pub actor: Actor,
    pub must_change_password: bool,
    pub must_enrol_second_factor: bool,
}

pub use domain::home::{AssessmentSummary, HomeSection, RegionSummary};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationPage {
    pub organisation: Organisation,
    /// `None` when the caller may not see who works there.
    pub members: Option<Vec<Member>>,
    /// For a region, its SIAE the caller may see.
    pub siae: Vec<Organisation>,
    pub can_edit: bool,
    /// Whether the caller may open this SIAE's self-assessment.
    pub can_view_assessment: bool,
    /// Whether the caller follows this SIAE's demande de certification.
    pub can_view_demande: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub detail: AccountDetail,
    /// Organisations in which a role can be granted, with the roles each accepts.
    pub organisations: Vec<Organisation>,
    /// The temporary password this administrator just gave the account: shown once, here.
    pub temporary_password: Option<String>,
    /// The account signs in with a second factor.
    pub second_factor: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEntry>,
    pub has_more: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityPage {
    pub events: Vec<SecurityEntry>,
    pub has_more: bool,
}

/// The mail outbox, for the administrators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    /// Whether the site sends mail (`CEDRE_SMTP_URL`).
    pub sends_mail: bool,
    /// The latest mails, newest first.
    pub mails: Vec<domain::outbox::OutboxMail>,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Present on the requests of a demonstration installation (loaded by `cedre demo`): every page
/// shows the « Démonstration » banner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoInstance;

/// The caller's second factor, as « Double authentification » shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecondFactorPage {
    pub enabled: bool,
    /// Their roles require it: it cannot be removed, and must be set up before anything else.
    pub required: bool,
    pub recovery_codes_left: i64,
    /// An enrolment started: the secret to scan or type, until a code confirms it.
    pub pending: Option<PendingEnrolment>,
    /// Recovery codes just issued, shown this once.
    pub new_recovery_codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingEnrolment {
    /// The secret in groups of four letters, for typing it.
    pub secret: String,
    /// The QR code, as an image address (`data:image/svg+xml;…`).
    pub qr_code: String,
}

/// What the code prompt of a login shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodePrompt {
    /// The ticket of the password step is still valid.
    pub waiting: bool,
    /// On a demonstration installation, the code a demo account's application would show.
    pub demo_code: Option<String>,
}
