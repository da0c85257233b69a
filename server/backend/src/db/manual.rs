//! Queries of the manuel qualité: `manual_sections` (with the requirements each answers) and
//! `manual_section_versions`. The database keeps approved versions as they were approved
//! (triggers of migration 0008); these queries only ever move one from approuvée to obsolète.

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use chrono::{DateTime, Utc};
use domain::manual::section::{Section, SectionKind};
use domain::manual::version::{SectionVersion, VersionState, VersionStatus};
use domain::manual::view::InForce;
use sqlx::{AnyConnection, Row};

fn decode_section(row: &sqlx::any::AnyRow, answers: Vec<String>) -> BackendResult<Section> {
    let c = Columns::new(row, "manual_sections");
    Ok(Section {
        id: c.get("id")?,
        siae_id: c.get("siae_id")?,
        kind: c.code::<SectionKind>("kind")?,
        title: c.get("title")?,
        position: c.get("position")?,
        answers,
    })
}

const SECTION_COLUMNS: &str = "id, siae_id, kind, title, position";

async fn answers_of(conn: &mut AnyConnection, section_id: i64) -> BackendResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT requirement_key FROM manual_section_requirements WHERE section_id = $1 ORDER BY requirement_key",
    )
    .bind(section_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Columns::new(r, "manual_section_requirements").get("requirement_key"))
        .collect()
}

/// The sections of a SIAE's manual, in order (removed ones left out).
pub async fn sections(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Vec<Section>> {
    let rows = sqlx::query(&format!(
        "SELECT {SECTION_COLUMNS} FROM manual_sections WHERE siae_id = $1 AND removed_at IS NULL ORDER BY position, id"
    ))
    .bind(siae_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut sections = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: i64 = Columns::new(row, "manual_sections").get("id")?;
        let answers = answers_of(conn, id).await?;
        sections.push(decode_section(row, answers)?);
    }
    Ok(sections)
}

pub async fn section(conn: &mut AnyConnection, id: i64) -> BackendResult<Section> {
    let row = sqlx::query(&format!(
        "SELECT {SECTION_COLUMNS} FROM manual_sections WHERE id = $1 AND removed_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("manual section {id}")))?;
    let answers = answers_of(conn, id).await?;
    decode_section(&row, answers)
}

pub async fn insert_section(
    conn: &mut AnyConnection,
    siae_id: i64,
    kind: SectionKind,
    title: &str,
    answers: &[&str],
) -> BackendResult<Section> {
    let position: i64 = sqlx::query(
        "SELECT COALESCE(MAX(position), 0) + 1 AS next FROM manual_sections WHERE siae_id = $1",
    )
    .bind(siae_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("next")?;
    let id: i64 = sqlx::query(
        "INSERT INTO manual_sections (siae_id, kind, title, position, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(siae_id)
    .bind(kind.code())
    .bind(title)
    .bind(position)
    .bind(stored::now())
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for key in answers {
        sqlx::query(
            "INSERT INTO manual_section_requirements (section_id, requirement_key) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(*key)
        .execute(&mut *conn)
        .await?;
    }
    section(conn, id).await
}

/// Replaces the requirements a section answers.
pub async fn set_answers(
    conn: &mut AnyConnection,
    section_id: i64,
    keys: &[String],
) -> BackendResult<()> {
    sqlx::query("DELETE FROM manual_section_requirements WHERE section_id = $1")
        .bind(section_id)
        .execute(&mut *conn)
        .await?;
    for key in keys {
        sqlx::query(
            "INSERT INTO manual_section_requirements (section_id, requirement_key) VALUES ($1, $2)",
        )
        .bind(section_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// For each requirement key, the sections in force of the SIAE that answer it, in order.
pub async fn answering_in_force(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<std::collections::HashMap<String, Vec<domain::assessment::ManualReference>>> {
    let rows = sqlx::query(
        "SELECT r.requirement_key, s.id, s.title, v.number FROM manual_section_requirements r \
         JOIN manual_sections s ON s.id = r.section_id \
         JOIN manual_section_versions v ON v.section_id = s.id AND v.state = 'approuvee' \
         WHERE s.siae_id = $1 AND s.removed_at IS NULL ORDER BY s.position, s.id",
    )
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    let mut answering: std::collections::HashMap<String, Vec<_>> = Default::default();
    for row in &rows {
        let c = Columns::new(row, "manual_section_requirements");
        answering
            .entry(c.get::<String>("requirement_key")?)
            .or_default()
            .push(domain::assessment::ManualReference {
                section_id: c.get("id")?,
                title: c.get("title")?,
                number: c.get("number")?,
            });
    }
    Ok(answering)
}

pub async fn set_position(conn: &mut AnyConnection, id: i64, position: i64) -> BackendResult<()> {
    sqlx::query("UPDATE manual_sections SET position = $2 WHERE id = $1")
        .bind(id)
        .bind(position)
        .execute(conn)
        .await?;
    Ok(())
}

const VERSION_COLUMNS: &str = "id, section_id, state, body, change_note, author_id, author_name, \
    created_at, updated_at, revision, review_comment, number, approved_on, approved_by, \
    approver_name, review_due";

fn decode_version(row: &sqlx::any::AnyRow) -> BackendResult<SectionVersion> {
    let c = Columns::new(row, "manual_section_versions");
    Ok(SectionVersion {
        id: c.get("id")?,
        section_id: c.get("section_id")?,
        status: VersionStatus {
            state: c.code::<VersionState>("state")?,
            author_id: c.get("author_id")?,
            number: c.get("number")?,
            approved_on: c.optional_date("approved_on")?,
            approved_by: c.get("approved_by")?,
            review_due: c.optional_date("review_due")?,
            review_comment: c.get("review_comment")?,
        },
        body: c.get("body")?,
        change_note: c.get("change_note")?,
        author_name: c.get("author_name")?,
        created_at: c.timestamp("created_at")?,
        updated_at: c.timestamp("updated_at")?,
        revision: c.get("revision")?,
        approver_name: c.get("approver_name")?,
    })
}

/// The versions of a section, newest first.
pub async fn versions(
    conn: &mut AnyConnection,
    section_id: i64,
) -> BackendResult<Vec<SectionVersion>> {
    let rows = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM manual_section_versions WHERE section_id = $1 ORDER BY id DESC"
    ))
    .bind(section_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(decode_version).collect()
}

pub async fn version(conn: &mut AnyConnection, id: i64) -> BackendResult<SectionVersion> {
    let row = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM manual_section_versions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("manual section version {id}")))?;
    decode_version(&row)
}

/// A version of a section of a SIAE, in short.
pub struct VersionLine {
    pub section_id: i64,
    pub state: VersionState,
    pub author_id: i64,
    /// For an approved version.
    pub in_force: Option<InForce>,
}

/// The versions that are not obsolete of every section of a SIAE.
pub async fn version_lines(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Vec<VersionLine>> {
    let rows = sqlx::query(
        "SELECT v.section_id, v.state, v.author_id, v.number, v.approved_on, v.review_due FROM manual_section_versions v \
         JOIN manual_sections s ON s.id = v.section_id \
         WHERE s.siae_id = $1 AND v.state <> 'obsolete'",
    )
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "manual_section_versions");
            let in_force = match (
                c.get::<Option<i64>>("number")?,
                c.optional_date("approved_on")?,
                c.optional_date("review_due")?,
            ) {
                (Some(number), Some(approved_on), Some(review_due)) => Some(InForce {
                    number,
                    approved_on,
                    review_due,
                }),
                _ => None,
            };
            Ok(VersionLine {
                section_id: c.get("section_id")?,
                state: c.code::<VersionState>("state")?,
                author_id: c.get("author_id")?,
                in_force,
            })
        })
        .collect()
}

pub async fn insert_draft(
    conn: &mut AnyConnection,
    section_id: i64,
    body: &str,
    change_note: &str,
    author: (i64, &str),
    at: DateTime<Utc>,
) -> BackendResult<i64> {
    let row = sqlx::query(
        "INSERT INTO manual_section_versions (section_id, state, body, change_note, author_id, author_name, created_at, updated_at, revision) \
         VALUES ($1, 'brouillon', $2, $3, $4, $5, $6, $6, 1) RETURNING id",
    )
    .bind(section_id)
    .bind(body)
    .bind(change_note)
    .bind(author.0)
    .bind(author.1)
    .bind(stored::timestamp(at))
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Saves the text of an open version if it is still at `revision`; `false` when someone saved
/// it in between (the caller then gives the user's text back).
pub async fn update_draft(
    conn: &mut AnyConnection,
    id: i64,
    revision: i64,
    body: &str,
    change_note: &str,
    at: DateTime<Utc>,
) -> BackendResult<bool> {
    let done = sqlx::query(
        "UPDATE manual_section_versions SET body = $3, change_note = $4, updated_at = $5, revision = revision + 1 \
         WHERE id = $1 AND revision = $2 AND state IN ('brouillon', 'renvoyee')",
    )
    .bind(id)
    .bind(revision)
    .bind(body)
    .bind(change_note)
    .bind(stored::timestamp(at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the state a lifecycle transition reached.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: &VersionStatus,
    approver_name: Option<&str>,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE manual_section_versions SET state = $2, number = $3, approved_on = $4, approved_by = $5, \
         approver_name = COALESCE($6, approver_name), review_due = $7, review_comment = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(status.state.code())
    .bind(status.number)
    .bind(status.approved_on.map(stored::date))
    .bind(status.approved_by)
    .bind(approver_name)
    .bind(status.review_due.map(stored::date))
    .bind(status.review_comment.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// The number the next approved version of a section takes.
pub async fn next_number(conn: &mut AnyConnection, section_id: i64) -> BackendResult<i64> {
    let row = sqlx::query(
        "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM manual_section_versions WHERE section_id = $1",
    )
    .bind(section_id)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("next")?)
}
