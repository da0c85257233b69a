//! Use cases of the self-assessment: reading a SIAE's assessment against its référentiel
//! version, changing it (with its history), the indicative means, and the progress of every SIAE
//! a regional or federal role may see.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::organisations::{self, siae_for, DirectoryFilter};
use crate::services::referentiels;
use domain::assessment::{Assessment, AssessmentDraft, HistoryEntry};
pub use domain::assessment::{SiaeAssessment, SiaeProgress};
use domain::audit::{AuditEvent, FieldChange};
use domain::organisation::{Organisation, OrganisationKind, SiaeType};
use domain::policy::Action;
use domain::referentiel::Referentiel;
use std::collections::hash_map::Entry as Slot;
use std::collections::HashMap;

/// The SIAE and its référentiel, read and locked inside a change of its assessment.
pub(crate) async fn siae_for_change(
    work: &mut UnitOfWork,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<(Organisation, Referentiel)> {
    let siae = organisations::siae_for_change(work, by, siae_id, Action::EditAssessment).await?;
    let (_, referentiel) = referentiels::for_siae_in(work, &siae).await?;
    Ok((siae, referentiel))
}

pub async fn load(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<SiaeAssessment> {
    let siae = siae_for(db, by, siae_id, Action::ViewAssessment).await?;
    let (version, referentiel) = referentiels::for_siae(db, &siae).await?;
    let changes = referentiels::changes_since_move(db, &siae, &referentiel).await?;
    let can_read_manual = by.may_on(Action::ViewManual, siae.org_ref());
    let can_edit = by.may_on(Action::EditAssessment, siae.org_ref());
    let mut conn = db.pool.acquire().await?;
    let manual = if can_read_manual {
        db::manual::answering_in_force(&mut conn, siae_id).await?
    } else {
        Default::default()
    };
    let citable_versions = if can_edit {
        db::evidence::citable_versions(&mut conn, siae_id).await?
    } else {
        Vec::new()
    };
    Ok(SiaeAssessment {
        manual,
        manual_evidence: db::evidence::manual_links(&mut conn, siae_id).await?,
        citable_versions,
        can_read_manual,
        can_edit,
        assessments: db::assessments::of_siae(&db.pool, siae_id).await?,
        documents: db::evidence::of_siae(&db.pool, siae_id).await?,
        evidence: db::evidence::links(&db.pool, siae_id).await?,
        means: db::assessments::means(&db.pool, siae_id).await?,
        siae,
        version,
        referentiel,
        changes,
    })
}

pub async fn history(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    key: &str,
) -> BackendResult<Vec<HistoryEntry>> {
    siae_for(db, by, siae_id, Action::ViewAssessment).await?;
    db::assessments::history(&db.pool, siae_id, key).await
}

/// Saves one requirement's assessment; every changed field goes to its history and to the audit trail.
pub async fn save(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    key: &str,
    draft: &AssessmentDraft,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, referentiel) = siae_for_change(&mut work, by, siae_id).await?;
    if referentiel.find(key).is_none() {
        return Err(BackendError::NotFound(format!(
            "requirement {key} in {}",
            referentiel.code
        )));
    }
    let after = draft.validate(key)?;
    let before = db::assessments::find(&mut work, siae_id, key)
        .await?
        .unwrap_or_else(|| Assessment {
            requirement_key: key.to_string(),
            ..Default::default()
        });
    let changed: Vec<(&str, String, String)> = before
        .fields()
        .into_iter()
        .zip(after.fields())
        .filter(|((_, b), (_, a))| b != a)
        .map(|((name, b), (_, a))| (name, b, a))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    db::assessments::save(&mut work, siae_id, &after, &by.display_name, &changed).await?;
    work.commit(AuditEvent::AssessmentSaved {
        siae_id,
        siae_name: siae.name,
        requirement_key: key.to_string(),
        status: after.status,
        changes: changed
            .into_iter()
            .map(|(field, before, after)| FieldChange {
                field: field.to_string(),
                before,
                after,
            })
            .collect(),
    })
    .await
}

/// Ticks or unticks an indicative mean of a section, with the document that shows it.
pub async fn set_mean(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    section_code: &str,
    mean: &str,
    checked: bool,
    document_id: Option<i64>,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, referentiel) = siae_for_change(&mut work, by, siae_id).await?;
    let known = referentiel
        .sections
        .iter()
        .any(|s| s.code == section_code && s.means.iter().any(|m| m == mean));
    if !known {
        return Err(BackendError::invalid(
            "Ce moyen ne figure pas dans le référentiel de la structure.",
        ));
    }
    if let Some(id) = document_id {
        crate::services::evidence::document_name(&mut work, siae_id, id).await?;
    }
    db::assessments::set_mean(
        &mut work,
        siae_id,
        section_code,
        mean,
        checked.then_some((document_id, by.display_name.as_str())),
    )
    .await?;
    work.commit(AuditEvent::MeanChecked {
        siae_id,
        siae_name: siae.name,
        section_code: section_code.to_string(),
        mean: mean.to_string(),
        checked,
        document_id,
    })
    .await
}

/// The progress of every SIAE whose assessment the caller may read.
pub async fn overview(
    db: &Db,
    by: &Identity,
    filter: &DirectoryFilter,
) -> BackendResult<Vec<SiaeProgress>> {
    let filter = DirectoryFilter {
        kind: Some(OrganisationKind::Siae),
        ..filter.clone()
    };
    let mut rows = Vec::new();
    let mut versions = HashMap::new();
    let rules = db::programme::in_force(&mut *db.pool.acquire().await?)
        .await?
        .rules;
    for siae in organisations::directory(db, by, &filter).await? {
        if !siae.active || !by.may_on(Action::ViewAssessment, siae.org_ref()) {
            continue;
        }
        // Most SIAE share a version: each is loaded and parsed once per overview.
        let version_id = referentiels::version_id_for(db, &siae).await?;
        if let Slot::Vacant(slot) = versions.entry(version_id) {
            slot.insert(referentiels::get(db, version_id).await?);
        }
        let (version, referentiel) = &versions[&version_id];
        let assessments = db::assessments::of_siae(&db.pool, siae.id).await?;
        let progress = domain::assessment::progress(
            referentiel,
            siae.siae_type.unwrap_or(SiaeType::Ensemblier),
            siae.funded_fte,
            &assessments,
        );
        let overall = domain::assessment::overall(&progress);
        let certification = if by.may_on(Action::ViewDemande, siae.org_ref()) {
            Some(db::certificates::glance(&mut *db.pool.acquire().await?, siae.id, &rules).await?)
        } else {
            None
        };
        rows.push(SiaeProgress {
            siae,
            version_code: version.code.clone(),
            progress,
            overall,
            certification,
        });
    }
    Ok(rows)
}
