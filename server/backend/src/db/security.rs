//! The security journal's table: append-only, but for the purge of entries past the retention
//! period (the migrations refuse UPDATE, and DELETE of entries younger than 30 days).

use super::stored::{self, Columns, FromStored};
use crate::error::{BackendError, BackendResult};
use chrono::{DateTime, Utc};
use domain::security::{SecurityEntry, SecurityEvent, SecurityFilter, SecurityKind};
use sqlx::{AnyConnection, AnyPool};

pub const PAGE_SIZE: i64 = 50;

pub async fn insert(conn: &mut AnyConnection, event: &SecurityEvent) -> BackendResult<()> {
    let cut = |text: &str, max: usize| text.chars().take(max).collect::<String>();
    sqlx::query(
        "INSERT INTO security_events (occurred_at, kind, account_id, account, address, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(stored::now())
    .bind(event.kind.code())
    .bind(event.account_id)
    .bind(cut(&event.account, 320))
    .bind(cut(&event.address, 100))
    .bind(cut(&event.detail, 500))
    .execute(conn)
    .await?;
    Ok(())
}

impl FromStored for SecurityEntry {
    const TABLE: &'static str = "security_events";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        let code: String = c.get("kind")?;
        let kind = SecurityKind::from_code(&code).ok_or_else(|| BackendError::Decode {
            table: Self::TABLE,
            column: "kind".into(),
            detail: format!("unknown kind {code:?}"),
        })?;
        Ok(Self {
            id: c.get("id")?,
            occurred_at: c.timestamp("occurred_at")?,
            kind,
            account: c.get("account")?,
            address: c.get("address")?,
            detail: c.get("detail")?,
        })
    }
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One page of the journal, newest first, and whether a next page exists.
pub async fn page(
    pool: &AnyPool,
    filter: &SecurityFilter,
) -> BackendResult<(Vec<SecurityEntry>, bool)> {
    let mut sql = String::from(
        "SELECT id, occurred_at, kind, account, address, detail FROM security_events WHERE 1 = 1",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut push = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(k) = present(&filter.kind) {
        push(&mut sql, " AND kind = ?", k.to_string());
    }
    if let Some(a) = present(&filter.account) {
        push(
            &mut sql,
            " AND lower(account) LIKE ?",
            format!("%{}%", a.to_lowercase()),
        );
    }
    if let Some(a) = present(&filter.address) {
        push(&mut sql, " AND address LIKE ?", format!("%{a}%"));
    }
    if let Some(from) = present(&filter.from) {
        push(&mut sql, " AND occurred_at >= ?", from.to_string());
    }
    if let Some(to) = present(&filter.to) {
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
    let entries = SecurityEntry::from_rows(&rows[..rows.len().min(PAGE_SIZE as usize)])?;
    Ok((entries, has_more))
}

/// Removes the entries older than `before`; returns how many.
pub async fn delete_before(conn: &mut AnyConnection, before: DateTime<Utc>) -> BackendResult<u64> {
    let result = sqlx::query("DELETE FROM security_events WHERE occurred_at < $1")
        .bind(stored::timestamp(before))
        .execute(conn)
        .await?;
    Ok(result.rows_affected())
}
