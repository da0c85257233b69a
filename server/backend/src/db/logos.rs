//! The logos of the manuals' covers: rows added, never changed; the latest one of a SIAE is its
//! current logo (or says there is none).

use super::stored::Columns;
use crate::error::{BackendError, BackendResult};
use chrono::{DateTime, Utc};
use domain::manual::logo::LogoFormat;
use sqlx::AnyConnection;

/// A stored logo, with its image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    pub id: i64,
    pub format: LogoFormat,
    pub image: Vec<u8>,
}

/// Adds a row: the new current logo of the SIAE, or — without an image — none.
pub async fn insert(
    conn: &mut AnyConnection,
    siae_id: i64,
    image: Option<(LogoFormat, &[u8], &str)>,
    by: i64,
    at: DateTime<Utc>,
) -> BackendResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO manual_logos (siae_id, uploaded_at, uploaded_by, format, image, sha256) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(siae_id)
    .bind(domain::time::to_stored(at))
    .bind(by)
    .bind(image.map(|(format, ..)| format.code()))
    .bind(image.map(|(_, bytes, _)| bytes.to_vec()))
    .bind(image.map(|(.., sha256)| sha256.to_string()))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

fn decode(row: &sqlx::any::AnyRow) -> BackendResult<Option<Logo>> {
    let c = Columns::new(row, "manual_logos");
    let Some(code) = c.get::<Option<String>>("format")? else {
        return Ok(None);
    };
    let format = LogoFormat::from_code(&code).ok_or_else(|| BackendError::Decode {
        table: "manual_logos",
        column: "format".into(),
        detail: code,
    })?;
    Ok(Some(Logo {
        id: c.get("id")?,
        format,
        image: c.get("image")?,
    }))
}

/// The SIAE's current logo, if it has one.
pub async fn current(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Option<Logo>> {
    let row = sqlx::query(
        "SELECT id, format, image FROM manual_logos WHERE siae_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(siae_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(row) => decode(&row)?,
        None => None,
    })
}

/// The logo an edition was rendered with.
pub async fn of_edition(conn: &mut AnyConnection, edition_id: i64) -> BackendResult<Option<Logo>> {
    let row = sqlx::query(
        "SELECT l.id, l.format, l.image FROM manual_logos l \
         JOIN manual_editions e ON e.logo_id = l.id WHERE e.id = $1",
    )
    .bind(edition_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(row) => decode(&row)?,
        None => None,
    })
}
