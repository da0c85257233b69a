//! Security headers on every response, and the cross-site request forgery check.

use app::api::ssr::Transport;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use http::header::{HeaderName, HeaderValue, HOST, ORIGIN, STRICT_TRANSPORT_SECURITY};
use http::{Method, StatusCode};
use leptos::nonce::Nonce;
use rand::RngCore;

/// Two years, as the HSTS preload list asks; the header is sent only over HTTPS (see [`Transport`]).
const HSTS: &str = "max-age=63072000";

/// Sets the headers and a fresh script nonce, which the page's hydration script carries.
pub async fn headers(
    State(transport): State<Transport>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut bytes = [0u8; 18];
    rand::thread_rng().fill_bytes(&mut bytes);
    let nonce = base64::engine::general_purpose::STANDARD.encode(bytes);
    request
        .extensions_mut()
        .insert(Nonce::from_value(nonce.clone()));
    let mut response = next.run(request).await;
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", csp.as_str()),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    if transport.https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

/// Refuses a state-changing request that a browser sent from another site. Browsers say where
/// a request comes from (`Sec-Fetch-Site`, `Origin`); a request without either did not come from
/// a browser, so it cannot carry a victim's cookies by surprise, and passes.
pub async fn csrf(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || is_same_site(&request) {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        (
            StatusCode::FORBIDDEN,
            "Requête refusée : elle ne provient pas de Cedre (protection contre la falsification de requêtes).",
        )
            .into_response()
    }
}

fn is_same_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    match headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let origin_host = origin.split_once("://").map(|(_, host)| host).unwrap_or("");
            headers.get(HOST).and_then(|v| v.to_str().ok()) == Some(origin_host)
        }
    }
}
