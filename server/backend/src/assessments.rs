//! Use cases of the self-assessment: reading a SIAE's assessment against its référentiel
//! version, changing it (with its history), evidence documents, the indicative means, and the
//! progress of every SIAE a regional or federal role may see.

use crate::audit::{self, Entry};
use crate::db::{now, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::{parse_code, Identity};
use crate::organisations::{self, DirectoryFilter};
use crate::referentiels;
use domain::assessment::{Assessment, AssessmentDraft, Document, HistoryEntry, MeanCheck};
pub use domain::assessment::{SiaeAssessment, SiaeProgress};
use domain::organisation::{Organisation, OrganisationKind, SiaeType};
use domain::policy::{Action, Target};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::hash_map::Entry as Slot;
use std::collections::HashMap;

/// The SIAE, if the caller may see its assessment. A SIAE the caller may not see is `NotFound`.
async fn siae_for(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    action: Action,
) -> BackendResult<Organisation> {
    let siae = organisations::get(db, by, siae_id).await?;
    if siae.kind != OrganisationKind::Siae {
        return Err(BackendError::NotFound(format!(
            "organisation {siae_id} is not a SIAE"
        )));
    }
    by.require(action, Target::Organisation(siae.org_ref()))?;
    Ok(siae)
}

fn assessment_from_row(row: &AnyRow) -> BackendResult<Assessment> {
    Ok(Assessment {
        requirement_key: row.try_get("requirement_key")?,
        status: parse_code(row.try_get("status")?)?,
        comment: row.try_get("comment")?,
        justification: row.try_get("justification")?,
        responsible: row.try_get("responsible")?,
        target_date: row
            .try_get::<Option<String>, _>("target_date")?
            .and_then(|d| d.parse().ok()),
    })
}

async fn assessments_of(db: &Db, siae_id: i64) -> BackendResult<HashMap<String, Assessment>> {
    let rows = sqlx::query(
        "SELECT requirement_key, status, comment, justification, responsible, target_date FROM assessments WHERE siae_id = $1",
    )
    .bind(siae_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| assessment_from_row(r).map(|a| (a.requirement_key.clone(), a)))
        .collect()
}

pub async fn load(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<SiaeAssessment> {
    let siae = siae_for(db, by, siae_id, Action::ViewAssessment).await?;
    let (version, referentiel) = referentiels::for_siae(db, &siae).await?;
    let changes = referentiels::changes_since_move(db, &siae, &referentiel).await?;
    let documents = documents_of(db, siae_id).await?;
    let mut evidence: HashMap<String, Vec<i64>> = HashMap::new();
    for row in sqlx::query("SELECT requirement_key, document_id FROM assessment_evidence WHERE siae_id = $1 ORDER BY document_id")
        .bind(siae_id)
        .fetch_all(&db.pool)
        .await?
    {
        evidence.entry(row.try_get("requirement_key")?).or_default().push(row.try_get("document_id")?);
    }
    let means = sqlx::query(
        "SELECT section_code, mean, document_id, checked_at, checked_by FROM means_checks WHERE siae_id = $1",
    )
    .bind(siae_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(MeanCheck {
            section_code: r.try_get("section_code")?,
            mean: r.try_get("mean")?,
            document_id: r.try_get("document_id")?,
            checked_at: r.try_get("checked_at")?,
            checked_by: r.try_get("checked_by")?,
        })
    })
    .collect::<BackendResult<Vec<_>>>()?;
    Ok(SiaeAssessment {
        can_edit: by.may_on(Action::EditAssessment, siae.org_ref()),
        assessments: assessments_of(db, siae_id).await?,
        siae,
        version,
        referentiel,
        changes,
        documents,
        evidence,
        means,
    })
}

pub async fn history(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    key: &str,
) -> BackendResult<Vec<HistoryEntry>> {
    siae_for(db, by, siae_id, Action::ViewAssessment).await?;
    let rows = sqlx::query(
        "SELECT changed_at, changed_by, field, before_value, after_value FROM assessment_history \
         WHERE siae_id = $1 AND requirement_key = $2 ORDER BY id DESC",
    )
    .bind(siae_id)
    .bind(key)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                changed_at: r.try_get("changed_at")?,
                changed_by: r.try_get("changed_by")?,
                field: r.try_get("field")?,
                before: r.try_get("before_value")?,
                after: r.try_get("after_value")?,
            })
        })
        .collect()
}

/// Saves one requirement's assessment; every changed field goes to its history and to the audit trail.
pub async fn save(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    key: &str,
    draft: &AssessmentDraft,
) -> BackendResult<()> {
    let siae = siae_for(db, by, siae_id, Action::EditAssessment).await?;
    let (_, referentiel) = referentiels::for_siae(db, &siae).await?;
    if referentiel.find(key).is_none() {
        return Err(BackendError::NotFound(format!(
            "requirement {key} in {}",
            referentiel.code
        )));
    }
    let after = draft
        .validate(key)
        .map_err(BackendError::Invalid)?;
    let mut tx = db.begin().await?;
    let before = sqlx::query(
        "SELECT requirement_key, status, comment, justification, responsible, target_date FROM assessments \
         WHERE siae_id = $1 AND requirement_key = $2",
    )
    .bind(siae_id)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| assessment_from_row(&r))
    .transpose()?
    .unwrap_or_else(|| Assessment { requirement_key: key.to_string(), ..Default::default() });
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
    let now = now();
    sqlx::query("DELETE FROM assessments WHERE siae_id = $1 AND requirement_key = $2")
        .bind(siae_id)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO assessments (siae_id, requirement_key, status, comment, justification, responsible, target_date, \
         updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(siae_id)
    .bind(key)
    .bind(after.status.code())
    .bind(&after.comment)
    .bind(&after.justification)
    .bind(&after.responsible)
    .bind(after.target_date.map(|d| d.to_string()))
    .bind(&now)
    .bind(&by.display_name)
    .execute(&mut *tx)
    .await?;
    for (field, b, a) in &changed {
        sqlx::query(
            "INSERT INTO assessment_history (siae_id, requirement_key, changed_at, changed_by, field, before_value, after_value) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(siae_id)
        .bind(key)
        .bind(&now)
        .bind(&by.display_name)
        .bind(*field)
        .bind(b)
        .bind(a)
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "autoevaluation.modification",
            entity_type: "autoevaluation",
            entity_id: Some(siae_id),
            organisation_id: Some(siae_id),
            summary: format!(
                "Exigence {key} de « {} » : {}",
                siae.name,
                after.status.label()
            ),
            changes: json!(changed
                .iter()
                .map(|(f, b, a)| ((*f).to_string(), json!({ "avant": b, "après": a })))
                .collect::<serde_json::Map<_, _>>()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn documents_of(db: &Db, siae_id: i64) -> BackendResult<Vec<Document>> {
    let rows = sqlx::query(
        "SELECT id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by FROM evidence_documents \
         WHERE siae_id = $1 ORDER BY id",
    )
    .bind(siae_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(document_from_row).collect()
}

fn document_from_row(r: &AnyRow) -> BackendResult<Document> {
    Ok(Document {
        id: r.try_get("id")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at: r.try_get("uploaded_at")?,
        uploaded_by: r.try_get("uploaded_by")?,
    })
}

/// Stores an evidence document after checking it, and links it to `requirement` if given.
pub async fn upload(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    requirement: Option<&str>,
    file_name: &str,
    bytes: &[u8],
) -> BackendResult<i64> {
    let siae = siae_for(db, by, siae_id, Action::EditAssessment).await?;
    let file_type = domain::evidence::check(bytes).map_err(BackendError::invalid)?;
    if let Some(key) = requirement {
        let (_, referentiel) = referentiels::for_siae(db, &siae).await?;
        if referentiel.find(key).is_none() {
            return Err(BackendError::NotFound(format!("requirement {key}")));
        }
    }
    let name = domain::evidence::safe_file_name(file_name);
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut tx = db.begin().await?;
    let row = sqlx::query(
        "INSERT INTO evidence_documents (siae_id, file_name, content_type, size_bytes, sha256, content, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(siae_id)
    .bind(&name)
    .bind(file_type.mime())
    .bind(bytes.len() as i64)
    .bind(&sha256)
    .bind(bytes.to_vec())
    .bind(now())
    .bind(&by.display_name)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    if let Some(key) = requirement {
        insert_link(&mut tx, siae_id, key, id).await?;
    }
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "preuve.depot",
            entity_type: "preuve",
            entity_id: Some(id),
            organisation_id: Some(siae_id),
            summary: format!("Dépôt de « {name} » ({}) pour « {} »", file_type.label(), siae.name),
            changes: json!({ "fichier": name, "taille": bytes.len(), "sha256": sha256, "exigence": requirement }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn document(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    document_id: i64,
) -> BackendResult<(Document, Vec<u8>)> {
    siae_for(db, by, siae_id, Action::ViewAssessment).await?;
    let row = sqlx::query(
        "SELECT id, file_name, content_type, size_bytes, sha256, uploaded_at, uploaded_by, content FROM evidence_documents \
         WHERE id = $1 AND siae_id = $2",
    )
    .bind(document_id)
    .bind(siae_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("document {document_id}")))?;
    Ok((document_from_row(&row)?, row.try_get("content")?))
}

async fn check_document(db: &Db, siae_id: i64, document_id: i64) -> BackendResult<String> {
    let row =
        sqlx::query("SELECT file_name FROM evidence_documents WHERE id = $1 AND siae_id = $2")
            .bind(document_id)
            .bind(siae_id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| BackendError::invalid("Ce document n'appartient pas à la structure."))?;
    Ok(row.try_get("file_name")?)
}

async fn insert_link(
    conn: &mut sqlx::AnyConnection,
    siae_id: i64,
    key: &str,
    document_id: i64,
) -> BackendResult<()> {
    sqlx::query("INSERT INTO assessment_evidence (siae_id, requirement_key, document_id) VALUES ($1, $2, $3)")
        .bind(siae_id)
        .bind(key)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Links (or unlinks) an uploaded document to a requirement.
pub async fn link(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    key: &str,
    document_id: i64,
    linked: bool,
) -> BackendResult<()> {
    let siae = siae_for(db, by, siae_id, Action::EditAssessment).await?;
    let name = check_document(db, siae_id, document_id).await?;
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM assessment_evidence WHERE siae_id = $1 AND requirement_key = $2 AND document_id = $3")
        .bind(siae_id)
        .bind(key)
        .bind(document_id)
        .execute(&mut *tx)
        .await?;
    if linked {
        insert_link(&mut tx, siae_id, key, document_id).await?;
    }
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: if linked {
                "preuve.lien"
            } else {
                "preuve.retrait"
            },
            entity_type: "autoevaluation",
            entity_id: Some(siae_id),
            organisation_id: Some(siae_id),
            summary: format!(
                "« {name} » {} l'exigence {key} de « {} »",
                if linked {
                    "justifie"
                } else {
                    "ne justifie plus"
                },
                siae.name
            ),
            changes: json!({ "exigence": key, "document": document_id, "lie": linked }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    let siae = siae_for(db, by, siae_id, Action::EditAssessment).await?;
    let (_, referentiel) = referentiels::for_siae(db, &siae).await?;
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
        check_document(db, siae_id, id).await?;
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM means_checks WHERE siae_id = $1 AND section_code = $2 AND mean = $3")
        .bind(siae_id)
        .bind(section_code)
        .bind(mean)
        .execute(&mut *tx)
        .await?;
    if checked {
        sqlx::query(
            "INSERT INTO means_checks (siae_id, section_code, mean, document_id, checked_at, checked_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(siae_id)
        .bind(section_code)
        .bind(mean)
        .bind(document_id)
        .bind(now())
        .bind(&by.display_name)
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "moyen.coche",
            entity_type: "autoevaluation",
            entity_id: Some(siae_id),
            organisation_id: Some(siae_id),
            summary: format!(
                "Moyen « {mean} » ({section_code}) {} pour « {} »",
                if checked { "mis en œuvre" } else { "décoché" },
                siae.name
            ),
            changes: json!({ "section": section_code, "moyen": mean, "coche": checked, "document": document_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
        let assessments = assessments_of(db, siae.id).await?;
        let progress = domain::assessment::progress(
            referentiel,
            siae.siae_type.unwrap_or(SiaeType::Ensemblier),
            siae.funded_fte,
            &assessments,
        );
        let overall = domain::assessment::overall(&progress);
        rows.push(SiaeProgress {
            siae,
            version_code: version.code.clone(),
            progress,
            overall,
        });
    }
    Ok(rows)
}
