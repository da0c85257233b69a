//! The certification's files, as plain HTTP downloads: the audited dossier (the frozen
//! edition, the evidence as frozen), the compte-rendu d'audit (each download recorded as a
//! reading), the certificate. Authorized by the same use cases as the pages.

use super::documents::{file_response, pdf_download, read_file_field, refuse, with_flash, Unread};
use crate::AppState;
use app::types::FlashKind;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use backend::audits::MAX_GRID_BYTES;
use backend::{BackendError, BackendResult, Identity};
use domain::evidence::content_disposition;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{id}/certification/dossier/edition.pdf",
            get(frozen_edition),
        )
        .route(
            "/organisations/{id}/certification/dossier/preuves/{document}",
            get(frozen_document),
        )
        .route(
            "/organisations/{id}/certification/compte-rendu.pdf",
            get(report),
        )
        .route(
            "/organisations/{id}/certification/certificat.pdf",
            get(certificate),
        )
        .route(
            "/organisations/{id}/certification/audit/grille.csv",
            get(offline_grid),
        )
        .route(
            "/organisations/{id}/certification/audit/grille",
            // The file is also cut at MAX_GRID_BYTES while it is read.
            axum::routing::post(upload_grid)
                .layer(DefaultBodyLimit::max(MAX_GRID_BYTES + 64 * 1024)),
        )
}

fn dossier_file(result: BackendResult<(String, String, Vec<u8>)>) -> Response {
    match result {
        Ok((name, content_type, bytes)) => {
            file_response(&content_type, &content_disposition(&name), bytes)
        }
        Err(error) => refuse(error),
    }
}

async fn frozen_edition(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    dossier_file(backend::audits::dossier_file(&state.ctx.db, &me, siae_id, None).await)
}

async fn frozen_document(
    State(state): State<AppState>,
    Path((siae_id, document_id)): Path<(i64, i64)>,
    Extension(me): Extension<Identity>,
) -> Response {
    dossier_file(
        backend::audits::dossier_file(&state.ctx.db, &me, siae_id, Some(document_id)).await,
    )
}

async fn report(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    pdf_download(backend::audits::report_pdf(&state.ctx.db, &me, siae_id).await)
}

async fn certificate(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    pdf_download(backend::committee::certificate_pdf(&state.ctx.db, &me, siae_id).await)
}

/// The audit grid to fill offline (CSV for a French spreadsheet).
async fn offline_grid(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    match backend::audits::offline_grid(&state.ctx.db, &me, siae_id).await {
        Ok((name, csv)) => file_response(
            "text/csv; charset=utf-8",
            &content_disposition(&name),
            csv.into_bytes(),
        ),
        Err(error) => refuse(error),
    }
}

/// A filled grid comes back: kept, then shown with what it would change before it applies.
async fn upload_grid(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    identity: Option<Extension<Identity>>,
    mut multipart: Multipart,
) -> Response {
    let Some(Extension(me)) = identity else {
        return refuse(BackendError::Unauthenticated);
    };
    let back = format!("{}#hors-ligne", app::url::audit_page(siae_id));
    let flash = |text: String| {
        with_flash(
            &state,
            Redirect::to(&back).into_response(),
            FlashKind::Erreur,
            text,
        )
    };
    let (file_name, bytes) = match read_file_field(&mut multipart, "grille", MAX_GRID_BYTES).await {
        Ok(Some((name, bytes))) if !bytes.is_empty() => (name, bytes),
        Ok(_) => return flash("Choisissez le fichier de la grille remplie.".into()),
        Err(Unread::TooLarge) => return flash("La grille dépasse 1 Mo.".into()),
        Err(Unread::Interrupted) => {
            return flash("Le fichier n'a pas pu être reçu en entier ; réessayez.".into())
        }
    };
    match backend::audits::upload_grid(&state.ctx.db, &me, siae_id, &file_name, &bytes).await {
        Ok(id) => Redirect::to(&app::url::grid_import_page(siae_id, id)).into_response(),
        Err(error @ BackendError::Invalid(_)) => flash(error.to_string()),
        Err(error) => refuse(error),
    }
}
