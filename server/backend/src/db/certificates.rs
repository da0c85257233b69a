//! The certification committee's decisions and the certificates they give.

use super::stored::{self, Columns};
use crate::digest::sha256_hex;
use crate::error::{BackendError, BackendResult};
use domain::certification::certificate::{
    Certificate, CertificateStatus, CertificationGlance, Verification,
};
use domain::certification::committee::CommitteeDecision;
use domain::certification::programme::{Outlook, ProgrammeRules};
use sqlx::AnyConnection;

pub async fn insert_decision(
    conn: &mut AnyConnection,
    demande_id: i64,
    decision: &CommitteeDecision,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO committee_decisions (demande_id, verdict, held_on, seats, reasons, conditions, \
         conditions_due_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(demande_id)
    .bind(decision.verdict.code())
    .bind(stored::date(decision.held_on))
    .bind(serde_json::to_string(&decision.seats).unwrap_or_else(|_| "[]".into()))
    .bind(&decision.reasons)
    .bind(&decision.conditions)
    .bind(stored::optional_date(decision.conditions_due_on))
    .bind(decision.recorded_by)
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn decision(
    conn: &mut AnyConnection,
    demande_id: i64,
) -> BackendResult<Option<CommitteeDecision>> {
    let row = sqlx::query(
        "SELECT verdict, held_on, seats, reasons, conditions, conditions_due_on, recorded_by \
         FROM committee_decisions WHERE demande_id = $1",
    )
    .bind(demande_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let c = Columns::new(&row, "committee_decisions");
        Ok(CommitteeDecision {
            verdict: c.code("verdict")?,
            held_on: c
                .optional_date("held_on")?
                .ok_or_else(|| BackendError::Internal("a decision has no date".into()))?,
            seats: c.json("seats")?,
            reasons: c.get("reasons")?,
            conditions: c.get("conditions")?,
            conditions_due_on: c.optional_date("conditions_due_on")?,
            recorded_by: c.get("recorded_by")?,
        })
    })
    .transpose()
}

pub struct NewCertificate<'a> {
    pub code: &'a str,
    pub siae_id: i64,
    pub demande_id: i64,
    pub valid_from: chrono::NaiveDate,
    pub valid_until: chrono::NaiveDate,
    pub pdf: &'a [u8],
}

pub async fn insert(conn: &mut AnyConnection, new: &NewCertificate<'_>) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO certificates (code, siae_id, demande_id, valid_from, valid_until, issued_at, pdf, sha256) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new.code)
    .bind(new.siae_id)
    .bind(new.demande_id)
    .bind(stored::date(new.valid_from))
    .bind(stored::date(new.valid_until))
    .bind(stored::now())
    .bind(new.pdf)
    .bind(sha256_hex(new.pdf))
    .execute(conn)
    .await?;
    Ok(())
}

fn validity(c: &Columns<'_>) -> BackendResult<(chrono::NaiveDate, chrono::NaiveDate, bool)> {
    let date = |column: &str| {
        c.optional_date(column)?
            .ok_or_else(|| BackendError::Internal(format!("a certificate has no {column}")))
    };
    Ok((
        date("valid_from")?,
        date("valid_until")?,
        c.optional_timestamp("withdrawn_at")?.is_some(),
    ))
}

/// The SIAE's latest certificate.
pub async fn latest_of_siae(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Option<Certificate>> {
    let row = sqlx::query(
        "SELECT code, valid_from, valid_until, withdrawn_at FROM certificates \
         WHERE siae_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(siae_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let c = Columns::new(&row, "certificates");
        let (valid_from, valid_until, withdrawn) = validity(&c)?;
        Ok(Certificate {
            code: c.get("code")?,
            valid_from,
            valid_until,
            status: CertificateStatus::of(valid_until, withdrawn, domain::time::today()),
        })
    })
    .transpose()
}

/// What the public page shows of the certificate `code`.
pub async fn verify(conn: &mut AnyConnection, code: &str) -> BackendResult<Option<Verification>> {
    let row = sqlx::query(
        "SELECT o.name, c.valid_from, c.valid_until, c.withdrawn_at FROM certificates c \
         JOIN organisations o ON o.id = c.siae_id WHERE c.code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let c = Columns::new(&row, "certificates");
        let (valid_from, valid_until, withdrawn) = validity(&c)?;
        Ok(Verification {
            siae_name: c.get("name")?,
            valid_from,
            valid_until,
            status: CertificateStatus::of(valid_until, withdrawn, domain::time::today()),
        })
    })
    .transpose()
}

/// The certificate of a SIAE's demande: its code and PDF.
pub async fn pdf_of_siae(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<(String, Vec<u8>)> {
    let row = sqlx::query(
        "SELECT code, pdf FROM certificates WHERE siae_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(siae_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("certificate of {siae_id}")))?;
    let c = Columns::new(&row, "certificates");
    Ok((c.get("code")?, c.get("pdf")?))
}

/// Where the SIAE stands (its latest demande de certification's state and its latest
/// certificate), and what lies ahead under `rules`.
pub async fn glance(
    conn: &mut AnyConnection,
    siae_id: i64,
    rules: &ProgrammeRules,
) -> BackendResult<CertificationGlance> {
    let state = super::demandes::latest_certification(conn, siae_id)
        .await?
        .map(|d| d.state);
    let mut glance = CertificationGlance {
        state,
        certificate: latest_of_siae(conn, siae_id).await?,
        outlook: Outlook::default(),
    };
    glance.outlook = Outlook::of(&glance, conditions_due(conn, siae_id).await?, rules);
    Ok(glance)
}

/// The deadline of the conditions of the SIAE's latest certificate, when it was given under
/// conditions not lifted yet.
async fn conditions_due(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Option<chrono::NaiveDate>> {
    let row = sqlx::query(
        "SELECT d.conditions_due_on FROM certificates c \
         JOIN committee_decisions d ON d.demande_id = c.demande_id \
         WHERE c.siae_id = $1 AND NOT EXISTS (SELECT 1 FROM corrective_liftings l \
         WHERE l.demande_id = c.demande_id AND l.finding_id IS NULL) ORDER BY c.id DESC LIMIT 1",
    )
    .bind(siae_id)
    .fetch_optional(conn)
    .await?;
    match row {
        Some(row) => Columns::new(&row, "committee_decisions").optional_date("conditions_due_on"),
        None => Ok(None),
    }
}

/// Withdraws the SIAE's latest certificate if it is not already; whether it did.
pub async fn withdraw(
    conn: &mut AnyConnection,
    siae_id: i64,
    reasons: &str,
) -> BackendResult<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET withdrawn_at = $1, withdrawal_reason = $2 \
         WHERE id = (SELECT MAX(id) FROM certificates WHERE siae_id = $3) AND withdrawn_at IS NULL",
    )
    .bind(stored::now())
    .bind(reasons)
    .bind(siae_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
