//! Queries of `sessions`: the keyed hash of each browser's token, with its times.

use super::stored::{self, Columns};
use crate::error::BackendResult;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};

pub struct StoredSession {
    pub account_id: i64,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: i64,
    created: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(stored::timestamp(created))
    .bind(stored::timestamp(expires))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, token_hash: &str) -> BackendResult<Option<StoredSession>> {
    let row = sqlx::query(
        "SELECT account_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        let c = Columns::new(&r, "sessions");
        Ok(StoredSession {
            account_id: c.get("account_id")?,
            last_seen_at: c.timestamp("last_seen_at")?,
            expires_at: c.timestamp("expires_at")?,
        })
    })
    .transpose()
}

pub async fn touch(pool: &AnyPool, token_hash: &str) -> BackendResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(stored::now())
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete(pool: &AnyPool, token_hash: &str) -> BackendResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of an account but `keep`, if given.
pub async fn delete_for_account(
    conn: &mut AnyConnection,
    account_id: i64,
    keep: Option<&str>,
) -> BackendResult<()> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
        .bind(account_id)
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(())
}
