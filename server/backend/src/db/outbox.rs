//! The mail outbox: mails written in the change that causes them, sent afterwards.

use super::stored::{self, Columns, FromStored};
use crate::error::BackendResult;
use chrono::{DateTime, Utc};
use domain::outbox::{OutboxMail, EXPIRY_DAYS, MAX_ATTEMPTS};
use domain::role::Role;
use sqlx::AnyConnection;

/// An account a mail goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub account_id: i64,
    pub email: String,
}

/// The active accounts holding one of `roles` in the organisation `organisation_id`.
pub async fn holders(
    conn: &mut AnyConnection,
    organisation_id: i64,
    roles: &[Role],
) -> BackendResult<Vec<Recipient>> {
    let mut recipients: Vec<Recipient> = Vec::new();
    for role in roles {
        let rows = sqlx::query(
            "SELECT a.id, a.email FROM accounts a JOIN memberships m ON m.account_id = a.id \
             WHERE m.organisation_id = $1 AND m.role = $2 AND a.active = 1 ORDER BY a.id",
        )
        .bind(organisation_id)
        .bind(role.code())
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            let c = Columns::new(row, "accounts");
            let recipient = Recipient {
                account_id: c.get("id")?,
                email: c.get("email")?,
            };
            if !recipients.contains(&recipient) {
                recipients.push(recipient);
            }
        }
    }
    Ok(recipients)
}

/// The active account `account_id`, as a recipient.
pub async fn account(
    conn: &mut AnyConnection,
    account_id: i64,
) -> BackendResult<Option<Recipient>> {
    let row = sqlx::query("SELECT id, email FROM accounts WHERE id = $1 AND active = 1")
        .bind(account_id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let c = Columns::new(&row, "accounts");
        Ok(Recipient {
            account_id: c.get("id")?,
            email: c.get("email")?,
        })
    })
    .transpose()
}

pub struct NewMail<'a> {
    pub to: &'a Recipient,
    pub subject: &'a str,
    pub body: &'a str,
    pub demande_id: Option<i64>,
}

pub async fn enqueue(conn: &mut AnyConnection, mail: &NewMail<'_>) -> BackendResult<()> {
    let now = stored::now();
    sqlx::query(
        "INSERT INTO mail_outbox (account_id, to_address, subject, body, demande_id, created_at, \
         next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(mail.to.account_id)
    .bind(&mail.to.email)
    .bind(mail.subject)
    .bind(mail.body)
    .bind(mail.demande_id)
    .bind(&now)
    .bind(&now)
    .execute(conn)
    .await?;
    Ok(())
}

impl FromStored for OutboxMail {
    const TABLE: &'static str = "mail_outbox";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            id: c.get("id")?,
            to_address: c.get("to_address")?,
            subject: c.get("subject")?,
            body: c.get("body")?,
            created_at: c.timestamp("created_at")?,
            attempts: c.get("attempts")?,
            next_attempt_at: c.timestamp("next_attempt_at")?,
            sent_at: c.optional_timestamp("sent_at")?,
            last_error: c.get("last_error")?,
        })
    }
}

const SELECT: &str =
    "SELECT id, to_address, subject, body, created_at, attempts, next_attempt_at, \
                      sent_at, last_error FROM mail_outbox";

/// The mails not sent yet whose next attempt is due at `now`, oldest first; those that used
/// all their attempts or expired are left out.
pub async fn due(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> BackendResult<Vec<OutboxMail>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $2 \
         AND created_at >= $3 ORDER BY id LIMIT $4"
    ))
    .bind(stored::timestamp(now))
    .bind(MAX_ATTEMPTS)
    .bind(stored::timestamp(now - chrono::Duration::days(EXPIRY_DAYS)))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    OutboxMail::from_rows(&rows)
}

/// The latest mails, newest first.
pub async fn latest(conn: &mut AnyConnection, limit: i64) -> BackendResult<Vec<OutboxMail>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY id DESC LIMIT $1"))
        .bind(limit)
        .fetch_all(conn)
        .await?;
    OutboxMail::from_rows(&rows)
}

pub async fn mark_sent(conn: &mut AnyConnection, id: i64, at: DateTime<Utc>) -> BackendResult<()> {
    sqlx::query(
        "UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL \
         WHERE id = $2",
    )
    .bind(stored::timestamp(at))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_failed(
    conn: &mut AnyConnection,
    id: i64,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> BackendResult<()> {
    let error: String = error.chars().take(2000).collect();
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 \
         WHERE id = $3",
    )
    .bind(error)
    .bind(stored::timestamp(next_attempt_at))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
