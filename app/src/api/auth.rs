use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "connexion")]
pub async fn login(email: String, password: String, suite: Option<String>) -> Result<(), AppError> {
    use super::ssr::*;
    let ctx = context();
    let login =
        backend::accounts::login(&ctx.db, &ctx.sessions, &email, &password, &client()).await;
    match outcome(login)? {
        backend::accounts::Login::Session(token) => open_session(&token, suite.as_deref()).await,
        backend::accounts::Login::CodeNeeded { account_id } => {
            let ticket = backend::second_factor::ticket(&ctx.sessions, account_id);
            set_cookie(
                TICKET_COOKIE,
                &ticket,
                backend::second_factor::TICKET_SECONDS,
            );
            let next = safe_next(suite.as_deref());
            leptos_axum::redirect(&format!(
                "/connexion/code?suite={}",
                crate::url::encode(&next)
            ));
            Ok(())
        }
    }
}

/// The second step of a login with a second factor: the code, with the ticket left by the
/// password step.
#[server(endpoint = "connexion/code")]
pub async fn login_code(verification: String, suite: Option<String>) -> Result<(), AppError> {
    use super::ssr::*;
    let ctx = context();
    let Some(account_id) = login_ticket() else {
        return Err(report(AppError::invalid(
            "Votre connexion a expiré : saisissez à nouveau votre adresse et votre mot de passe.",
        )));
    };
    let token = outcome(
        backend::second_factor::complete_login(
            &ctx.db,
            &ctx.sessions,
            account_id,
            &verification,
            &client(),
        )
        .await,
    )?;
    set_cookie(TICKET_COOKIE, "", 0);
    open_session(&token, suite.as_deref()).await
}

#[cfg(feature = "ssr")]
async fn open_session(token: &str, suite: Option<&str>) -> Result<(), AppError> {
    use super::ssr::*;
    // A new session at each login: a session fixed before login is worth nothing after it.
    if let Some(previous) = current_identity() {
        outcome(backend::sessions::end(&context().db, &previous.session).await)?;
    }
    set_session_cookie(token);
    leptos_axum::redirect(&safe_next(suite));
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
