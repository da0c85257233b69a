//! The logo of a SIAE's manual cover: uploaded as a multipart form (it works without
//! JavaScript), shown as an image to those who read the editions.

use super::documents::{file_response, read_file_field, refuse, with_flash, Unread};
use crate::AppState;
use app::types::FlashKind;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use backend::{BackendError, Identity};
use domain::manual::logo::MAX_LOGO_BYTES;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/organisations/{id}/manuel/logo",
        // The image is also cut at MAX_LOGO_BYTES while it is read.
        get(image)
            .post(upload)
            .layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)),
    )
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
    // The right comes first: a caller who may not change the logo does not get the body read.
    if let Err(error) = backend::logo::authorize_upload(&state.ctx.db, &me, siae_id).await {
        return refuse(error);
    }
    let back = app::url::editions_page(siae_id);
    let flash =
        |kind, text: String| with_flash(&state, Redirect::to(&back).into_response(), kind, text);
    let image = match read_file_field(&mut multipart, "logo", MAX_LOGO_BYTES).await {
        Ok(image) => image.map(|(_, bytes)| bytes),
        Err(Unread::TooLarge) => {
            return flash(
                FlashKind::Erreur,
                "Le logo dépasse 1 Mo : réduisez l'image.".into(),
            )
        }
        Err(Unread::Interrupted) => {
            return flash(
                FlashKind::Erreur,
                "L'image n'a pas pu être reçue en entier ; réessayez.".into(),
            )
        }
    };
    let Some(bytes) = image.filter(|b| !b.is_empty()) else {
        return flash(
            FlashKind::Erreur,
            "Choisissez une image PNG ou JPEG.".into(),
        );
    };
    match backend::logo::set(&state.ctx.db, &me, siae_id, Some(&bytes)).await {
        Ok(()) => flash(
            FlashKind::Succes,
            "Le logo est enregistré : il figurera sur la couverture des prochaines éditions."
                .into(),
        ),
        Err(error @ BackendError::Invalid(_)) => flash(FlashKind::Erreur, error.to_string()),
        Err(error) => refuse(error),
    }
}

async fn image(
    State(state): State<AppState>,
    Path(siae_id): Path<i64>,
    Extension(me): Extension<Identity>,
) -> Response {
    match backend::logo::current(&state.ctx.db, &me, siae_id).await {
        Ok(Some((format, bytes))) => file_response(
            format.mime(),
            &format!("inline; filename=\"logo.{}\"", format.code()),
            bytes,
        ),
        Ok(None) => refuse(BackendError::NotFound(format!("logo of {siae_id}"))),
        Err(error) => refuse(error),
    }
}
