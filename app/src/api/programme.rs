//! The programme's rules, set by the federation.

use crate::error::AppError;
use domain::certification::programme::RulesPage;
use leptos::prelude::*;

#[server(endpoint = "programme/regles")]
pub async fn programme_rules() -> Result<RulesPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::programme::page(&context().db, &me).await)
}

/// The federation puts new delays in force.
#[server(endpoint = "programme/regles/enregistrer")]
pub async fn set_programme_rules(
    major_nc_months: String,
    minor_nc_months: String,
    expiry_reminders: String,
    renewal_lead_months: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let draft = domain::certification::programme::RulesDraft {
        major_nc_months,
        minor_nc_months,
        expiry_reminders,
        renewal_lead_months,
    };
    outcome(backend::programme::set(&context().db, &me, &draft).await)?;
    done("/programme", "Les règles du programme sont en vigueur.");
    Ok(())
}

/// The federation sets the price of an audit from a year on.
#[server(endpoint = "programme/prix")]
pub async fn set_audit_price(
    year: String,
    audit: String,
    expenses: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let draft = domain::certification::cost::PriceDraft {
        year,
        audit,
        expenses,
    };
    outcome(backend::costs::set_price(&context().db, &me, &draft).await)?;
    done("/programme", "Le prix de l'audit est fixé.");
    Ok(())
}

/// The assigned auditor records their invoice to the SIAE.
#[server(endpoint = "certification/demande/facture")]
pub async fn record_invoice(
    siae_id: i64,
    demande_id: i64,
    invoiced_on: String,
    invoice_ref: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::costs::record_invoice(
            &context().db,
            &me,
            siae_id,
            demande_id,
            &invoiced_on,
            &invoice_ref,
        )
        .await,
    )?;
    done(
        &crate::url::certification_page(siae_id),
        "La facture est enregistrée.",
    );
    Ok(())
}

/// The federation records the funding granted for the audit.
#[server(endpoint = "certification/demande/prise-en-charge")]
pub async fn record_funding(
    siae_id: i64,
    demande_id: i64,
    funder: String,
    amount: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::costs::record_funding(&context().db, &me, siae_id, demande_id, &funder, &amount)
            .await,
    )?;
    done(
        &crate::url::certification_page(siae_id),
        "La prise en charge est enregistrée.",
    );
    Ok(())
}
