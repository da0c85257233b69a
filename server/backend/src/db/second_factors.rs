//! Queries of `second_factors` (an account's TOTP secret, once confirmed) and `recovery_codes`.

use super::stored::{self, Columns};
use crate::error::BackendResult;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

pub struct StoredSecondFactor {
    pub secret: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub last_used_step: i64,
}

pub async fn find(
    conn: &mut AnyConnection,
    account_id: i64,
) -> BackendResult<Option<StoredSecondFactor>> {
    let row = sqlx::query(
        "SELECT secret, confirmed_at, last_used_step FROM second_factors WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let c = Columns::new(&row, "second_factors");
    Ok(Some(StoredSecondFactor {
        secret: c.get("secret")?,
        confirmed_at: c.optional_timestamp("confirmed_at")?,
        last_used_step: c.get("last_used_step")?,
    }))
}

/// Whether the account signs in with a confirmed second factor.
pub async fn is_enabled(conn: &mut AnyConnection, account_id: i64) -> BackendResult<bool> {
    Ok(find(conn, account_id)
        .await?
        .is_some_and(|f| f.confirmed_at.is_some()))
}

/// Starts (or restarts) an enrolment with a new secret, not yet confirmed.
pub async fn start(
    conn: &mut AnyConnection,
    account_id: i64,
    secret: &str,
    now: DateTime<Utc>,
) -> BackendResult<()> {
    remove(conn, account_id).await?;
    sqlx::query(
        "INSERT INTO second_factors (account_id, secret, created_at, last_used_step) VALUES ($1, $2, $3, 0)",
    )
    .bind(account_id)
    .bind(secret)
    .bind(stored::timestamp(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn confirm(
    conn: &mut AnyConnection,
    account_id: i64,
    step: i64,
    now: DateTime<Utc>,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE second_factors SET confirmed_at = $2, last_used_step = $3 WHERE account_id = $1",
    )
    .bind(account_id)
    .bind(stored::timestamp(now))
    .bind(step)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that the code of `step` was used; `false` if it (or a later one) already was — the
/// condition is in the statement, so two requests with the same code cannot both pass.
pub async fn use_step(conn: &mut AnyConnection, account_id: i64, step: i64) -> BackendResult<bool> {
    let done = sqlx::query(
        "UPDATE second_factors SET last_used_step = $2 WHERE account_id = $1 AND last_used_step < $2",
    )
    .bind(account_id)
    .bind(step)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the account's second factor and recovery codes.
pub async fn remove(conn: &mut AnyConnection, account_id: i64) -> BackendResult<()> {
    for table in ["recovery_codes", "second_factors"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Replaces the account's recovery codes by these (SHA-256 of each, in hex).
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    account_id: i64,
    code_hashes: &[String],
) -> BackendResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
            .bind(account_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Spends a recovery code; `false` if the account has no such unused code.
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    account_id: i64,
    code_hash: &str,
    now: DateTime<Utc>,
) -> BackendResult<bool> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(account_id)
    .bind(code_hash)
    .bind(stored::timestamp(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn recovery_codes_left(conn: &mut AnyConnection, account_id: i64) -> BackendResult<i64> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get::<i64, _>("n")?)
}
