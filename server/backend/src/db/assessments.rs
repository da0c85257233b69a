//! Queries of the self-assessment: `assessments` (one row per SIAE and requirement),
//! `assessment_history` (append-only, field by field) and `means_checks` (indicative means).

use super::stored::{self, Columns, FromStored};
use crate::error::BackendResult;
use domain::assessment::{Assessment, HistoryEntry, MeanCheck};
use sqlx::{AnyConnection, AnyPool};
use std::collections::HashMap;

const SELECT: &str = "SELECT requirement_key, status, comment, justification, responsible, target_date FROM assessments";

impl FromStored for Assessment {
    const TABLE: &'static str = "assessments";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            requirement_key: c.get("requirement_key")?,
            status: c.code("status")?,
            comment: c.get("comment")?,
            justification: c.get("justification")?,
            responsible: c.get("responsible")?,
            target_date: c.optional_date("target_date")?,
        })
    }
}

pub async fn of_siae(pool: &AnyPool, siae_id: i64) -> BackendResult<HashMap<String, Assessment>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE siae_id = $1"))
        .bind(siae_id)
        .fetch_all(pool)
        .await?;
    Ok(Assessment::from_rows(&rows)?
        .into_iter()
        .map(|a| (a.requirement_key.clone(), a))
        .collect())
}

pub async fn find(
    conn: &mut AnyConnection,
    siae_id: i64,
    key: &str,
) -> BackendResult<Option<Assessment>> {
    sqlx::query(&format!(
        "{SELECT} WHERE siae_id = $1 AND requirement_key = $2"
    ))
    .bind(siae_id)
    .bind(key)
    .fetch_optional(conn)
    .await?
    .map(|row| Assessment::from_row(&row))
    .transpose()
}

/// Replaces the assessment of one requirement and appends the changed fields to its history.
pub async fn save(
    conn: &mut AnyConnection,
    siae_id: i64,
    after: &Assessment,
    changed_by: &str,
    changed: &[(&str, String, String)],
) -> BackendResult<()> {
    let now = stored::now();
    let key = &after.requirement_key;
    sqlx::query("DELETE FROM assessments WHERE siae_id = $1 AND requirement_key = $2")
        .bind(siae_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO assessments (siae_id, requirement_key, status, comment, justification, responsible, target_date, \
         updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(siae_id)
    .bind(key)
    .bind(after.status.code())
    .bind(&after.comment)
    .bind(&after.justification)
    .bind(&after.responsible)
    .bind(stored::optional_date(after.target_date))
    .bind(&now)
    .bind(changed_by)
    .execute(&mut *conn)
    .await?;
    for (field, before, after) in changed {
        sqlx::query(
            "INSERT INTO assessment_history (siae_id, requirement_key, changed_at, changed_by, field, before_value, after_value) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(siae_id)
        .bind(key)
        .bind(&now)
        .bind(changed_by)
        .bind(*field)
        .bind(before)
        .bind(after)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl FromStored for HistoryEntry {
    const TABLE: &'static str = "assessment_history";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            changed_at: c.timestamp("changed_at")?,
            changed_by: c.get("changed_by")?,
            field: c.get("field")?,
            before: c.get("before_value")?,
            after: c.get("after_value")?,
        })
    }
}

pub async fn history(pool: &AnyPool, siae_id: i64, key: &str) -> BackendResult<Vec<HistoryEntry>> {
    let rows = sqlx::query(
        "SELECT changed_at, changed_by, field, before_value, after_value FROM assessment_history \
         WHERE siae_id = $1 AND requirement_key = $2 ORDER BY id DESC",
    )
    .bind(siae_id)
    .bind(key)
    .fetch_all(pool)
    .await?;
    HistoryEntry::from_rows(&rows)
}

impl FromStored for MeanCheck {
    const TABLE: &'static str = "means_checks";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            section_code: c.get("section_code")?,
            mean: c.get("mean")?,
            document_id: c.get("document_id")?,
            checked_at: c.timestamp("checked_at")?,
            checked_by: c.get("checked_by")?,
        })
    }
}

pub async fn means(pool: &AnyPool, siae_id: i64) -> BackendResult<Vec<MeanCheck>> {
    let rows = sqlx::query(
        "SELECT section_code, mean, document_id, checked_at, checked_by FROM means_checks WHERE siae_id = $1",
    )
    .bind(siae_id)
    .fetch_all(pool)
    .await?;
    MeanCheck::from_rows(&rows)
}

pub async fn set_mean(
    conn: &mut AnyConnection,
    siae_id: i64,
    section_code: &str,
    mean: &str,
    checked: Option<(Option<i64>, &str)>,
) -> BackendResult<()> {
    sqlx::query("DELETE FROM means_checks WHERE siae_id = $1 AND section_code = $2 AND mean = $3")
        .bind(siae_id)
        .bind(section_code)
        .bind(mean)
        .execute(&mut *conn)
        .await?;
    if let Some((document_id, checked_by)) = checked {
        sqlx::query(
            "INSERT INTO means_checks (siae_id, section_code, mean, document_id, checked_at, checked_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(siae_id)
        .bind(section_code)
        .bind(mean)
        .bind(document_id)
        .bind(stored::now())
        .bind(checked_by)
        .execute(conn)
        .await?;
    }
    Ok(())
}
