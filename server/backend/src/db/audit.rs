//! The audit trail's table: append-only (the migrations refuse UPDATE and DELETE). An entry
//! stores its typed event as JSON with the event's code, subject and organisation beside it for
//! filtering.

use super::stored::{self, Columns, FromStored};
use super::Author;
use crate::error::BackendResult;
use domain::audit::{AuditEntry, AuditEvent, AuditFilter};
use sqlx::{AnyConnection, AnyPool};

pub const PAGE_SIZE: i64 = 50;

pub async fn insert(
    conn: &mut AnyConnection,
    author: &Author,
    event: &AuditEvent,
) -> BackendResult<()> {
    let (entity_type, entity_id) = event.subject();
    let data = serde_json::to_string(event)
        .map_err(|e| crate::BackendError::Internal(format!("audit event to JSON: {e}")))?;
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, actor_account_id, actor_name, action, entity_type, \
         entity_id, organisation_id, summary, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(stored::now())
    .bind(author.account_id)
    .bind(&author.name)
    .bind(event.code())
    .bind(entity_type)
    .bind(entity_id)
    .bind(event.organisation_id())
    .bind(event.describe())
    .bind(data)
    .execute(conn)
    .await?;
    Ok(())
}

impl FromStored for AuditEntry {
    const TABLE: &'static str = "audit_events";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        let changes: String = c.get("changes")?;
        // The wording comes from the typed event; entries written before events were typed
        // keep the sentence stored with them.
        let summary = match serde_json::from_str::<AuditEvent>(&changes) {
            Ok(event) => event.describe(),
            Err(_) => c.get("summary")?,
        };
        Ok(Self {
            id: c.get("id")?,
            occurred_at: c.timestamp("occurred_at")?,
            actor_name: c.get("actor_name")?,
            action: c.get("action")?,
            entity_type: c.get("entity_type")?,
            entity_id: c.get("entity_id")?,
            organisation_id: c.get("organisation_id")?,
            summary,
            changes,
        })
    }
}

/// One page of the trail, newest first, and whether a next page exists.
pub async fn page(pool: &AnyPool, filter: &AuditFilter) -> BackendResult<(Vec<AuditEntry>, bool)> {
    let mut sql = String::from(
        "SELECT id, occurred_at, actor_name, action, entity_type, entity_id, organisation_id, summary, changes \
         FROM audit_events WHERE 1 = 1",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut push = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(t) = filter.entity_type.as_deref().filter(|t| !t.is_empty()) {
        push(&mut sql, " AND entity_type = ?", t.to_string());
    }
    if let Some(a) = filter.actor.as_deref().filter(|a| !a.trim().is_empty()) {
        push(
            &mut sql,
            " AND lower(actor_name) LIKE ?",
            format!("%{}%", a.trim().to_lowercase()),
        );
    }
    if let Some(o) = filter.organisation_id {
        push(
            &mut sql,
            " AND organisation_id = CAST(? AS BIGINT)",
            o.to_string(),
        );
    }
    if let Some(from) = filter.from.as_deref().filter(|d| !d.is_empty()) {
        push(&mut sql, " AND occurred_at >= ?", from.to_string());
    }
    if let Some(to) = filter.to.as_deref().filter(|d| !d.is_empty()) {
        // The day is inclusive: everything before the next day's first instant.
        push(&mut sql, " AND occurred_at < ?", format!("{to}T99"));
    }
    sql.push_str(&format!(
        " ORDER BY id DESC LIMIT {} OFFSET {}",
        PAGE_SIZE + 1,
        filter.page.max(0) * PAGE_SIZE
    ));
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(pool).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let entries = AuditEntry::from_rows(&rows[..rows.len().min(PAGE_SIZE as usize)])?;
    Ok((entries, has_more))
}
