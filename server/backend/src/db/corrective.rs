//! Corrective actions, the liftings of non-conformities and conditions, and the reminders of
//! their deadlines.

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use chrono::NaiveDate;
use domain::certification::corrective::{ActionState, Check, CorrectiveAction, NewAction};
use domain::certification::demande::DemandeKind;
use sqlx::AnyConnection;

pub async fn insert(
    conn: &mut AnyConnection,
    demande_id: i64,
    finding_id: Option<i64>,
    new: &NewAction,
    by: i64,
) -> BackendResult<i64> {
    let row = sqlx::query(
        "INSERT INTO corrective_actions (demande_id, finding_id, description, root_cause, owner_id, \
         due_on, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'ouverte', $7, $8) \
         RETURNING id",
    )
    .bind(demande_id)
    .bind(finding_id)
    .bind(&new.description)
    .bind(&new.root_cause)
    .bind(new.owner_id)
    .bind(stored::date(new.due_on))
    .bind(by)
    .bind(stored::now())
    .fetch_one(conn)
    .await?;
    Columns::new(&row, "corrective_actions").get("id")
}

/// An action as the changes need it.
pub struct ActionRow {
    pub id: i64,
    pub demande_id: i64,
    pub finding_id: Option<i64>,
    pub description: String,
    pub owner_id: i64,
    pub state: ActionState,
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> BackendResult<ActionRow> {
    let row = sqlx::query(
        "SELECT id, demande_id, finding_id, description, owner_id, state FROM corrective_actions \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("corrective action {id}")))?;
    let c = Columns::new(&row, "corrective_actions");
    Ok(ActionRow {
        id: c.get("id")?,
        demande_id: c.get("demande_id")?,
        finding_id: c.get("finding_id")?,
        description: c.get("description")?,
        owner_id: c.get("owner_id")?,
        state: c.code("state")?,
    })
}

/// The demande's actions with what each answers (`None`: the conditions), oldest first.
pub async fn of_demande(
    conn: &mut AnyConnection,
    demande_id: i64,
) -> BackendResult<Vec<(Option<i64>, CorrectiveAction)>> {
    let rows = sqlx::query(
        "SELECT a.id, a.finding_id, a.description, a.root_cause, a.owner_id, \
         o.display_name AS owner_name, \
         a.due_on, a.state, a.evidence, a.checked_at, a.check_effective, a.check_comment, \
         k.display_name AS checker_name \
         FROM corrective_actions a JOIN accounts o ON o.id = a.owner_id \
         LEFT JOIN accounts k ON k.id = a.checked_by \
         WHERE a.demande_id = $1 ORDER BY a.id",
    )
    .bind(demande_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "corrective_actions");
            let check = match c.optional_timestamp("checked_at")? {
                Some(at) => Some(Check {
                    by_name: c.get::<Option<String>>("checker_name")?.unwrap_or_default(),
                    at,
                    effective: c.get::<Option<i64>>("check_effective")? == Some(1),
                    comment: c.get("check_comment")?,
                }),
                None => None,
            };
            Ok((
                c.get("finding_id")?,
                CorrectiveAction {
                    id: c.get("id")?,
                    description: c.get("description")?,
                    root_cause: c.get("root_cause")?,
                    owner_id: c.get("owner_id")?,
                    owner_name: c.get("owner_name")?,
                    due_on: c.optional_date("due_on")?.ok_or_else(|| {
                        BackendError::Internal("an action without deadline".into())
                    })?,
                    state: c.code("state")?,
                    evidence: c.get("evidence")?,
                    check,
                },
            ))
        })
        .collect()
}

pub async fn set_done(conn: &mut AnyConnection, id: i64, evidence: &str) -> BackendResult<()> {
    sqlx::query("UPDATE corrective_actions SET state = 'realisee', evidence = $1 WHERE id = $2")
        .bind(evidence)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_checked(
    conn: &mut AnyConnection,
    id: i64,
    to: ActionState,
    by: i64,
    effective: bool,
    comment: &str,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE corrective_actions SET state = $1, checked_by = $2, checked_at = $3, \
         check_effective = $4, check_comment = $5 WHERE id = $6",
    )
    .bind(to.code())
    .bind(by)
    .bind(stored::now())
    .bind(stored::flag(effective))
    .bind(comment)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn lift(
    conn: &mut AnyConnection,
    demande_id: i64,
    finding_id: Option<i64>,
    by: i64,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO corrective_liftings (demande_id, finding_id, lifted_by, lifted_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(demande_id)
    .bind(finding_id)
    .bind(by)
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// What was lifted in the demande (`None`: its conditions), by whom and when.
pub async fn liftings(
    conn: &mut AnyConnection,
    demande_id: i64,
) -> BackendResult<Vec<(Option<i64>, String, chrono::DateTime<chrono::Utc>)>> {
    let rows = sqlx::query(
        "SELECT l.finding_id, a.display_name, l.lifted_at FROM corrective_liftings l \
         JOIN accounts a ON a.id = l.lifted_by WHERE l.demande_id = $1 ORDER BY l.id",
    )
    .bind(demande_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "corrective_liftings");
            Ok((
                c.get("finding_id")?,
                c.get("display_name")?,
                c.timestamp("lifted_at")?,
            ))
        })
        .collect()
}

/// An action not closed, for its reminders.
pub struct Pending {
    pub id: i64,
    pub demande_id: i64,
    pub siae_id: i64,
    /// The audit it answers: a certification audit's plan concerns the region and the
    /// federation, an audit blanc's the SIAE only.
    pub kind: DemandeKind,
    pub owner_id: i64,
    pub description: String,
    pub due_on: NaiveDate,
    pub state: ActionState,
    pub reminded: bool,
    pub escalated: bool,
}

/// The actions not closed yet, whose deadline is before `until`.
pub async fn pending_before(
    conn: &mut AnyConnection,
    until: NaiveDate,
) -> BackendResult<Vec<Pending>> {
    let rows = sqlx::query(
        "SELECT a.id, a.demande_id, d.siae_id, d.kind, a.owner_id, a.description, a.due_on, a.state, \
         (SELECT COUNT(*) FROM corrective_reminders r WHERE r.action_id = a.id AND r.kind = 'echeance') AS reminded, \
         (SELECT COUNT(*) FROM corrective_reminders r WHERE r.action_id = a.id AND r.kind = 'retard') AS escalated \
         FROM corrective_actions a JOIN demandes d ON d.id = a.demande_id \
         WHERE a.state <> 'efficace' AND a.due_on <= $1 ORDER BY a.id",
    )
    .bind(stored::date(until))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "corrective_actions");
            Ok(Pending {
                id: c.get("id")?,
                demande_id: c.get("demande_id")?,
                siae_id: c.get("siae_id")?,
                kind: c.code("kind")?,
                owner_id: c.get("owner_id")?,
                description: c.get("description")?,
                due_on: c
                    .optional_date("due_on")?
                    .ok_or_else(|| BackendError::Internal("an action without deadline".into()))?,
                state: c.code("state")?,
                reminded: c.get::<i64>("reminded")? > 0,
                escalated: c.get::<i64>("escalated")? > 0,
            })
        })
        .collect()
}

pub async fn record_reminder(
    conn: &mut AnyConnection,
    action_id: i64,
    kind: &str,
) -> BackendResult<()> {
    sqlx::query("INSERT INTO corrective_reminders (action_id, kind, sent_at) VALUES ($1, $2, $3)")
        .bind(action_id)
        .bind(kind)
        .bind(stored::now())
        .execute(conn)
        .await?;
    Ok(())
}
