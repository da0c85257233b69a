//! The certification cycle: the SIAE's demande and its steps through the region.

use crate::error::AppError;
use domain::certification::view::DemandePage;
use leptos::prelude::*;

#[server(endpoint = "certification/demande")]
pub async fn load_demande(siae_id: i64) -> Result<DemandePage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::demandes::page(&context().db, &me, siae_id).await)
}

/// Opens or changes the demande the SIAE prepares: the edition it rests on (empty: none
/// chosen yet) and its message.
#[server(endpoint = "certification/demande/enregistrer")]
pub async fn save_demande(
    siae_id: i64,
    #[server(default)] edition_id: Option<i64>,
    message: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::demandes::save(&context().db, &me, siae_id, edition_id, &message).await)?;
    done(
        &crate::url::certification_page(siae_id),
        "La demande est enregistrée.",
    );
    Ok(())
}

#[cfg(feature = "ssr")]
async fn step(
    siae_id: i64,
    demande_id: i64,
    step: backend::demandes::Step,
    message: &str,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::demandes::step(&context().db, &me, siae_id, demande_id, step).await)?;
    done(&crate::url::certification_page(siae_id), message);
    Ok(())
}

#[server(endpoint = "certification/demande/soumettre")]
pub async fn submit_demande(siae_id: i64, demande_id: i64) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::Submit,
        "La demande est soumise au référent qualité régional.",
    )
    .await
}

#[server(endpoint = "certification/demande/renvoyer")]
pub async fn return_demande(
    siae_id: i64,
    demande_id: i64,
    comment: String,
) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::Return { comment },
        "La demande est renvoyée à la structure avec votre commentaire.",
    )
    .await
}

/// The regional board's decision: `decision` is `valider` or `refuser`; the members present
/// come one per line.
#[server(endpoint = "certification/demande/decision-region")]
pub async fn decide_demande(
    siae_id: i64,
    demande_id: i64,
    held_on: String,
    members_present: String,
    decision: String,
    #[server(default)] reasons: String,
) -> Result<(), AppError> {
    use super::ssr::{identity, report};
    use domain::validation::FieldErrors;
    // Who calls comes first: the fields are read for a signed-in caller only.
    identity()?;
    let invalid =
        |field: &str, message: &str| report(AppError::Invalid(FieldErrors::on(field, message)));
    let held_on = chrono::NaiveDate::parse_from_str(held_on.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("held_on", "Indiquez la date de la réunion (jj/mm/aaaa)."))?;
    let validated = match decision.as_str() {
        "valider" => true,
        "refuser" => false,
        _ => return Err(invalid("decision", "Choisissez : validée ou refusée.")),
    };
    let meeting = domain::certification::demande::BoardMeeting {
        held_on,
        members_present: members_present
            .lines()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string)
            .collect(),
    };
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::BoardDecision {
            meeting,
            validated,
            reasons,
        },
        if validated {
            "La validation du conseil d'administration est enregistrée."
        } else {
            "Le refus du conseil d'administration est enregistré, avec ses motifs."
        },
    )
    .await
}

#[server(endpoint = "certification/demande/transmettre")]
pub async fn forward_demande(siae_id: i64, demande_id: i64) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::Forward,
        "La demande est transmise au responsable qualité fédéral.",
    )
    .await
}

/// Assigns an external auditor; a looser tie of theirs needs `justification`.
#[server(endpoint = "certification/demande/designer")]
pub async fn assign_auditor(
    siae_id: i64,
    demande_id: i64,
    auditor_id: i64,
    #[server(default)] justification: String,
) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::Assign {
            auditor_id,
            justification,
        },
        "L'auditeur est désigné : il doit déclarer sur l'honneur n'avoir aucun conflit d'intérêts.",
    )
    .await
}

#[server(endpoint = "certification/demande/declarer-sur-l-honneur")]
pub async fn confirm_no_conflict(siae_id: i64, demande_id: i64) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::ConfirmNoConflict,
        "Votre déclaration est enregistrée : le dossier de la structure vous est ouvert.",
    )
    .await
}

/// The assigned auditor sets the audit's dates.
#[server(endpoint = "certification/demande/dates")]
pub async fn schedule_audit(
    siae_id: i64,
    demande_id: i64,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::Schedule { starts_on, ends_on },
        "Les dates de l'audit sont enregistrées.",
    )
    .await
}

#[server(endpoint = "auditeur/liens")]
pub async fn load_ties() -> Result<domain::certification::view::TiesPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::auditors::ties_page(&context().db, &me).await)
}

#[server(endpoint = "auditeur/liens/declarer")]
pub async fn declare_tie(
    organisation_id: i64,
    kind: String,
    started_on: String,
    #[server(default)] ended_on: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let tie = backend::auditors::NewTie {
        organisation_id,
        kind: &kind,
        started_on: &started_on,
        ended_on: &ended_on,
    };
    outcome(backend::auditors::declare(&context().db, &me, tie).await)?;
    done(
        crate::url::TIES_PAGE,
        "Le lien est ajouté à votre déclaration.",
    );
    Ok(())
}

#[server(endpoint = "auditeur/liens/retirer")]
pub async fn withdraw_tie(tie_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::auditors::withdraw(&context().db, &me, tie_id).await)?;
    done(
        crate::url::TIES_PAGE,
        "Le lien est retiré de votre déclaration.",
    );
    Ok(())
}
