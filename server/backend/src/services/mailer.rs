//! Sending the outbox's mails through SMTP (`CEDRE_SMTP_URL`), in the background (the server's
//! `cedre::jobs`): each mail due
//! is tried, sent or put back for later with a growing delay, and given up after
//! [`MAX_ATTEMPTS`]. Nothing here touches the change that wrote the mail: a server that refuses
//! it or cannot be reached leaves the step done and the mail in the outbox, where the
//! administrators see it.

use crate::db::{self, Db};
use crate::error::BackendResult;
use crate::identity::Identity;
use chrono::{DateTime, Duration, Utc};
use domain::outbox::OutboxMail;
use domain::policy::{Action, Target};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Mails sent by one round of the sender, at most.
const ROUND: i64 = 50;

/// The wait before the next attempt, after `attempts_made` failed ones: a server down for a
/// moment is retried soon, one down for long is not hammered.
pub fn retry_delay(attempts_made: i64) -> Duration {
    match attempts_made {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        5 => Duration::hours(4),
        _ => Duration::hours(12),
    }
}

/// An SMTP server to send through, and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp_url`: `smtp://hôte:port` (no TLS), `smtp://…?tls=required` (STARTTLS) or
    /// `smtps://utilisateur:motdepasse@hôte` (TLS); `from`: `Nom <adresse>` or an address.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("CEDRE_SMTP_URL n'est pas une adresse SMTP valide : {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("CEDRE_MAIL_FROM n'est pas une adresse valide : {e}"))?;
        Ok(Self { transport, from })
    }

    async fn send(&self, mail: &OutboxMail) -> Result<(), String> {
        let to: Mailbox = mail
            .to_address
            .parse()
            .map_err(|e| format!("adresse du destinataire refusée : {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("message impossible à composer : {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// What one round of the sender did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// Tries every mail due at `now`: marks it sent, or records the error and when to try again.
pub async fn deliver_due(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> BackendResult<Round> {
    let due = {
        let mut conn = db.pool.acquire().await?;
        db::outbox::due(&mut conn, now, ROUND).await?
    };
    let mut round = Round::default();
    for mail in due {
        let result = mailer.send(&mail).await;
        let mut conn = db.pool.acquire().await?;
        match result {
            Ok(()) => {
                db::outbox::mark_sent(&mut conn, mail.id, Utc::now()).await?;
                round.sent += 1;
            }
            Err(error) => {
                tracing::warn!(mail_id = mail.id, attempts = mail.attempts + 1, %error, "mail not sent");
                let next = now + retry_delay(mail.attempts + 1);
                db::outbox::mark_failed(&mut conn, mail.id, &error, next).await?;
                round.failed += 1;
            }
        }
    }
    Ok(round)
}

/// The latest mails of the outbox, for the administrators.
pub async fn outbox(db: &Db, by: &Identity) -> BackendResult<Vec<OutboxMail>> {
    by.require(Action::ViewOutbox, Target::Global)?;
    let mut conn = db.pool.acquire().await?;
    db::outbox::latest(&mut conn, 200).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::outbox::MAX_ATTEMPTS;

    #[test]
    fn retries_come_later_and_later_then_stop() {
        let delays: Vec<i64> = (1..=MAX_ATTEMPTS)
            .map(|n| retry_delay(n).num_minutes())
            .collect();
        assert_eq!(delays, [1, 5, 15, 60, 240, 720, 720, 720]);
    }
}
