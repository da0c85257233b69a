use crate::error::AppError;
use domain::session::OpenSession;
use leptos::prelude::*;

#[server(endpoint = "sessions/liste")]
pub async fn list_sessions() -> Result<Vec<OpenSession>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    outcome(ctx.sessions.list_own(&ctx.db, &me).await)
}

/// Ends one of the caller's sessions; ending the current one signs out.
#[server(endpoint = "sessions/fermer")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let was_current = outcome(ctx.sessions.end_own(&ctx.db, &me, &id, &client()).await)?;
    if was_current {
        clear_session_cookie();
        done("/connexion", "Vous êtes déconnecté.");
    } else {
        done("/mes-sessions", "La session a été fermée.");
    }
    Ok(())
}
