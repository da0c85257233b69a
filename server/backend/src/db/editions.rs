//! Queries of `manual_editions` and `manual_edition_sections`: issued editions of a manual,
//! never changed once written (triggers of migration 0009).

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use chrono::NaiveDate;
use domain::manual::edition::{Edition, FrozenSection, Recipient};
use domain::manual::section::SectionKind;
use sqlx::{AnyConnection, Row};

const COLUMNS: &str = "id, siae_id, number, issued_on, issued_at, issuer_name, gaps, pdf_sha256";

fn decode(row: &sqlx::any::AnyRow) -> BackendResult<Edition> {
    let c = Columns::new(row, "manual_editions");
    Ok(Edition {
        id: c.get("id")?,
        siae_id: c.get("siae_id")?,
        number: c.get("number")?,
        issued_on: c
            .optional_date("issued_on")?
            .ok_or_else(|| BackendError::Internal("edition without a date".into()))?,
        issued_at: c.timestamp("issued_at")?,
        issuer_name: c.get("issuer_name")?,
        gaps: c.json("gaps")?,
        pdf_sha256: c.get("pdf_sha256")?,
        pdf_bytes: c.get("pdf_bytes")?,
    })
}

/// The editions of a SIAE's manual, the latest first.
pub async fn of_siae(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Vec<Edition>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, CAST(LENGTH(pdf) AS BIGINT) AS pdf_bytes FROM manual_editions WHERE siae_id = $1 ORDER BY number DESC"
    ))
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(decode).collect()
}

/// An edition of the SIAE, with its PDF and the data it was rendered from.
pub async fn find(
    conn: &mut AnyConnection,
    siae_id: i64,
    id: i64,
) -> BackendResult<(Edition, Vec<u8>, String)> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, CAST(LENGTH(pdf) AS BIGINT) AS pdf_bytes, pdf, content FROM manual_editions WHERE id = $1 AND siae_id = $2"
    ))
    .bind(id)
    .bind(siae_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("edition {id} of {siae_id}")))?;
    let c = Columns::new(&row, "manual_editions");
    Ok((decode(&row)?, c.get("pdf")?, c.get("content")?))
}

/// The section versions an edition froze, in order.
pub async fn sections(
    conn: &mut AnyConnection,
    edition_id: i64,
) -> BackendResult<Vec<FrozenSection>> {
    let rows = sqlx::query(
        "SELECT s.id AS section_id, s.kind, s.title, v.id AS version_id, v.number, v.approved_on, v.body \
         FROM manual_edition_sections e \
         JOIN manual_section_versions v ON v.id = e.section_version_id \
         JOIN manual_sections s ON s.id = v.section_id \
         WHERE e.edition_id = $1 ORDER BY e.position",
    )
    .bind(edition_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "manual_edition_sections");
            Ok(FrozenSection {
                section_id: c.get("section_id")?,
                kind: c.code::<SectionKind>("kind")?,
                title: c.get("title")?,
                version_id: c.get("version_id")?,
                number: c.get("number")?,
                approved_on: c.optional_date("approved_on")?,
                body: c.get("body")?,
                answers: Vec::new(),
            })
        })
        .collect()
}

/// What an edition is made of, as it is written.
pub struct NewEdition<'a> {
    pub siae_id: i64,
    pub number: i64,
    pub issued_on: NaiveDate,
    pub issuer: (i64, &'a str),
    pub gaps: &'a [String],
    pub content: &'a str,
    pub template_sha256: &'a str,
    pub typst_version: &'a str,
    pub pdf: &'a [u8],
    pub pdf_sha256: &'a str,
    pub sections: &'a [FrozenSection],
    /// The logo on its cover.
    pub logo_id: Option<i64>,
}

pub async fn insert(conn: &mut AnyConnection, edition: &NewEdition<'_>) -> BackendResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO manual_editions (siae_id, number, issued_on, issued_at, issued_by, issuer_name, gaps, \
         content, template_sha256, typst_version, pdf, pdf_sha256, logo_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(edition.siae_id)
    .bind(edition.number)
    .bind(stored::date(edition.issued_on))
    .bind(stored::now())
    .bind(edition.issuer.0)
    .bind(edition.issuer.1)
    .bind(serde_json::to_string(edition.gaps).unwrap_or_default())
    .bind(edition.content)
    .bind(edition.template_sha256)
    .bind(edition.typst_version)
    .bind(edition.pdf)
    .bind(edition.pdf_sha256)
    .bind(edition.logo_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for (position, section) in edition.sections.iter().enumerate() {
        sqlx::query(
            "INSERT INTO manual_edition_sections (edition_id, section_version_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(section.version_id)
        .bind(position as i64 + 1)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The change notes of a section's approved versions numbered in `(from, to]`, oldest first.
pub async fn change_notes(
    conn: &mut AnyConnection,
    section_id: i64,
    from: i64,
    to: i64,
) -> BackendResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT change_note FROM manual_section_versions WHERE section_id = $1 AND number > $2 AND number <= $3 \
         ORDER BY number",
    )
    .bind(section_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Columns::new(r, "manual_section_versions").get::<String>("change_note"))
        .filter(|note| !note.as_ref().is_ok_and(|n| n.trim().is_empty()))
        .collect()
}

/// The recipients of the editions of a SIAE's manual, by edition.
pub async fn recipients(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT r.edition_id, r.account_id, a.display_name, r.given_at, r.acknowledged_at \
         FROM manual_edition_recipients r \
         JOIN manual_editions e ON e.id = r.edition_id \
         JOIN accounts a ON a.id = r.account_id \
         WHERE e.siae_id = $1 ORDER BY a.display_name",
    )
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "manual_edition_recipients");
            Ok(Recipient {
                edition_id: c.get("edition_id")?,
                account_id: c.get("account_id")?,
                name: c.get("display_name")?,
                given_at: c.timestamp("given_at")?,
                acknowledged_at: c.optional_timestamp("acknowledged_at")?,
            })
        })
        .collect()
}

pub async fn add_recipient(
    conn: &mut AnyConnection,
    edition_id: i64,
    account_id: i64,
    given_by: i64,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO manual_edition_recipients (edition_id, account_id, given_at, given_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(edition_id)
    .bind(account_id)
    .bind(stored::now())
    .bind(given_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that the account read the edition; `false` if it is not a recipient or already did.
pub async fn acknowledge(
    conn: &mut AnyConnection,
    edition_id: i64,
    account_id: i64,
) -> BackendResult<bool> {
    let done = sqlx::query(
        "UPDATE manual_edition_recipients SET acknowledged_at = $3 \
         WHERE edition_id = $1 AND account_id = $2 AND acknowledged_at IS NULL",
    )
    .bind(edition_id)
    .bind(account_id)
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
