//! The notices of the cycle: who must act after a step hears of it by e-mail. The mails are
//! written to the outbox in the change that moves the demande — a step that fails sends
//! nothing, a step that succeeds cannot lose its mails — and sent afterwards by
//! [`crate::services::mailer`].

use crate::db::outbox::{NewMail, Recipient};
use crate::db::{self, UnitOfWork};
use crate::error::BackendResult;
use domain::certification::demande::DemandeState;
use domain::certification::notice::{addressees, notice, Addressees};
use domain::organisation::Organisation;

/// The demande a step moved, as its notices need it.
pub(crate) struct Moved<'a> {
    pub siae: &'a Organisation,
    pub demande_id: i64,
    pub auditor_id: Option<i64>,
    pub to: DemandeState,
    /// Who made the step: they know already.
    pub by_account_id: i64,
    /// The address of the demande's page, for the mail's link.
    pub link: &'a str,
}

/// Writes to the outbox, in `work`, a mail to each account that hears of the move.
pub(crate) async fn demande_moved(work: &mut UnitOfWork, moved: &Moved<'_>) -> BackendResult<()> {
    let mut recipients: Vec<Recipient> = Vec::new();
    for addressees in addressees(moved.to) {
        let found = match addressees {
            Addressees::Siae(roles) => db::outbox::holders(work, moved.siae.id, roles).await?,
            Addressees::Region(roles) => match moved.siae.region_id {
                Some(region_id) => db::outbox::holders(work, region_id, roles).await?,
                None => Vec::new(),
            },
            Addressees::Federation(roles) => match db::organisations::federation_id(work).await? {
                Some(federation_id) => db::outbox::holders(work, federation_id, roles).await?,
                None => Vec::new(),
            },
            Addressees::Auditor => match moved.auditor_id {
                Some(auditor_id) => db::outbox::account(work, auditor_id)
                    .await?
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            },
        };
        for recipient in found {
            if recipient.account_id != moved.by_account_id && !recipients.contains(&recipient) {
                recipients.push(recipient);
            }
        }
    }
    let words = notice(&moved.siae.name, moved.to, moved.link);
    for to in &recipients {
        db::outbox::enqueue(
            work,
            &NewMail {
                to,
                subject: &words.subject,
                body: &words.body,
                demande_id: Some(moved.demande_id),
            },
        )
        .await?;
    }
    Ok(())
}
