//! Server-side helpers for server functions and pages: the shared context, the caller's
//! identity, cookies, flash messages and the answer to a plain HTML form post.

use crate::error::AppError;
use crate::types::{FlashKind, FlashMessage};
use backend::sessions::Sessions;
use backend::{BackendError, Db, Identity};
use base64_url::encode as b64;
use http::header::{ACCEPT, SET_COOKIE};
use http::request::Parts;
use http::{HeaderValue, Method, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub const SESSION_COOKIE: &str = "cedre_session";
pub const FLASH_COOKIE: &str = "cedre_flash";

/// What every request handler shares; built once at start-up by the server.
#[derive(Clone)]
pub struct ServerContext {
    pub db: Db,
    pub sessions: Sessions,
    /// Adds `Secure` to cookies; on when the site is served over HTTPS.
    pub secure_cookies: bool,
}

/// The client address, used for login throttling.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

pub fn context() -> ServerContext {
    expect_context::<ServerContext>()
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The caller, as recognised by the session middleware.
pub fn current_identity() -> Option<Identity> {
    parts().and_then(|p| p.extensions.get::<Identity>().cloned())
}

pub fn identity() -> Result<Identity, AppError> {
    current_identity().ok_or_else(|| report(AppError::Unauthenticated))
}

/// The flash message the middleware read from this request's cookie, if any.
pub fn incoming_flash() -> Option<FlashMessage> {
    parts().and_then(|p| p.extensions.get::<FlashMessage>().cloned())
}

pub fn client_address() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientAddress>().cloned())
        .map(|a| a.0)
        .unwrap_or_else(|| "inconnue".to_string())
}

/// A browser posting a `<form>` without script: it expects a redirection, not data.
fn is_form_post() -> bool {
    parts().is_some_and(|p| {
        p.method == Method::POST
            && p.headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
    })
}

/// Cookies are `Secure` when configured so, or when a TLS proxy says the request came over HTTPS.
fn secure_request() -> bool {
    context().secure_cookies
        || parts().is_some_and(|p| {
            p.headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        })
}

pub fn cookie(name: &str, value: &str, max_age_seconds: i64) -> String {
    cookie_string(name, value, max_age_seconds, secure_request())
}

/// Every cookie of Cedre: HttpOnly, SameSite=Lax, Secure under HTTPS.
pub fn cookie_string(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}; Max-Age={max_age_seconds}")
}

fn append_cookie(value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        expect_context::<ResponseOptions>().append_header(SET_COOKIE, value);
    }
}

pub fn set_session_cookie(token: &str) {
    let max_age = context().sessions.policy.absolute_timeout.num_seconds();
    append_cookie(cookie(SESSION_COOKIE, token, max_age));
}

pub fn clear_session_cookie() {
    append_cookie(cookie(SESSION_COOKIE, "", 0));
}

/// Encodes and signs a message shown once on the next page.
pub fn flash_cookie_value(sessions: &Sessions, message: &FlashMessage) -> String {
    let json = serde_json::to_string(message).unwrap_or_default();
    sessions.sign(&b64(json.as_bytes()))
}

pub fn set_flash(kind: FlashKind, text: impl Into<String>) {
    let message = FlashMessage {
        kind,
        text: text.into(),
    };
    append_cookie(cookie(
        FLASH_COOKIE,
        &flash_cookie_value(&context().sessions, &message),
        120,
    ));
}

/// Answers a failure. A plain form post goes back to the form (leptos_axum follows the Referer)
/// with the message shown there; refusals go to the login or 403 page. Other callers get the status.
pub fn report(error: AppError) -> AppError {
    if is_form_post() {
        match &error {
            AppError::Unauthenticated => leptos_axum::redirect("/connexion"),
            AppError::Forbidden => leptos_axum::redirect("/interdit"),
            _ => set_flash(FlashKind::Erreur, error.to_string()),
        }
    } else if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    error
}

/// Maps a use case's result to the server function's, reporting a failure.
pub fn outcome<T>(result: Result<T, BackendError>) -> Result<T, AppError> {
    result.map_err(|e| {
        tracing::info!(error = %e, "request refused");
        report(AppError::from(e))
    })
}

/// After a successful change: show `message` on the page at `path`.
pub fn done(path: &str, message: impl Into<String>) {
    set_flash(FlashKind::Succes, message);
    leptos_axum::redirect(path);
}

/// Sets the HTTP status of the page being rendered (an error page inside the layout).
pub fn set_page_status(status: u16) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response
            .set_status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    }
}

/// Only local paths are followed after login, so that a link cannot send a user elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

pub mod base64_url {
    use base64::Engine as _;

    pub fn encode(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode(text: &str) -> Option<Vec<u8>> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/organisations/3")), "/organisations/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
