//! Reading the audit trail (administrators).

use crate::db::{self, Db};
use crate::error::BackendResult;
use crate::identity::Identity;
use domain::audit::{AuditEntry, AuditFilter};
use domain::policy::{Action, Target};

pub use db::audit::PAGE_SIZE;

/// One page of the trail, newest first, and whether a next page exists.
pub async fn list(
    db: &Db,
    by: &Identity,
    filter: &AuditFilter,
) -> BackendResult<(Vec<AuditEntry>, bool)> {
    by.require(Action::ViewAuditTrail, Target::Global)?;
    db::audit::page(&db.pool, filter).await
}
