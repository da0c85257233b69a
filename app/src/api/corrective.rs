//! The action plan answering a SIAE's latest audit: corrective actions, their efficacy checks,
//! the liftings.

use crate::error::AppError;
use domain::certification::corrective::ActionPlan;
use leptos::prelude::*;

#[server(endpoint = "certification/actions")]
pub async fn load_action_plan(siae_id: i64) -> Result<ActionPlan, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::corrective::plan(&context().db, &me, siae_id).await)
}

/// What a form's `item` names: `conditions` (the committee's), or a non-conformity's id.
#[cfg(feature = "ssr")]
fn answered(item: &str) -> Option<i64> {
    // Anything else names no non-conformity: the use case answers « not found ».
    (item != "conditions").then(|| item.parse().unwrap_or(0))
}

#[cfg(feature = "ssr")]
fn back(siae_id: i64, message: &str) {
    super::ssr::done(&crate::url::action_plan(siae_id), message);
}

/// The SIAE plans an action answering a non-conformity or the conditions.
#[server(endpoint = "certification/actions/prevoir")]
pub async fn plan_action(
    siae_id: i64,
    item: String,
    description: String,
    root_cause: String,
    #[server(default)] owner_id: Option<i64>,
    due_on: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let draft = domain::certification::corrective::ActionDraft {
        description,
        root_cause,
        owner_id,
        due_on,
    };
    outcome(backend::corrective::add(&context().db, &me, siae_id, answered(&item), &draft).await)?;
    back(siae_id, "L'action corrective est prévue.");
    Ok(())
}

/// The SIAE declares an action done, with its evidence.
#[server(endpoint = "certification/actions/realiser")]
pub async fn declare_action(
    siae_id: i64,
    action_id: i64,
    evidence: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::corrective::declare(&context().db, &me, siae_id, action_id, &evidence).await)?;
    back(
        siae_id,
        "L'action est déclarée réalisée : son efficacité sera vérifiée.",
    );
    Ok(())
}

/// The auditor or the federation checks an action's efficacy (`efficace`: `oui` or `non`).
#[server(endpoint = "certification/actions/verifier")]
pub async fn verify_action(
    siae_id: i64,
    action_id: i64,
    efficace: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
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
        backend::corrective::verify(&context().db, &me, siae_id, action_id, effective, &comment)
            .await,
    )?;
    back(
        siae_id,
        if effective {
            "L'action est close : efficace."
        } else {
            "L'action est reprise par la structure."
        },
    );
    Ok(())
}

/// The auditor or the federation lifts a non-conformity or the conditions.
#[server(endpoint = "certification/actions/lever")]
pub async fn lift_item(siae_id: i64, item: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::corrective::lift(&context().db, &me, siae_id, answered(&item)).await)?;
    back(siae_id, "C'est levé.");
    Ok(())
}
