use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "connexion")]
pub async fn login(email: String, password: String, suite: Option<String>) -> Result<(), AppError> {
    use super::ssr::*;
    let ctx = context();
    let token = outcome(
        backend::accounts::login(&ctx.db, &ctx.sessions, &email, &password, &client()).await,
    )?;
    // A new session at each login: a session fixed before login is worth nothing after it.
    if let Some(previous) = current_identity() {
        outcome(backend::sessions::end(&ctx.db, &previous.session).await)?;
    }
    set_session_cookie(&token);
    leptos_axum::redirect(&safe_next(suite.as_deref()));
    Ok(())
}

#[server(endpoint = "deconnexion")]
pub async fn logout() -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::accounts::logout(&context().db, &me, &client()).await)?;
    clear_session_cookie();
    set_flash(crate::types::FlashKind::Succes, "Vous êtes déconnecté.");
    leptos_axum::redirect("/connexion");
    Ok(())
}

#[server(endpoint = "mot-de-passe")]
pub async fn change_password(
    actuel: String,
    nouveau: String,
    confirmation: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let fields = backend::accounts::ChangeOfPassword {
        current: &actuel,
        new: &nouveau,
        confirmation: &confirmation,
    };
    let token = outcome(
        backend::accounts::change_own_password(&ctx.db, &ctx.sessions, &me, fields, &client())
            .await,
    )?;
    // The session is renewed: the old cookie opens nothing any more.
    set_session_cookie(&token);
    done(
        "/",
        "Votre mot de passe a été changé. Vos autres sessions ont été fermées.",
    );
    Ok(())
}
