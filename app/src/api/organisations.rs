use crate::error::AppError;
use crate::types::OrganisationPage;
use domain::organisation::{Organisation, OrganisationDraft, OrganisationKind};
use leptos::prelude::*;

#[server(endpoint = "organisations/liste")]
pub async fn list_organisations(
    kind: Option<OrganisationKind>,
    region_id: Option<i64>,
    search: Option<String>,
) -> Result<Vec<Organisation>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let filter = backend::organisations::DirectoryFilter {
        kind,
        region_id,
        search,
    };
    outcome(backend::organisations::directory(&context().db, &me, &filter).await)
}

#[server(endpoint = "organisations/fiche")]
pub async fn load_organisation_page(id: i64) -> Result<OrganisationPage, AppError> {
    use super::ssr::*;
    use backend::organisations::{directory, get, members, DirectoryFilter};
    use domain::policy::Action;
    let me = identity()?;
    let db = &context().db;
    let organisation = outcome(get(db, &me, id).await)?;
    let members = if me.may_on(Action::ViewMembers, organisation.org_ref()) {
        Some(outcome(members(db, &me, &organisation).await)?)
    } else {
        None
    };
    let siae = if organisation.kind == OrganisationKind::Region {
        let filter = DirectoryFilter {
            kind: Some(OrganisationKind::Siae),
            region_id: Some(id),
            search: None,
        };
        outcome(directory(db, &me, &filter).await)?
    } else {
        Vec::new()
    };
    Ok(OrganisationPage {
        can_edit: me.may_on(Action::EditOrganisation, organisation.org_ref()),
        can_view_assessment: organisation.kind == OrganisationKind::Siae
            && me.may_on(Action::ViewAssessment, organisation.org_ref()),
        can_view_demande: organisation.kind == OrganisationKind::Siae
            && me.may_on(Action::ViewDemande, organisation.org_ref()),
        organisation,
        members,
        siae,
    })
}

/// What the organisation form offers: the regions and the ensembliers a SIAE may belong to.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrganisationChoices {
    pub regions: Vec<(i64, String)>,
    pub ensembliers: Vec<(i64, String)>,
}

#[server(endpoint = "organisations/formulaire")]
pub async fn organisation_form_choices() -> Result<OrganisationChoices, AppError> {
    use super::ssr::*;
    use domain::policy::{Action, Target};
    let me = identity()?;
    if !me.may(Action::CreateOrganisation, Target::Global) {
        outcome(me.require(Action::EditOrganisation, Target::Global))?;
    }
    let db = &context().db;
    Ok(OrganisationChoices {
        regions: outcome(backend::organisations::regions(db).await)?,
        ensembliers: outcome(backend::organisations::ensembliers(db).await)?,
    })
}

#[server(endpoint = "organisations/creer")]
pub async fn create_organisation(draft: OrganisationDraft) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let id = outcome(backend::organisations::create(&context().db, &me, &draft).await)?;
    done(
        &format!("/organisations/{id}"),
        format!("L'organisation « {} » a été créée.", draft.name.trim()),
    );
    Ok(())
}

#[server(endpoint = "organisations/modifier")]
pub async fn update_organisation(id: i64, draft: OrganisationDraft) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::organisations::update(&context().db, &me, id, &draft).await)?;
    done(
        &format!("/organisations/{id}"),
        "Les modifications ont été enregistrées.",
    );
    Ok(())
}

#[server(endpoint = "organisations/activer")]
pub async fn set_organisation_active(id: i64, active: bool) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::organisations::set_active(&context().db, &me, id, active).await)?;
    done(
        &format!("/organisations/{id}"),
        if active {
            "L'organisation a été réactivée."
        } else {
            "L'organisation a été désactivée."
        },
    );
    Ok(())
}
