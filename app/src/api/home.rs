use crate::error::AppError;
use crate::types::HomeSection;
use leptos::prelude::*;

/// The sections of the home page, one for each kind of responsibility the caller holds.
#[server(endpoint = "accueil")]
pub async fn home() -> Result<Vec<HomeSection>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let today = domain::time::today();
    outcome(backend::home::sections(&context().db, &me, today).await)
}
