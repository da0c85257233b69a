//! Queries of `evidence_documents` (the files, stored in the database) and
//! `assessment_evidence` (which document justifies which requirement).

use super::stored::{self, Columns, FromStored};
use crate::error::{BackendError, BackendResult};
use domain::assessment::Document;
use sqlx::{AnyConnection, AnyPool, Row};
use std::collections::HashMap;

const SELECT: &str =
    "SELECT id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by FROM evidence_documents";

impl FromStored for Document {
    const TABLE: &'static str = "evidence_documents";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            id: c.get("id")?,
            file_name: c.get("file_name")?,
            content_type: c.get("content_type")?,
            size_bytes: c.get("size_bytes")?,
            sha256: c.get("sha256")?,
            uploaded_at: c.timestamp("uploaded_at")?,
            uploaded_by: c.get("uploaded_by")?,
        })
    }
}

pub async fn of_siae(pool: &AnyPool, siae_id: i64) -> BackendResult<Vec<Document>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE siae_id = $1 ORDER BY id"))
        .bind(siae_id)
        .fetch_all(pool)
        .await?;
    Document::from_rows(&rows)
}

/// A document of the SIAE with its content.
pub async fn with_content(
    pool: &AnyPool,
    siae_id: i64,
    id: i64,
) -> BackendResult<(Document, Vec<u8>)> {
    let row = sqlx::query(
        "SELECT id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by, content \
         FROM evidence_documents WHERE id = $1 AND siae_id = $2",
    )
    .bind(id)
    .bind(siae_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("document {id}")))?;
    let document = Document::from_row(&row)?;
    let content = Columns::new(&row, Document::TABLE).get("content")?;
    Ok((document, content))
}

/// The name of a document of the SIAE, or `None` if the SIAE has no such document.
pub async fn name_of(
    conn: &mut AnyConnection,
    siae_id: i64,
    id: i64,
) -> BackendResult<Option<String>> {
    sqlx::query("SELECT file_name FROM evidence_documents WHERE id = $1 AND siae_id = $2")
        .bind(id)
        .bind(siae_id)
        .fetch_optional(conn)
        .await?
        .map(|row| Columns::new(&row, Document::TABLE).get("file_name"))
        .transpose()
}

pub struct NewDocument<'a> {
    pub siae_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, new: NewDocument<'_>) -> BackendResult<i64> {
    let row = sqlx::query(
        "INSERT INTO evidence_documents (siae_id, file_name, content_type, size_bytes, sha256, content, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.siae_id)
    .bind(new.file_name)
    .bind(new.content_type)
    .bind(new.content.len() as i64)
    .bind(new.sha256)
    .bind(new.content.to_vec())
    .bind(stored::now())
    .bind(new.uploaded_by)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Document ids by requirement key.
pub async fn links(pool: &AnyPool, siae_id: i64) -> BackendResult<HashMap<String, Vec<i64>>> {
    let rows = sqlx::query(
        "SELECT requirement_key, document_id FROM assessment_evidence WHERE siae_id = $1 ORDER BY document_id",
    )
    .bind(siae_id)
    .fetch_all(pool)
    .await?;
    let mut links: HashMap<String, Vec<i64>> = HashMap::new();
    for row in &rows {
        let c = Columns::new(row, "assessment_evidence");
        links
            .entry(c.get("requirement_key")?)
            .or_default()
            .push(c.get("document_id")?);
    }
    Ok(links)
}

pub async fn set_link(
    conn: &mut AnyConnection,
    siae_id: i64,
    key: &str,
    document_id: i64,
    linked: bool,
) -> BackendResult<()> {
    sqlx::query("DELETE FROM assessment_evidence WHERE siae_id = $1 AND requirement_key = $2 AND document_id = $3")
        .bind(siae_id)
        .bind(key)
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    if linked {
        sqlx::query("INSERT INTO assessment_evidence (siae_id, requirement_key, document_id) VALUES ($1, $2, $3)")
            .bind(siae_id)
            .bind(key)
            .bind(document_id)
            .execute(conn)
            .await?;
    }
    Ok(())
}
