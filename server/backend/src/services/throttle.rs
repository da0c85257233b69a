//! Login throttling: failures are counted per account and per address over a sliding window,
//! in the database so that every server process sees the same counts.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use chrono::{DateTime, Duration, Utc};

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

fn window_start() -> DateTime<Utc> {
    Utc::now() - Duration::minutes(WINDOW_MINUTES)
}

pub async fn check(db: &Db, account: &str, address: &str) -> BackendResult<()> {
    for (scope, limit) in [
        (account, MAX_FAILURES_PER_ACCOUNT),
        (address, MAX_FAILURES_PER_ADDRESS),
    ] {
        if db::throttle::count_since(&db.pool, scope, window_start()).await? >= limit {
            return Err(BackendError::Throttled(scope.to_string()));
        }
    }
    Ok(())
}

pub async fn record_failure(db: &Db, account: &str, address: &str) -> BackendResult<()> {
    let mut tx = db.begin_write().await?;
    for scope in [account, address] {
        db::throttle::insert(&mut tx, scope).await?;
    }
    // Old failures no longer count; dropping them keeps the table small.
    db::throttle::delete_before(&mut tx, Utc::now() - Duration::days(1)).await?;
    tx.commit().await?;
    Ok(())
}
