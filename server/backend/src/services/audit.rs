//! Reading the audit trail (administrators) and verifying its chain (`cedre journal verifier`).

use crate::db::{self, Db};
use crate::error::BackendResult;
use crate::identity::Identity;
use domain::audit::{AuditEntry, AuditFilter, ChainReport};
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

/// Walks the chain of the trail and names the first entry altered or removed, if any. For the
/// command line, which has the database's rights: no identity is asked.
pub async fn verify_chain(db: &Db) -> BackendResult<ChainReport> {
    db::audit::verify(db).await
}
