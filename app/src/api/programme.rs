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
