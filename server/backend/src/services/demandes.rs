//! Use cases of a demande de certification: preparing it on an issued edition of the manual,
//! and its steps on the lifecycle of `domain::certification::demande` — submission (with the
//! self-assessment as it is, kept with the step), return for completion, the regional board's
//! decision, transmission to the federation. Each step is in the demande's timeline and in the
//! audit trail, in the same change.

use crate::db::demandes::NewStep;
use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::pdf::Renderer;
use crate::services::organisations::{siae_for, siae_for_change};
use crate::services::{audits, committee, notifications, refused};
use domain::assessment::Status;
use domain::audit::AuditEvent;
use domain::certification::audit::AuditReader;
use domain::certification::committee::CommitteeDecision;
use domain::certification::conflict::{screen, Audited};
use domain::certification::demande::{
    BoardMeeting, DemandeEvent, DemandeKind, DemandeLifecycle, DemandeState, DemandeStatus,
};
use domain::certification::view::{AssessmentSnapshot, AuditorOption, DemandePage, EditionChoice};
use domain::organisation::Organisation;
use domain::policy::{Action, Target};
use domain::workflow::transition;

pub const MAX_TEXT_CHARS: usize = 4_000;

pub async fn page(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<DemandePage> {
    let (siae, caller_is_auditor) = match siae_for(db, by, siae_id, Action::ViewDemande).await {
        Ok(siae) => (siae, false),
        // An auditor reaches the demande assigned to them, and no other; the committee's
        // members, the demandes submitted to them.
        Err(refused) => match assigned_to_caller(db, by, siae_id).await? {
            Some(siae) => (siae, true),
            None => match before_committee(db, by, siae_id).await? {
                Some(siae) => (siae, false),
                None => return Err(refused),
            },
        },
    };
    let mut conn = db.pool.acquire().await?;
    let mut current = db::demandes::latest(&mut conn, siae_id).await?;
    let confirmed = !caller_is_auditor
        || current
            .as_ref()
            .is_some_and(|d| d.state != DemandeState::AuditeurDesigne);
    let steps = match &current {
        // Until they declare they have no conflict, the auditor sees nothing of the demande.
        Some(d) if confirmed => db::demandes::steps(&mut conn, d.id).await?,
        _ => Vec::new(),
    };
    if !confirmed {
        if let Some(d) = current.as_mut() {
            d.message.clear();
            d.edition_id = None;
        }
    }
    let can_edit = by.may_on(Action::EditDemande, siae.org_ref());
    let editions = if can_edit {
        db::editions::of_siae(&mut conn, siae_id)
            .await?
            .into_iter()
            .map(|e| EditionChoice {
                id: e.id,
                number: e.number,
                issued_on: e.issued_on,
            })
            .collect()
    } else {
        Vec::new()
    };
    let waiting_for_auditor = current
        .as_ref()
        .is_some_and(|d| d.state == DemandeState::Transmise);
    let auditors = if waiting_for_auditor && by.may_on(Action::AssignAuditor, siae.org_ref()) {
        let audited = Audited::from(&siae);
        let mut options = Vec::new();
        for (account_id, name) in db::auditors::all(&mut conn).await? {
            let ties = db::auditors::ties(&mut conn, account_id).await?;
            options.push(AuditorOption {
                account_id,
                name,
                screening: screen(&ties, audited, domain::time::today()),
            });
        }
        options
    } else {
        Vec::new()
    };
    let auditor_name = match current.as_ref().and_then(|d| d.auditor_id) {
        Some(id) => Some(db::accounts::find(&mut conn, id).await?.display_name),
        None => None,
    };
    let reads_audit = match db::demandes::latest_audited(&mut conn, siae_id).await? {
        Some(d) => {
            let file = audits::file_of(&mut conn, &d).await?;
            AuditReader::of(&by.actor, siae.org_ref(), file).is_some()
        }
        None => false,
    };
    let mut action_plans = Vec::new();
    let mut unshared_audit_blanc = None;
    for kind in DemandeKind::ALL {
        if let Some(d) = db::demandes::latest_audited_of(&mut conn, siae_id, kind).await? {
            let file = audits::file_of(&mut conn, &d).await?;
            if d.state.has_report() && AuditReader::of(&by.actor, siae.org_ref(), file).is_some() {
                action_plans.push(kind);
            }
            let later_open = current.as_ref().is_some_and(|c| c.id != d.id);
            if kind == DemandeKind::AuditBlanc
                && can_edit
                && later_open
                && d.state == DemandeState::RapportRemis
                && d.shared_at.is_none()
            {
                unshared_audit_blanc = Some(d);
            }
        }
    }
    let state = current.as_ref().map(|d| d.state);
    let committee = if state == Some(DemandeState::SoumiseAuComite)
        && by.may_on(Action::DecideCertification, siae.org_ref())
    {
        crate::services::committee::members(&mut conn, &siae).await?
    } else {
        Vec::new()
    };
    let decision = match current.as_ref().filter(|d| d.state.is_decided()) {
        Some(d) => db::certificates::decision(&mut conn, d.id).await?,
        None => None,
    };
    let certificate = db::certificates::latest_of_siae(&mut conn, siae_id).await?;
    let cost = match current.as_ref().filter(|_| confirmed) {
        Some(d) => db::costs::of_demande(&mut conn, d.id).await?,
        None => None,
    };
    Ok(DemandePage {
        siae_id,
        siae_name: siae.name.clone(),
        current,
        steps,
        editions,
        can_edit,
        can_review: by.may_on(Action::ReviewDemande, siae.org_ref()),
        can_decide: by.may_on(Action::DecideDemandeRegion, siae.org_ref()),
        auditors,
        auditor_name,
        caller_is_auditor,
        reads_audit,
        action_plans,
        unshared_audit_blanc,
        committee,
        decision,
        certificate,
        can_withdraw: by.may_on(Action::DecideCertification, siae.org_ref()),
        can_invoice: caller_is_auditor && cost.is_some(),
        can_fund: cost.is_some() && by.may_on(Action::AssignAuditor, siae.org_ref()),
        cost,
    })
}

/// The SIAE, when the caller sits on the certification committee and its latest demande is
/// before the committee or decided.
async fn before_committee(
    db: &Db,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<Option<Organisation>> {
    let mut conn = db.pool.acquire().await?;
    let Some(demande) = db::demandes::latest(&mut conn, siae_id).await? else {
        return Ok(None);
    };
    let siae = db::organisations::find(&mut conn, siae_id).await?;
    let sits =
        demande.state.is_with_committee() && by.may_on(Action::DecideCertification, siae.org_ref());
    Ok(sits.then_some(siae))
}

/// The SIAE, when the caller is an auditor and its latest demande is assigned to them.
async fn assigned_to_caller(
    db: &Db,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<Option<Organisation>> {
    if !by.may(Action::ConductAudit, Target::Global) {
        return Ok(None);
    }
    let mut conn = db.pool.acquire().await?;
    let assigned = db::demandes::latest(&mut conn, siae_id)
        .await?
        .is_some_and(|d| d.auditor_id == Some(by.account_id));
    if !assigned {
        return Ok(None);
    }
    Ok(Some(db::organisations::find(&mut conn, siae_id).await?))
}

fn checked_text(field: &str, text: &str, what: &str) -> BackendResult<String> {
    super::bounded_text(field, text, what, MAX_TEXT_CHARS)
}

/// Opens the SIAE's demande, or changes the one it is preparing: the issued edition of the
/// manual it rests on (`None`: not chosen yet) and its message to the region.
pub async fn save(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    edition_id: Option<i64>,
    message: &str,
    kind: DemandeKind,
) -> BackendResult<i64> {
    let message = checked_text("message", message, "Le message")?;
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditDemande).await?;
    if let Some(edition_id) = edition_id {
        // The edition is one of this SIAE's (the lookup is by both ids).
        db::editions::find(&mut work, siae_id, edition_id)
            .await
            .map_err(|_| {
                BackendError::invalid_field(
                    "edition_id",
                    "Choisissez une édition émise du manuel de la structure.",
                )
            })?;
    }
    let current = db::demandes::latest(&mut work, siae_id)
        .await?
        .filter(|d| d.is_open());
    let (id, from) = match current {
        None => {
            let id = db::demandes::insert(
                &mut work,
                siae_id,
                edition_id,
                &message,
                kind,
                by.account_id,
            )
            .await?;
            db::demandes::add_step(
                &mut work,
                &NewStep {
                    demande_id: id,
                    actor: (by.account_id, &by.display_name),
                    from: None,
                    to: DemandeState::Brouillon,
                    comment: "",
                    edition_id: None,
                    assessment: None,
                    meeting: None,
                },
            )
            .await?;
            (id, None)
        }
        Some(d) if d.state.is_editable() => {
            db::demandes::update_draft(&mut work, d.id, edition_id, &message).await?;
            (d.id, Some(d.state))
        }
        Some(d) => {
            return Err(BackendError::invalid(format!(
                "La demande en cours est « {} » : elle ne se modifie plus. {}",
                d.state.label().to_lowercase(),
                d.state.next_step()
            )))
        }
    };
    let to = from.unwrap_or(DemandeState::Brouillon);
    work.commit(audit_event(&siae, id, from, to)).await?;
    Ok(id)
}

/// The SIAE shares its audit blanc, once its compte-rendu is submitted: its results then stand
/// beside each requirement in its next certification audit, for the auditor and the committee.
pub async fn share_audit_blanc(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    demande_id: i64,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditDemande).await?;
    work.lock_row("demandes", demande_id).await?;
    let demande = db::demandes::find(&mut work, demande_id)
        .await
        .ok()
        .filter(|d| d.siae_id == siae_id)
        .ok_or_else(|| BackendError::NotFound(format!("demande {demande_id} of {siae_id}")))?;
    if demande.kind != DemandeKind::AuditBlanc || demande.state != DemandeState::RapportRemis {
        return Err(BackendError::invalid(
            "Seul un audit blanc dont le compte-rendu est remis se partage.",
        ));
    }
    if demande.shared_at.is_some() {
        return Err(BackendError::invalid("Cet audit blanc est déjà partagé."));
    }
    db::demandes::share(&mut work, demande_id).await?;
    work.commit(AuditEvent::AuditBlancShared {
        siae_id,
        siae_name: siae.name,
        demande_id,
    })
    .await
}

/// A step asked by a user; the lifecycle decides whether it applies.
pub enum Step {
    Submit,
    Return {
        comment: String,
    },
    BoardDecision {
        meeting: BoardMeeting,
        validated: bool,
        reasons: String,
    },
    Forward,
    Assign {
        auditor_id: i64,
        justification: String,
    },
    /// The assigned auditor declares on their honour that they have no conflict of interest.
    ConfirmNoConflict,
    /// The assigned auditor sets the audit's dates (`AAAA-MM-JJ`, as typed).
    Schedule {
        starts_on: String,
        ends_on: String,
    },
    /// The assigned auditor submits their compte-rendu, rendered to PDF.
    SubmitReport,
    /// The federation opens the report to the certification committee.
    OpenToCommittee,
    /// The committee's decision; a certification issues the certificate, whose QR code leads
    /// to the site's `/verification/{code}`.
    CommitteeDecision {
        form: crate::services::committee::DecisionForm,
    },
}

/// The addresses a step's outputs point to, as the users reach them.
pub struct Links {
    /// The site's public address (`https://cedre.exemple.org`), for the certificate's QR code.
    pub site: String,
    /// The demande's page, for the notices' mails.
    pub demande_page: String,
}

/// Applies a step to a demande of the SIAE `siae_id`: the new state and its place in the
/// timeline (a submission keeps the self-assessment as it is), the notices to who acts next,
/// with the audit entry.
pub async fn step(
    db: &Db,
    renderer: &Renderer,
    links: &Links,
    by: &Identity,
    siae_id: i64,
    demande_id: i64,
    step: Step,
) -> BackendResult<()> {
    // What the step keeps is read before the change (reads of their own, as their pages do):
    // the self-assessment with a submission, the whole dossier when the audit starts.
    let snapshot = match step {
        Step::Submit => Some(assessment_snapshot(db, by, siae_id).await?),
        _ => None,
    };
    let dossier = match step {
        Step::ConfirmNoConflict if by.may(Action::ConductAudit, Target::Global) => {
            let mut conn = db.pool.acquire().await?;
            let edition = db::demandes::find(&mut conn, demande_id)
                .await
                .ok()
                .filter(|d| d.siae_id == siae_id && d.auditor_id == Some(by.account_id))
                .and_then(|d| d.edition_id);
            drop(conn);
            match edition {
                Some(edition_id) => Some(audits::snapshot_now(db, siae_id, edition_id).await?),
                None => None,
            }
        }
        _ => None,
    };
    let mut work = db.unit_of_work(by).await?;
    let not_found = || BackendError::NotFound(format!("demande {demande_id} of {siae_id}"));
    // The auditor's steps rest on their assignment; every other step on the policy.
    let by_auditor = matches!(
        step,
        Step::ConfirmNoConflict | Step::Schedule { .. } | Step::SubmitReport
    );
    let siae = if by_auditor {
        by.require(Action::ConductAudit, Target::Global)?;
        db::organisations::find(&mut work, siae_id)
            .await
            .map_err(|_| not_found())?
    } else if matches!(step, Step::CommitteeDecision { .. }) {
        siae_for_change(&mut work, by, siae_id, Action::DecideCertification).await?
    } else {
        siae_for_change(&mut work, by, siae_id, Action::ViewDemande).await?
    };
    work.lock_row("demandes", demande_id).await?;
    let demande = db::demandes::find(&mut work, demande_id).await?;
    if demande.siae_id != siae_id || (by_auditor && demande.auditor_id != Some(by.account_id)) {
        return Err(not_found());
    }
    let target = if by_auditor {
        Target::Global
    } else {
        Target::Organisation(siae.org_ref())
    };
    let (event, mut comment) = match step {
        Step::Submit => (DemandeEvent::Submit, String::new()),
        Step::SubmitReport => {
            let (unassessed, summary) = audits::submission(&mut work, &siae, &demande).await?;
            (
                DemandeEvent::SubmitReport {
                    by: by.account_id,
                    summary,
                    unassessed,
                },
                "Compte-rendu d'audit remis à la structure et au responsable qualité fédéral."
                    .to_string(),
            )
        }
        Step::OpenToCommittee => (
            DemandeEvent::OpenToCommittee,
            "Compte-rendu ouvert au comité de certification.".to_string(),
        ),
        Step::CommitteeDecision { form } => {
            let form = committee::DecisionForm {
                reasons: checked_text("reasons", &form.reasons, "Les motifs")?,
                conditions: checked_text("conditions", &form.conditions, "Les conditions")?,
                ..form
            };
            let decision = committee::decision(&mut work, by, &siae, form).await?;
            let comment = decision_comment(&decision);
            (
                DemandeEvent::CommitteeDecision {
                    decision,
                    today: domain::time::today(),
                },
                comment,
            )
        }
        Step::Return { comment } => {
            let comment = checked_text("comment", &comment, "Le commentaire")?;
            (
                DemandeEvent::ReturnForCompletion {
                    comment: comment.clone(),
                },
                comment,
            )
        }
        Step::BoardDecision {
            meeting,
            validated,
            reasons,
        } => {
            let reasons = checked_text("reasons", &reasons, "Les motifs")?;
            (
                DemandeEvent::BoardDecision {
                    meeting,
                    validated,
                    reasons: reasons.clone(),
                    today: domain::time::today(),
                },
                reasons,
            )
        }
        Step::Forward => (DemandeEvent::Forward, String::new()),
        Step::Assign {
            auditor_id,
            justification,
        } => {
            let justification = checked_text("justification", &justification, "La justification")?;
            let auditors = db::auditors::all(&mut work).await?;
            let Some((_, name)) = auditors.into_iter().find(|(id, _)| *id == auditor_id) else {
                return Err(BackendError::invalid_field(
                    "auditor_id",
                    "Choisissez un auditeur externe.",
                ));
            };
            let ties = db::auditors::ties(&mut work, auditor_id).await?;
            let audited = Audited::from(&siae);
            let screening = screen(&ties, audited, domain::time::today());
            let mut comment = format!("Auditeur désigné : {name}.");
            if !screening.looser.is_empty() {
                let ties: Vec<String> = screening
                    .looser
                    .iter()
                    .map(|t| {
                        format!(
                            "{} ({})",
                            t.organisation_name,
                            t.kind.label().to_lowercase()
                        )
                    })
                    .collect();
                comment.push_str(&format!(
                    " Liens déclarés : {}. Justification : {justification}",
                    ties.join(", ")
                ));
            }
            (
                DemandeEvent::Assign {
                    auditor_id,
                    screening,
                    justification,
                },
                comment,
            )
        }
        Step::ConfirmNoConflict => (
            DemandeEvent::ConfirmNoConflict { by: by.account_id },
            String::new(),
        ),
        Step::Schedule { starts_on, ends_on } => {
            let date = |field: &'static str, text: &str| {
                chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map_err(|_| BackendError::invalid_field(field, "Date invalide (jj/mm/aaaa)."))
            };
            let (starts_on, ends_on) = (date("starts_on", &starts_on)?, date("ends_on", &ends_on)?);
            let comment = format!(
                "Audit prévu du {} au {}.",
                domain::time::display_date(starts_on),
                domain::time::display_date(ends_on)
            );
            (
                DemandeEvent::Schedule {
                    by: by.account_id,
                    starts_on,
                    ends_on,
                },
                comment,
            )
        }
    };
    let status = DemandeStatus {
        kind: demande.kind,
        state: demande.state,
        edition_id: demande.edition_id,
        auditor_id: demande.auditor_id,
        audit_scheduled: demande.audit_dates.is_some(),
    };
    let moved = transition::<DemandeLifecycle>(&status, &event, &by.actor, target)
        .map_err(|refusal| refused(by, refusal))?;
    db::demandes::set_state(&mut work, demande_id, moved.to.state).await?;
    match &event {
        DemandeEvent::Assign { auditor_id, .. } => {
            db::demandes::set_auditor(&mut work, demande_id, *auditor_id).await?;
            comment
                .push_str(&crate::services::costs::fix_at_assignment(&mut work, demande_id).await?);
        }
        DemandeEvent::Schedule {
            starts_on, ends_on, ..
        } => db::demandes::set_audit_dates(&mut work, demande_id, *starts_on, *ends_on).await?,
        DemandeEvent::ConfirmNoConflict { .. } => {
            let dossier = dossier.ok_or_else(|| {
                BackendError::Internal(format!("demande {demande_id} has no edition to audit"))
            })?;
            let sha256 = db::audits::freeze(&mut work, demande_id, &dossier).await?;
            comment = audits::frozen_comment(&dossier, &sha256);
        }
        DemandeEvent::SubmitReport { .. } => {
            audits::submit_report(&mut work, renderer, &siae, &demande).await?
        }
        DemandeEvent::CommitteeDecision { decision, .. } => {
            committee::record(
                &mut work,
                renderer,
                &siae,
                demande_id,
                decision,
                &links.site,
            )
            .await?
        }
        _ => {}
    }
    let auditor_id = match &event {
        DemandeEvent::Assign { auditor_id, .. } => Some(*auditor_id),
        _ => demande.auditor_id,
    };
    notifications::demande_moved(
        &mut work,
        &notifications::Moved {
            siae: &siae,
            demande_id,
            auditor_id,
            kind: demande.kind,
            to: moved.to.state,
            by_account_id: by.account_id,
            link: &links.demande_page,
        },
    )
    .await?;
    let meeting = match &event {
        DemandeEvent::BoardDecision { meeting, .. } => Some(meeting),
        _ => None,
    };
    db::demandes::add_step(
        &mut work,
        &NewStep {
            demande_id,
            actor: (by.account_id, &by.display_name),
            from: Some(demande.state),
            to: moved.to.state,
            comment: &comment,
            edition_id: snapshot.as_ref().and(demande.edition_id),
            assessment: snapshot.as_ref(),
            meeting,
        },
    )
    .await?;
    work.commit(audit_event(
        &siae,
        demande_id,
        Some(demande.state),
        moved.to.state,
    ))
    .await
}

/// The committee's decision as the timeline tells it.
fn decision_comment(decision: &CommitteeDecision) -> String {
    let seats: Vec<String> = decision
        .seats
        .iter()
        .map(|s| format!("{} ({})", s.name, s.participation.label()))
        .collect();
    let mut comment = format!(
        "Comité du {} : {}. Membres présents : {}.",
        domain::time::display_date(decision.held_on),
        decision.verdict.label().to_lowercase(),
        seats.join(", ")
    );
    if !decision.reasons.trim().is_empty() {
        comment.push_str(&format!(" Motifs : {}", decision.reasons.trim()));
    }
    if let Some(due) = decision.conditions_due_on {
        comment.push_str(&format!(
            " Conditions, à lever avant le {} : {}",
            domain::time::display_date(due),
            decision.conditions.trim()
        ));
    }
    comment
}

/// The SIAE's self-assessment as it is: each requirement's status, and how many of the
/// applicable ones are conformes.
async fn assessment_snapshot(
    db: &Db,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<AssessmentSnapshot> {
    let assessment = crate::services::assessments::load(db, by, siae_id).await?;
    let progress = assessment.progress();
    let exigences = assessment
        .assessments
        .iter()
        .filter(|(_, a)| a.status != Status::NonEvalue)
        .map(|(key, a)| (key.clone(), a.status.label().to_string()))
        .collect();
    Ok(AssessmentSnapshot {
        conformes: progress.iter().map(|p| p.conforme).sum(),
        applicables: progress.iter().map(|p| p.applicable).sum(),
        exigences,
    })
}

fn audit_event(
    siae: &Organisation,
    demande_id: i64,
    from: Option<DemandeState>,
    to: DemandeState,
) -> AuditEvent {
    AuditEvent::Demande {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        demande_id,
        from,
        to,
    }
}
