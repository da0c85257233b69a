//! The parcours' documents as plain HTTP downloads: a convention d'engagement réciproque (with
//! its bilan) and a person's fiche individuelle de suivi. Authorized by the same use cases as
//! the person's page; each download is recorded as a reading of the file.

use super::documents::pdf_download;
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
