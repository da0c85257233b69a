//! Use cases on organisations: the directory each role may see, creation, edition, deactivation.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use domain::account::Member;
use domain::audit::{AuditEvent, Diff};
use domain::organisation::{
    Organisation, OrganisationDraft, OrganisationId, OrganisationKind, ValidOrganisation,
};
use domain::policy::{Action, Target};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryFilter {
    pub kind: Option<OrganisationKind>,
    pub region_id: Option<OrganisationId>,
    pub search: Option<String>,
}

/// The organisations the caller may see, by kind and name. The policy decides row by row,
/// so the directory can never show what the organisation page would refuse.
pub async fn directory(
    db: &Db,
    by: &Identity,
    filter: &DirectoryFilter,
) -> BackendResult<Vec<Organisation>> {
    let search = filter
        .search
        .as_deref()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    Ok(db::organisations::all(&db.pool)
        .await?
        .into_iter()
        .filter(|org| {
            filter.kind.is_none_or(|k| k == org.kind)
                && filter
                    .region_id
                    .is_none_or(|r| org.org_ref().region_id == Some(r))
                && search.as_deref().is_none_or(|s| {
                    org.name.to_lowercase().contains(s)
                        || org.siret.as_ref().is_some_and(|x| x.as_str().contains(s))
                })
                && by.may_on(Action::ViewOrganisation, org.org_ref())
        })
        .collect())
}

/// An organisation the caller may not see answers `NotFound`: its existence is private too.
pub async fn get(db: &Db, by: &Identity, id: OrganisationId) -> BackendResult<Organisation> {
    let org = db::organisations::find(&mut *db.pool.acquire().await?, id).await?;
    visible(by, org)
}

fn visible(by: &Identity, org: Organisation) -> BackendResult<Organisation> {
    if !by.may_on(Action::ViewOrganisation, org.org_ref()) {
        tracing::warn!(
            account = by.account_id,
            organisation = org.id,
            "organisation hidden from caller"
        );
        return Err(BackendError::NotFound(format!(
            "organisation {} (hidden)",
            org.id
        )));
    }
    Ok(org)
}

/// The organisation, read and locked inside a change, if the caller may see it.
pub async fn get_for_change(
    work: &mut UnitOfWork,
    by: &Identity,
    id: OrganisationId,
) -> BackendResult<Organisation> {
    work.lock_row("organisations", id).await?;
    let org = db::organisations::find(work, id).await?;
    visible(by, org)
}

/// A SIAE on which the caller may do `action`; a SIAE the caller may not see, or an organisation
/// that is not a SIAE, is `NotFound`.
fn check_siae(by: &Identity, siae: Organisation, action: Action) -> BackendResult<Organisation> {
    if siae.kind != OrganisationKind::Siae {
        return Err(BackendError::NotFound(format!(
            "organisation {} is not a SIAE",
            siae.id
        )));
    }
    by.require(action, Target::Organisation(siae.org_ref()))?;
    Ok(siae)
}

/// The SIAE, if the caller may do `action` on it (see [`check_siae`]).
pub(crate) async fn siae_for(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    action: Action,
) -> BackendResult<Organisation> {
    check_siae(by, get(db, by, siae_id).await?, action)
}

/// The SIAE, read and locked inside a change, if the caller may do `action` on it.
pub(crate) async fn siae_for_change(
    work: &mut UnitOfWork,
    by: &Identity,
    siae_id: i64,
    action: Action,
) -> BackendResult<Organisation> {
    let siae = get_for_change(work, by, siae_id).await?;
    check_siae(by, siae, action)
}

/// The organisation, read and locked inside a change, if the caller may edit it.
async fn editable(
    work: &mut UnitOfWork,
    by: &Identity,
    id: OrganisationId,
) -> BackendResult<Organisation> {
    let org = get_for_change(work, by, id).await?;
    by.require(
        Action::EditOrganisation,
        Target::Organisation(org.org_ref()),
    )?;
    Ok(org)
}

pub async fn members(db: &Db, by: &Identity, org: &Organisation) -> BackendResult<Vec<Member>> {
    by.require(Action::ViewMembers, Target::Organisation(org.org_ref()))?;
    db::accounts::members_of(&db.pool, org.id).await
}

/// The regions, for the choice of a SIAE's region in forms.
pub async fn regions(db: &Db) -> BackendResult<Vec<(OrganisationId, String)>> {
    db::organisations::regions(&db.pool).await
}

/// The ensembliers, for the choice of the one a SIAE belongs to in forms.
pub async fn ensembliers(db: &Db) -> BackendResult<Vec<(OrganisationId, String)>> {
    db::organisations::ensembliers(&db.pool).await
}

/// The region and the ensemblier a SIAE points to exist and are of their kind.
async fn check_links(work: &mut UnitOfWork, valid: &ValidOrganisation) -> BackendResult<()> {
    if let Some(region_id) = valid.region_id {
        if !db::organisations::is_region(work, region_id).await? {
            return Err(BackendError::invalid_field(
                "region_id",
                "L'association régionale choisie n'existe pas.",
            ));
        }
    }
    if let Some(ensemblier_id) = valid.ensemblier_id {
        if !db::organisations::is_ensemblier(work, ensemblier_id).await? {
            return Err(BackendError::invalid_field(
                "ensemblier_id",
                "Choisissez l'ensemblier parmi les SIAE de type ensemblier.",
            ));
        }
    }
    Ok(())
}

pub async fn create(
    db: &Db,
    by: &Identity,
    draft: &OrganisationDraft,
) -> BackendResult<OrganisationId> {
    by.require(Action::CreateOrganisation, Target::Global)?;
    let valid = draft.validate()?;
    let mut work = db.unit_of_work(by).await?;
    let (id, event) = insert(&mut work, &valid).await?;
    work.commit(event).await?;
    Ok(id)
}

/// Inserts an organisation in a change and returns its event; shared by the form and the
/// command line (`cedre admin`, `cedre demo`).
pub async fn insert(
    work: &mut UnitOfWork,
    valid: &ValidOrganisation,
) -> BackendResult<(OrganisationId, AuditEvent)> {
    check_links(work, valid).await?;
    let id = db::organisations::insert(work, valid).await?;
    Ok((
        id,
        AuditEvent::OrganisationCreated {
            organisation_id: id,
            name: valid.name.clone(),
            kind: valid.kind,
        },
    ))
}

pub async fn update(
    db: &Db,
    by: &Identity,
    id: OrganisationId,
    draft: &OrganisationDraft,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let before = editable(&mut work, by, id).await?;
    // The kind is fixed at creation: roles and rights hang on it.
    let draft = OrganisationDraft {
        kind: before.kind.code().to_string(),
        ..draft.clone()
    };
    let valid = draft.validate()?;
    check_links(&mut work, &valid).await?;
    let changes = Diff::default()
        .field("nom", &before.name, &valid.name)
        .optional(
            "siret",
            &before.siret.as_ref().map(|s| s.as_str().to_string()),
            &valid.siret.as_ref().map(|s| s.as_str().to_string()),
        )
        .optional(
            "type_siae",
            &before.siae_type.map(|t| t.code()),
            &valid.siae_type.map(|t| t.code()),
        )
        .optional("region", &before.region_id, &valid.region_id)
        .optional("ensemblier", &before.ensemblier_id, &valid.ensemblier_id)
        .optional("date_entree", &before.entry_date, &valid.entry_date)
        .optional("etp_finances", &before.funded_fte, &valid.funded_fte)
        .optional("ville", &before.city, &valid.city)
        .into_changes();
    if changes.is_empty() {
        return Ok(());
    }
    db::organisations::update(&mut work, id, &valid).await?;
    work.commit(AuditEvent::OrganisationUpdated {
        organisation_id: id,
        name: valid.name,
        changes,
    })
    .await
}

pub async fn set_active(
    db: &Db,
    by: &Identity,
    id: OrganisationId,
    active: bool,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let before = editable(&mut work, by, id).await?;
    if before.kind == OrganisationKind::Federation && !active {
        return Err(BackendError::invalid(
            "La fédération ne peut pas être désactivée.",
        ));
    }
    if before.active == active {
        return Ok(());
    }
    db::organisations::set_active(&mut work, id, active).await?;
    work.commit(AuditEvent::OrganisationActivation {
        organisation_id: id,
        name: before.name,
        active,
    })
    .await
}
