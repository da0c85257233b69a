//! The parcours of the people a SIAE supports: its staff's lists, files and records.

use crate::error::AppError;
use domain::parcours::person::{ExitDraft, PersonDraft};
use domain::parcours::record::{ActionDraft, BilanDraft, EngagementDraft};
use domain::parcours::view::{PersonFile, PersonList, Synthesis};
use leptos::prelude::*;

#[server(endpoint = "parcours/personnes")]
pub async fn list_persons(
    siae_id: i64,
    #[server(default)] q: String,
    #[server(default)] tri: String,
    #[server(default)] page: Option<usize>,
) -> Result<PersonList, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let sort = tri
        .parse()
        .unwrap_or(domain::parcours::person::PersonSort::Name);
    outcome(backend::parcours::list(&context().db, &me, siae_id, &q, sort, page.unwrap_or(1)).await)
}

/// Opens a person's file at their first contact.
#[server(endpoint = "parcours/personnes/creer")]
pub async fn register_person(
    siae_id: i64,
    #[server(flatten)] draft: PersonDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let id = outcome(backend::parcours::register(&context().db, &me, siae_id, &draft).await)?;
    done(
        &crate::url::person_page(id),
        "La fiche de la personne est ouverte.",
    );
    Ok(())
}

/// A person's fiche de suivi (the opening is recorded).
#[server(endpoint = "parcours/personne")]
pub async fn load_person_file(person_id: i64) -> Result<PersonFile, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::parcours::file(&context().db, &me, person_id).await)
}

#[server(endpoint = "parcours/personne/modifier")]
pub async fn update_person(
    person_id: i64,
    #[server(flatten)] draft: PersonDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::parcours::update(&context().db, &me, person_id, &draft).await)?;
    done(
        &crate::url::person_page(person_id),
        "La fiche est enregistrée.",
    );
    Ok(())
}

/// Concludes an engagement réciproque; `follows_id`: the engagement whose bilan planned it.
#[server(endpoint = "parcours/engagement")]
pub async fn add_engagement(
    person_id: i64,
    #[server(default)] follows_id: Option<i64>,
    #[server(flatten)] draft: EngagementDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::parcours::add_engagement(&context().db, &me, person_id, &draft, follows_id).await,
    )?;
    done(
        &crate::url::person_page(person_id),
        "L'engagement réciproque est enregistré.",
    );
    Ok(())
}

#[server(endpoint = "parcours/bilan")]
pub async fn write_bilan(
    person_id: i64,
    engagement_id: i64,
    #[server(flatten)] draft: BilanDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::parcours::write_bilan(&context().db, &me, person_id, engagement_id, &draft).await,
    )?;
    done(
        &crate::url::person_page(person_id),
        "Le bilan est enregistré.",
    );
    Ok(())
}

#[server(endpoint = "parcours/action")]
pub async fn add_action(
    person_id: i64,
    #[server(flatten)] draft: ActionDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::parcours::add_action(&context().db, &me, person_id, &draft).await)?;
    done(
        &crate::url::person_page(person_id),
        "L'action est enregistrée.",
    );
    Ok(())
}

#[server(endpoint = "parcours/action/etat")]
pub async fn set_action_status(
    person_id: i64,
    action_id: i64,
    status: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::parcours::set_action_status(&context().db, &me, person_id, action_id, &status)
            .await,
    )?;
    done(&crate::url::person_page(person_id), "L'action est à jour.");
    Ok(())
}

#[server(endpoint = "parcours/sortie")]
pub async fn record_exit(
    person_id: i64,
    #[server(flatten)] draft: ExitDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::parcours::record_exit(&context().db, &me, person_id, &draft).await)?;
    done(
        &crate::url::person_page(person_id),
        "La sortie est enregistrée.",
    );
    Ok(())
}

/// The SIAE's delay for a first proposal after an inscription.
#[server(endpoint = "parcours/delai")]
pub async fn set_proposal_delay(siae_id: i64, proposal_delay_days: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::parcours::set_proposal_delay(&context().db, &me, siae_id, &proposal_delay_days)
            .await,
    )?;
    done(
        &crate::url::persons_page(siae_id),
        "Le délai de première proposition est enregistré.",
    );
    Ok(())
}

#[server(endpoint = "parcours/synthese")]
pub async fn load_synthesis(siae_id: i64) -> Result<Synthesis, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::parcours::synthesis(&context().db, &me, siae_id).await)
}
