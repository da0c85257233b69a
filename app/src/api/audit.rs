use crate::error::AppError;
use crate::types::AuditPage;
use domain::audit::AuditFilter;
use leptos::prelude::*;

#[server(endpoint = "journal")]
pub async fn audit_trail(#[server(default)] filter: AuditFilter) -> Result<AuditPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let (events, has_more) = outcome(backend::audit::list(&context().db, &me, &filter).await)?;
    Ok(AuditPage { events, has_more })
}
