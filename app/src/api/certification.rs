//! The certification cycle: the SIAE's demande and its steps through the region, the
//! federation and the committee; the public verification of a certificate.

// A server function takes its form's fields as arguments, and the committee's form has many;
// the lint fires on the code the macro generates, where an attribute cannot reach.
#![allow(clippy::too_many_arguments)]

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
    #[server(default)] kind: Option<String>,
) -> Result<(), AppError> {
    use super::ssr::*;
    use domain::certification::demande::DemandeKind;
    use domain::validation::FieldErrors;
    let me = identity()?;
    let kind = match kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => DemandeKind::Certification,
        Some(code) => DemandeKind::from_code(code).ok_or_else(|| {
            report(AppError::Invalid(FieldErrors::on(
                "kind",
                "Choisissez l'objet : certification ou audit blanc.",
            )))
        })?,
    };
    outcome(
        backend::demandes::save(&context().db, &me, siae_id, edition_id, &message, kind).await,
    )?;
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
    let ctx = context();
    let site = ctx.public_url.clone().unwrap_or_else(request_origin);
    let links = backend::demandes::Links {
        demande_page: format!("{site}{}", crate::url::certification_page(siae_id)),
        site,
    };
    outcome(
        backend::demandes::step(
            &ctx.db,
            &ctx.renderer,
            &links,
            &me,
            siae_id,
            demande_id,
            step,
        )
        .await,
    )?;
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

/// The assigned auditor submits their compte-rendu (rendered to PDF, then read-only).
#[server(endpoint = "certification/demande/remettre")]
pub async fn submit_report(siae_id: i64, demande_id: i64) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::SubmitReport,
        "Le compte-rendu est remis à la structure et au responsable qualité fédéral.",
    )
    .await
}

/// The federation opens the submitted report to the certification committee.
/// The SIAE shares its audit blanc's results with its next certification audit.
#[server(endpoint = "certification/audit-blanc/partager")]
pub async fn share_audit_blanc(siae_id: i64, demande_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::demandes::share_audit_blanc(&context().db, &me, siae_id, demande_id).await)?;
    done(
        &crate::url::certification_page(siae_id),
        "L'audit blanc est partagé : ses résultats figureront dans votre prochain audit de certification.",
    );
    Ok(())
}

#[server(endpoint = "certification/demande/ouvrir-au-comite")]
pub async fn open_to_committee(siae_id: i64, demande_id: i64) -> Result<(), AppError> {
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::OpenToCommittee,
        "Le compte-rendu est ouvert au comité de certification.",
    )
    .await
}

/// The committee's decision: `presents` and `abstentions` are checkboxes named
/// `presents[mID]`, `abstentions[mID]` whose value is the member's account.
#[server(endpoint = "certification/demande/decision-comite")]
pub async fn decide_certification(
    siae_id: i64,
    demande_id: i64,
    held_on: String,
    verdict: String,
    #[server(default)] presents: std::collections::BTreeMap<String, i64>,
    #[server(default)] abstentions: std::collections::BTreeMap<String, i64>,
    #[server(default)] reasons: String,
    #[server(default)] conditions: String,
    #[server(default)] conditions_due_on: String,
) -> Result<(), AppError> {
    use super::ssr::{identity, report};
    use domain::validation::FieldErrors;
    identity()?;
    let invalid =
        |field: &str, message: &str| report(AppError::Invalid(FieldErrors::on(field, message)));
    let date = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d");
    let held_on = date(&held_on)
        .map_err(|_| invalid("held_on", "Indiquez la date du comité (jj/mm/aaaa)."))?;
    let verdict = verdict
        .parse()
        .map_err(|_| invalid("verdict", "Choisissez la décision du comité."))?;
    let conditions_due_on = match conditions_due_on.trim() {
        "" => None,
        text => Some(
            date(text).map_err(|_| invalid("conditions_due_on", "Date invalide (jj/mm/aaaa)."))?,
        ),
    };
    let form = backend::committee::DecisionForm {
        verdict,
        held_on,
        present: presents.into_values().collect(),
        abstaining: abstentions.into_values().collect(),
        reasons,
        conditions,
        conditions_due_on,
    };
    step(
        siae_id,
        demande_id,
        backend::demandes::Step::CommitteeDecision { form },
        "La décision du comité est enregistrée.",
    )
    .await
}

/// The committee withdraws the SIAE's certificate, with its reasons.
#[server(endpoint = "certification/certificat/retirer")]
pub async fn withdraw_certificate(siae_id: i64, reasons: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::committee::withdraw(&context().db, &me, siae_id, &reasons).await)?;
    done(
        &crate::url::certification_page(siae_id),
        "Le certificat est retiré : la vérification publique l'indique.",
    );
    Ok(())
}

/// What the public page shows of a certificate's verification code: anyone may ask.
#[server(endpoint = "verification")]
pub async fn verify_certificate(
    code: String,
) -> Result<domain::certification::certificate::Verification, AppError> {
    use super::ssr::*;
    outcome(backend::committee::verify(&context().db, &code).await)
}
