//! The certification's files, as plain HTTP downloads: the audited dossier (the frozen
//! edition, the evidence as frozen), the compte-rendu d'audit (each download recorded as a
//! reading), the certificate. Authorized by the same use cases as the pages.

use super::documents::{file_response, refuse};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use backend::{BackendResult, Identity};
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
}

fn pdf(result: BackendResult<(String, Vec<u8>)>) -> Response {
    match result {
        Ok((name, bytes)) => file_response("application/pdf", &content_disposition(&name), bytes),
        Err(error) => refuse(error),
    }
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
    pdf(backend::audits::report_pdf(&state.ctx.db, &me, siae_id).await)
}

async fn certificate(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    pdf(backend::committee::certificate_pdf(&state.ctx.db, &me, siae_id).await)
}
