//! Evidence files and exports: plain HTTP routes (uploads are multipart, downloads are files),
//! authorized by the same use cases as the server functions.

use super::session::append_cookie;
use crate::AppState;
use app::api::ssr::{flash_cookie_value, FLASH_COOKIE};
use app::error::AppError;
use app::types::{FlashKind, FlashMessage};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use backend::{BackendError, Identity};
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{id}/preuves",
            // The file is also cut at MAX_BYTES while it is read (see `read_limited`); this
            // bounds the whole body, form fields and multipart framing included.
            post(upload).layer(DefaultBodyLimit::max(
                domain::evidence::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/organisations/{id}/preuves/{document}", get(download))
        .route("/organisations/{id}/referentiel.csv", get(csv))
        .route("/organisations/{id}/referentiel.pdf", get(pdf))
        // The preview of a section's editor: text in, HTML out (see app's MarkdownInput).
        .route(
            "/manuel/apercu",
            post(preview).layer(DefaultBodyLimit::max(PREVIEW_LIMIT)),
        )
        .route(
            "/organisations/{id}/manuel/editions/{edition}",
            get(edition_pdf),
        )
}

/// A failure as an HTTP answer: its status and the French message.
pub fn refuse(error: BackendError) -> Response {
    tracing::info!(%error, "request refused");
    let error = AppError::from(error);
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}

pub(crate) fn with_flash(
    state: &AppState,
    mut response: Response,
    kind: FlashKind,
    text: String,
) -> Response {
    let value = flash_cookie_value(&state.ctx.sessions, &FlashMessage { kind, text });
    append_cookie(
        &mut response,
        &state.ctx.transport.cookie(FLASH_COOKIE, &value, 120),
    );
    response
}

/// The longest requirement key a form may send (keys are a few characters).
const MAX_FIELD_BYTES: usize = 1024;

/// Why an upload's body was not read to the end.
pub(crate) enum Unread {
    TooLarge,
    Interrupted,
}

/// Reads the file field `name` of a multipart form (its file name and bytes, at most `limit`
/// bytes); other fields are skipped. `Ok(None)` when the form has no such field.
pub(crate) async fn read_file_field(
    multipart: &mut Multipart,
    name: &str,
    limit: usize,
) -> Result<Option<(String, Vec<u8>)>, Unread> {
    let mut found = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some(name) => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                found = Some((file_name, read_limited(&mut field, limit).await?));
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(found),
            Err(error) => {
                tracing::info!(%error, "multipart form interrupted");
                return Err(Unread::Interrupted);
            }
        }
    }
}

/// Reads one multipart field chunk by chunk, stopping as soon as it passes `limit`:
/// a body larger than the limit is never held in memory.
pub(crate) async fn read_limited(
    field: &mut axum::extract::multipart::Field<'_>,
    limit: usize,
) -> Result<Vec<u8>, Unread> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > limit {
                    return Err(Unread::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(error) => {
                tracing::info!(%error, "multipart upload interrupted");
                return Err(if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Unread::TooLarge
                } else {
                    Unread::Interrupted
                });
            }
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    identity: Option<Extension<Identity>>,
    mut multipart: Multipart,
) -> Response {
    let Some(Extension(me)) = identity else {
        return refuse(BackendError::Unauthenticated);
    };
    // The right comes first: a caller who may not add evidence does not get the body read.
    if let Err(error) = backend::evidence::authorize_upload(&state.ctx.db, &me, siae_id).await {
        return refuse(error);
    }
    let mut requirement = None;
    let mut file = None;
    let mut unread = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().unwrap_or_default().to_string();
                let limit = match name.as_str() {
                    "fichier" => domain::evidence::MAX_BYTES,
                    _ => MAX_FIELD_BYTES,
                };
                match read_limited(&mut field, limit).await {
                    Ok(bytes) => match name.as_str() {
                        "exigence" => {
                            requirement = Some(String::from_utf8_lossy(&bytes).into_owned())
                        }
                        "fichier" => file = Some((file_name, bytes)),
                        _ => {}
                    },
                    Err(reason) => {
                        unread = Some(reason);
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(error) => {
                tracing::info!(%error, "multipart upload refused");
                unread = Some(if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    Unread::TooLarge
                } else {
                    Unread::Interrupted
                });
                break;
            }
        }
    }
    let requirement = requirement.filter(|r| !r.is_empty());
    let back = match &requirement {
        Some(key) => format!(
            "/organisations/{siae_id}/referentiel/exigence?cle={}",
            app::url::encode(key)
        ),
        None => format!("/organisations/{siae_id}/referentiel"),
    };
    if let Some(reason) = unread {
        // The requirement may not have been read yet: back to the référentiel then.
        let text = match reason {
            Unread::TooLarge => domain::evidence::EvidenceError::TooLarge.to_string(),
            Unread::Interrupted => {
                "Le fichier n'a pas pu être reçu en entier ; réessayez.".to_string()
            }
        };
        return with_flash(
            &state,
            Redirect::to(&back).into_response(),
            FlashKind::Erreur,
            text,
        );
    }
    let (file_name, bytes) = file.unwrap_or_default();
    match backend::evidence::upload(
        &state.ctx.db,
        &me,
        siae_id,
        requirement.as_deref(),
        &file_name,
        &bytes,
    )
    .await
    {
        Ok(_) => with_flash(
            &state,
            Redirect::to(&back).into_response(),
            FlashKind::Succes,
            "Le document est déposé.".into(),
        ),
        Err(error @ BackendError::Invalid(_)) => with_flash(
            &state,
            Redirect::to(&back).into_response(),
            FlashKind::Erreur,
            error.to_string(),
        ),
        Err(error) => refuse(error),
    }
}

pub(crate) fn file_response(content_type: &str, disposition: &str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (CONTENT_TYPE, content_type),
        (CONTENT_DISPOSITION, disposition),
        (CACHE_CONTROL, "private, no-store"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    response
}

async fn download(
    State(state): State<AppState>,
    Path((siae_id, document_id)): Path<(i64, i64)>,
    Extension(me): Extension<Identity>,
) -> Response {
    match backend::evidence::document(&state.ctx.db, &me, siae_id, document_id).await {
        Ok((document, bytes)) => file_response(
            &document.content_type,
            &domain::evidence::content_disposition(&document.file_name),
            bytes,
        ),
        Err(error) => refuse(error),
    }
}

fn export_name(siae: &domain::organisation::Organisation, extension: &str) -> String {
    let date = domain::time::today();
    domain::evidence::safe_file_name(&format!("Auto-évaluation {} {date}.{extension}", siae.name))
}

async fn csv(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    match backend::assessments::load(&state.ctx.db, &me, siae_id).await {
        Ok(data) => file_response(
            "text/csv; charset=utf-8",
            &domain::evidence::content_disposition(&export_name(&data.siae, "csv")),
            backend::exports::assessment_csv(&data).into_bytes(),
        ),
        Err(error) => refuse(error),
    }
}

async fn pdf(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    let data = match backend::assessments::load(&state.ctx.db, &me, siae_id).await {
        Ok(data) => data,
        Err(error) => return refuse(error),
    };
    let name = export_name(&data.siae, "pdf");
    let today = domain::time::today();
    match tokio::task::spawn_blocking(move || backend::pdf::assessment_pdf(&data, today)).await {
        Ok(Ok(bytes)) => file_response(
            "application/pdf",
            &domain::evidence::content_disposition(&name),
            bytes,
        ),
        Ok(Err(error)) => refuse(error),
        Err(error) => refuse(BackendError::Internal(format!("PDF task failed: {error}"))),
    }
}

/// A stored PDF (its file name and bytes) as a download, or the refusal.
pub(crate) fn pdf_download(result: backend::BackendResult<(String, Vec<u8>)>) -> Response {
    match result {
        Ok((name, bytes)) => file_response(
            "application/pdf",
            &domain::evidence::content_disposition(&name),
            bytes,
        ),
        Err(error) => refuse(error),
    }
}

/// An issued edition of the manual: the PDF stored when it was issued, byte for byte.
async fn edition_pdf(
    State(state): State<AppState>,
    Path((siae_id, edition_id)): Path<(i64, i64)>,
    Extension(me): Extension<Identity>,
) -> Response {
    pdf_download(backend::editions::pdf(&state.ctx.db, &me, siae_id, edition_id).await)
}

/// The most text the live preview renders: a section's limit, in UTF-8 bytes at most 4 per char.
const PREVIEW_LIMIT: usize = 4 * backend::manual::MAX_BODY_CHARS;

/// The HTML of the Markdown posted, for the live preview of a section's editor: only for a
/// signed-in caller; it reads and stores nothing.
async fn preview(identity: Option<Extension<Identity>>, text: String) -> Response {
    if identity.is_none() {
        return refuse(BackendError::Unauthenticated);
    }
    let mut response = app::components::markdown::preview_html(&text).into_response();
    if let Ok(value) = HeaderValue::from_str("text/html; charset=utf-8") {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}
