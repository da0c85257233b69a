//! Server-side sessions. The browser holds a random token; the database holds only its
//! keyed hash, so a copy of the database cannot be turned into a valid cookie.

use crate::db::{self, Db};
use crate::error::BackendResult;
use base64::Engine as _;
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

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

    /// A new token for `account_id`, stored in the caller's transaction; returns it for the cookie.
    pub async fn create(
        &self,
        conn: &mut sqlx::AnyConnection,
        account_id: i64,
    ) -> BackendResult<String> {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let created = Utc::now();
        db::sessions::insert(
            conn,
            &self.token_hash(&token),
            account_id,
            created,
            created + self.policy.absolute_timeout,
        )
        .await?;
        Ok(token)
    }

    /// The live session for a token, extending its idle timeout; expired sessions are removed.
    pub async fn resume(&self, db: &Db, token: &str) -> BackendResult<Option<LiveSession>> {
        let token_hash = self.token_hash(token);
        let Some(session) = db::sessions::find(&db.pool, &token_hash).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        let expired =
            session.expires_at <= now || session.last_seen_at + self.policy.idle_timeout <= now;
        if expired {
            end(db, &token_hash).await?;
            return Ok(None);
        }
        if (now - session.last_seen_at).num_seconds() >= TOUCH_INTERVAL_SECONDS {
            db::sessions::touch(&db.pool, &token_hash).await?;
        }
        Ok(Some(LiveSession {
            token_hash,
            account_id: session.account_id,
        }))
    }
}

/// Ends one session (logout, or a new login from the same browser).
pub async fn end(db: &Db, token_hash: &str) -> BackendResult<()> {
    db::sessions::delete(&db.pool, token_hash).await
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
