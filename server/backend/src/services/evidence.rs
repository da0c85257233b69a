//! Evidence documents of a SIAE's self-assessment: upload (checked, hashed, stored in the
//! database), download, and links to the requirements they justify.

use crate::db::{self, evidence::NewDocument, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::assessments::siae_for_change;
use crate::services::organisations::siae_for;
use domain::assessment::Document;
use domain::audit::{AuditEvent, ManualChange};
use domain::policy::Action;
use domain::referentiel::Referentiel;

/// The name of a document of the SIAE; refuses a document of another SIAE.
pub(crate) async fn document_name(
    work: &mut UnitOfWork,
    siae_id: i64,
    document_id: i64,
) -> BackendResult<String> {
    db::evidence::name_of(work, siae_id, document_id)
        .await?
        .ok_or_else(|| {
            BackendError::invalid_field(
                "document_id",
                "Ce document n'appartient pas à la structure.",
            )
        })
}

/// Whether `by` may add evidence to the SIAE: checked before an upload's body is read.
pub async fn authorize_upload(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<()> {
    siae_for(db, by, siae_id, Action::EditAssessment).await?;
    Ok(())
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
    let file_type = domain::evidence::check(bytes)
        .map_err(|message| BackendError::invalid_field("fichier", message.to_string()))?;
    // The name ends with the extension of the type found in the content, not the one given.
    let name = domain::evidence::stored_name(file_name, file_type);
    let sha256 = crate::digest::sha256_hex(bytes);
    let mut work = db.unit_of_work(by).await?;
    let (siae, referentiel) = siae_for_change(&mut work, by, siae_id).await?;
    if let Some(key) = requirement {
        if referentiel.find(key).is_none() {
            return Err(BackendError::NotFound(format!("requirement {key}")));
        }
    }
    let id = db::evidence::insert(
        &mut work,
        NewDocument {
            siae_id,
            file_name: &name,
            content_type: file_type.mime(),
            sha256: &sha256,
            content: bytes,
            uploaded_by: &by.display_name,
        },
    )
    .await?;
    if let Some(key) = requirement {
        db::evidence::set_link(&mut work, siae_id, key, id, true).await?;
    }
    work.commit(AuditEvent::EvidenceUploaded {
        siae_id,
        siae_name: siae.name,
        document_id: id,
        file_name: name,
        file_type: file_type.label().to_string(),
        size_bytes: bytes.len() as i64,
        sha256,
        requirement_key: requirement.map(str::to_string),
    })
    .await?;
    Ok(id)
}

pub async fn document(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    document_id: i64,
) -> BackendResult<(Document, Vec<u8>)> {
    siae_for(db, by, siae_id, Action::ViewAssessment).await?;
    let (mut document, bytes) = db::evidence::with_content(&db.pool, siae_id, document_id).await?;
    // Served as what the content is, whatever was recorded before the type decided the name.
    match domain::evidence::check(&bytes) {
        Ok(file_type) => {
            document.file_name = domain::evidence::stored_name(&document.file_name, file_type);
            document.content_type = file_type.mime().to_string();
        }
        Err(_) => {
            document.file_name = domain::evidence::safe_file_name(&document.file_name);
            document.content_type = "application/octet-stream".to_string();
        }
    }
    Ok((document, bytes))
}

/// Cites (or stops citing) an approved version of a section of the SIAE's manual as evidence
/// for a requirement.
pub async fn cite_version(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    key: &str,
    version_id: i64,
    cited: bool,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, referentiel) = siae_for_change(&mut work, by, siae_id).await?;
    require_requirement(&referentiel, key)?;
    let Some(version) = db::evidence::citable_version(&mut work, siae_id, version_id).await? else {
        return Err(BackendError::invalid_field(
            "version_id",
            "Choisissez une version approuvée d'une section du manuel de la structure.",
        ));
    };
    db::evidence::set_manual_link(&mut work, siae_id, key, version_id, cited).await?;
    work.commit(AuditEvent::ManualSection {
        siae_id,
        siae_name: siae.name,
        section_id: version.section_id,
        title: version.title,
        change: ManualChange::CitedAsEvidence {
            version_id,
            number: version.number,
            requirement_key: key.to_string(),
            cited,
        },
    })
    .await
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
    let mut work = db.unit_of_work(by).await?;
    let (siae, referentiel) = siae_for_change(&mut work, by, siae_id).await?;
    require_requirement(&referentiel, key)?;
    let file_name = document_name(&mut work, siae_id, document_id).await?;
    db::evidence::set_link(&mut work, siae_id, key, document_id, linked).await?;
    work.commit(AuditEvent::EvidenceLinked {
        siae_id,
        siae_name: siae.name,
        document_id,
        file_name,
        requirement_key: key.to_string(),
        linked,
    })
    .await
}

fn require_requirement(referentiel: &Referentiel, key: &str) -> BackendResult<()> {
    match referentiel.find(key) {
        Some(_) => Ok(()),
        None => Err(BackendError::NotFound(format!(
            "requirement {key} in {}",
            referentiel.code
        ))),
    }
}
