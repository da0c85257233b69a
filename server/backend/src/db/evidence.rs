//! Queries of `evidence_documents` (the files, stored in the database) and
//! `assessment_evidence` (which document justifies which requirement).

use super::stored::{self, Columns, FromStored};
use crate::error::{BackendError, BackendResult};
use domain::assessment::{CitedVersion, Document};
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

/// The columns of a cited version, and where they come from.
const CITED: &str = "v.id, v.section_id, s.title, v.number, v.approved_on, v.state";
const VERSIONS: &str = "manual_section_versions v JOIN manual_sections s ON s.id = v.section_id";

fn cited(row: &sqlx::any::AnyRow) -> BackendResult<CitedVersion> {
    let c = Columns::new(row, "manual_section_versions");
    Ok(CitedVersion {
        version_id: c.get("id")?,
        section_id: c.get("section_id")?,
        title: c.get("title")?,
        number: c.get("number")?,
        approved_on: c
            .optional_date("approved_on")?
            .ok_or_else(|| BackendError::Internal("a cited version has no approval date".into()))?,
        obsolete: c.get::<String>("state")? == "obsolete",
    })
}

/// The section versions cited as evidence for the requirements of a SIAE.
pub async fn manual_links(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<HashMap<String, Vec<CitedVersion>>> {
    let rows = sqlx::query(&format!(
        "SELECT e.requirement_key, {CITED} FROM {VERSIONS} \
         JOIN assessment_manual_evidence e ON e.version_id = v.id \
         WHERE e.siae_id = $1 ORDER BY s.position, v.number"
    ))
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    let mut links: HashMap<String, Vec<CitedVersion>> = HashMap::new();
    for row in &rows {
        let key: String = Columns::new(row, "assessment_manual_evidence").get("requirement_key")?;
        links.entry(key).or_default().push(cited(row)?);
    }
    Ok(links)
}

/// The versions in force of a SIAE's sections: what can be cited.
pub async fn citable_versions(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Vec<CitedVersion>> {
    let rows = sqlx::query(&format!(
        "SELECT {CITED} FROM {VERSIONS} WHERE s.siae_id = $1 AND v.state = 'approuvee' \
         ORDER BY s.position, s.id"
    ))
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(cited).collect()
}

/// The approved version `version_id` of a section of the SIAE, if there is one.
pub async fn citable_version(
    conn: &mut AnyConnection,
    siae_id: i64,
    version_id: i64,
) -> BackendResult<Option<CitedVersion>> {
    let row = sqlx::query(&format!(
        "SELECT {CITED} FROM {VERSIONS} \
         WHERE s.siae_id = $1 AND v.id = $2 AND v.state IN ('approuvee', 'obsolete')"
    ))
    .bind(siae_id)
    .bind(version_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(cited).transpose()
}

pub async fn set_manual_link(
    conn: &mut AnyConnection,
    siae_id: i64,
    key: &str,
    version_id: i64,
    linked: bool,
) -> BackendResult<()> {
    sqlx::query(
        "DELETE FROM assessment_manual_evidence WHERE siae_id = $1 AND requirement_key = $2 AND version_id = $3",
    )
    .bind(siae_id)
    .bind(key)
    .bind(version_id)
    .execute(&mut *conn)
    .await?;
    if linked {
        sqlx::query(
            "INSERT INTO assessment_manual_evidence (siae_id, requirement_key, version_id) VALUES ($1, $2, $3)",
        )
        .bind(siae_id)
        .bind(key)
        .bind(version_id)
        .execute(conn)
        .await?;
    }
    Ok(())
}
