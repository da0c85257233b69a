//! External auditors: who they are, and the ties they declare.

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use chrono::NaiveDate;
use domain::certification::conflict::{Tie, TieKind};
use domain::role::Role;
use sqlx::AnyConnection;

/// The active accounts holding the external auditor's role, by name.
pub async fn all(conn: &mut AnyConnection) -> BackendResult<Vec<(i64, String)>> {
    holding(conn, Role::AuditeurExterne).await
}

/// The active accounts holding `role` (in any organisation), by name.
pub async fn holding(conn: &mut AnyConnection, role: Role) -> BackendResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT a.id, a.display_name FROM accounts a \
         JOIN memberships m ON m.account_id = a.id \
         WHERE m.role = $1 AND a.active = 1 ORDER BY a.display_name",
    )
    .bind(role.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "accounts");
            Ok((c.get("id")?, c.get("display_name")?))
        })
        .collect()
}

/// The ties an auditor declared, the latest first.
pub async fn ties(conn: &mut AnyConnection, account_id: i64) -> BackendResult<Vec<Tie>> {
    let rows = sqlx::query(
        "SELECT t.id, t.organisation_id, o.name, \
         CASE WHEN o.kind = 'region' THEN o.id ELSE o.region_id END AS region_id, \
         t.kind, t.started_on, t.ended_on \
         FROM auditor_ties t JOIN organisations o ON o.id = t.organisation_id \
         WHERE t.account_id = $1 ORDER BY t.id DESC",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "auditor_ties");
            let kind: String = c.get("kind")?;
            Ok(Tie {
                id: c.get("id")?,
                organisation_id: c.get("organisation_id")?,
                organisation_name: c.get("name")?,
                organisation_region_id: c.get("region_id")?,
                kind: TieKind::from_code(&kind).ok_or_else(|| BackendError::Decode {
                    table: "auditor_ties",
                    column: "kind".into(),
                    detail: kind,
                })?,
                started_on: c
                    .optional_date("started_on")?
                    .ok_or_else(|| BackendError::Internal("a tie has no start".into()))?,
                ended_on: c.optional_date("ended_on")?,
            })
        })
        .collect()
}

pub async fn add_tie(
    conn: &mut AnyConnection,
    account_id: i64,
    organisation_id: i64,
    kind: TieKind,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
) -> BackendResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO auditor_ties (account_id, organisation_id, kind, started_on, ended_on) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(organisation_id)
    .bind(kind.code())
    .bind(stored::date(started_on))
    .bind(ended_on.map(stored::date))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Removes one of the auditor's own ties; false when they have no such tie.
pub async fn remove_tie(
    conn: &mut AnyConnection,
    account_id: i64,
    tie_id: i64,
) -> BackendResult<bool> {
    let done = sqlx::query("DELETE FROM auditor_ties WHERE id = $1 AND account_id = $2")
        .bind(tie_id)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
