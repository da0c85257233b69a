//! What `cedre serve` does in the background, beside answering requests: once a day, the
//! reminders of certificates coming to their end; every few seconds, when SMTP is configured,
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
            match backend::programme::remind_expiring(&db, today, &page_of).await {
                Ok(count) => {
                    reminded_on = Some(today);
                    if count > 0 {
                        tracing::info!(count, "certificate expiry reminders written");
                    }
                }
                Err(error) => tracing::error!(%error, "certificate expiry reminders failed"),
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
