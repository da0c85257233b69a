//! An audit's records: the snapshot frozen when it started, the auditor's appreciations and
//! findings, the compte-rendu, and every reading of it.

use super::stored::{self, Columns};
use crate::digest::sha256_hex;
use crate::error::{BackendError, BackendResult};
use domain::assessment::Status;
use domain::certification::audit::{
    AuditSnapshot, Finding, FindingKind, PreviousResult, Reading, RequirementResult,
};
use domain::certification::demande::DemandeKind;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Keeps what the auditor will see; returns the SHA-256 of the snapshot's JSON.
pub async fn freeze(
    conn: &mut AnyConnection,
    demande_id: i64,
    snapshot: &AuditSnapshot,
) -> BackendResult<String> {
    let content = serde_json::to_string(snapshot)
        .map_err(|e| BackendError::Internal(format!("snapshot: {e}")))?;
    let sha256 = sha256_hex(content.as_bytes());
    sqlx::query(
        "INSERT INTO audit_snapshots (demande_id, taken_at, content, sha256) VALUES ($1, $2, $3, $4)",
    )
    .bind(demande_id)
    .bind(stored::timestamp(snapshot.taken_at))
    .bind(&content)
    .bind(&sha256)
    .execute(conn)
    .await?;
    Ok(sha256)
}

/// The snapshot of an audit and its SHA-256, if the audit started.
pub async fn snapshot(
    conn: &mut AnyConnection,
    demande_id: i64,
) -> BackendResult<Option<(AuditSnapshot, String)>> {
    let row = sqlx::query("SELECT content, sha256 FROM audit_snapshots WHERE demande_id = $1")
        .bind(demande_id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let c = Columns::new(&row, "audit_snapshots");
        Ok((c.json("content")?, c.get("sha256")?))
    })
    .transpose()
}

pub async fn set_result(
    conn: &mut AnyConnection,
    demande_id: i64,
    requirement_key: &str,
    status: Status,
    comment: &str,
    by: i64,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO audit_results (demande_id, requirement_key, status, comment, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (demande_id, requirement_key) DO UPDATE SET status = excluded.status, \
         comment = excluded.comment, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(demande_id)
    .bind(requirement_key)
    .bind(status.code())
    .bind(comment)
    .bind(stored::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub struct NewFinding<'a> {
    pub demande_id: i64,
    pub requirement_key: &'a str,
    pub kind: FindingKind,
    pub text: &'a str,
    pub evidence: &'a [i64],
    pub by: i64,
}

pub async fn add_finding(conn: &mut AnyConnection, new: &NewFinding<'_>) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO audit_findings (demande_id, requirement_key, kind, text, evidence, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new.demande_id)
    .bind(new.requirement_key)
    .bind(new.kind.code())
    .bind(new.text)
    .bind(serde_json::to_string(new.evidence).unwrap_or_else(|_| "[]".into()))
    .bind(stored::now())
    .bind(new.by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a finding of the audit; what it was, or `None` if the audit has no such finding.
pub async fn remove_finding(
    conn: &mut AnyConnection,
    demande_id: i64,
    id: i64,
) -> BackendResult<Option<Finding>> {
    let found = findings(conn, demande_id)
        .await?
        .into_iter()
        .find(|f| f.id == id);
    if found.is_some() {
        sqlx::query("DELETE FROM audit_findings WHERE id = $1 AND demande_id = $2")
            .bind(id)
            .bind(demande_id)
            .execute(conn)
            .await?;
    }
    Ok(found)
}

pub async fn findings(conn: &mut AnyConnection, demande_id: i64) -> BackendResult<Vec<Finding>> {
    let rows = sqlx::query(
        "SELECT id, requirement_key, kind, text, evidence FROM audit_findings \
         WHERE demande_id = $1 ORDER BY requirement_key, id",
    )
    .bind(demande_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "audit_findings");
            Ok(Finding {
                id: c.get("id")?,
                requirement_key: c.get("requirement_key")?,
                kind: c.code("kind")?,
                text: c.get("text")?,
                evidence: c.json("evidence")?,
            })
        })
        .collect()
}

/// Each requirement's appreciation and findings.
pub async fn results(
    conn: &mut AnyConnection,
    demande_id: i64,
) -> BackendResult<BTreeMap<String, RequirementResult>> {
    let rows = sqlx::query(
        "SELECT requirement_key, status, comment FROM audit_results WHERE demande_id = $1",
    )
    .bind(demande_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut results = BTreeMap::new();
    for row in &rows {
        let c = Columns::new(row, "audit_results");
        results.insert(
            c.get::<String>("requirement_key")?,
            RequirementResult {
                status: c.code("status")?,
                comment: c.get("comment")?,
                findings: Vec::new(),
            },
        );
    }
    for finding in findings(conn, demande_id).await? {
        results
            .entry(finding.requirement_key.clone())
            .or_default()
            .findings
            .push(finding);
    }
    Ok(results)
}

/// The results of the SIAE's latest audit before `demande_id` whose report was submitted.
pub async fn previous_results(
    conn: &mut AnyConnection,
    siae_id: i64,
    demande_id: i64,
    with_unshared_audits_blancs: bool,
) -> BackendResult<BTreeMap<String, PreviousResult>> {
    // An audit blanc counts once its SIAE shared it, or for the SIAE itself.
    let previous = sqlx::query(
        "SELECT d.id, d.kind, d.shared_at FROM demandes d JOIN audit_reports r ON r.demande_id = d.id \
         WHERE d.siae_id = $1 AND d.id < $2 AND r.submitted_at IS NOT NULL \
         AND (d.kind = 'certification' OR d.shared_at IS NOT NULL OR $3 = 1) \
         ORDER BY d.id DESC LIMIT 1",
    )
    .bind(siae_id)
    .bind(demande_id)
    .bind(i64::from(with_unshared_audits_blancs))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = previous else {
        return Ok(BTreeMap::new());
    };
    let c = Columns::new(&row, "demandes");
    let previous: i64 = c.get("id")?;
    let shared = c.get::<Option<String>>("shared_at")?.is_some();
    let from = match c.code::<DemandeKind>("kind")? {
        DemandeKind::Certification => "Audit de certification",
        DemandeKind::AuditBlanc if shared => "Audit blanc partagé par la structure",
        DemandeKind::AuditBlanc => "Votre audit blanc (non partagé)",
    };
    Ok(results(conn, previous)
        .await?
        .into_iter()
        .map(|(key, r)| {
            let previous = PreviousResult {
                from: from.to_string(),
                status: r.status,
                findings: r.findings.iter().map(|f| f.kind).collect(),
            };
            (key, previous)
        })
        .collect())
}

/// The compte-rendu: its summary and, once submitted, when.
pub struct Report {
    pub summary: String,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn report(conn: &mut AnyConnection, demande_id: i64) -> BackendResult<Option<Report>> {
    let row = sqlx::query("SELECT summary, submitted_at FROM audit_reports WHERE demande_id = $1")
        .bind(demande_id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        let c = Columns::new(&row, "audit_reports");
        Ok(Report {
            summary: c.get("summary")?,
            submitted_at: c.optional_timestamp("submitted_at")?,
        })
    })
    .transpose()
}

pub async fn save_summary(
    conn: &mut AnyConnection,
    demande_id: i64,
    summary: &str,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO audit_reports (demande_id, summary) VALUES ($1, $2) \
         ON CONFLICT (demande_id) DO UPDATE SET summary = excluded.summary",
    )
    .bind(demande_id)
    .bind(summary)
    .execute(conn)
    .await?;
    Ok(())
}

/// Submits the report: its PDF, with the data it was rendered from.
pub async fn submit(
    conn: &mut AnyConnection,
    demande_id: i64,
    pdf: &[u8],
    data: &str,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE audit_reports SET submitted_at = $1, pdf = $2, sha256 = $3, data = $4 \
         WHERE demande_id = $5 AND submitted_at IS NULL",
    )
    .bind(stored::now())
    .bind(pdf)
    .bind(sha256_hex(pdf))
    .bind(data)
    .bind(demande_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The submitted report's PDF.
pub async fn report_pdf(conn: &mut AnyConnection, demande_id: i64) -> BackendResult<Vec<u8>> {
    let pdf: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT pdf FROM audit_reports WHERE demande_id = $1 AND submitted_at IS NOT NULL",
    )
    .bind(demande_id)
    .fetch_optional(conn)
    .await?;
    pdf.ok_or_else(|| BackendError::NotFound(format!("report of demande {demande_id}")))
}

pub async fn add_reading(
    conn: &mut AnyConnection,
    demande_id: i64,
    reader: (i64, &str),
    what: &str,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO report_readings (demande_id, account_id, reader_name, what, read_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(demande_id)
    .bind(reader.0)
    .bind(reader.1)
    .bind(what)
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Every reading of a report, the latest first.
pub async fn readings(conn: &mut AnyConnection, demande_id: i64) -> BackendResult<Vec<Reading>> {
    let rows = sqlx::query(
        "SELECT reader_name, what, read_at FROM report_readings WHERE demande_id = $1 ORDER BY id DESC",
    )
    .bind(demande_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "report_readings");
            Ok(Reading {
                read_at: c.timestamp("read_at")?,
                reader_name: c.get("reader_name")?,
                what: c.get("what")?,
            })
        })
        .collect()
}

/// A filled grid as uploaded, kept until it is applied.
pub struct GridUpload {
    pub id: i64,
    pub file_name: String,
    pub content: String,
    pub applied: bool,
}

pub async fn insert_upload(
    conn: &mut AnyConnection,
    demande_id: i64,
    account_id: i64,
    file_name: &str,
    content: &str,
) -> BackendResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO grid_uploads (demande_id, account_id, file_name, content, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(demande_id)
    .bind(account_id)
    .bind(file_name)
    .bind(content)
    .bind(stored::now())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// An upload of the audit `demande_id` by `account_id`.
pub async fn upload(
    conn: &mut AnyConnection,
    demande_id: i64,
    account_id: i64,
    id: i64,
) -> BackendResult<GridUpload> {
    let row = sqlx::query(
        "SELECT id, file_name, content, applied_at FROM grid_uploads \
         WHERE id = $1 AND demande_id = $2 AND account_id = $3",
    )
    .bind(id)
    .bind(demande_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("grid upload {id}")))?;
    let c = Columns::new(&row, "grid_uploads");
    Ok(GridUpload {
        id: c.get("id")?,
        file_name: c.get("file_name")?,
        content: c.get("content")?,
        applied: c.optional_timestamp("applied_at")?.is_some(),
    })
}

pub async fn mark_applied(conn: &mut AnyConnection, id: i64) -> BackendResult<()> {
    sqlx::query("UPDATE grid_uploads SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL")
        .bind(stored::now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
