//! The caller's second factor: its page, enrolment, recovery codes, removal; and its reset by an
//! administrator.

use crate::error::AppError;
use crate::types::{CodePrompt, SecondFactorPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const PAGE: &str = "/double-authentification";

#[server(endpoint = "double-authentification/etat")]
pub async fn load_second_factor_page() -> Result<SecondFactorPage, AppError> {
    use super::ssr::*;
    use crate::types::PendingEnrolment;
    let me = identity()?;
    let ctx = context();
    let status = outcome(backend::second_factor::status(&ctx.db, &me).await)?;
    let new_recovery_codes = ctx
        .sessions
        .take_secret(&me.session, me.account_id)
        .map(|codes| codes.lines().map(str::to_string).collect())
        .unwrap_or_default();
    Ok(SecondFactorPage {
        enabled: status.enabled,
        required: status.required,
        recovery_codes_left: status.recovery_codes_left,
        pending: status.pending.map(|enrolment| PendingEnrolment {
            secret: enrolment.grouped_secret(),
            qr_code: backend::second_factor::qr_data_uri(&enrolment),
        }),
        new_recovery_codes,
    })
}

#[server(endpoint = "double-authentification/activer")]
pub async fn begin_enrolment() -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::second_factor::begin_enrolment(&context().db, &me).await)?;
    leptos_axum::redirect(PAGE);
    Ok(())
}

#[server(endpoint = "double-authentification/confirmer")]
pub async fn confirm_enrolment(verification: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let codes =
        outcome(backend::second_factor::confirm_enrolment(&ctx.db, &me, &verification).await)?;
    ctx.sessions
        .hold_secret(&me.session, me.account_id, codes.join("\n"));
    done(
        PAGE,
        "La double authentification est activée : un code vous sera demandé à chaque connexion.",
    );
    Ok(())
}

#[server(endpoint = "double-authentification/codes-de-secours")]
pub async fn renew_recovery_codes(verification: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let codes =
        outcome(backend::second_factor::renew_recovery_codes(&ctx.db, &me, &verification).await)?;
    ctx.sessions
        .hold_secret(&me.session, me.account_id, codes.join("\n"));
    done(
        PAGE,
        "Nouveaux codes de secours : les précédents ne fonctionnent plus.",
    );
    Ok(())
}

#[server(endpoint = "double-authentification/retirer")]
pub async fn disable_second_factor(verification: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::second_factor::disable(&context().db, &me, &verification).await)?;
    done(
        PAGE,
        "La double authentification est retirée de votre compte.",
    );
    Ok(())
}

/// An administrator removes the second factor of an account that lost its phone.
#[server(endpoint = "comptes/double-authentification")]
pub async fn reset_second_factor(id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::second_factor::reset(&context().db, &me, id).await)?;
    done(
        &format!("/administration/comptes/{id}"),
        "Double authentification réinitialisée : ses sessions sont fermées ; à sa prochaine connexion, la personne la configurera de nouveau si son rôle l'exige.",
    );
    Ok(())
}

/// What the code prompt of a login shows (public: the caller has no session yet).
#[server(endpoint = "connexion/code/etat")]
pub async fn load_code_prompt() -> Result<CodePrompt, AppError> {
    use super::ssr::*;
    let Some(account_id) = login_ticket() else {
        return Ok(CodePrompt {
            waiting: false,
            demo_code: None,
        });
    };
    let demo_code = outcome(backend::demo::current_code(&context().db, account_id).await)?;
    Ok(CodePrompt {
        waiting: true,
        demo_code,
    })
}
