//! An external auditor's declaration of ties with organisations of the network, kept by the
//! auditor and screened before every assignment (`domain::certification::conflict`).

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use chrono::NaiveDate;
use domain::audit::AuditEvent;
use domain::certification::conflict::TieKind;
use domain::certification::view::TiesPage;
use domain::organisation::OrganisationKind;
use domain::policy::{Action, Target};

pub async fn ties_page(db: &Db, by: &Identity) -> BackendResult<TiesPage> {
    by.require(Action::DeclareTies, Target::Global)?;
    let mut conn = db.pool.acquire().await?;
    let ties = db::auditors::ties(&mut conn, by.account_id).await?;
    let organisations = db::organisations::all(&db.pool)
        .await?
        .into_iter()
        .filter(|o| matches!(o.kind, OrganisationKind::Siae | OrganisationKind::Region))
        .map(|o| (o.id, o.name))
        .collect();
    Ok(TiesPage {
        ties,
        organisations,
    })
}

/// What the form of a new tie carries, as typed.
pub struct NewTie<'a> {
    pub organisation_id: i64,
    pub kind: &'a str,
    pub started_on: &'a str,
    pub ended_on: &'a str,
}

pub async fn declare(db: &Db, by: &Identity, tie: NewTie<'_>) -> BackendResult<()> {
    by.require(Action::DeclareTies, Target::Global)?;
    let kind = TieKind::from_code(tie.kind)
        .ok_or_else(|| BackendError::invalid_field("kind", "Choisissez la nature du lien."))?;
    let date = |field: &str, text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| BackendError::invalid_field(field, "Date invalide (jj/mm/aaaa)."))
    };
    let started_on = date("started_on", tie.started_on)?;
    let ended_on = match tie.ended_on.trim() {
        "" => None,
        text => Some(date("ended_on", text)?),
    };
    if ended_on.is_some_and(|end| end < started_on) {
        return Err(BackendError::invalid_field(
            "ended_on",
            "La fin du lien ne peut précéder son début.",
        ));
    }
    let mut work = db.unit_of_work(by).await?;
    let organisation = db::organisations::find(&mut work, tie.organisation_id)
        .await
        .ok()
        .filter(|o| matches!(o.kind, OrganisationKind::Siae | OrganisationKind::Region))
        .ok_or_else(|| {
            BackendError::invalid_field(
                "organisation_id",
                "Choisissez une structure ou une association régionale du réseau.",
            )
        })?;
    db::auditors::add_tie(
        &mut work,
        by.account_id,
        organisation.id,
        kind,
        started_on,
        ended_on,
    )
    .await?;
    work.commit(AuditEvent::AuditorTie {
        account_id: by.account_id,
        auditor_name: by.display_name.clone(),
        organisation_name: organisation.name,
        kind,
        declared: true,
    })
    .await
}

pub async fn withdraw(db: &Db, by: &Identity, tie_id: i64) -> BackendResult<()> {
    by.require(Action::DeclareTies, Target::Global)?;
    let mut work = db.unit_of_work(by).await?;
    let ties = db::auditors::ties(&mut work, by.account_id).await?;
    let Some(tie) = ties.into_iter().find(|t| t.id == tie_id) else {
        return Err(BackendError::NotFound(format!(
            "tie {tie_id} of {}",
            by.account_id
        )));
    };
    db::auditors::remove_tie(&mut work, by.account_id, tie_id).await?;
    work.commit(AuditEvent::AuditorTie {
        account_id: by.account_id,
        auditor_name: by.display_name.clone(),
        organisation_name: tie.organisation_name,
        kind: tie.kind,
        declared: false,
    })
    .await
}
