//! Login throttling. An attempt is counted, atomically, *before* its password is checked, so
//! that parallel requests cannot slip past the count; past a few free attempts each scope must
//! wait, and the wait doubles with every attempt (1 s, 2 s, 4 s … up to 15 min). No scope is ever
//! locked for good, and the scopes are chosen so that someone else's failures do not lock a
//! user out: the account *from one address* (guessing one password), and one address across
//! accounts (trying one password on many accounts), with a much larger allowance.
//!
//! Changing one's password has its own scope, the account (`mot-de-passe:compte:<id>`): whoever
//! holds a session cannot guess the current password faster than at the login page.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use chrono::{Duration, Utc};

/// Attempts of an account from one address before waits begin.
pub const FREE_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Attempts from one address, all accounts together, before waits begin: an office behind one
/// address has many people.
pub const FREE_PER_ADDRESS: i64 = 50;
pub const MAX_WAIT: Duration = Duration::minutes(15);
/// A scope idle this long starts afresh.
pub const FORGET_AFTER: Duration = Duration::hours(24);

/// How long a scope waits after its last attempt, given the attempts already made.
pub fn wait_after(attempts: i64, free: i64) -> Duration {
    if attempts < free {
        return Duration::zero();
    }
    let doublings = (attempts - free).min(20) as u32;
    Duration::seconds(1i64 << doublings).min(MAX_WAIT)
}

fn scopes(email: &str, address: &str) -> [(String, i64); 2] {
    [
        (
            format!("compte:{}|adresse:{address}", email.trim().to_lowercase()),
            FREE_PER_ACCOUNT_AND_ADDRESS,
        ),
        (format!("adresse:{address}"), FREE_PER_ADDRESS),
    ]
}

/// A login attempt that was let through and counted.
pub struct Attempt {
    account_scope: String,
}

/// Counts an attempt of `email` from `address`, or refuses it with the time left to wait.
pub async fn begin_attempt(db: &Db, email: &str, address: &str) -> BackendResult<Attempt> {
    let [account, address] = scopes(email, address);
    begin(db, account, Some(address)).await
}

/// Counts an attempt to prove the current password when changing it, or refuses it.
pub async fn begin_password_change(db: &Db, account_id: i64) -> BackendResult<Attempt> {
    let scope = format!("mot-de-passe:compte:{account_id}");
    begin(db, (scope, FREE_PER_ACCOUNT_AND_ADDRESS), None).await
}

/// Counts an attempt at a second-factor code of an account (wherever it comes from: whoever types
/// it already knows the password), or refuses it.
pub async fn begin_second_factor(db: &Db, account_id: i64) -> BackendResult<Attempt> {
    let scope = format!("code:compte:{account_id}");
    begin(db, (scope, FREE_PER_ACCOUNT_AND_ADDRESS), None).await
}

/// Counts an attempt in each scope; the first one is forgotten when the attempt succeeds.
async fn begin(
    db: &Db,
    account: (String, i64),
    other: Option<(String, i64)>,
) -> BackendResult<Attempt> {
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let scopes: Vec<(String, i64)> = std::iter::once(account).chain(other).collect();
    let mut counts = Vec::new();
    for (scope, free) in &scopes {
        let counter = db::throttle::lock(&mut tx, scope, now).await?;
        let attempts = if now - counter.last_attempt_at < FORGET_AFTER {
            counter.attempts
        } else {
            0
        };
        let allowed_at = counter.last_attempt_at + wait_after(attempts, *free);
        if now < allowed_at {
            return Err(BackendError::Throttled(format!(
                "{scope}: {attempts} attempts, next at {allowed_at}"
            )));
        }
        counts.push(attempts + 1);
    }
    for ((scope, _), attempts) in scopes.iter().zip(counts) {
        db::throttle::store(&mut tx, scope, attempts, now).await?;
    }
    db::throttle::delete_before(&mut tx, now - FORGET_AFTER).await?;
    tx.commit().await?;
    let account_scope = scopes
        .into_iter()
        .next()
        .map(|(s, _)| s)
        .unwrap_or_default();
    Ok(Attempt { account_scope })
}

impl Attempt {
    /// The right password: this account starts afresh from this address. The address keeps its
    /// count, so that one success does not reset a spray across accounts.
    pub async fn succeeded(self, tx: &mut sqlx::AnyConnection) -> BackendResult<()> {
        db::throttle::delete(tx, &self.account_scope).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_free_attempts_and_double_up_to_fifteen_minutes() {
        let free = FREE_PER_ACCOUNT_AND_ADDRESS;
        let expected = [
            (0, 0),
            (4, 0),
            (5, 1),
            (6, 2),
            (7, 4),
            (10, 32),
            (14, 512),
            (15, 900),
            (1000, 900),
        ];
        for (attempts, seconds) in expected {
            assert_eq!(
                wait_after(attempts, free),
                Duration::seconds(seconds),
                "{attempts}"
            );
        }
    }
}
