//! What audits cost: the federation's yearly price, fixed on a demande at the auditor's
//! assignment; the auditor's invoice to the SIAE; the funding the federation or the region
//! grants; the federation's totals by year and region.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::organisations::siae_for_change;
use domain::audit::{AuditEvent, CostChange};
use domain::certification::cost::{check_funding, euros, price_for, PriceDraft};
use domain::certification::view::Demande;
use domain::organisation::Organisation;
use domain::policy::{Action, Target};

pub async fn set_price(db: &Db, by: &Identity, draft: &PriceDraft) -> BackendResult<()> {
    by.require(Action::SetProgrammeRules, Target::Global)?;
    let price = draft.check()?;
    let mut work = db.unit_of_work(by).await?;
    db::costs::set_price(&mut work, &price, by.account_id).await?;
    work.commit(AuditEvent::AuditPriceSet {
        year: price.year,
        audit_cents: price.audit_cents,
        expenses_cents: price.expenses_cents,
    })
    .await
}

/// Fixes, in the assignment's change, the price of the demande's audit: the one in force this
/// year. What the timeline says of it.
pub(crate) async fn fix_at_assignment(
    work: &mut UnitOfWork,
    demande_id: i64,
) -> BackendResult<String> {
    use chrono::Datelike;
    let year = domain::time::today().year();
    let price = price_for(&db::costs::prices(work).await?, year).ok_or_else(|| {
        BackendError::invalid(format!(
            "Aucun prix d'audit n'est fixé pour {year} : la fédération le fixe dans les règles du programme."
        ))
    })?;
    db::costs::fix(work, demande_id, year, &price).await?;
    Ok(format!(
        " Coût de l'audit : {} (prix fixé pour {}).",
        euros(price.total_cents()),
        price.year
    ))
}

/// The demande `demande_id` of the SIAE, with its cost, locked for the change.
async fn priced(
    work: &mut UnitOfWork,
    siae_id: i64,
    demande_id: i64,
) -> BackendResult<(Demande, domain::certification::cost::AuditCost)> {
    let not_found = || BackendError::NotFound(format!("cost of demande {demande_id} of {siae_id}"));
    work.lock_row("demandes", demande_id).await?;
    let demande = db::demandes::find(work, demande_id)
        .await
        .ok()
        .filter(|d| d.siae_id == siae_id)
        .ok_or_else(not_found)?;
    let cost = db::costs::of_demande(work, demande_id)
        .await?
        .ok_or_else(not_found)?;
    Ok((demande, cost))
}

/// The assigned auditor records their invoice to the SIAE.
pub async fn record_invoice(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    demande_id: i64,
    invoiced_on: &str,
    reference: &str,
) -> BackendResult<()> {
    by.require(Action::ConductAudit, Target::Global)?;
    let mut work = db.unit_of_work(by).await?;
    let (demande, _) = priced(&mut work, siae_id, demande_id).await?;
    if demande.auditor_id != Some(by.account_id) {
        return Err(BackendError::NotFound(format!("demande {demande_id}")));
    }
    let on = chrono::NaiveDate::parse_from_str(invoiced_on.trim(), "%Y-%m-%d")
        .map_err(|_| BackendError::invalid_field("invoiced_on", "Date invalide (jj/mm/aaaa)."))?;
    if on > domain::time::today() {
        return Err(BackendError::invalid_field(
            "invoiced_on",
            "La date de la facture ne peut être à venir.",
        ));
    }
    let reference = reference.trim();
    if reference.is_empty() || reference.chars().count() > 100 {
        return Err(BackendError::invalid_field(
            "invoice_ref",
            "Indiquez le numéro de la facture (100 caractères au plus).",
        ));
    }
    db::costs::set_invoice(&mut work, demande_id, on, reference).await?;
    let siae = db::organisations::find(&mut work, siae_id).await?;
    work.commit(event(
        &siae,
        demande_id,
        CostChange::Invoiced {
            on,
            reference: reference.to_string(),
        },
    ))
    .await
}

/// The federation records the funding granted for the audit by itself (`funder`:
/// `federation`) or by the SIAE's region (`region`).
pub async fn record_funding(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    demande_id: i64,
    funder: &str,
    amount: &str,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::AssignAuditor).await?;
    let (_, cost) = priced(&mut work, siae_id, demande_id).await?;
    let funder_id = match funder {
        "federation" => db::organisations::federation_id(&mut work).await?,
        "region" => siae.region_id,
        _ => None,
    }
    .ok_or_else(|| {
        BackendError::invalid_field(
            "funder",
            "Choisissez la fédération ou l'association régionale.",
        )
    })?;
    let cents = check_funding(amount, cost.price.total_cents())?;
    db::costs::set_funding(&mut work, demande_id, funder_id, cents).await?;
    let funder_name = db::organisations::find(&mut work, funder_id).await?.name;
    work.commit(event(
        &siae,
        demande_id,
        CostChange::Funded { funder_name, cents },
    ))
    .await
}

fn event(siae: &Organisation, demande_id: i64, change: CostChange) -> AuditEvent {
    AuditEvent::AuditCost {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        demande_id,
        change,
    }
}
