//! Demandes de certification and the steps of their timeline.

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use domain::certification::demande::{BoardMeeting, DemandeKind, DemandeState};
use domain::certification::view::{AssessmentSnapshot, Demande, DemandeStep};
use sqlx::AnyConnection;

const COLUMNS: &str = "id, siae_id, kind, state, edition_id, message, auditor_id, \
     audit_starts_on, audit_ends_on, created_at, shared_at";

fn decode(row: &sqlx::any::AnyRow) -> BackendResult<Demande> {
    let c = Columns::new(row, "demandes");
    let state: String = c.get("state")?;
    Ok(Demande {
        id: c.get("id")?,
        siae_id: c.get("siae_id")?,
        kind: c.code("kind")?,
        state: state.parse().map_err(|e: String| BackendError::Decode {
            table: "demandes",
            column: "state".into(),
            detail: e,
        })?,
        edition_id: c.get("edition_id")?,
        message: c.get("message")?,
        auditor_id: c.get("auditor_id")?,
        audit_dates: match (
            c.optional_date("audit_starts_on")?,
            c.optional_date("audit_ends_on")?,
        ) {
            (Some(starts), Some(ends)) => Some((starts, ends)),
            _ => None,
        },
        created_at: c.timestamp("created_at")?,
        shared_at: c.optional_timestamp("shared_at")?,
    })
}

/// Demandes with their SIAE's name, by that name, where `condition` holds (`$1` is `value`).
async fn with_siae_names(
    conn: &mut AnyConnection,
    condition: &str,
    value: i64,
) -> BackendResult<Vec<(Demande, String)>> {
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.siae_id, d.kind, d.state, d.edition_id, d.message, d.auditor_id, \
         d.audit_starts_on, d.audit_ends_on, d.created_at, d.shared_at, o.name \
         FROM demandes d JOIN organisations o ON o.id = d.siae_id WHERE {condition} ORDER BY o.name"
    ))
    .bind(value)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                decode(row)?,
                Columns::new(row, "organisations").get("name")?,
            ))
        })
        .collect()
}

/// The demandes of a region's SIAE in `states`, with their SIAE's name.
pub async fn of_region_in(
    conn: &mut AnyConnection,
    region_id: i64,
    states: &[DemandeState],
) -> BackendResult<Vec<(Demande, String)>> {
    let codes: Vec<String> = states.iter().map(|s| format!("'{}'", s.code())).collect();
    let condition = format!("o.region_id = $1 AND d.state IN ({})", codes.join(", "));
    with_siae_names(conn, &condition, region_id).await
}

/// Every SIAE's latest demande (of either kind), with its SIAE's name and its region's.
pub async fn latest_per_siae(
    conn: &mut AnyConnection,
) -> BackendResult<Vec<(Demande, String, String)>> {
    let rows = sqlx::query(
        "SELECT d.id, d.siae_id, d.kind, d.state, d.edition_id, d.message, d.auditor_id, \
         d.audit_starts_on, d.audit_ends_on, d.created_at, d.shared_at, o.name, \
         COALESCE(r.name, '') AS region_name \
         FROM demandes d JOIN organisations o ON o.id = d.siae_id \
         LEFT JOIN organisations r ON r.id = o.region_id \
         WHERE d.id IN (SELECT MAX(id) FROM demandes GROUP BY siae_id) ORDER BY o.name",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "organisations");
            Ok((decode(row)?, c.get("name")?, c.get("region_name")?))
        })
        .collect()
}

/// The demandes assigned to an auditor and still in progress, with their SIAE's name.
pub async fn assigned_to(
    conn: &mut AnyConnection,
    auditor_id: i64,
) -> BackendResult<Vec<(Demande, String)>> {
    let condition = "d.auditor_id = $1 AND d.state IN ('auditeur_designe', 'audit_en_cours', 'rapport_remis', 'soumise_au_comite') \
         AND NOT (d.kind = 'audit_blanc' AND d.state = 'rapport_remis')";
    with_siae_names(conn, condition, auditor_id).await
}

/// The SIAE's latest demande.
pub async fn latest(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Option<Demande>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM demandes WHERE siae_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(siae_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

/// The SIAE's latest demande de certification (its audits blancs aside): where its
/// certification cycle stands.
pub async fn latest_certification(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Option<Demande>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM demandes WHERE siae_id = $1 AND kind = 'certification' \
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(siae_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

/// The SIAE's latest demande whose audit started (its snapshot was taken).
pub async fn latest_audited(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Option<Demande>> {
    latest_named_in(conn, siae_id, "audit_snapshots").await
}

/// The SIAE's latest demande of `kind` whose audit started.
pub async fn latest_audited_of(
    conn: &mut AnyConnection,
    siae_id: i64,
    kind: DemandeKind,
) -> BackendResult<Option<Demande>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM demandes WHERE siae_id = $1 AND kind = $2 \
         AND id IN (SELECT demande_id FROM audit_snapshots) ORDER BY id DESC LIMIT 1"
    ))
    .bind(siae_id)
    .bind(kind.code())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

/// The SIAE's latest demande the committee decided on.
pub async fn latest_decided(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Option<Demande>> {
    latest_named_in(conn, siae_id, "committee_decisions").await
}

/// The SIAE's latest demande that a row of `table` names by its `demande_id`.
async fn latest_named_in(
    conn: &mut AnyConnection,
    siae_id: i64,
    table: &'static str,
) -> BackendResult<Option<Demande>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM demandes WHERE siae_id = $1 \
         AND id IN (SELECT demande_id FROM {table}) ORDER BY id DESC LIMIT 1"
    ))
    .bind(siae_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> BackendResult<Demande> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM demandes WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("demande {id}")))?;
    decode(&row)
}

pub async fn insert(
    conn: &mut AnyConnection,
    siae_id: i64,
    edition_id: Option<i64>,
    message: &str,
    kind: DemandeKind,
    by: i64,
) -> BackendResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO demandes (siae_id, state, edition_id, message, created_at, created_by, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(siae_id)
    .bind(DemandeState::Brouillon.code())
    .bind(edition_id)
    .bind(message)
    .bind(stored::now())
    .bind(by)
    .bind(kind.code())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn update_draft(
    conn: &mut AnyConnection,
    id: i64,
    edition_id: Option<i64>,
    message: &str,
) -> BackendResult<()> {
    sqlx::query("UPDATE demandes SET edition_id = $2, message = $3 WHERE id = $1")
        .bind(id)
        .bind(edition_id)
        .bind(message)
        .execute(conn)
        .await?;
    Ok(())
}

/// The SIAE shares its audit blanc's results with its next certification audit.
pub async fn share(conn: &mut AnyConnection, id: i64) -> BackendResult<()> {
    sqlx::query("UPDATE demandes SET shared_at = $2 WHERE id = $1 AND shared_at IS NULL")
        .bind(id)
        .bind(stored::now())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_auditor(conn: &mut AnyConnection, id: i64, auditor_id: i64) -> BackendResult<()> {
    sqlx::query("UPDATE demandes SET auditor_id = $2 WHERE id = $1")
        .bind(id)
        .bind(auditor_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_audit_dates(
    conn: &mut AnyConnection,
    id: i64,
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
) -> BackendResult<()> {
    sqlx::query("UPDATE demandes SET audit_starts_on = $2, audit_ends_on = $3 WHERE id = $1")
        .bind(id)
        .bind(stored::date(starts_on))
        .bind(stored::date(ends_on))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_state(
    conn: &mut AnyConnection,
    id: i64,
    state: DemandeState,
) -> BackendResult<()> {
    sqlx::query("UPDATE demandes SET state = $2 WHERE id = $1")
        .bind(id)
        .bind(state.code())
        .execute(conn)
        .await?;
    Ok(())
}

/// A step of the timeline, as it is recorded.
pub struct NewStep<'a> {
    pub demande_id: i64,
    pub actor: (i64, &'a str),
    pub from: Option<DemandeState>,
    pub to: DemandeState,
    pub comment: &'a str,
    pub edition_id: Option<i64>,
    pub assessment: Option<&'a AssessmentSnapshot>,
    pub meeting: Option<&'a BoardMeeting>,
}

pub async fn add_step(conn: &mut AnyConnection, step: &NewStep<'_>) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO demande_events (demande_id, occurred_at, actor_id, actor_name, from_state, to_state, \
         comment, edition_id, assessment_snapshot, meeting_on, members_present) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(step.demande_id)
    .bind(stored::now())
    .bind(step.actor.0)
    .bind(step.actor.1)
    .bind(step.from.map(|s| s.code()))
    .bind(step.to.code())
    .bind(step.comment)
    .bind(step.edition_id)
    .bind(step.assessment.map(|a| serde_json::to_string(a).unwrap_or_default()))
    .bind(step.meeting.map(|m| stored::date(m.held_on)))
    .bind(
        step.meeting
            .map(|m| serde_json::to_string(&m.members_present).unwrap_or_default()),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The timeline of a demande, oldest step first.
pub async fn steps(conn: &mut AnyConnection, demande_id: i64) -> BackendResult<Vec<DemandeStep>> {
    let rows = sqlx::query(
        "SELECT d.occurred_at, d.actor_name, d.from_state, d.to_state, d.comment, e.number, \
         d.assessment_snapshot, d.meeting_on, d.members_present \
         FROM demande_events d LEFT JOIN manual_editions e ON e.id = d.edition_id \
         WHERE d.demande_id = $1 ORDER BY d.id",
    )
    .bind(demande_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "demande_events");
            let state = |column: &str, text: String| {
                text.parse::<DemandeState>()
                    .map_err(|detail| BackendError::Decode {
                        table: "demande_events",
                        column: column.to_string(),
                        detail,
                    })
            };
            let json_error = |column: &str, e: serde_json::Error| BackendError::Decode {
                table: "demande_events",
                column: column.to_string(),
                detail: e.to_string(),
            };
            let from = match c.get::<Option<String>>("from_state")? {
                Some(text) => Some(state("from_state", text)?),
                None => None,
            };
            let assessment = match c.get::<Option<String>>("assessment_snapshot")? {
                Some(text) => Some(
                    serde_json::from_str(&text)
                        .map_err(|e| json_error("assessment_snapshot", e))?,
                ),
                None => None,
            };
            let meeting = match (
                c.optional_date("meeting_on")?,
                c.get::<Option<String>>("members_present")?,
            ) {
                (Some(held_on), Some(members)) => Some(BoardMeeting {
                    held_on,
                    members_present: serde_json::from_str(&members)
                        .map_err(|e| json_error("members_present", e))?,
                }),
                _ => None,
            };
            Ok(DemandeStep {
                occurred_at: c.timestamp("occurred_at")?,
                actor_name: c.get("actor_name")?,
                from,
                to: state("to_state", c.get("to_state")?)?,
                comment: c.get("comment")?,
                edition_number: c.get("number")?,
                assessment,
                meeting,
            })
        })
        .collect()
}
