//! Login throttling: failures are counted per account and per address over a sliding window,
//! in the database so that every server process sees the same counts.

use crate::db::Db;
use crate::error::{BackendError, BackendResult};
use chrono::{Duration, Utc};
use sqlx::Row;

pub const WINDOW_MINUTES: i64 = 15;
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Higher than per account: several people may share one office address.
const MAX_FAILURES_PER_ADDRESS: i64 = 30;

pub fn account_scope(email: &str) -> String {
    format!("compte:{}", email.trim().to_lowercase())
}

pub fn address_scope(address: &str) -> String {
    format!("adresse:{address}")
}

fn window_start() -> String {
    domain::time::to_stored(Utc::now() - Duration::minutes(WINDOW_MINUTES))
}

pub async fn check(db: &Db, account: &str, address: &str) -> BackendResult<()> {
    for (scope, limit) in [
        (account, MAX_FAILURES_PER_ACCOUNT),
        (address, MAX_FAILURES_PER_ADDRESS),
    ] {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM login_failures WHERE scope = $1 AND failed_at > $2",
        )
        .bind(scope)
        .bind(window_start())
        .fetch_one(&db.pool)
        .await?;
        let failures: i64 = row.try_get("n")?;
        if failures >= limit {
            return Err(BackendError::Throttled(scope.to_string()));
        }
    }
    Ok(())
}

pub async fn record_failure(db: &Db, account: &str, address: &str) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let now = crate::db::now();
    for scope in [account, address] {
        sqlx::query("INSERT INTO login_failures (scope, failed_at) VALUES ($1, $2)")
            .bind(scope)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    // Old failures no longer count; dropping them keeps the table small.
    sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
        .bind(domain::time::to_stored(Utc::now() - Duration::days(1)))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn clear(db: &Db, account: &str) -> BackendResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE scope = $1")
        .bind(account)
        .execute(&db.pool)
        .await?;
    Ok(())
}
