//! The mail outbox as the administrators read it: each mail the application wrote, and where
//! its sending stands.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Attempts after which a mail is given up (about two days of retries).
pub const MAX_ATTEMPTS: i64 = 8;

/// Days after which a mail not sent is no longer tried: a notice that arrives a week late
/// (the server had no SMTP, or it was down) would mislead more than it helps.
pub const EXPIRY_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// Where a mail's sending stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailStatus {
    Sent {
        at: DateTime<Utc>,
    },
    /// Not sent yet; `attempts` failed so far.
    Pending {
        attempts: i64,
        next: DateTime<Utc>,
    },
    /// Every attempt failed: the mail will not be sent.
    GivenUp,
    /// Not sent within [`EXPIRY_DAYS`]: it will not be.
    Expired,
}

impl OutboxMail {
    /// Where the mail stands at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> MailStatus {
        match self.sent_at {
            Some(at) => MailStatus::Sent { at },
            None if self.attempts >= MAX_ATTEMPTS => MailStatus::GivenUp,
            None if self.created_at < now - chrono::Duration::days(EXPIRY_DAYS) => {
                MailStatus::Expired
            }
            None => MailStatus::Pending {
                attempts: self.attempts,
                next: self.next_attempt_at,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(attempts: i64, sent: bool) -> OutboxMail {
        let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        OutboxMail {
            id: 1,
            to_address: "rq@exemple.org".into(),
            subject: "Objet".into(),
            body: "Corps".into(),
            created_at: at,
            attempts,
            next_attempt_at: at,
            sent_at: sent.then_some(at),
            last_error: None,
        }
    }

    #[test]
    fn a_mail_is_sent_pending_or_given_up_after_its_last_attempt_or_a_week() {
        let at = mail(0, false).created_at;
        let now = at + chrono::Duration::hours(1);
        assert_eq!(mail(1, true).status(now), MailStatus::Sent { at });
        assert_eq!(
            mail(0, false).status(now),
            MailStatus::Pending {
                attempts: 0,
                next: at
            }
        );
        assert_eq!(
            mail(7, false).status(now),
            MailStatus::Pending {
                attempts: 7,
                next: at
            }
        );
        assert_eq!(mail(8, false).status(now), MailStatus::GivenUp);
        let week = at + chrono::Duration::days(7);
        assert_eq!(
            mail(0, false).status(week),
            MailStatus::Pending {
                attempts: 0,
                next: at
            }
        );
        assert_eq!(
            mail(0, false).status(week + chrono::Duration::seconds(1)),
            MailStatus::Expired
        );
        assert_eq!(
            mail(1, true).status(week + chrono::Duration::days(1)),
            MailStatus::Sent { at }
        );
    }
}
