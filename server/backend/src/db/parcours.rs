//! The people a SIAE supports: their files, engagements (with their bilans), actions, the
//! SIAE's delay for a first proposal, and the readings of each file.

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use chrono::NaiveDate;
use domain::parcours::engagement::EngagementKind;
use domain::parcours::person::{ExitKind, PersonDetails};
use domain::parcours::record::{ActionStatus, Bilan, NewAction, NewEngagement, Placement};
use domain::parcours::suivi::{EngagementFacts, DEFAULT_PROPOSAL_DELAY_DAYS};
use domain::parcours::view::{ActionView, EngagementView, FileRead};
use sqlx::AnyConnection;

const PERSON_COLUMNS: &str = "p.id, p.siae_id, p.last_name, p.first_name, p.birth_date, p.phone, \
     p.email, p.address, p.pre_accueil_on, p.accueil_on, p.inscription_on, p.request, \
     p.accompagnateur_id, a.display_name AS accompagnateur_name, p.exit_on, p.exit_kind";

/// A person's row.
pub struct PersonRow {
    pub id: i64,
    pub siae_id: i64,
    pub details: PersonDetails,
    pub accompagnateur_name: Option<String>,
    pub exit: Option<(NaiveDate, ExitKind)>,
}

fn person(row: &sqlx::any::AnyRow) -> BackendResult<PersonRow> {
    let c = Columns::new(row, "persons");
    let exit = match (c.optional_date("exit_on")?, c.optional_code("exit_kind")?) {
        (Some(on), Some(kind)) => Some((on, kind)),
        _ => None,
    };
    Ok(PersonRow {
        id: c.get("id")?,
        siae_id: c.get("siae_id")?,
        details: PersonDetails {
            last_name: c.get("last_name")?,
            first_name: c.get("first_name")?,
            birth_date: c.optional_date("birth_date")?,
            phone: c.get("phone")?,
            email: c.get("email")?,
            address: c.get("address")?,
            pre_accueil_on: c.date("pre_accueil_on")?,
            accueil_on: c.optional_date("accueil_on")?,
            inscription_on: c.optional_date("inscription_on")?,
            request: c.get("request")?,
            accompagnateur_id: c.get("accompagnateur_id")?,
        },
        accompagnateur_name: c.get("accompagnateur_name")?,
        exit,
    })
}

pub async fn find_person(conn: &mut AnyConnection, id: i64) -> BackendResult<PersonRow> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons p LEFT JOIN accounts a ON a.id = p.accompagnateur_id \
         WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("person {id}")))?;
    person(&row)
}

/// Every person of the SIAE, by name.
pub async fn persons_of(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Vec<PersonRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons p LEFT JOIN accounts a ON a.id = p.accompagnateur_id \
         WHERE p.siae_id = $1 ORDER BY p.last_name, p.first_name, p.id"
    ))
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(person).collect()
}

pub async fn insert_person(
    conn: &mut AnyConnection,
    siae_id: i64,
    p: &PersonDetails,
) -> BackendResult<i64> {
    let row = sqlx::query(
        "INSERT INTO persons (siae_id, last_name, first_name, birth_date, phone, email, address, \
         pre_accueil_on, accueil_on, inscription_on, request, accompagnateur_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(siae_id)
    .bind(&p.last_name)
    .bind(&p.first_name)
    .bind(stored::optional_date(p.birth_date))
    .bind(&p.phone)
    .bind(&p.email)
    .bind(&p.address)
    .bind(stored::date(p.pre_accueil_on))
    .bind(stored::optional_date(p.accueil_on))
    .bind(stored::optional_date(p.inscription_on))
    .bind(&p.request)
    .bind(p.accompagnateur_id)
    .bind(stored::now())
    .fetch_one(conn)
    .await?;
    Columns::new(&row, "persons").get("id")
}

pub async fn update_person(
    conn: &mut AnyConnection,
    id: i64,
    p: &PersonDetails,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE persons SET last_name = $1, first_name = $2, birth_date = $3, phone = $4, \
         email = $5, address = $6, pre_accueil_on = $7, accueil_on = $8, inscription_on = $9, \
         request = $10, accompagnateur_id = $11 WHERE id = $12",
    )
    .bind(&p.last_name)
    .bind(&p.first_name)
    .bind(stored::optional_date(p.birth_date))
    .bind(&p.phone)
    .bind(&p.email)
    .bind(&p.address)
    .bind(stored::date(p.pre_accueil_on))
    .bind(stored::optional_date(p.accueil_on))
    .bind(stored::optional_date(p.inscription_on))
    .bind(&p.request)
    .bind(p.accompagnateur_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_exit(
    conn: &mut AnyConnection,
    id: i64,
    on: NaiveDate,
    kind: ExitKind,
) -> BackendResult<()> {
    sqlx::query("UPDATE persons SET exit_on = $1, exit_kind = $2 WHERE id = $3")
        .bind(stored::date(on))
        .bind(kind.code())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

const ENGAGEMENT_COLUMNS: &str = "e.id, e.person_id, e.kind, e.signed_on, \
     a.display_name AS accompagnateur_name, e.needs, e.object, e.means_structure, e.means_person, \
     e.due_on, e.form, e.signed, e.handed, e.follows_id, e.bilan_on, e.bilan_achieved, \
     e.bilan_follow_up, e.bilan_comments";

fn engagement(row: &sqlx::any::AnyRow) -> BackendResult<(i64, EngagementView)> {
    let c = Columns::new(row, "engagements");
    let bilan = match c.optional_date("bilan_on")? {
        Some(held_on) => Some(Bilan {
            held_on,
            achieved: c.code("bilan_achieved")?,
            follow_up: c.flag("bilan_follow_up")?,
            comments: c.get("bilan_comments")?,
        }),
        None => None,
    };
    Ok((
        c.get("person_id")?,
        EngagementView {
            id: c.get("id")?,
            kind: c.code("kind")?,
            signed_on: c.date("signed_on")?,
            accompagnateur_name: c.get("accompagnateur_name")?,
            needs: c.get("needs")?,
            object: c.get("object")?,
            means_structure: c.get("means_structure")?,
            means_person: c.get("means_person")?,
            due_on: c.date("due_on")?,
            form: c.code("form")?,
            signed: c.flag("signed")?,
            handed: c.flag("handed")?,
            follows_id: c.get("follows_id")?,
            bilan,
        },
    ))
}

/// The person's engagements, oldest first.
pub async fn engagements_of(
    conn: &mut AnyConnection,
    person_id: i64,
) -> BackendResult<Vec<EngagementView>> {
    let rows = sqlx::query(&format!(
        "SELECT {ENGAGEMENT_COLUMNS} FROM engagements e \
         LEFT JOIN accounts a ON a.id = e.accompagnateur_id \
         WHERE e.person_id = $1 ORDER BY e.signed_on, e.id"
    ))
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| engagement(r).map(|(_, e)| e)).collect()
}

/// Every engagement of the SIAE's people, with its person, oldest first.
pub async fn engagements_of_siae(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Vec<(i64, EngagementView)>> {
    let rows = sqlx::query(&format!(
        "SELECT {ENGAGEMENT_COLUMNS} FROM engagements e JOIN persons p ON p.id = e.person_id \
         LEFT JOIN accounts a ON a.id = e.accompagnateur_id \
         WHERE p.siae_id = $1 ORDER BY e.signed_on, e.id"
    ))
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(engagement).collect()
}

pub async fn find_engagement(
    conn: &mut AnyConnection,
    id: i64,
) -> BackendResult<(i64, EngagementView)> {
    let row = sqlx::query(&format!(
        "SELECT {ENGAGEMENT_COLUMNS} FROM engagements e \
         LEFT JOIN accounts a ON a.id = e.accompagnateur_id WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("engagement {id}")))?;
    engagement(&row)
}

pub async fn insert_engagement(
    conn: &mut AnyConnection,
    person_id: i64,
    e: &NewEngagement,
    follows_id: Option<i64>,
    by: i64,
) -> BackendResult<i64> {
    let row = sqlx::query(
        "INSERT INTO engagements (person_id, kind, signed_on, accompagnateur_id, needs, object, \
         means_structure, means_person, due_on, form, signed, handed, follows_id, bilan_comments, \
         created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', $14, $15) RETURNING id",
    )
    .bind(person_id)
    .bind(e.kind.code())
    .bind(stored::date(e.signed_on))
    .bind(e.accompagnateur_id)
    .bind(&e.needs)
    .bind(&e.object)
    .bind(&e.means_structure)
    .bind(&e.means_person)
    .bind(stored::date(e.due_on))
    .bind(e.form.code())
    .bind(stored::flag(e.signed))
    .bind(stored::flag(e.handed))
    .bind(follows_id)
    .bind(by)
    .bind(stored::now())
    .fetch_one(conn)
    .await?;
    Columns::new(&row, "engagements").get("id")
}

pub async fn set_bilan(conn: &mut AnyConnection, id: i64, bilan: &Bilan) -> BackendResult<()> {
    sqlx::query(
        "UPDATE engagements SET bilan_on = $1, bilan_achieved = $2, bilan_follow_up = $3, \
         bilan_comments = $4 WHERE id = $5",
    )
    .bind(stored::date(bilan.held_on))
    .bind(bilan.achieved.code())
    .bind(stored::flag(bilan.follow_up))
    .bind(&bilan.comments)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

const ACTION_COLUMNS: &str = "x.id, x.person_id, x.done_on, x.kind, x.label, x.objective, \
     x.engagement_id, e.kind AS engagement_kind, x.due_on, x.status, x.decisions, x.minutes, \
     x.client, x.rome_code, x.placement_minutes";

fn action(row: &sqlx::any::AnyRow) -> BackendResult<(i64, ActionView)> {
    let c = Columns::new(row, "parcours_actions");
    let placement = match c.get::<Option<i64>>("placement_minutes")? {
        Some(minutes) => Some(Placement {
            client: c.get("client")?,
            rome_code: c.get("rome_code")?,
            minutes,
        }),
        None => None,
    };
    Ok((
        c.get("person_id")?,
        ActionView {
            id: c.get("id")?,
            on: c.date("done_on")?,
            kind: c.code("kind")?,
            label: c.get("label")?,
            objective: c.get("objective")?,
            engagement_id: c.get("engagement_id")?,
            engagement_kind: c.optional_code::<EngagementKind>("engagement_kind")?,
            due_on: c.optional_date("due_on")?,
            status: c.code("status")?,
            decisions: c.get("decisions")?,
            minutes: c.get("minutes")?,
            placement,
        },
    ))
}

/// The person's actions, oldest first.
pub async fn actions_of(
    conn: &mut AnyConnection,
    person_id: i64,
) -> BackendResult<Vec<ActionView>> {
    let rows = sqlx::query(&format!(
        "SELECT {ACTION_COLUMNS} FROM parcours_actions x \
         LEFT JOIN engagements e ON e.id = x.engagement_id \
         WHERE x.person_id = $1 ORDER BY x.done_on, x.id"
    ))
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| action(r).map(|(_, a)| a)).collect()
}

/// Every action of the SIAE's people, with its person, oldest first.
pub async fn actions_of_siae(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Vec<(i64, ActionView)>> {
    let rows = sqlx::query(&format!(
        "SELECT {ACTION_COLUMNS} FROM parcours_actions x JOIN persons p ON p.id = x.person_id \
         LEFT JOIN engagements e ON e.id = x.engagement_id \
         WHERE p.siae_id = $1 ORDER BY x.done_on, x.id"
    ))
    .bind(siae_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(action).collect()
}

pub async fn find_action(conn: &mut AnyConnection, id: i64) -> BackendResult<(i64, ActionView)> {
    let row = sqlx::query(&format!(
        "SELECT {ACTION_COLUMNS} FROM parcours_actions x \
         LEFT JOIN engagements e ON e.id = x.engagement_id WHERE x.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("parcours action {id}")))?;
    action(&row)
}

pub async fn insert_action(
    conn: &mut AnyConnection,
    person_id: i64,
    a: &NewAction,
    by: i64,
) -> BackendResult<i64> {
    let (client, rome_code, placement_minutes) = match &a.placement {
        Some(p) => (p.client.as_str(), p.rome_code.as_str(), Some(p.minutes)),
        None => ("", "", None),
    };
    let row = sqlx::query(
        "INSERT INTO parcours_actions (person_id, engagement_id, done_on, kind, label, objective, \
         due_on, status, decisions, minutes, client, rome_code, placement_minutes, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         RETURNING id",
    )
    .bind(person_id)
    .bind(a.engagement_id)
    .bind(stored::date(a.on))
    .bind(a.kind.code())
    .bind(&a.label)
    .bind(&a.objective)
    .bind(stored::optional_date(a.due_on))
    .bind(a.status.code())
    .bind(&a.decisions)
    .bind(a.minutes)
    .bind(client)
    .bind(rome_code)
    .bind(placement_minutes)
    .bind(by)
    .bind(stored::now())
    .fetch_one(conn)
    .await?;
    Columns::new(&row, "parcours_actions").get("id")
}

pub async fn set_action_status(
    conn: &mut AnyConnection,
    id: i64,
    status: ActionStatus,
) -> BackendResult<()> {
    sqlx::query("UPDATE parcours_actions SET status = $1 WHERE id = $2")
        .bind(status.code())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The engagements as the suivi a minima reads them.
pub fn facts(engagements: &[&EngagementView]) -> Vec<EngagementFacts> {
    engagements
        .iter()
        .map(|e| EngagementFacts {
            kind: e.kind,
            due_on: e.due_on,
            has_bilan: e.bilan.is_some(),
        })
        .collect()
}

pub async fn proposal_delay(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<i64> {
    let row = sqlx::query("SELECT proposal_delay_days FROM parcours_settings WHERE siae_id = $1")
        .bind(siae_id)
        .fetch_optional(conn)
        .await?;
    match row {
        Some(row) => Columns::new(&row, "parcours_settings").get("proposal_delay_days"),
        None => Ok(DEFAULT_PROPOSAL_DELAY_DAYS),
    }
}

pub async fn set_proposal_delay(
    conn: &mut AnyConnection,
    siae_id: i64,
    days: i64,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO parcours_settings (siae_id, proposal_delay_days) VALUES ($1, $2) \
         ON CONFLICT (siae_id) DO UPDATE SET proposal_delay_days = excluded.proposal_delay_days",
    )
    .bind(siae_id)
    .bind(days)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_read(
    conn: &mut AnyConnection,
    person_id: i64,
    account_id: i64,
    what: &str,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO person_reads (person_id, account_id, what, read_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(person_id)
    .bind(account_id)
    .bind(what)
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Who opened the file, the latest first (the last 200).
pub async fn reads_of(conn: &mut AnyConnection, person_id: i64) -> BackendResult<Vec<FileRead>> {
    let rows = sqlx::query(
        "SELECT r.read_at, a.display_name, r.what FROM person_reads r \
         JOIN accounts a ON a.id = r.account_id WHERE r.person_id = $1 ORDER BY r.id DESC LIMIT 200",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "person_reads");
            Ok(FileRead {
                at: c.timestamp("read_at")?,
                reader_name: c.get("display_name")?,
                what: c.get("what")?,
            })
        })
        .collect()
}
