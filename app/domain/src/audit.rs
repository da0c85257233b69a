//! Entries of the audit trail, as read back, and the filter of the trail's page.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: String,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub summary: String,
    /// JSON: the values of a creation, or `{ field: { avant, après } }`.
    pub changes: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub actor: Option<String>,
    pub organisation_id: Option<i64>,
    /// Inclusive dates, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: i64,
}
