//! The external audit's grid: the auditor's appreciations, findings and summary; the report's
//! readers read it (each reading recorded by the use case).

use crate::error::AppError;
use domain::certification::audit::AuditGrid;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[server(endpoint = "certification/audit")]
pub async fn load_audit(siae_id: i64) -> Result<AuditGrid, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::audits::grid(&context().db, &me, siae_id).await)
}

#[cfg(feature = "ssr")]
fn saved(siae_id: i64, anchor: &str, message: &str) {
    super::ssr::done(
        &format!("{}#{anchor}", crate::url::audit_page(siae_id)),
        message,
    );
}

/// The auditor's appreciation of a requirement: `status` is a code of the assessment scale.
#[server(endpoint = "certification/audit/apprecier")]
pub async fn appreciate(
    siae_id: i64,
    requirement_key: String,
    status: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let db = &context().db;
    outcome(
        backend::audits::appreciate(db, &me, siae_id, &requirement_key, &status, &comment).await,
    )?;
    saved(
        siae_id,
        &crate::url::anchor(&requirement_key),
        "L'appréciation est enregistrée.",
    );
    Ok(())
}

/// A finding; `preuves` are checkboxes named `preuves[dID]` whose value is a document of the
/// audited dossier.
#[server(endpoint = "certification/audit/constat")]
pub async fn add_finding(
    siae_id: i64,
    requirement_key: String,
    kind: String,
    text: String,
    #[server(default)] preuves: BTreeMap<String, i64>,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let evidence: Vec<i64> = preuves.into_values().collect();
    let db = &context().db;
    outcome(
        backend::audits::add_finding(db, &me, siae_id, &requirement_key, &kind, &text, &evidence)
            .await,
    )?;
    saved(
        siae_id,
        &crate::url::anchor(&requirement_key),
        "Le constat est ajouté.",
    );
    Ok(())
}

#[server(endpoint = "certification/audit/constat/retirer")]
pub async fn remove_finding(
    siae_id: i64,
    finding_id: i64,
    #[server(default)] requirement_key: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::audits::remove_finding(&context().db, &me, siae_id, finding_id).await)?;
    saved(
        siae_id,
        &crate::url::anchor(&requirement_key),
        "Le constat est retiré.",
    );
    Ok(())
}

#[server(endpoint = "certification/audit/synthese")]
pub async fn save_summary(siae_id: i64, summary: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::audits::save_summary(&context().db, &me, siae_id, &summary).await)?;
    saved(siae_id, "synthese", "La synthèse est enregistrée.");
    Ok(())
}

/// What a grid filled offline would change, or every line that prevents it.
#[server(endpoint = "certification/audit/import")]
pub async fn load_grid_import(
    siae_id: i64,
    upload_id: i64,
) -> Result<domain::certification::offline::ImportPreview, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::audits::import_preview(&context().db, &me, siae_id, upload_id).await)
}

/// Applies a grid filled offline: all its changes, or none.
#[server(endpoint = "certification/audit/import/appliquer")]
pub async fn apply_grid_import(siae_id: i64, upload_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::audits::apply_import(&context().db, &me, siae_id, upload_id).await)?;
    saved(
        siae_id,
        "hors-ligne",
        "La grille remplie hors ligne est appliquée.",
    );
    Ok(())
}
