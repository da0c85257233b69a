//! Recognises the caller from the session cookie (noting the browser and address the session is
//! used from), reads the flash message, and sends visitors who are not signed in to the login page.

use crate::AppState;
use app::api::ssr::{base64_url, ClientAddress, FLASH_COOKIE, SESSION_COOKIE};
use app::types::FlashMessage;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use backend::Identity;
use http::header::SET_COOKIE;
use http::{HeaderValue, Method};
use std::net::SocketAddr;

/// Pages anyone may open; everything else needs a session.
const PUBLIC_PAGES: &[&str] = &["/connexion", "/connexion/code"];
/// The public verification of a certificate's code (the address its QR code carries).
const PUBLIC_VERIFICATION: &str = "/verification/";
/// While the password is temporary, only these may be used (besides static assets): every other
/// route, plain HTTP ones included, sends to the password change.
const ALLOWED_WITH_TEMPORARY_PASSWORD: &[&str] =
    &["/mot-de-passe", "/api/mot-de-passe", "/api/deconnexion"];
/// While a role requires a second factor the account does not have yet, only its enrolment.
const ALLOWED_BEFORE_SECOND_FACTOR: &[&str] = &[
    "/double-authentification",
    "/api/double-authentification/etat",
    "/api/double-authentification/activer",
    "/api/double-authentification/confirmer",
    "/api/deconnexion",
];

pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let address = state
        .trusted_proxies
        .client(peer, request.headers())
        .map(|a| a.to_string())
        .unwrap_or_else(|| "inconnue".to_string());
    let user_agent = request
        .headers()
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let client = domain::session::Client::new(user_agent, &address);
    request.extensions_mut().insert(ClientAddress(address));
    request.extensions_mut().insert(client.clone());

    let ctx = &state.ctx;
    let token = ctx
        .transport
        .read_cookie(request.headers(), SESSION_COOKIE)
        .map(str::to_string);
    let mut stale_cookie = false;
    if let Some(token) = token {
        match recognise(&state, &token, &client).await {
            Ok(Some(identity)) => {
                request.extensions_mut().insert(identity);
            }
            Ok(None) => stale_cookie = true,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return (
                    http::StatusCode::SERVICE_UNAVAILABLE,
                    "Cedre est momentanément indisponible (base de données injoignable). Réessayez dans quelques instants.",
                )
                    .into_response();
            }
        }
    }
    let flash = ctx
        .transport
        .read_cookie(request.headers(), FLASH_COOKIE)
        .and_then(|signed| ctx.sessions.verify_signed(signed))
        .and_then(base64_url::decode)
        .and_then(|json| serde_json::from_slice::<FlashMessage>(&json).ok());
    let had_flash = ctx
        .transport
        .read_cookie(request.headers(), FLASH_COOKIE)
        .is_some();
    if let Some(flash) = flash {
        request.extensions_mut().insert(flash);
    }

    let is_page = request.method() == Method::GET && !request.uri().path().starts_with("/api/");
    if is_page && !request.uri().path().starts_with("/pkg/") {
        // Pages of a demonstration installation show the banner (the layout reads this mark).
        match backend::settings::is_demo(&ctx.db).await {
            Ok(true) => {
                request.extensions_mut().insert(app::types::DemoInstance);
            }
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "demo flag lookup failed"),
        }
    }
    let caller = request.extensions().get::<Identity>().cloned();
    let asked = format!("{} {}", request.method(), request.uri().path());
    let mut response = match gate(&request) {
        Some(redirect) => redirect,
        None => next.run(request).await,
    };
    if refused(&response, &asked) {
        record_refusal(&state, caller.as_ref(), &client, &asked).await;
    }
    // The flash message was shown on this page: it must not show again.
    if had_flash && is_page && response.status().is_success() {
        append_cookie(&mut response, &expired_cookie(&state, FLASH_COOKIE));
    }
    if stale_cookie {
        append_cookie(&mut response, &expired_cookie(&state, SESSION_COOKIE));
    }
    response
}

async fn recognise(
    state: &AppState,
    token: &str,
    client: &domain::session::Client,
) -> backend::BackendResult<Option<Identity>> {
    let ctx = &state.ctx;
    let Some(session) = ctx.sessions.resume(&ctx.db, token, client).await? else {
        return Ok(None);
    };
    let identity = Identity::load(&ctx.db, session.account_id, session.token_hash.clone()).await?;
    if identity.is_none() {
        // The account was disabled or removed: its session ends now.
        backend::sessions::end(&ctx.db, &session.token_hash).await?;
    }
    Ok(identity)
}

/// A refused access: a 403, or a form post sent to the « accès refusé » page (which is not
/// counted again when it is shown).
fn refused(response: &Response, asked: &str) -> bool {
    let to_forbidden_page = response.status().is_redirection()
        && response
            .headers()
            .get(http::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l == "/interdit");
    (response.status() == http::StatusCode::FORBIDDEN && asked != "GET /interdit")
        || to_forbidden_page
}

async fn record_refusal(
    state: &AppState,
    caller: Option<&Identity>,
    client: &domain::session::Client,
    asked: &str,
) {
    use backend::security::{self, SecurityEvent, SecurityKind};
    let event = match caller {
        Some(me) => security::about(me, SecurityKind::AccessRefused, &client.address, asked),
        None => SecurityEvent {
            kind: SecurityKind::AccessRefused,
            account_id: None,
            account: String::new(),
            address: client.address.clone(),
            detail: asked.to_string(),
        },
    };
    security::record(&state.ctx.db, event).await;
}

/// Where a request must go instead of where it asked, if anywhere.
fn gate(request: &Request) -> Option<Response> {
    let path = request.uri().path();
    let identity = request.extensions().get::<Identity>();
    let is_page =
        request.method() == Method::GET && !path.starts_with("/api/") && !path.starts_with("/pkg/");
    match identity {
        None if is_page
            && !PUBLIC_PAGES.contains(&path)
            && !path.starts_with(PUBLIC_VERIFICATION)
            && path != "/favicon.svg" =>
        {
            let next = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = if next == "/" {
                "/connexion".to_string()
            } else {
                format!("/connexion?suite={}", app::url::encode(next))
            };
            Some(Redirect::to(&target).into_response())
        }
        Some(_) if is_page && path == "/connexion" => Some(Redirect::to("/").into_response()),
        // Every route, whatever its method: pages, server functions, evidence uploads and
        // downloads, exports. Only the password change, sign-out and static assets stay open.
        Some(identity)
            if identity.must_change_password
                && !ALLOWED_WITH_TEMPORARY_PASSWORD.contains(&path)
                && !path.starts_with("/pkg/")
                && path != "/favicon.svg" =>
        {
            Some(Redirect::to("/mot-de-passe").into_response())
        }
        Some(identity)
            if identity.must_enrol_second_factor
                && !ALLOWED_BEFORE_SECOND_FACTOR.contains(&path)
                && !path.starts_with("/pkg/")
                && path != "/favicon.svg" =>
        {
            Some(Redirect::to("/double-authentification").into_response())
        }
        _ => None,
    }
}

fn expired_cookie(state: &AppState, name: &str) -> String {
    state.ctx.transport.cookie(name, "", 0)
}

pub fn append_cookie(response: &mut Response, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(SET_COOKIE, value);
    }
}
