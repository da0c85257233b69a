//! Use cases of the external audit: the snapshot of what the auditor sees (taken when they
//! declare they have no conflict), the audit grid (each requirement's frozen self-assessment and
//! evidence, the previous audit's result, the auditor's appreciation and findings), the
//! compte-rendu (its summary, then its PDF when the auditor submits it — a step of the demande,
//! see `services::demandes`), and the files of the audit for those who may read them, every
//! reading of the report recorded.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::pdf::{RenderJob, Renderer, Template};
use domain::assessment::{Document, Status};
use domain::audit::{AuditEvent, AuditWorkChange};
use domain::certification::audit::{
    AuditFile, AuditGrid, AuditReader, AuditSnapshot, FindingKind, FrozenAssessment,
    FrozenDocument, GridLine,
};
use domain::certification::demande::{DemandeKind, DemandeState};
use domain::certification::view::Demande;
use domain::organisation::{Organisation, OrganisationKind};
use domain::policy::{Action, Target};
use serde_json::{json, Value};
use sqlx::AnyConnection;

pub const MAX_SUMMARY_CHARS: usize = 20_000;

/// What the auditor will see, as it is now: the demande's edition, the self-assessment and the
/// evidence linked to it (read before the change that keeps it, as the demande's submission
/// reads the self-assessment).
pub async fn snapshot_now(db: &Db, siae_id: i64, edition_id: i64) -> BackendResult<AuditSnapshot> {
    let assessments = db::assessments::of_siae(&db.pool, siae_id).await?;
    let links = db::evidence::links(&db.pool, siae_id).await?;
    let documents: Vec<Document> = db::evidence::of_siae(&db.pool, siae_id).await?;
    let mut conn = db.pool.acquire().await?;
    let (edition, _, _) = db::editions::find(&mut conn, siae_id, edition_id).await?;
    let documents = documents
        .into_iter()
        .filter_map(|d| {
            let mut requirements: Vec<String> = links
                .iter()
                .filter(|(_, ids)| ids.contains(&d.id))
                .map(|(key, _)| key.clone())
                .collect();
            requirements.sort();
            (!requirements.is_empty()).then_some(FrozenDocument {
                document_id: d.id,
                file_name: d.file_name,
                size_bytes: d.size_bytes,
                sha256: d.sha256,
                requirements,
            })
        })
        .collect();
    Ok(AuditSnapshot {
        taken_at: chrono::Utc::now(),
        edition_id,
        edition_number: edition.number,
        edition_sha256: edition.pdf_sha256,
        assessment: assessments
            .into_iter()
            .map(|(key, a)| {
                let frozen = FrozenAssessment {
                    status: a.status,
                    comment: a.comment,
                };
                (key, frozen)
            })
            .collect(),
        documents,
    })
}

/// The SIAE `siae_id` and its latest audited demande.
pub(crate) async fn audited(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<(Organisation, Demande)> {
    let siae = audited_siae(conn, siae_id).await?;
    let demande = db::demandes::latest_audited(conn, siae_id)
        .await?
        .ok_or_else(|| not_audited(siae_id))?;
    Ok((siae, demande))
}

/// The SIAE and its latest demande of `kind` whose audit started.
pub(crate) async fn audited_of(
    conn: &mut AnyConnection,
    siae_id: i64,
    kind: DemandeKind,
) -> BackendResult<(Organisation, Demande)> {
    let siae = audited_siae(conn, siae_id).await?;
    let demande = db::demandes::latest_audited_of(conn, siae_id, kind)
        .await?
        .ok_or_else(|| not_audited(siae_id))?;
    Ok((siae, demande))
}

fn not_audited(siae_id: i64) -> BackendError {
    BackendError::NotFound(format!("audit of {siae_id}"))
}

async fn audited_siae(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Organisation> {
    match db::organisations::find(conn, siae_id).await {
        Ok(siae) if siae.kind == OrganisationKind::Siae => Ok(siae),
        _ => Err(not_audited(siae_id)),
    }
}

/// The audit of `demande` as its readers' rule sees it.
pub(crate) async fn file_of(
    conn: &mut AnyConnection,
    demande: &Demande,
) -> BackendResult<AuditFile> {
    Ok(AuditFile {
        kind: demande.kind,
        state: demande.state,
        auditor_id: demande.auditor_id,
        funder_id: db::costs::funder_of(conn, demande.id).await?,
    })
}

/// Why the caller reads the audit of `siae`; a refusal otherwise (403 to those who follow the
/// demande, 404 to anyone else, as for an audit that does not exist).
pub(crate) async fn reader(
    conn: &mut AnyConnection,
    by: &Identity,
    siae: &Organisation,
    demande: &Demande,
) -> BackendResult<AuditReader> {
    let file = file_of(conn, demande).await?;
    AuditReader::of(&by.actor, siae.org_ref(), file).ok_or_else(|| {
        if by.may_on(Action::ViewDemande, siae.org_ref()) {
            BackendError::Forbidden {
                action: Action::ReadAuditReport,
                account_id: by.account_id,
            }
        } else {
            BackendError::NotFound(format!("audit of {}", siae.id))
        }
    })
}

/// The audit grid, for its auditor or a reader of its report (each reading recorded).
pub async fn grid(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<AuditGrid> {
    let mut conn = db.pool.acquire().await?;
    let (siae, demande) = audited(&mut conn, siae_id).await?;
    let reader = reader(&mut conn, by, &siae, &demande).await?;
    if reader != AuditReader::Auditor {
        db::audits::add_reading(
            &mut conn,
            demande.id,
            (by.account_id, &by.display_name),
            "page",
        )
        .await?;
    }
    // The SIAE's own people see its audits blancs beside the real audit, shared or not.
    let own_siae = reader == AuditReader::Recipient
        && by.memberships.iter().any(|m| m.organisation_id == siae.id);
    let mut grid = build_grid(&mut conn, &siae, &demande, reader, own_siae).await?;
    if by.may_on(Action::AssignAuditor, siae.org_ref()) {
        grid.readings = Some(db::audits::readings(&mut conn, demande.id).await?);
        grid.can_open_to_committee = demande.state == DemandeState::RapportRemis
            && demande.kind == DemandeKind::Certification;
    }
    Ok(grid)
}

async fn build_grid(
    conn: &mut AnyConnection,
    siae: &Organisation,
    demande: &Demande,
    reader: AuditReader,
    with_unshared_audits_blancs: bool,
) -> BackendResult<AuditGrid> {
    let (snapshot, _) = db::audits::snapshot(conn, demande.id)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("snapshot of demande {}", demande.id)))?;
    let (_, referentiel) = crate::services::referentiels::for_siae_in(conn, siae).await?;
    let mut results = db::audits::results(conn, demande.id).await?;
    // An audit blanc is read by its funder too, who does not read the certification audits.
    let previous = match demande.kind {
        DemandeKind::Certification => {
            db::audits::previous_results(conn, siae.id, demande.id, with_unshared_audits_blancs)
                .await?
        }
        DemandeKind::AuditBlanc => Default::default(),
    };
    let lines = referentiel
        .requirements()
        .map(|(section, requirement)| {
            let key = requirement.key(section);
            GridLine {
                title: requirement.text.clone(),
                section: format!("{} — {}", section.code, section.title),
                frozen: snapshot.assessment.get(&key).cloned(),
                documents: snapshot.documents_of(&key).cloned().collect(),
                previous: previous.get(&key).cloned(),
                result: results.remove(&key).unwrap_or_default(),
                key,
            }
        })
        .collect();
    let report = db::audits::report(conn, demande.id).await?;
    let auditor_name = match demande.auditor_id {
        Some(id) => db::accounts::find(conn, id).await?.display_name,
        None => String::new(),
    };
    Ok(AuditGrid {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        demande_id: demande.id,
        state: demande.state,
        auditor_name,
        audit_dates: demande.audit_dates,
        snapshot,
        lines,
        summary: report
            .as_ref()
            .map(|r| r.summary.clone())
            .unwrap_or_default(),
        submitted_at: report.and_then(|r| r.submitted_at),
        reader,
        editable: reader == AuditReader::Auditor && demande.state == DemandeState::AuditEnCours,
        readings: None,
        can_open_to_committee: false,
    })
}

/// The SIAE and its demande under audit by the caller, locked for a change.
async fn auditing(
    work: &mut UnitOfWork,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<(Organisation, Demande)> {
    by.require(Action::ConductAudit, Target::Global)?;
    let (siae, demande) = audited(work, siae_id).await?;
    if demande.auditor_id != Some(by.account_id) {
        return Err(BackendError::NotFound(format!("audit of {siae_id}")));
    }
    work.lock_row("demandes", demande.id).await?;
    let demande = db::demandes::find(work, demande.id).await?;
    if demande.state != DemandeState::AuditEnCours {
        return Err(BackendError::invalid(
            "Le compte-rendu est remis : l'audit ne se modifie plus.",
        ));
    }
    Ok((siae, demande))
}

fn work_event(siae: &Organisation, demande: &Demande, change: AuditWorkChange) -> AuditEvent {
    AuditEvent::AuditWork {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        demande_id: demande.id,
        change,
    }
}

fn checked(field: &'static str, text: &str, limit: usize) -> BackendResult<String> {
    super::bounded_text(field, text, "Le texte", limit)
}

/// The auditor's appreciation of a requirement (`status`: a code of the assessment scale).
pub async fn appreciate(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    requirement_key: &str,
    status: &str,
    comment: &str,
) -> BackendResult<()> {
    let comment = checked(
        "comment",
        comment,
        crate::services::demandes::MAX_TEXT_CHARS,
    )?;
    let status: Status = status
        .parse()
        .ok()
        .filter(|s| *s != Status::NonEvalue)
        .ok_or_else(|| BackendError::invalid_field("status", "Choisissez une appréciation."))?;
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande) = auditing(&mut work, by, siae_id).await?;
    known_requirement(&mut work, &siae, requirement_key).await?;
    db::audits::set_result(
        &mut work,
        demande.id,
        requirement_key,
        status,
        &comment,
        by.account_id,
    )
    .await?;
    let change = AuditWorkChange::Appreciation {
        requirement_key: requirement_key.to_string(),
        status,
    };
    work.commit(work_event(&siae, &demande, change)).await
}

async fn known_requirement(
    conn: &mut AnyConnection,
    siae: &Organisation,
    key: &str,
) -> BackendResult<()> {
    let (_, referentiel) = crate::services::referentiels::for_siae_in(conn, siae).await?;
    referentiel
        .find(key)
        .map(|_| ())
        .ok_or_else(|| BackendError::NotFound(format!("requirement {key}")))
}

/// A finding on a requirement, citing documents of the audit's snapshot.
pub async fn add_finding(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    requirement_key: &str,
    kind: &str,
    text: &str,
    evidence: &[i64],
) -> BackendResult<()> {
    let kind: FindingKind = kind
        .parse()
        .map_err(|_| BackendError::invalid_field("kind", "Choisissez le type de constat."))?;
    let text = checked("text", text, crate::services::demandes::MAX_TEXT_CHARS)?;
    if text.is_empty() {
        return Err(BackendError::invalid_field("text", "Décrivez le constat."));
    }
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande) = auditing(&mut work, by, siae_id).await?;
    known_requirement(&mut work, &siae, requirement_key).await?;
    let (snapshot, _) = db::audits::snapshot(&mut work, demande.id)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("snapshot of {}", demande.id)))?;
    if let Some(unknown) = evidence
        .iter()
        .find(|id| !snapshot.documents.iter().any(|d| d.document_id == **id))
    {
        return Err(BackendError::invalid_field(
            "evidence",
            format!("La pièce {unknown} n'est pas dans le dossier audité."),
        ));
    }
    db::audits::add_finding(
        &mut work,
        &db::audits::NewFinding {
            demande_id: demande.id,
            requirement_key,
            kind,
            text: &text,
            evidence,
            by: by.account_id,
        },
    )
    .await?;
    let change = AuditWorkChange::FindingAdded {
        requirement_key: requirement_key.to_string(),
        kind,
    };
    work.commit(work_event(&siae, &demande, change)).await
}

pub async fn remove_finding(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    finding_id: i64,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande) = auditing(&mut work, by, siae_id).await?;
    let removed = db::audits::remove_finding(&mut work, demande.id, finding_id)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("finding {finding_id}")))?;
    let change = AuditWorkChange::FindingRemoved {
        requirement_key: removed.requirement_key,
        kind: removed.kind,
    };
    work.commit(work_event(&siae, &demande, change)).await
}

pub async fn save_summary(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    summary: &str,
) -> BackendResult<()> {
    let summary = checked("summary", summary, MAX_SUMMARY_CHARS)?;
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande) = auditing(&mut work, by, siae_id).await?;
    db::audits::save_summary(&mut work, demande.id, &summary).await?;
    work.commit(work_event(&siae, &demande, AuditWorkChange::SummarySaved))
        .await
}

/// What a submission needs to know, read in the change that submits: the requirements with no
/// appreciation yet, and the summary.
pub(crate) async fn submission(
    conn: &mut AnyConnection,
    siae: &Organisation,
    demande: &Demande,
) -> BackendResult<(Vec<String>, String)> {
    let grid = build_grid(conn, siae, demande, AuditReader::Auditor, false).await?;
    let unassessed = grid
        .lines
        .iter()
        .filter(|l| l.result.status == Status::NonEvalue)
        .map(|l| l.key.clone())
        .collect();
    Ok((unassessed, grid.summary))
}

/// Renders the compte-rendu as it stands in the change `work`, and keeps it as submitted.
pub(crate) async fn submit_report(
    work: &mut UnitOfWork,
    renderer: &Renderer,
    siae: &Organisation,
    demande: &Demande,
) -> BackendResult<()> {
    let mut grid = build_grid(work, siae, demande, AuditReader::Auditor, false).await?;
    let (_, snapshot_sha256) = db::audits::snapshot(work, demande.id)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("snapshot of {}", demande.id)))?;
    let today = domain::time::today();
    grid.submitted_at = Some(chrono::Utc::now());
    let region = match siae.region_id {
        Some(id) => db::organisations::find(work, id).await?.name,
        None => String::new(),
    };
    let data = report_data(&grid, &region, &snapshot_sha256, today);
    let job = RenderJob {
        template: Template::AuditReport,
        date: today,
        data: data.clone(),
        images: Vec::new(),
    };
    let renderer = renderer.clone();
    let pdf = tokio::task::spawn_blocking(move || renderer.render(job))
        .await
        .map_err(|e| BackendError::Internal(format!("report rendering: {e}")))??;
    db::audits::submit(work, demande.id, &pdf, &data.to_string()).await
}

fn report_data(
    grid: &AuditGrid,
    region: &str,
    snapshot_sha256: &str,
    today: chrono::NaiveDate,
) -> Value {
    let date = domain::time::display_date;
    let documents_by_id = |ids: &[i64]| -> Vec<String> {
        ids.iter()
            .filter_map(|id| {
                grid.snapshot
                    .documents
                    .iter()
                    .find(|d| d.document_id == *id)
            })
            .map(|d| format!("{} ({})", d.file_name, &d.sha256[..d.sha256.len().min(12)]))
            .collect()
    };
    let lines: Vec<Value> = grid
        .lines
        .iter()
        .map(|l| {
            json!({
                "cle": l.key,
                "titre": l.title,
                "section": l.section,
                "autoevaluation": l.frozen.as_ref().map(|f| f.status.label()).unwrap_or(Status::NonEvalue.label()),
                "precedent": l.previous.as_ref().map(|p| p.status.label()).unwrap_or("aucun"),
                "appreciation": l.result.status.label(),
                "commentaire": l.result.comment,
                "constats": l.result.findings.iter().map(|f| json!({
                    "type": f.kind.label(),
                    "majeure": f.kind == FindingKind::NonConformiteMajeure,
                    "texte": f.text,
                    "preuves": documents_by_id(&f.evidence),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "structure": { "nom": grid.siae_name, "region": region },
        "auditeur": grid.auditor_name,
        "dates": grid.audit_dates.map(|(s, e)| format!("du {} au {}", date(s), date(e))).unwrap_or_default(),
        "date": date(today),
        "edition": { "numero": grid.snapshot.edition_number, "sha256": grid.snapshot.edition_sha256 },
        "instantane": {
            "date": domain::time::display_datetime(grid.snapshot.taken_at),
            "sha256": snapshot_sha256,
        },
        "synthese": grid.summary,
        "bilan": grid.counts().into_iter().map(|(kind, n)| json!({ "libelle": kind.label(), "nombre": n })).collect::<Vec<_>>(),
        "exigences": lines,
        "documents": grid.snapshot.documents.iter().map(|d| json!({
            "nom": d.file_name,
            "taille": format!("{} Ko", (d.size_bytes + 1023) / 1024),
            "sha256": d.sha256,
        })).collect::<Vec<_>>(),
    })
}

/// The submitted report's PDF, for a reader of the audit; the reading is recorded.
pub async fn report_pdf(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<(String, Vec<u8>)> {
    let mut conn = db.pool.acquire().await?;
    let (siae, demande) = audited(&mut conn, siae_id).await?;
    let reader = reader(&mut conn, by, &siae, &demande).await?;
    let pdf = db::audits::report_pdf(&mut conn, demande.id).await?;
    if reader != AuditReader::Auditor {
        db::audits::add_reading(
            &mut conn,
            demande.id,
            (by.account_id, &by.display_name),
            "pdf",
        )
        .await?;
    }
    Ok((format!("compte-rendu-audit-{}.pdf", demande.id), pdf))
}

/// A file of the audited dossier — the frozen edition's PDF (`None`) or an evidence document —
/// for a reader of the audit: byte for byte what was frozen, checked against its SHA-256.
pub async fn dossier_file(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    document_id: Option<i64>,
) -> BackendResult<(String, String, Vec<u8>)> {
    let mut conn = db.pool.acquire().await?;
    let (siae, demande) = audited(&mut conn, siae_id).await?;
    reader(&mut conn, by, &siae, &demande).await?;
    let (snapshot, _) = db::audits::snapshot(&mut conn, demande.id)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("snapshot of {}", demande.id)))?;
    let (name, content_type, bytes, sha256) = match document_id {
        None => {
            let (edition, pdf, _) =
                db::editions::find(&mut conn, siae_id, snapshot.edition_id).await?;
            let name = format!("manuel-qualite-edition-{}.pdf", edition.number);
            (
                name,
                "application/pdf".to_string(),
                pdf,
                snapshot.edition_sha256,
            )
        }
        Some(id) => {
            let frozen = snapshot
                .documents
                .iter()
                .find(|d| d.document_id == id)
                .ok_or_else(|| BackendError::NotFound(format!("document {id} of the audit")))?;
            drop(conn);
            let (document, bytes) = db::evidence::with_content(&db.pool, siae_id, id).await?;
            (
                document.file_name,
                document.content_type,
                bytes,
                frozen.sha256.clone(),
            )
        }
    };
    if crate::digest::sha256_hex(&bytes) != sha256 {
        return Err(BackendError::Internal(format!(
            "the file {name} of the audit of {siae_id} no longer matches its SHA-256"
        )));
    }
    Ok((name, content_type, bytes))
}

/// For the demande's timeline: the step that started the audit names the snapshot.
pub(crate) fn frozen_comment(snapshot: &AuditSnapshot, sha256: &str) -> String {
    format!(
        "Déclaration sur l'honneur : aucun conflit d'intérêts avec la structure. Dossier audité figé : édition {} du manuel, auto-évaluation, {} pièce(s) (SHA-256 {}).",
        snapshot.edition_number,
        snapshot.documents.len(),
        &sha256[..16]
    )
}

/// The most a filled grid may weigh.
pub const MAX_GRID_BYTES: usize = 1024 * 1024;

/// The caller's audit in progress, without locking it: for what only reads it or adds an upload.
async fn own_audit(
    conn: &mut AnyConnection,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<(Organisation, Demande)> {
    by.require(Action::ConductAudit, Target::Global)?;
    let (siae, demande) = audited(conn, siae_id).await?;
    if demande.auditor_id != Some(by.account_id) {
        return Err(BackendError::NotFound(format!("audit of {siae_id}")));
    }
    if demande.state != DemandeState::AuditEnCours {
        return Err(BackendError::invalid(
            "Le compte-rendu est remis : l'audit ne se modifie plus.",
        ));
    }
    Ok((siae, demande))
}

/// The grid to fill offline, as CSV, for the auditor of the audit in progress.
pub async fn offline_grid(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<(String, String)> {
    let mut conn = db.pool.acquire().await?;
    let (siae, demande) = own_audit(&mut conn, by, siae_id).await?;
    let grid = build_grid(&mut conn, &siae, &demande, AuditReader::Auditor, false).await?;
    let name = format!(
        "grille-audit-{}-{}.csv",
        demande.id,
        domain::time::today().format("%Y-%m-%d")
    );
    Ok((name, crate::exports::audit_grid_csv(&grid)))
}

/// Keeps a filled grid, to be checked then applied; returns its id.
pub async fn upload_grid(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> BackendResult<i64> {
    let content = std::str::from_utf8(bytes).map_err(|_| {
        BackendError::invalid(
            "Le fichier n'est pas un CSV en UTF-8 : enregistrez la grille au format « CSV UTF-8 ».",
        )
    })?;
    if bytes.len() > MAX_GRID_BYTES {
        return Err(BackendError::invalid("La grille dépasse 1 Mo."));
    }
    crate::exports::read_audit_grid(content).map_err(BackendError::invalid)?;
    let file_name: String = domain::evidence::safe_file_name(file_name)
        .chars()
        .take(255)
        .collect();
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande) = own_audit(&mut work, by, siae_id).await?;
    let id = db::audits::insert_upload(&mut work, demande.id, by.account_id, &file_name, content)
        .await?;
    let change = AuditWorkChange::GridUploaded { file_name };
    work.commit(work_event(&siae, &demande, change)).await?;
    Ok(id)
}

/// What an uploaded grid would change, or every line that prevents it.
pub async fn import_preview(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    upload_id: i64,
) -> BackendResult<domain::certification::offline::ImportPreview> {
    let mut conn = db.pool.acquire().await?;
    by.require(Action::ConductAudit, Target::Global)?;
    let (siae, demande) = audited(&mut conn, siae_id).await?;
    if demande.auditor_id != Some(by.account_id) {
        return Err(BackendError::NotFound(format!("audit of {siae_id}")));
    }
    let upload = db::audits::upload(&mut conn, demande.id, by.account_id, upload_id).await?;
    let (changes, errors) = if upload.applied {
        (Vec::new(), Vec::new())
    } else {
        match planned(&mut conn, &siae, &demande, &upload.content).await? {
            Ok(changes) => (changes, Vec::new()),
            Err(errors) => (Vec::new(), errors),
        }
    };
    Ok(domain::certification::offline::ImportPreview {
        siae_id,
        siae_name: siae.name,
        upload_id,
        file_name: upload.file_name,
        changes,
        errors,
        applied: upload.applied,
    })
}

type Planned = Result<
    Vec<domain::certification::offline::LineChange>,
    Vec<domain::certification::offline::LineError>,
>;

async fn planned(
    conn: &mut AnyConnection,
    siae: &Organisation,
    demande: &Demande,
    content: &str,
) -> BackendResult<Planned> {
    let lines = crate::exports::read_audit_grid(content).map_err(BackendError::invalid)?;
    let (_, referentiel) = crate::services::referentiels::for_siae_in(conn, siae).await?;
    let keys: Vec<String> = referentiel
        .requirements()
        .map(|(section, requirement)| requirement.key(section))
        .collect();
    let current = db::audits::results(conn, demande.id).await?;
    Ok(domain::certification::offline::plan(
        &lines, &current, &keys,
    ))
}

/// Applies an uploaded grid: every change, or none if a line does not hold (checked again
/// against the results as they are now, in the change that applies it).
pub async fn apply_import(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    upload_id: i64,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande) = auditing(&mut work, by, siae_id).await?;
    let upload = db::audits::upload(&mut work, demande.id, by.account_id, upload_id).await?;
    if upload.applied {
        return Err(BackendError::invalid("Cette grille est déjà appliquée."));
    }
    let changes = planned(&mut work, &siae, &demande, &upload.content)
        .await?
        .map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("ligne {} ({}) : {}", e.line, e.key, e.message))
                .collect();
            BackendError::invalid(format!("Rien n'a été appliqué : {}", lines.join(" ; ")))
        })?;
    let current = db::audits::results(&mut work, demande.id).await?;
    for change in &changes {
        let before = current.get(&change.key).cloned().unwrap_or_default();
        if change.status.is_some() || change.comment.is_some() {
            let status = change
                .status
                .map(|(_, after)| after)
                .unwrap_or(before.status);
            let comment = change
                .comment
                .as_ref()
                .map(|(_, after)| after.as_str())
                .unwrap_or(&before.comment);
            db::audits::set_result(
                &mut work,
                demande.id,
                &change.key,
                status,
                comment,
                by.account_id,
            )
            .await?;
        }
        for (kind, text) in &change.new_findings {
            db::audits::add_finding(
                &mut work,
                &db::audits::NewFinding {
                    demande_id: demande.id,
                    requirement_key: &change.key,
                    kind: *kind,
                    text,
                    evidence: &[],
                    by: by.account_id,
                },
            )
            .await?;
        }
    }
    db::audits::mark_applied(&mut work, upload.id).await?;
    let change = AuditWorkChange::GridImported {
        requirements: changes.len(),
    };
    work.commit(work_event(&siae, &demande, change)).await
}
