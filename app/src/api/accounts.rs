use crate::error::AppError;
use crate::types::AccountPage;
use domain::account::Account;
use domain::role::Role;
use leptos::prelude::*;

#[server(endpoint = "comptes/liste")]
pub async fn list_accounts(search: Option<String>) -> Result<Vec<Account>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::accounts::list(&context().db, &me, search.as_deref()).await)
}

#[server(endpoint = "comptes/fiche")]
pub async fn load_account_page(id: i64) -> Result<AccountPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let db = &context().db;
    let detail = outcome(backend::accounts::get(db, &me, id).await)?;
    // A temporary password just given to this account is shown on this page, once.
    let temporary_password = context().sessions.take_secret(&me.session, id);
    let organisations =
        outcome(backend::organisations::directory(db, &me, &Default::default()).await)?
            .into_iter()
            .filter(|o| o.active)
            .collect();
    let second_factor = outcome(backend::second_factor::is_enabled(db, id).await)?;
    Ok(AccountPage {
        detail,
        organisations,
        temporary_password,
        second_factor,
    })
}

#[server(endpoint = "comptes/creer")]
pub async fn create_account(email: String, display_name: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let (id, temporary) =
        outcome(backend::accounts::create(&ctx.db, &me, &email, &display_name).await)?;
    // Never in the flash cookie: kept in memory for the account's page, which shows it once.
    ctx.sessions.hold_secret(&me.session, id, temporary);
    done(
        &format!("/administration/comptes/{id}"),
        "Le compte a été créé.",
    );
    Ok(())
}

#[server(endpoint = "comptes/modifier")]
pub async fn update_account(id: i64, email: String, display_name: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::accounts::update(&context().db, &me, id, &email, &display_name).await)?;
    done(
        &format!("/administration/comptes/{id}"),
        "Le compte a été modifié.",
    );
    Ok(())
}

#[server(endpoint = "comptes/activer")]
pub async fn set_account_active(id: i64, active: bool) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::accounts::set_active(&context().db, &me, id, active).await)?;
    done(
        &format!("/administration/comptes/{id}"),
        if active {
            "Le compte a été réactivé."
        } else {
            "Le compte a été désactivé ; ses sessions sont fermées."
        },
    );
    Ok(())
}

#[server(endpoint = "comptes/reinitialiser")]
pub async fn reset_password(id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let temporary = outcome(backend::accounts::reset_password(&ctx.db, &me, id).await)?;
    ctx.sessions.hold_secret(&me.session, id, temporary);
    done(
        &format!("/administration/comptes/{id}"),
        "Nouveau mot de passe temporaire attribué ; les sessions du compte sont fermées.",
    );
    Ok(())
}

#[server(endpoint = "comptes/roles/ajouter")]
pub async fn add_membership(
    account_id: i64,
    organisation_id: i64,
    role: Role,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::accounts::add_membership(&context().db, &me, account_id, organisation_id, role)
            .await,
    )?;
    done(
        &format!("/administration/comptes/{account_id}"),
        "Le rôle a été attribué.",
    );
    Ok(())
}

#[server(endpoint = "comptes/roles/retirer")]
pub async fn remove_membership(account_id: i64, membership_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::accounts::remove_membership(&context().db, &me, membership_id).await)?;
    done(
        &format!("/administration/comptes/{account_id}"),
        "Le rôle a été retiré.",
    );
    Ok(())
}
