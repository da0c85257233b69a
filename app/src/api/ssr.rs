//! Server-side helpers for server functions and pages: the shared context, the caller's
//! identity, cookies, flash messages and the answer to a plain HTML form post, with its echo.

use crate::error::AppError;
use crate::types::{FlashKind, FlashMessage, FormEcho};
use backend::sessions::Sessions;
use backend::{BackendError, Db, Identity};
use base64_url::encode as b64;
use domain::validation::FieldErrors;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "cedre_session";
pub const FLASH_COOKIE: &str = "cedre_flash";
/// The signed ticket between the password and the second-factor code of a login.
pub const TICKET_COOKIE: &str = "cedre_verification";
/// The signed key of the form echo kept for the browser's next page (never the values).
pub const FORM_COOKIE: &str = "cedre_formulaire";

/// What every request handler shares; built once at start-up by the server.
#[derive(Clone)]
pub struct ServerContext {
    pub db: Db,
    pub sessions: Sessions,
    /// Whether the site is served over HTTPS, which names and flags its cookies.
    pub transport: Transport,
    /// Refused form posts, kept for the page that shows them again.
    pub echoes: FormEchoes,
    /// Where the PDFs made of users' text are rendered.
    pub renderer: backend::pdf::Renderer,
    /// The site's public address (`CEDRE_PUBLIC_URL`), for links that leave it (a
    /// certificate's QR code); without it, the address the request came to.
    pub public_url: Option<String>,
    /// Whether the outbox's mails are sent (`CEDRE_SMTP_URL` is set).
    pub sends_mail: bool,
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

/// The scheme and host this request came to (`http://localhost:3000`), from its `Host` header;
/// used only where no public address is configured.
pub fn request_origin() -> String {
    let host = parts()
        .and_then(|p| {
            p.headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_string)
        })
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or_else(|| "localhost".to_string());
    let scheme = if context().transport.https {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub fn client_address() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientAddress>().cloned())
        .map(|a| a.0)
        .unwrap_or_else(|| "inconnue".to_string())
}

/// The caller's browser and address, as the session middleware read them.
pub fn client() -> domain::session::Client {
    parts()
        .and_then(|p| p.extensions.get::<domain::session::Client>().cloned())
        .unwrap_or_else(|| domain::session::Client::new("", &client_address()))
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

/// How Cedre is reached, as configured (`CEDRE_SECURE_COOKIES=true`, or a public URL in `https`).
/// Over HTTPS every cookie is `Secure` and named with the `__Host-` prefix — a browser then keeps
/// it only from a secure page of this very host, for the whole site, so that neither a plain-HTTP
/// page nor a sibling domain can plant or overwrite a session — and every answer carries
/// `Strict-Transport-Security`. The setting decides, not a request header, so that the names stay
/// the same from one request to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Transport {
    pub https: bool,
}

impl Transport {
    /// The name under which the cookie `base` (e.g. [`SESSION_COOKIE`]) travels.
    pub fn cookie_name(self, base: &str) -> String {
        if self.https {
            format!("__Host-{base}")
        } else {
            base.to_string()
        }
    }

    /// The `Set-Cookie` value of every cookie of Cedre: HttpOnly, SameSite=Lax, whole site,
    /// `Secure` over HTTPS; an empty value with age 0 removes it.
    pub fn cookie(self, base: &str, value: &str, max_age_seconds: i64) -> String {
        let name = self.cookie_name(base);
        let secure = if self.https { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}; Max-Age={max_age_seconds}")
    }

    /// The value of the cookie `base` in a request.
    pub fn read_cookie<'a>(self, headers: &'a HeaderMap, base: &str) -> Option<&'a str> {
        read_cookie(headers, &self.cookie_name(base))
    }
}

pub fn cookie(name: &str, value: &str, max_age_seconds: i64) -> String {
    context().transport.cookie(name, value, max_age_seconds)
}

fn append_cookie(value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        expect_context::<ResponseOptions>().append_header(SET_COOKIE, value);
    }
}

/// Sets (or, with an empty value and age 0, removes) one of Cedre's cookies.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64) {
    append_cookie(cookie(name, value, max_age_seconds));
}

/// The account whose password was just verified, from the login ticket, if genuine and fresh.
pub fn login_ticket() -> Option<i64> {
    let parts = parts()?;
    let ctx = context();
    let ticket = ctx.transport.read_cookie(&parts.headers, TICKET_COOKIE)?;
    backend::second_factor::ticket_account(&ctx.sessions, ticket)
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

/// Answers a failure. A plain form post goes back to the form (leptos_axum follows the Referer),
/// which shows again what was typed with each message beside its field (the form echo);
/// refusals go to the login or 403 page. Other callers get the status.
pub fn report(error: AppError) -> AppError {
    if is_form_post() {
        match &error {
            AppError::Unauthenticated => leptos_axum::redirect("/connexion"),
            AppError::Forbidden => leptos_axum::redirect("/interdit"),
            _ => echo_form(&error),
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
/// Browsers drop tabs and line breaks from a URL and read `\\` as `/`, so `/\t/evil.example` or
/// `/\\evil.example` would become `//evil.example`, another site: such paths are refused.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

// The form echo.
//
// A refused plain form post is answered with a redirection to the page of the form. So that the
// page can show the form again as it was sent, with each message beside its field:
// 1. `keep_posted_form` (a middleware) reads the url-encoded body of every form post to
//    `/api/…` and puts the pairs in the request's extensions, where `report` finds them;
// 2. `report` keeps the values (less the secret fields) and the messages in `FormEchoes`, in
//    memory, under a random key bound to the session (if any), and sets a short-lived signed
//    cookie holding only that key;
// 3. the next page (`components::forms::provide_form_echo`) takes the echo out of the store —
//    once — and clears the cookie; the form whose action matches renders from it.
// The store forgets an echo after `ECHO_TTL`, holds at most `ECHO_LIMIT` of them and one per
// session; what a user typed never travels in a cookie.

/// What a browser posted with a plain HTML form, url-encoded, as `name=value` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostedForm(pub Vec<(String, String)>);

/// Signed values of the echo cookie start with this, so that no other signed value passes for one.
const ECHO_COOKIE_PREFIX: &str = "formulaire:";
/// Fields never kept nor shown again: passwords and second-factor codes.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "actuel",
    "nouveau",
    "confirmation",
    "verification",
];
/// The largest url-encoded form post accepted (a référentiel requirement is a few kilobytes).
const POSTED_FORM_LIMIT: usize = 1024 * 1024;
const ECHO_TTL: Duration = Duration::from_secs(10 * 60);
const ECHO_LIMIT: usize = 500;
/// The most text an echo keeps; beyond, the values are dropped and only the messages shown.
const ECHO_VALUES_LIMIT: usize = 64 * 1024;

fn is_secret(name: &str) -> bool {
    let key = crate::components::forms::field_key(name);
    SECRET_FIELDS.contains(&key) || key.contains("password") || key.contains("mot_de_passe")
}

/// Middleware: keeps the pairs of a url-encoded form post to a server function in the request's
/// extensions ([`PostedForm`]), for the echo of a refusal. Anything else passes untouched; a form
/// post larger than [`POSTED_FORM_LIMIT`] is refused (413), as no form of Cedre comes near it.
pub async fn keep_posted_form(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let headers = request.headers();
    let wanted = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !wanted {
        return next.run(request).await;
    }
    let too_large = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|length| length > POSTED_FORM_LIMIT);
    if too_large {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, POSTED_FORM_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if let Ok(values) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) {
        parts.extensions.insert(PostedForm(values));
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

struct KeptEcho {
    echo: FormEcho,
    /// The session's token hash; `None` for a visitor (the login form).
    session: Option<String>,
    kept_at: Instant,
}

/// Refused form posts waiting for their page, in memory: bounded in number and in time.
#[derive(Clone, Default)]
pub struct FormEchoes(Arc<Mutex<HashMap<String, KeptEcho>>>);

impl FormEchoes {
    /// Keeps `echo` for the browser of `session`; returns the key to give it.
    pub fn keep(&self, session: Option<String>, mut echo: FormEcho) -> String {
        use rand::RngCore;
        echo.values.retain(|(name, _)| !is_secret(name));
        let size: usize = echo.values.iter().map(|(n, v)| n.len() + v.len()).sum();
        if size > ECHO_VALUES_LIMIT {
            echo.values.clear();
        }
        let mut bytes = [0u8; 18];
        rand::thread_rng().fill_bytes(&mut bytes);
        let key = b64(&bytes);
        let now = Instant::now();
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|_, k| {
            now.duration_since(k.kept_at) < ECHO_TTL && (session.is_none() || k.session != session)
        });
        while kept.len() >= ECHO_LIMIT {
            let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, k)| k.kept_at)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            kept.remove(&oldest);
        }
        kept.insert(
            key.clone(),
            KeptEcho {
                echo,
                session,
                kept_at: now,
            },
        );
        key
    }

    /// Takes the echo kept under `key`, once, if it is still fresh and belongs to `session`.
    pub fn take(&self, key: &str, session: Option<&str>) -> Option<FormEcho> {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let found = kept.remove(key)?;
        (found.session.as_deref() == session && found.kept_at.elapsed() < ECHO_TTL)
            .then_some(found.echo)
    }

    pub fn len(&self) -> usize {
        self.0.lock().map(|k| k.len()).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Keeps the refused form for the page it goes back to.
fn echo_form(error: &AppError) {
    let Some(parts) = parts() else {
        return set_flash(FlashKind::Erreur, error.to_string());
    };
    let errors = match error {
        AppError::Invalid(errors) => errors.clone(),
        other => FieldErrors::form(other.to_string()),
    };
    let echo = FormEcho {
        action: parts.uri.path().to_string(),
        values: parts
            .extensions
            .get::<PostedForm>()
            .map(|p| p.0.clone())
            .unwrap_or_default(),
        errors,
    };
    let session = parts
        .extensions
        .get::<Identity>()
        .map(|i| i.session.clone());
    let ctx = context();
    let key = ctx.echoes.keep(session, echo);
    let signed = ctx.sessions.sign(&format!("{ECHO_COOKIE_PREFIX}{key}"));
    append_cookie(cookie(FORM_COOKIE, &signed, 120));
    // Back to the form, without the error that server functions would add to its address
    // (`__path`, `__err`): the page shows it from the echo, and the address stays clean.
    if let Some(referer) = parts
        .headers
        .get(http::header::REFERER)
        .and_then(|v| v.to_str().ok())
    {
        leptos_axum::redirect(&without_error_query(referer));
    }
}

/// `address` less the `__path` and `__err` query pairs that server functions add after a failure.
fn without_error_query(address: &str) -> String {
    let Some((base, query)) = address.split_once('?') else {
        return address.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("__path=") && !pair.starts_with("__err="))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The value of the cookie `name` in the request, if present and not empty.
pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// The echo of the form this browser just had refused, taken out of the store: `None` when
/// there is none, `Some(None)` when there was one but it is gone (expired, server restarted).
pub fn take_form_echo() -> Option<Option<FormEcho>> {
    let parts = parts()?;
    let ctx = context();
    let signed = ctx.transport.read_cookie(&parts.headers, FORM_COOKIE)?;
    append_cookie(cookie(FORM_COOKIE, "", 0));
    let session = parts
        .extensions
        .get::<Identity>()
        .map(|i| i.session.as_str());
    Some(
        ctx.sessions
            .verify_signed(signed)
            .and_then(|value| value.strip_prefix(ECHO_COOKIE_PREFIX))
            .and_then(|key| ctx.echoes.take(key, session)),
    )
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
    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; cedre_session=abc=; b=2".parse().unwrap());
        assert_eq!(read_cookie(&headers, "cedre_session"), Some("abc="));
        assert_eq!(read_cookie(&headers, "cedre"), None);
    }

    #[test]
    fn over_https_cookies_are_secure_and_bound_to_the_host() {
        let https = Transport { https: true };
        assert_eq!(
            https.cookie(SESSION_COOKIE, "jeton", 60),
            "__Host-cedre_session=jeton; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=60"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            "cedre_session=plante; __Host-cedre_session=vrai"
                .parse()
                .unwrap(),
        );
        assert_eq!(https.read_cookie(&headers, SESSION_COOKIE), Some("vrai"));
        let http = Transport { https: false };
        assert_eq!(
            http.cookie(SESSION_COOKIE, "jeton", 60),
            "cedre_session=jeton; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
        assert_eq!(http.read_cookie(&headers, SESSION_COOKIE), Some("plante"));
    }

    fn echo(action: &str) -> FormEcho {
        FormEcho {
            action: action.into(),
            values: vec![
                ("draft[name]".into(), "Atelier".into()),
                ("password".into(), "secret".into()),
                ("nouveau".into(), "secret".into()),
            ],
            errors: FieldErrors::on("name", "Trop long."),
        }
    }

    #[test]
    fn an_echo_is_taken_once_by_its_session_and_keeps_no_password() {
        let echoes = FormEchoes::default();
        let key = echoes.keep(Some("s1".into()), echo("/api/a"));
        assert_eq!(echoes.take(&key, Some("s2")), None, "another session");
        let key = echoes.keep(Some("s1".into()), echo("/api/a"));
        let taken = echoes.take(&key, Some("s1")).expect("kept");
        assert_eq!(taken.values, vec![("draft[name]".into(), "Atelier".into())]);
        assert_eq!(echoes.take(&key, Some("s1")), None, "taken once");
        let visitor = echoes.keep(None, echo("/api/connexion"));
        assert!(echoes.take(&visitor, None).is_some());
    }

    #[test]
    fn the_store_is_bounded() {
        let echoes = FormEchoes::default();
        let first = echoes.keep(Some("s".into()), echo("/api/a"));
        let second = echoes.keep(Some("s".into()), echo("/api/b"));
        assert_eq!(echoes.len(), 1, "one echo a session");
        assert_eq!(echoes.take(&first, Some("s")), None);
        assert!(echoes.take(&second, Some("s")).is_some());
        for _ in 0..ECHO_LIMIT + 20 {
            echoes.keep(None, echo("/api/connexion"));
        }
        assert_eq!(echoes.len(), ECHO_LIMIT);
        let mut large = echo("/api/a");
        large.values = vec![("text".into(), "x".repeat(ECHO_VALUES_LIMIT + 1))];
        let key = echoes.keep(None, large);
        let taken = echoes.take(&key, None).unwrap();
        assert!(taken.values.is_empty() && !taken.errors.is_empty());
    }

    #[test]
    fn the_error_query_is_left_out_of_the_way_back() {
        assert_eq!(
            without_error_query("http://h/a?cle=2.1%20a&__path=%2Fapi&__err=e30"),
            "http://h/a?cle=2.1%20a"
        );
        assert_eq!(
            without_error_query("http://h/a?__path=x&__err=y"),
            "http://h/a"
        );
        assert_eq!(without_error_query("http://h/a"), "http://h/a");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/organisations/3")), "/organisations/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        for tricky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/\u{0}/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
        ] {
            assert_eq!(safe_next(Some(tricky)), "/", "{tricky:?}");
        }
        assert_eq!(
            safe_next(Some("/organisations/3/referentiel?cle=2.1%20a")),
            "/organisations/3/referentiel?cle=2.1%20a"
        );
        assert_eq!(safe_next(None), "/");
    }
}
