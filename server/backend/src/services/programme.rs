//! The programme's rules, set by the federation, and the reminders that follow from them.

use crate::db::{self, Db};
use crate::error::BackendResult;
use crate::identity::Identity;
use crate::services::notifications;
use domain::audit::AuditEvent;
use domain::certification::notice::{expiry_notice, EXPIRY_ADDRESSEES};
use domain::certification::programme::{reminder_due, RulesDraft, RulesPage};
use domain::policy::{Action, Target};

/// The rules are read by those who follow the network, and by who sets them.
pub async fn page(db: &Db, by: &Identity) -> BackendResult<RulesPage> {
    if !by.may(Action::SetProgrammeRules, Target::Global) {
        by.require(Action::ViewNetwork, Target::Global)?;
    }
    let mut conn = db.pool.acquire().await?;
    let in_force = db::programme::in_force(&mut conn).await?;
    let totals = if by.may(Action::ViewNetwork, Target::Global) {
        db::costs::totals(&mut conn).await?
    } else {
        Vec::new()
    };
    Ok(RulesPage {
        rules: in_force.rules,
        set_by: in_force.set_by,
        set_at: in_force.set_at,
        can_set: by.may(Action::SetProgrammeRules, Target::Global),
        prices: db::costs::prices(&mut conn).await?,
        totals,
    })
}

pub async fn set(db: &Db, by: &Identity, draft: &RulesDraft) -> BackendResult<()> {
    by.require(Action::SetProgrammeRules, Target::Global)?;
    let rules = draft.check()?;
    let mut work = db.unit_of_work(by).await?;
    let rules_id = db::programme::set(&mut work, &rules, by.account_id).await?;
    work.commit(AuditEvent::ProgrammeRulesSet { rules_id, rules })
        .await
}

/// Writes to the outbox the reminders due on `today` for the certificates in force, each once
/// (`page_of(siae_id)`: the address of the SIAE's certification page); how many certificates
/// were reminded. Run by the server's background task once a day.
pub async fn remind_expiring(
    db: &Db,
    today: chrono::NaiveDate,
    page_of: &(dyn Fn(i64) -> String + Sync),
) -> BackendResult<usize> {
    let (rules, certificates) = {
        let mut conn = db.pool.acquire().await?;
        (
            db::programme::in_force(&mut conn).await?.rules,
            db::programme::certificates_in_force(&mut conn, today).await?,
        )
    };
    let mut reminded = 0;
    for certificate in certificates {
        let Some(months) = reminder_due(&rules.expiry_reminders, certificate.valid_until, today)
        else {
            continue;
        };
        if certificate.last_reminder.is_some_and(|last| last <= months) {
            continue;
        }
        // A reminder is not a change anyone made: its own transaction, no audit entry; the
        // outbox and `certificate_reminders` keep it.
        let mut tx = db.begin_write().await?;
        let siae = db::organisations::find(&mut tx, certificate.siae_id).await?;
        let renewing = db::demandes::latest_certification(&mut tx, siae.id)
            .await?
            .is_some_and(|d| d.is_open());
        let notice = expiry_notice(
            &siae.name,
            certificate.valid_until,
            months,
            renewing,
            &page_of(siae.id),
        );
        let recipients =
            notifications::recipients(&mut tx, &siae, &EXPIRY_ADDRESSEES, None).await?;
        notifications::enqueue(&mut tx, &recipients, &notice, None).await?;
        db::programme::record_reminder(&mut tx, certificate.certificate_id, months).await?;
        tx.commit().await?;
        reminded += 1;
    }
    Ok(reminded)
}
