//! The action plan of a SIAE's latest audit: corrective actions answering its non-conformities
//! and the committee's conditions, declared done by the SIAE, checked by the auditor of the
//! audit or the federation, lifted once all are effective; reminders before their deadlines
//! and escalation when one passes. The plan of its latest audit blanc is the SIAE's own: drawn
//! in one step from all its findings, checked by the SIAE, escalated within it.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::accounts::holders_by_name;
use crate::services::audits;
use crate::services::organisations::siae_for_change;
use crate::services::{notifications, refused};
use domain::audit::{AuditEvent, CorrectiveChange};
use domain::certification::audit::{AuditReader, Finding, FindingKind};
use domain::certification::committee::Verdict;
use domain::certification::corrective::{
    calls_for_action, can_lift, check_by_another, latest_due, proposed_due, ActionDraft,
    ActionEvent, ActionPlan, AdoptionDraft, Answers, CorrectiveLifecycle, PlanItem, Verifier,
    MAX_TEXT_CHARS,
};
use domain::certification::demande::DemandeKind;
use domain::certification::notice::{
    action_due_notice, action_late_addressees, action_late_notice, Addressees,
};
use domain::certification::view::Demande;
use domain::organisation::Organisation;
use domain::policy::{Action, Target};
use domain::role::Role;
use domain::workflow::{transition, Machine};
use sqlx::AnyConnection;

fn is_non_conformity(finding: &Finding) -> bool {
    matches!(
        finding.kind,
        FindingKind::NonConformiteMineure | FindingKind::NonConformiteMajeure
    )
}

/// The SIAE, its latest demande of `kind` audited once the report is submitted, the day it
/// was, and why the caller reads it: the plan answers the report's findings, and is as
/// confidential.
async fn reached(
    conn: &mut AnyConnection,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
) -> BackendResult<(Organisation, Demande, chrono::NaiveDate, AuditReader)> {
    let (siae, demande) = audits::audited_of(conn, siae_id, kind).await?;
    let reader = audits::reader(conn, by, &siae, &demande).await?;
    let submitted = db::audits::report(conn, demande.id)
        .await?
        .and_then(|r| r.submitted_at)
        .ok_or_else(|| no_plan(siae_id))?;
    Ok((siae, demande, domain::time::date_of(submitted), reader))
}

fn no_plan(siae_id: i64) -> BackendError {
    BackendError::NotFound(format!("action plan of {siae_id}"))
}

/// The action plan of the latest audit of `kind`, for a reader of the audit (each reading but
/// the auditor's recorded).
pub async fn plan(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
) -> BackendResult<ActionPlan> {
    let mut conn = db.pool.acquire().await?;
    let (siae, demande, reported_on, reader) = reached(&mut conn, by, siae_id, kind).await?;
    if reader != AuditReader::Auditor {
        db::audits::add_reading(
            &mut conn,
            demande.id,
            (by.account_id, &by.display_name),
            "page",
        )
        .await?;
    }
    let rules = db::programme::in_force(&mut conn).await?.rules;
    let actions = db::corrective::of_demande(&mut conn, demande.id).await?;
    let liftings = db::corrective::liftings(&mut conn, demande.id).await?;
    let blanc = kind == DemandeKind::AuditBlanc;
    let today = domain::time::today();
    let item = |answers: Answers, key: Option<i64>, latest, proposed| PlanItem {
        answers,
        latest_due: latest,
        proposed_due: proposed,
        lifted: liftings
            .iter()
            .find(|(finding, _, _)| *finding == key)
            .map(|(_, name, at)| (name.clone(), *at)),
        actions: actions
            .iter()
            .filter(|(finding, _)| *finding == key)
            .map(|(_, action)| action.clone())
            .collect(),
    };
    let mut items: Vec<PlanItem> = db::audits::findings(&mut conn, demande.id)
        .await?
        .into_iter()
        .filter(|f| calls_for_action(kind, f.kind))
        .map(|f| {
            // The programme's delays bind the plan of a certification audit; they are only
            // proposed for an audit blanc's.
            let (latest, proposed) = if blanc {
                (None, Some(proposed_due(f.kind, reported_on, &rules, today)))
            } else {
                (latest_due(f.kind, reported_on, &rules), None)
            };
            item(
                Answers::Finding {
                    id: f.id,
                    requirement_key: f.requirement_key,
                    kind: f.kind,
                    text: f.text,
                },
                Some(f.id),
                latest,
                proposed,
            )
        })
        .collect();
    if let Some(decision) = db::certificates::decision(&mut conn, demande.id)
        .await?
        .filter(|d| d.verdict == Verdict::CertifieeSousConditions)
    {
        items.push(item(
            Answers::Conditions {
                text: decision.conditions,
            },
            None,
            decision.conditions_due_on,
            None,
        ));
    }
    let can_plan = by.may_on(Action::EditDemande, siae.org_ref());
    let owners = if can_plan {
        owners(&mut conn, siae_id).await?
    } else {
        Vec::new()
    };
    let can_verify = if blanc {
        by.may_on(Action::EditDemande, siae.org_ref())
    } else {
        reader == AuditReader::Auditor || by.may_on(Action::AssignAuditor, siae.org_ref())
    };
    Ok(ActionPlan {
        siae_id,
        demande_id: demande.id,
        kind,
        can_adopt: blanc && can_plan && actions.is_empty() && !items.is_empty(),
        items,
        owners,
        can_plan,
        can_verify,
        not_checked_by: blanc.then_some(by.account_id),
        siae_name: siae.name,
    })
}

/// Who may own an action: the SIAE's active accounts that read its plan (its référent qualité
/// and direction: the plan is as confidential as the report, and its reminders link to it),
/// each once, by name.
async fn owners(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Vec<(i64, String)>> {
    holders_by_name(conn, siae_id, &[Role::ReferentQualite, Role::Direction]).await
}

/// The SIAE reached for a change of its plan by its people, and the plan's demande.
async fn for_change(
    work: &mut UnitOfWork,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
) -> BackendResult<(Organisation, Demande, chrono::NaiveDate)> {
    siae_for_change(work, by, siae_id, Action::EditDemande).await?;
    let (siae, demande, reported_on, _) = reached(work, by, siae_id, kind).await?;
    work.lock_row("demandes", demande.id).await?;
    Ok((siae, demande, reported_on))
}

/// Who checks for the caller: the auditor of the audit while it is theirs, or the federation;
/// the SIAE itself on the plan of its audit blanc. The SIAE and the demande, and the target
/// the check is authorized on.
async fn as_verifier(
    work: &mut UnitOfWork,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
) -> BackendResult<(Organisation, Demande, Verifier, Target)> {
    let (siae, demande, _, reader) = reached(work, by, siae_id, kind).await?;
    work.lock_row("demandes", demande.id).await?;
    let (verifier, target) = match (kind, reader) {
        (DemandeKind::AuditBlanc, _) => (Verifier::Structure, Target::Organisation(siae.org_ref())),
        (_, AuditReader::Auditor) => (Verifier::Auditor, Target::Global),
        _ => (Verifier::Federation, Target::Organisation(siae.org_ref())),
    };
    Ok((siae, demande, verifier, target))
}

/// The SIAE plans an action answering the finding `finding_id` (`None`: the conditions) of its
/// latest audit of `kind`.
pub async fn add(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
    finding_id: Option<i64>,
    draft: &ActionDraft,
) -> BackendResult<i64> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande, reported_on) = for_change(&mut work, by, siae_id, kind).await?;
    let lifted = db::corrective::liftings(&mut work, demande.id)
        .await?
        .iter()
        .any(|(f, _, _)| *f == finding_id);
    let latest = match finding_id {
        Some(id) => {
            let finding = db::audits::findings(&mut work, demande.id)
                .await?
                .into_iter()
                .find(|f| f.id == id && calls_for_action(kind, f.kind))
                .ok_or_else(|| BackendError::NotFound(format!("finding {id}")))?;
            let rules = db::programme::in_force(&mut work).await?.rules;
            latest_due(finding.kind, reported_on, &rules)
                .filter(|_| kind == DemandeKind::Certification)
        }
        None => {
            db::certificates::decision(&mut work, demande.id)
                .await?
                .filter(|d| d.verdict == Verdict::CertifieeSousConditions)
                .ok_or_else(|| no_plan(siae_id))?
                .conditions_due_on
        }
    };
    if lifted {
        return Err(BackendError::invalid(
            "Elle est déjà levée : aucune action ne s'y ajoute.",
        ));
    }
    let owners = owner_ids(&mut work, siae_id).await?;
    let new = draft.check(&owners, latest, domain::time::today())?;
    let action_id =
        db::corrective::insert(&mut work, demande.id, finding_id, &new, by.account_id).await?;
    work.commit(event(
        &siae,
        demande.id,
        CorrectiveChange::Planned {
            action_id,
            description: new.description,
        },
    ))
    .await?;
    Ok(action_id)
}

async fn owner_ids(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Vec<i64>> {
    Ok(owners(conn, siae_id)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// The SIAE draws the plan of its latest audit blanc in one step: an action for each of its
/// non-conformities and pistes de progrès, all or none; how many.
pub async fn adopt(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    draft: &AdoptionDraft,
) -> BackendResult<usize> {
    let kind = DemandeKind::AuditBlanc;
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande, _) = for_change(&mut work, by, siae_id, kind).await?;
    if !db::corrective::of_demande(&mut work, demande.id)
        .await?
        .is_empty()
    {
        return Err(BackendError::invalid(
            "Le plan de l'audit blanc est déjà tiré : ajoutez une action au constat qu'elle traite.",
        ));
    }
    let findings: Vec<i64> = db::audits::findings(&mut work, demande.id)
        .await?
        .into_iter()
        .filter(|f| calls_for_action(kind, f.kind))
        .map(|f| f.id)
        .collect();
    let owners = owner_ids(&mut work, siae_id).await?;
    let actions = draft.check(&findings, &owners, domain::time::today())?;
    for (finding_id, new) in &actions {
        db::corrective::insert(&mut work, demande.id, Some(*finding_id), new, by.account_id)
            .await?;
    }
    work.commit(event(
        &siae,
        demande.id,
        CorrectiveChange::Adopted {
            actions: actions.len(),
        },
    ))
    .await?;
    Ok(actions.len())
}

fn event(siae: &Organisation, demande_id: i64, change: CorrectiveChange) -> AuditEvent {
    AuditEvent::Corrective {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        demande_id,
        change,
    }
}

fn checked_text(field: &str, text: &str, what: &str) -> BackendResult<String> {
    super::bounded_text(field, text, what, MAX_TEXT_CHARS)
}

/// The SIAE declares the action done, with its evidence.
pub async fn declare(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
    action_id: i64,
    evidence: &str,
) -> BackendResult<()> {
    let evidence = checked_text("evidence", evidence, "La preuve")?;
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande, _) = for_change(&mut work, by, siae_id, kind).await?;
    let action = action_of(&mut work, &demande, action_id).await?;
    let event_in = ActionEvent::Declare {
        evidence: evidence.clone(),
    };
    transition::<CorrectiveLifecycle>(
        &action.state,
        &event_in,
        &by.actor,
        Target::Organisation(siae.org_ref()),
    )
    .map_err(|refusal| refused(by, refusal))?;
    db::corrective::set_done(&mut work, action_id, &evidence).await?;
    work.commit(event(
        &siae,
        demande.id,
        CorrectiveChange::Declared {
            action_id,
            description: action.description,
        },
    ))
    .await
}

/// The action `action_id` of `demande`, or not found.
async fn action_of(
    work: &mut UnitOfWork,
    demande: &Demande,
    action_id: i64,
) -> BackendResult<db::corrective::ActionRow> {
    work.lock_row("corrective_actions", action_id).await?;
    db::corrective::find(work, action_id)
        .await
        .ok()
        .filter(|a| a.demande_id == demande.id)
        .ok_or_else(|| BackendError::NotFound(format!("corrective action {action_id}")))
}

/// The auditor of the audit or the federation checks the action's efficacy; on the plan of an
/// audit blanc, the SIAE.
pub async fn verify(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
    action_id: i64,
    effective: bool,
    comment: &str,
) -> BackendResult<()> {
    let comment = checked_text("comment", comment, "Le commentaire")?;
    let mut work = db.unit_of_work(by).await?;
    let (siae, demande, verifier, target) = as_verifier(&mut work, by, siae_id, kind).await?;
    let action = action_of(&mut work, &demande, action_id).await?;
    let moved = transition::<CorrectiveLifecycle>(
        &action.state,
        &ActionEvent::Verify {
            by: verifier,
            effective,
            comment: comment.clone(),
        },
        &by.actor,
        target,
    )
    .map_err(|refusal| refused(by, refusal))?;
    check_by_another(verifier, action.owner_id, by.account_id)
        .map_err(|refusal| refused(by, refusal))?;
    db::corrective::set_checked(
        &mut work,
        action_id,
        moved.to,
        by.account_id,
        effective,
        &comment,
    )
    .await?;
    work.commit(event(
        &siae,
        demande.id,
        CorrectiveChange::Checked {
            action_id,
            description: action.description,
            effective,
        },
    ))
    .await
}

/// The auditor of the audit or the federation lifts the non-conformity `finding_id` (`None`:
/// the conditions), once all its actions were found effective; on the plan of an audit blanc,
/// the SIAE.
pub async fn lift(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    kind: DemandeKind,
    finding_id: Option<i64>,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    // Who may check an action may lift what its actions answer.
    let (siae, demande, verifier, target) = as_verifier(&mut work, by, siae_id, kind).await?;
    let required = CorrectiveLifecycle::required_action(&ActionEvent::Verify {
        by: verifier,
        effective: true,
        comment: String::new(),
    });
    if !by.actor.may(required, target) {
        return Err(BackendError::Forbidden {
            action: required,
            account_id: by.account_id,
        });
    }
    let requirement_key = match finding_id {
        Some(id) => Some(
            db::audits::findings(&mut work, demande.id)
                .await?
                .into_iter()
                .find(|f| f.id == id && is_non_conformity(f))
                .ok_or_else(|| BackendError::NotFound(format!("non-conformity {id}")))?
                .requirement_key,
        ),
        None => {
            db::certificates::decision(&mut work, demande.id)
                .await?
                .filter(|d| d.verdict == Verdict::CertifieeSousConditions)
                .ok_or_else(|| no_plan(siae_id))?;
            None
        }
    };
    if db::corrective::liftings(&mut work, demande.id)
        .await?
        .iter()
        .any(|(f, _, _)| *f == finding_id)
    {
        return Err(BackendError::invalid("Elle est déjà levée."));
    }
    let states: Vec<_> = db::corrective::of_demande(&mut work, demande.id)
        .await?
        .into_iter()
        .filter(|(f, _)| *f == finding_id)
        .map(|(_, a)| a.state)
        .collect();
    can_lift(&states).map_err(|refusal| refused(by, refusal))?;
    db::corrective::lift(&mut work, demande.id, finding_id, by.account_id).await?;
    work.commit(event(
        &siae,
        demande.id,
        CorrectiveChange::Lifted { requirement_key },
    ))
    .await
}

/// Days before an action's deadline when its owner is reminded.
pub const REMINDER_DAYS: i64 = 7;

/// Writes to the outbox, once each, the reminders of the actions due within
/// [`REMINDER_DAYS`] and the escalation of those whose deadline passed (to the region and the
/// federation); how many mails were written. Run by the server's background task once a day.
pub async fn remind(
    db: &Db,
    today: chrono::NaiveDate,
    page_of: &(dyn Fn(i64, DemandeKind) -> String + Sync),
) -> BackendResult<usize> {
    let pending = {
        let mut conn = db.pool.acquire().await?;
        db::corrective::pending_before(&mut conn, today + chrono::Duration::days(REMINDER_DAYS))
            .await?
    };
    let mut written = 0;
    for action in pending {
        let late = action.due_on < today;
        let kind = match (late, action.escalated, action.reminded) {
            (true, false, _) => "retard",
            (false, _, false)
                if action.state == domain::certification::corrective::ActionState::Ouverte =>
            {
                "echeance"
            }
            _ => continue,
        };
        // Not a change anyone made: its own transaction; the outbox and
        // `corrective_reminders` keep it.
        let mut tx = db.begin_write().await?;
        let siae = db::organisations::find(&mut tx, action.siae_id).await?;
        let link = page_of(siae.id, action.kind);
        let (notice, addressees): (_, &[Addressees]) = if late {
            (
                action_late_notice(&siae.name, action.kind, action.due_on, &link),
                action_late_addressees(action.kind),
            )
        } else {
            (
                action_due_notice(&siae.name, action.due_on, &link),
                &[Addressees::Siae(&[Role::ReferentQualite])],
            )
        };
        let mut recipients = notifications::recipients(&mut tx, &siae, addressees, None).await?;
        if let Some(owner) = db::outbox::account(&mut tx, action.owner_id).await? {
            if !recipients.contains(&owner) {
                recipients.insert(0, owner);
            }
        }
        notifications::enqueue(&mut tx, &recipients, &notice, Some(action.demande_id)).await?;
        db::corrective::record_reminder(&mut tx, action.id, kind).await?;
        tx.commit().await?;
        written += recipients.len();
    }
    Ok(written)
}
