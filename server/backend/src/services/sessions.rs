//! Server-side sessions. The browser holds a random token; the database holds only its
//! keyed hash, so a copy of the database cannot be turned into a valid cookie.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
pub use domain::session::{Client, OpenSession};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    secrets: OneTimeSecrets,
}

/// A secret shown once to the session that caused it (a temporary password), kept in memory
/// only: it is never written to the database, a log or a cookie.
struct HeldSecret {
    subject: i64,
    text: String,
    held_at: DateTime<Utc>,
}

/// How long a held secret waits for the page that shows it.
const SECRET_LIFETIME_SECONDS: i64 = 600;

/// At most one held secret per session (keyed by the session's hash); the newest replaces the last.
#[derive(Clone, Default)]
struct OneTimeSecrets(Arc<Mutex<HashMap<String, HeldSecret>>>);

pub struct LiveSession {
    pub token_hash: String,
    pub account_id: i64,
}

impl Sessions {
    pub fn new(secret: Vec<u8>, policy: SessionPolicy) -> Self {
        Self {
            secret,
            policy,
            secrets: OneTimeSecrets::default(),
        }
    }

    /// Keeps `text`, about `subject` (an account), for the next page of the session
    /// `session_hash` that asks for it with `take_secret`.
    pub fn hold_secret(&self, session_hash: &str, subject: i64, text: String) {
        let now = Utc::now();
        let mut held = self.secrets.0.lock().unwrap_or_else(|e| e.into_inner());
        held.retain(|_, s| (now - s.held_at).num_seconds() < SECRET_LIFETIME_SECONDS);
        held.insert(
            session_hash.to_string(),
            HeldSecret {
                subject,
                text,
                held_at: now,
            },
        );
    }

    /// The secret held for this session about `subject`, removed as it is read; a secret about
    /// another subject is dropped too: it was to be shown on the page right after its creation.
    pub fn take_secret(&self, session_hash: &str, subject: i64) -> Option<String> {
        let mut held = self.secrets.0.lock().unwrap_or_else(|e| e.into_inner());
        let secret = held.remove(session_hash)?;
        let fresh = (Utc::now() - secret.held_at).num_seconds() < SECRET_LIFETIME_SECONDS;
        (fresh && secret.subject == subject).then_some(secret.text)
    }

    /// The identifier of a session shown to its owner: derived from its hash, it can name the
    /// session to end it but cannot be used to find or forge its cookie.
    pub fn public_id(&self, token_hash: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(b"session-id:");
        mac.update(token_hash.as_bytes());
        hex(&mac.finalize().into_bytes()[..12])
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
        client: &Client,
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
            &client.user_agent,
            &client.address,
        )
        .await?;
        Ok(token)
    }

    /// The live session for a token, extending its idle timeout and noting the browser and
    /// address it now comes from; expired sessions are removed.
    pub async fn resume(
        &self,
        db: &Db,
        token: &str,
        client: &Client,
    ) -> BackendResult<Option<LiveSession>> {
        let token_hash = self.token_hash(token);
        let Some(session) = db::sessions::find(&db.pool, &token_hash).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        let expired = self.expired(&session, now);
        if expired {
            end(db, &token_hash).await?;
            return Ok(None);
        }
        let moved = session.address != client.address || session.user_agent != client.user_agent;
        if moved || (now - session.last_seen_at).num_seconds() >= TOUCH_INTERVAL_SECONDS {
            db::sessions::touch(&db.pool, &token_hash, &client.user_agent, &client.address).await?;
        }
        Ok(Some(LiveSession {
            token_hash,
            account_id: session.account_id,
        }))
    }

    fn expired(&self, session: &db::sessions::StoredSession, now: DateTime<Utc>) -> bool {
        session.expires_at <= now || session.last_seen_at + self.policy.idle_timeout <= now
    }

    /// The caller's open sessions, most recently used first (« Mes sessions »).
    pub async fn list_own(&self, db: &Db, me: &Identity) -> BackendResult<Vec<OpenSession>> {
        let now = Utc::now();
        Ok(db::sessions::for_account(&db.pool, me.account_id)
            .await?
            .into_iter()
            .filter(|s| !self.expired(s, now))
            .map(|s| OpenSession {
                id: self.public_id(&s.token_hash),
                current: s.token_hash == me.session,
                started_at: s.created_at,
                last_seen_at: s.last_seen_at,
                user_agent: s.user_agent,
                address: s.address,
            })
            .collect())
    }

    /// Ends one of the caller's sessions, named by its public identifier; returns whether it was
    /// the session of this request (the caller is then signed out).
    pub async fn end_own(
        &self,
        db: &Db,
        me: &Identity,
        id: &str,
        client: &Client,
    ) -> BackendResult<bool> {
        let target = db::sessions::for_account(&db.pool, me.account_id)
            .await?
            .into_iter()
            .find(|s| self.public_id(&s.token_hash) == id)
            .ok_or_else(|| BackendError::invalid("Cette session est déjà fermée."))?;
        db::sessions::delete_of_account(&db.pool, me.account_id, &target.token_hash).await?;
        tracing::info!(account_id = me.account_id, "session ended by its owner");
        let current = target.token_hash == me.session;
        let detail = if current {
            "depuis « Mes sessions »".to_string()
        } else {
            format!(
                "autre session fermée depuis « Mes sessions » ({}, {})",
                domain::session::browser_summary(&target.user_agent),
                target.address
            )
        };
        crate::services::security::record(
            db,
            crate::services::security::about(
                me,
                domain::security::SecurityKind::Logout,
                &client.address,
                &detail,
            ),
        )
        .await;
        Ok(current)
    }
}

/// Ends one session (logout, or a new login from the same browser).
pub async fn end(db: &Db, token_hash: &str) -> BackendResult<()> {
    db::sessions::delete(&db.pool, token_hash).await
}

use crate::digest::hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_secret_is_shown_once_to_its_session_about_its_subject() {
        let sessions = Sessions::new(b"secret".to_vec(), SessionPolicy::default());
        sessions.hold_secret("s1", 7, "abcd-efgh".into());
        assert_eq!(sessions.take_secret("s2", 7), None, "another session");
        assert_eq!(sessions.take_secret("s1", 7).as_deref(), Some("abcd-efgh"));
        assert_eq!(sessions.take_secret("s1", 7), None, "shown once");
        sessions.hold_secret("s1", 7, "abcd-efgh".into());
        assert_eq!(
            sessions.take_secret("s1", 8),
            None,
            "another account's page"
        );
        assert_eq!(sessions.take_secret("s1", 7), None, "dropped by that page");
    }

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
