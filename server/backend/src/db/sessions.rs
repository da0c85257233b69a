//! Queries of `sessions`: the keyed hash of each browser's token, with its times, browser and
//! address.

use super::stored::{self, Columns};
use crate::error::BackendResult;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};

pub struct StoredSession {
    pub token_hash: String,
    pub account_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: String,
    pub address: String,
}

const COLUMNS: &str =
    "token_hash, account_id, created_at, last_seen_at, expires_at, user_agent, address";

fn decode(row: &sqlx::any::AnyRow) -> BackendResult<StoredSession> {
    let c = Columns::new(row, "sessions");
    Ok(StoredSession {
        token_hash: c.get("token_hash")?,
        account_id: c.get("account_id")?,
        created_at: c.timestamp("created_at")?,
        last_seen_at: c.timestamp("last_seen_at")?,
        expires_at: c.timestamp("expires_at")?,
        user_agent: c.get("user_agent")?,
        address: c.get("address")?,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: i64,
    created: DateTime<Utc>,
    expires: DateTime<Utc>,
    user_agent: &str,
    address: &str,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at, user_agent, address) \
         VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(stored::timestamp(created))
    .bind(stored::timestamp(expires))
    .bind(user_agent)
    .bind(address)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(pool: &AnyPool, token_hash: &str) -> BackendResult<Option<StoredSession>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(decode).transpose()
}

/// The sessions of an account, most recently used first.
pub async fn for_account(pool: &AnyPool, account_id: i64) -> BackendResult<Vec<StoredSession>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE account_id = $1 ORDER BY last_seen_at DESC, created_at DESC"
    ))
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(decode).collect()
}

/// Marks the session as used now, from this browser and address.
pub async fn touch(
    pool: &AnyPool,
    token_hash: &str,
    user_agent: &str,
    address: &str,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE sessions SET last_seen_at = $1, user_agent = $2, address = $3 WHERE token_hash = $4",
    )
    .bind(stored::now())
    .bind(user_agent)
    .bind(address)
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

/// Ends one session of an account; false when it has no such session.
pub async fn delete_of_account(
    pool: &AnyPool,
    account_id: i64,
    token_hash: &str,
) -> BackendResult<bool> {
    let result = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND account_id = $2")
        .bind(token_hash)
        .bind(account_id)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() > 0)
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
