//! Server-side sessions. The browser holds a random token; the database holds only its
//! keyed hash, so a copy of the database cannot be turned into a valid cookie.

use crate::db::{now, Db};
use crate::error::BackendResult;
use base64::Engine as _;
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct SessionPolicy {
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after login, however active.
    pub absolute_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::hours(2),
            absolute_timeout: Duration::hours(12),
        }
    }
}

/// `last_seen_at` is written at most this often, so that reading pages does not write on every request.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

#[derive(Clone)]
pub struct Sessions {
    secret: Vec<u8>,
    pub policy: SessionPolicy,
}

pub struct LiveSession {
    pub token_hash: String,
    pub account_id: i64,
}

impl Sessions {
    pub fn new(secret: Vec<u8>, policy: SessionPolicy) -> Self {
        Self { secret, policy }
    }

    pub fn token_hash(&self, token: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(token.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Signs a value for a cookie that the server must be able to trust when it comes back.
    pub fn sign(&self, value: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(b"cookie:");
        mac.update(value.as_bytes());
        format!("{value}.{}", hex(&mac.finalize().into_bytes()))
    }

    pub fn verify_signed<'a>(&self, signed: &'a str) -> Option<&'a str> {
        let (value, _) = signed.rsplit_once('.')?;
        (self.sign(value) == signed).then_some(value)
    }

    /// Starts a session and returns the token for the cookie.
    pub async fn create(&self, db: &Db, account_id: i64) -> BackendResult<String> {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let created = Utc::now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(self.token_hash(&token))
        .bind(account_id)
        .bind(domain::time::to_stored(created))
        .bind(domain::time::to_stored(
            created + self.policy.absolute_timeout,
        ))
        .execute(&db.pool)
        .await?;
        Ok(token)
    }

    /// The live session for a token, extending its idle timeout; expired sessions are removed.
    pub async fn resume(&self, db: &Db, token: &str) -> BackendResult<Option<LiveSession>> {
        let token_hash = self.token_hash(token);
        let Some(row) = sqlx::query(
            "SELECT account_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
        )
        .bind(&token_hash)
        .fetch_optional(&db.pool)
        .await?
        else {
            return Ok(None);
        };
        let account_id: i64 = row.try_get("account_id")?;
        let last_seen: String = row.try_get("last_seen_at")?;
        let expires: String = row.try_get("expires_at")?;
        let now_at = Utc::now();
        let last_seen = domain::time::from_stored(&last_seen).unwrap_or_default();
        let expired = domain::time::from_stored(&expires).is_none_or(|e| e <= now_at)
            || last_seen + self.policy.idle_timeout <= now_at;
        if expired {
            end(db, &token_hash).await?;
            return Ok(None);
        }
        if (now_at - last_seen).num_seconds() >= TOUCH_INTERVAL_SECONDS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now())
                .bind(&token_hash)
                .execute(&db.pool)
                .await?;
        }
        Ok(Some(LiveSession {
            token_hash,
            account_id,
        }))
    }
}

/// Ends one session (logout, or a new login from the same browser).
pub async fn end(db: &Db, token_hash: &str) -> BackendResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends every session of an account (disabled, or its password changed), but `keep` if given.
pub async fn end_all_for_account(
    conn: &mut sqlx::AnyConnection,
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_values_survive_only_untouched() {
        let sessions = Sessions::new(b"secret".to_vec(), SessionPolicy::default());
        let signed = sessions.sign("info.Organisation créée");
        assert_eq!(
            sessions.verify_signed(&signed),
            Some("info.Organisation créée")
        );
        let tampered = signed.replacen("info", "erreur", 1);
        assert_eq!(sessions.verify_signed(&tampered), None);
        let other = Sessions::new(b"other".to_vec(), SessionPolicy::default());
        assert_eq!(other.verify_signed(&signed), None);
    }
}
