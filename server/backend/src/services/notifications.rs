//! The notices of the cycle: who must act after a step hears of it by e-mail. The mails are
//! written to the outbox in the change that moves the demande — a step that fails sends
//! nothing, a step that succeeds cannot lose its mails — and sent afterwards by
//! [`crate::services::mailer`].

use crate::db::outbox::{NewMail, Recipient};
use crate::db::{self, UnitOfWork};
use crate::error::BackendResult;
use domain::certification::demande::{DemandeKind, DemandeState};
use domain::certification::notice::{addressees, notice, Addressees, Notice};
use domain::organisation::Organisation;
use sqlx::AnyConnection;

/// The demande a step moved, as its notices need it.
pub(crate) struct Moved<'a> {
    pub siae: &'a Organisation,
    pub demande_id: i64,
    pub auditor_id: Option<i64>,
    pub kind: DemandeKind,
    pub to: DemandeState,
    /// Who made the step: they know already.
    pub by_account_id: i64,
    /// The address of the demande's page, for the mail's link.
    pub link: &'a str,
}

/// Writes to the outbox, in `work`, a mail to each account that hears of the move.
pub(crate) async fn demande_moved(work: &mut UnitOfWork, moved: &Moved<'_>) -> BackendResult<()> {
    let recipients = recipients(
        work,
        moved.siae,
        &addressees(moved.kind, moved.to),
        moved.auditor_id,
    )
    .await?;
    let recipients: Vec<Recipient> = recipients
        .into_iter()
        .filter(|r| r.account_id != moved.by_account_id)
        .collect();
    let words = notice(&moved.siae.name, moved.kind, moved.to, moved.link);
    enqueue(work, &recipients, &words, Some(moved.demande_id)).await
}

/// The active accounts among `addressees` of the SIAE `siae`, each once.
pub(crate) async fn recipients(
    conn: &mut AnyConnection,
    siae: &Organisation,
    addressees: &[Addressees],
    auditor_id: Option<i64>,
) -> BackendResult<Vec<Recipient>> {
    let mut recipients: Vec<Recipient> = Vec::new();
    for addressees in addressees {
        let found = match *addressees {
            Addressees::Siae(roles) => db::outbox::holders(conn, siae.id, roles).await?,
            Addressees::Region(roles) => match siae.region_id {
                Some(region_id) => db::outbox::holders(conn, region_id, roles).await?,
                None => Vec::new(),
            },
            Addressees::Federation(roles) => match db::organisations::federation_id(conn).await? {
                Some(federation_id) => db::outbox::holders(conn, federation_id, roles).await?,
                None => Vec::new(),
            },
            Addressees::Auditor => match auditor_id {
                Some(auditor_id) => db::outbox::account(conn, auditor_id)
                    .await?
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            },
        };
        for recipient in found {
            if !recipients.contains(&recipient) {
                recipients.push(recipient);
            }
        }
    }
    Ok(recipients)
}

/// Writes `notice` to the outbox for each of `recipients`.
pub(crate) async fn enqueue(
    conn: &mut AnyConnection,
    recipients: &[Recipient],
    notice: &Notice,
    demande_id: Option<i64>,
) -> BackendResult<()> {
    for to in recipients {
        db::outbox::enqueue(
            conn,
            &NewMail {
                to,
                subject: &notice.subject,
                body: &notice.body,
                demande_id,
            },
        )
        .await?;
    }
    Ok(())
}
