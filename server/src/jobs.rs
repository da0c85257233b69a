//! What `cedre serve` does in the background, beside answering requests: once a day, the
//! reminders of certificates coming to their end and of corrective actions due or late; every few seconds, when SMTP is configured,
//! the mails of the outbox.

use backend::mailer::{deliver_due, Mailer};
use backend::Db;

/// How long the background task waits between two rounds.
const ROUND_INTERVAL: std::time::Duration = std::time::Duration::from_secs(20);

/// Runs for as long as the server does; `site` is the public address, for the mails' links.
pub async fn run(db: Db, mailer: Option<Mailer>, site: String) {
    let mut reminded_on = None;
    loop {
        let today = domain::time::today();
        if reminded_on != Some(today) {
            let page_of = |siae_id| format!("{site}{}", app::url::certification_page(siae_id));
            let plan_of = |siae_id, kind| format!("{site}{}", app::url::action_plan(siae_id, kind));
            let expiring = backend::programme::remind_expiring(&db, today, &page_of).await;
            let actions = backend::corrective::remind(&db, today, &plan_of).await;
            match (expiring, actions) {
                (Ok(certificates), Ok(mails)) => {
                    reminded_on = Some(today);
                    tracing::info!(certificates, mails, "daily reminders written");
                }
                (Err(error), _) | (_, Err(error)) => {
                    tracing::error!(%error, "daily reminders failed")
                }
            }
        }
        if let Some(mailer) = &mailer {
            if let Err(error) = deliver_due(&db, mailer, chrono::Utc::now()).await {
                tracing::error!(%error, "the mail outbox could not be read");
            }
        }
        tokio::time::sleep(ROUND_INTERVAL).await;
    }
}
