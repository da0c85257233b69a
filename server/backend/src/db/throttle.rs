//! Queries of `login_attempts`: one counter per scope (an account from one address, an address).

use super::stored::{self, Columns};
use crate::error::BackendResult;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

pub struct Counter {
    pub attempts: i64,
    pub last_attempt_at: DateTime<Utc>,
}

/// The counter of `scope` (created at zero if absent), locked until the end of the transaction:
/// the row exists before it is locked, so that concurrent first attempts queue on it too (a no-op
/// update takes the row lock on PostgreSQL; SQLite's write transaction excludes other writers).
pub async fn lock(
    conn: &mut AnyConnection,
    scope: &str,
    now: DateTime<Utc>,
) -> BackendResult<Counter> {
    sqlx::query(
        "INSERT INTO login_attempts (scope, attempts, last_attempt_at) VALUES ($1, 0, $2) \
         ON CONFLICT (scope) DO NOTHING",
    )
    .bind(scope)
    .bind(stored::timestamp(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE login_attempts SET attempts = attempts WHERE scope = $1")
        .bind(scope)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query("SELECT attempts, last_attempt_at FROM login_attempts WHERE scope = $1")
        .bind(scope)
        .fetch_one(conn)
        .await?;
    let c = Columns::new(&row, "login_attempts");
    Ok(Counter {
        attempts: c.get("attempts")?,
        last_attempt_at: c.timestamp("last_attempt_at")?,
    })
}

pub async fn store(
    conn: &mut AnyConnection,
    scope: &str,
    attempts: i64,
    at: DateTime<Utc>,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO login_attempts (scope, attempts, last_attempt_at) VALUES ($1, $2, $3) \
         ON CONFLICT (scope) DO UPDATE SET attempts = $2, last_attempt_at = $3",
    )
    .bind(scope)
    .bind(attempts)
    .bind(stored::timestamp(at))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, scope: &str) -> BackendResult<()> {
    sqlx::query("DELETE FROM login_attempts WHERE scope = $1")
        .bind(scope)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_before(conn: &mut AnyConnection, before: DateTime<Utc>) -> BackendResult<()> {
    sqlx::query("DELETE FROM login_attempts WHERE last_attempt_at < $1")
        .bind(stored::timestamp(before))
        .execute(conn)
        .await?;
    Ok(())
}
