//! The action plans answering a SIAE's latest audits: corrective actions, their efficacy
//! checks, the liftings. `kind` names the audit (`audit_blanc`, or the certification audit when
//! absent).

use crate::error::AppError;
use domain::certification::corrective::ActionPlan;
#[cfg(feature = "ssr")]
use domain::certification::demande::DemandeKind;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The audit a form's `kind` names; an unknown one names no plan.
#[cfg(feature = "ssr")]
fn audit_kind(kind: Option<String>) -> Result<DemandeKind, AppError> {
    match kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(DemandeKind::Certification),
        Some(code) => DemandeKind::from_code(code).ok_or(AppError::NotFound),
    }
}

#[server(endpoint = "certification/actions")]
pub async fn load_action_plan(
    siae_id: i64,
    #[server(default)] kind: Option<String>,
) -> Result<ActionPlan, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let kind = audit_kind(kind)?;
    outcome(backend::corrective::plan(&context().db, &me, siae_id, kind).await)
}

/// What a form's `item` names: `conditions` (the committee's), or a finding's id.
#[cfg(feature = "ssr")]
fn answered(item: &str) -> Option<i64> {
    // Anything else names no finding: the use case answers « not found ».
    (item != "conditions").then(|| item.parse().unwrap_or(0))
}

#[cfg(feature = "ssr")]
fn back(siae_id: i64, kind: DemandeKind, message: &str) {
    super::ssr::done(&crate::url::action_plan(siae_id, kind), message);
}

/// The SIAE plans an action answering a finding or the conditions.
#[server(endpoint = "certification/actions/prevoir")]
pub async fn plan_action(
    siae_id: i64,
    #[server(default)] kind: Option<String>,
    item: String,
    description: String,
    root_cause: String,
    #[server(default)] owner_id: Option<i64>,
    due_on: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let kind = audit_kind(kind)?;
    let draft = domain::certification::corrective::ActionDraft {
        description,
        root_cause,
        owner_id,
        due_on,
    };
    outcome(
        backend::corrective::add(&context().db, &me, siae_id, kind, answered(&item), &draft).await,
    )?;
    back(siae_id, kind, "L'action corrective est prévue.");
    Ok(())
}

/// The SIAE draws the plan of its audit blanc in one step: `champs` holds, for each finding,
/// the action (`a{id}`), its cause (`c{id}`) and its deadline (`e{id}`).
#[server(endpoint = "certification/audit-blanc/plan")]
pub async fn adopt_audit_blanc(
    siae_id: i64,
    #[server(default)] owner_id: Option<i64>,
    #[server(default)] champs: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let draft = domain::certification::corrective::AdoptionDraft { owner_id, champs };
    let count = outcome(backend::corrective::adopt(&context().db, &me, siae_id, &draft).await)?;
    back(
        siae_id,
        DemandeKind::AuditBlanc,
        &format!(
            "Le plan d'actions de l'audit blanc est établi : {count} action{}.",
            if count > 1 { "s" } else { "" }
        ),
    );
    Ok(())
}

/// The SIAE declares an action done, with its evidence.
#[server(endpoint = "certification/actions/realiser")]
pub async fn declare_action(
    siae_id: i64,
    #[server(default)] kind: Option<String>,
    action_id: i64,
    evidence: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let kind = audit_kind(kind)?;
    outcome(
        backend::corrective::declare(&context().db, &me, siae_id, kind, action_id, &evidence).await,
    )?;
    back(
        siae_id,
        kind,
        "L'action est déclarée réalisée : son efficacité sera vérifiée.",
    );
    Ok(())
}

/// The auditor or the federation (the SIAE, on its audit blanc's plan) checks an action's
/// efficacy (`efficace`: `oui` or `non`).
#[server(endpoint = "certification/actions/verifier")]
pub async fn verify_action(
    siae_id: i64,
    #[server(default)] kind: Option<String>,
    action_id: i64,
    efficace: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let kind = audit_kind(kind)?;
    let effective = match efficace.as_str() {
        "oui" => true,
        "non" => false,
        _ => {
            return Err(report(AppError::Invalid(
                domain::validation::FieldErrors::on("efficace", "Dites si l'action est efficace."),
            )))
        }
    };
    outcome(
        backend::corrective::verify(
            &context().db,
            &me,
            siae_id,
            kind,
            action_id,
            effective,
            &comment,
        )
        .await,
    )?;
    back(
        siae_id,
        kind,
        if effective {
            "L'action est close : efficace."
        } else {
            "L'action est reprise par la structure."
        },
    );
    Ok(())
}

/// The auditor or the federation (the SIAE, on its audit blanc's plan) lifts a non-conformity
/// or the conditions.
#[server(endpoint = "certification/actions/lever")]
pub async fn lift_item(
    siae_id: i64,
    #[server(default)] kind: Option<String>,
    item: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let kind = audit_kind(kind)?;
    outcome(backend::corrective::lift(&context().db, &me, siae_id, kind, answered(&item)).await)?;
    back(siae_id, kind, "C'est levé.");
    Ok(())
}
