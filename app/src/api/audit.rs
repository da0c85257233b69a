use crate::error::AppError;
use crate::types::{AuditPage, OutboxPage, SecurityPage};
use domain::audit::AuditFilter;
use domain::security::SecurityFilter;
use leptos::prelude::*;

#[server(endpoint = "journal")]
pub async fn audit_trail(#[server(default)] filter: AuditFilter) -> Result<AuditPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let (events, has_more) = outcome(backend::audit::list(&context().db, &me, &filter).await)?;
    Ok(AuditPage { events, has_more })
}

#[server(endpoint = "journal/securite")]
pub async fn security_journal(
    #[server(default)] filter: SecurityFilter,
) -> Result<SecurityPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let (events, has_more) = outcome(backend::security::list(&context().db, &me, &filter).await)?;
    Ok(SecurityPage { events, has_more })
}

/// The mail outbox: the latest mails the application wrote, and where their sending stands.
#[server(endpoint = "courriels")]
pub async fn outbox() -> Result<OutboxPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let mails = outcome(backend::mailer::outbox(&ctx.db, &me).await)?;
    Ok(OutboxPage {
        sends_mail: ctx.sends_mail,
        mails,
        now: chrono::Utc::now(),
    })
}
