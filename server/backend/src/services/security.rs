//! The security journal: recording sign-ins, sign-outs, password changes and refused accesses,
//! reading it (administrators), and purging it past its retention period.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use chrono::{Duration, Utc};
use domain::policy::{Action, Target};
pub use domain::security::{
    SecurityEntry, SecurityEvent, SecurityFilter, SecurityKind, DEFAULT_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
};

pub use db::security::PAGE_SIZE;

/// Records an event on its own; a failure is logged, never shown to the user it concerns.
pub async fn record(db: &Db, event: SecurityEvent) {
    let result = async {
        let mut tx = db.begin_write().await?;
        db::security::insert(&mut tx, &event).await?;
        tx.commit().await?;
        BackendResult::Ok(())
    }
    .await;
    if let Err(error) = result {
        tracing::error!(%error, kind = event.kind.code(), "security journal not written");
    }
}

/// Records an event in the caller's transaction, so that it is kept if and only if the change is.
pub async fn record_in(conn: &mut sqlx::AnyConnection, event: &SecurityEvent) -> BackendResult<()> {
    db::security::insert(conn, event).await
}

/// An event about a signed-in account.
pub fn about(me: &Identity, kind: SecurityKind, address: &str, detail: &str) -> SecurityEvent {
    SecurityEvent {
        kind,
        account_id: Some(me.account_id),
        account: me.email.clone(),
        address: address.to_string(),
        detail: detail.to_string(),
    }
}

/// One page of the journal, newest first, and whether a next page exists.
pub async fn list(
    db: &Db,
    by: &Identity,
    filter: &SecurityFilter,
) -> BackendResult<(Vec<SecurityEntry>, bool)> {
    by.require(Action::ViewAuditTrail, Target::Global)?;
    db::security::page(&db.pool, filter).await
}

/// `cedre journal purger`: removes the entries older than `days` days; returns how many.
pub async fn purge(db: &Db, days: i64) -> BackendResult<u64> {
    if days < MIN_RETENTION_DAYS {
        return Err(BackendError::invalid(format!(
            "La durée de conservation du journal de sécurité est d'au moins {MIN_RETENTION_DAYS} jours (demandée : {days})."
        )));
    }
    let mut tx = db.begin_write().await?;
    let removed = db::security::delete_before(&mut tx, Utc::now() - Duration::days(days)).await?;
    tx.commit().await?;
    Ok(removed)
}
