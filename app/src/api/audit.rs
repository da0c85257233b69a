use crate::error::AppError;
use crate::types::{AuditPage, SecurityPage};
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
