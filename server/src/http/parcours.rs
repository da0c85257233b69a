//! The parcours' documents as plain HTTP downloads: a convention d'engagement réciproque (with
//! its bilan), a person's fiche individuelle de suivi, and everything recorded of them (their
//! right of access). Authorized by the same use cases as
//! the person's page; each download is recorded as a reading of the file.

use super::documents::{file_response, pdf_download, refuse};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use backend::Identity;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/personnes/{id}/engagements/{engagement}/convention.pdf",
            get(convention),
        )
        .route("/personnes/{id}/fiche-de-suivi.pdf", get(follow_up))
        .route("/personnes/{id}/donnees.json", get(access_export))
}

async fn convention(
    State(state): State<AppState>,
    Path((person_id, engagement_id)): Path<(i64, i64)>,
    Extension(me): Extension<Identity>,
) -> Response {
    pdf_download(
        backend::parcours_documents::convention_pdf(
            &state.ctx.db,
            &state.ctx.renderer,
            &me,
            person_id,
            engagement_id,
        )
        .await,
    )
}

async fn follow_up(
    State(state): State<AppState>,
    Path(person_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    pdf_download(
        backend::parcours_documents::follow_up_pdf(
            &state.ctx.db,
            &state.ctx.renderer,
            &me,
            person_id,
        )
        .await,
    )
}

/// Everything recorded of the person, as JSON, for their right of access.
async fn access_export(
    State(state): State<AppState>,
    Path(person_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    match backend::parcours_documents::access_export(&state.ctx.db, &me, person_id).await {
        Ok((name, bytes)) => file_response(
            "application/json",
            &domain::evidence::content_disposition(&name),
            bytes,
        ),
        Err(error) => refuse(error),
    }
}
