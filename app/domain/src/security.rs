//! The security journal: who signed in, failed to, signed out, changed a password or was
//! refused a page, when and from where. Distinct from the audit trail (changes to data): it is
//! kept for a limited period (`CEDRE_SECURITY_LOG_DAYS`) and then purged.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Entries younger than this can never be removed (a trigger says the same).
pub const MIN_RETENTION_DAYS: i64 = 30;
pub const DEFAULT_RETENTION_DAYS: i64 = 365;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecurityKind {
    Login,
    LoginRefused,
    Logout,
    PasswordChanged,
    PasswordChangeRefused,
    AccessRefused,
}

impl SecurityKind {
    pub const ALL: [Self; 6] = [
        Self::Login,
        Self::LoginRefused,
        Self::Logout,
        Self::PasswordChanged,
        Self::PasswordChangeRefused,
        Self::AccessRefused,
    ];

    /// The stored code (a CHECK of `security_events.kind` lists them).
    pub fn code(self) -> &'static str {
        match self {
            Self::Login => "connexion",
            Self::LoginRefused => "connexion_refusee",
            Self::Logout => "deconnexion",
            Self::PasswordChanged => "mot_de_passe",
            Self::PasswordChangeRefused => "mot_de_passe_refuse",
            Self::AccessRefused => "acces_refuse",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Login => "Connexion",
            Self::LoginRefused => "Connexion refusée",
            Self::Logout => "Déconnexion",
            Self::PasswordChanged => "Mot de passe changé",
            Self::PasswordChangeRefused => "Changement de mot de passe refusé",
            Self::AccessRefused => "Accès refusé",
        }
    }
}

/// An event to record. `account` is the account's address, or what was typed at the login page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityEvent {
    pub kind: SecurityKind,
    pub account_id: Option<i64>,
    pub account: String,
    pub address: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: SecurityKind,
    pub account: String,
    pub address: String,
    pub detail: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityFilter {
    /// A kind's code.
    pub kind: Option<String>,
    /// Part of the account's address.
    pub account: Option<String>,
    /// Part of the client address.
    pub address: Option<String>,
    /// Inclusive dates, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in SecurityKind::ALL {
            assert_eq!(SecurityKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(SecurityKind::from_code("autre"), None);
    }
}
