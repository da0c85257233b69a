//! Use cases on accounts: login, passwords, creation and edition by the administrator, memberships.

use crate::db::{self, Author, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::passwords;
use crate::services::security::{self, SecurityEvent, SecurityKind};
use crate::services::sessions::{Client, Sessions};
use crate::services::throttle;
pub use domain::account::{Account, AccountDetail};
use domain::audit::{AuditEvent, Diff};
use domain::email::Email;
use domain::organisation::{OrganisationDraft, OrganisationKind};
use domain::policy::{Action, Target};
use domain::role::Role;
use domain::validation::FieldErrors;

pub const WRONG_CREDENTIALS: &str = "Adresse électronique ou mot de passe incorrect.";

/// What a right password leads to.
#[derive(Debug)]
pub enum Login {
    /// A session is open: its token, for the cookie.
    Session(String),
    /// The account has a second factor: its code is asked next (see [`crate::second_factor`]).
    CodeNeeded { account_id: i64 },
}

/// Checks the credentials and opens a session, or asks for the second factor.
pub async fn login(
    db: &Db,
    sessions: &Sessions,
    email: &str,
    password: &str,
    client: &Client,
) -> BackendResult<Login> {
    let address = client.address.as_str();
    let refused = |account_id: Option<i64>, detail: &str| SecurityEvent {
        kind: SecurityKind::LoginRefused,
        account_id,
        account: email.trim().to_lowercase(),
        address: address.to_string(),
        detail: detail.to_string(),
    };
    let attempt = match throttle::begin_attempt(db, email, address).await {
        Err(BackendError::Throttled(reason)) => {
            security::record(db, refused(None, "trop de tentatives : attente imposée")).await;
            return Err(BackendError::Throttled(reason));
        }
        other => other?,
    };
    let credentials = db::accounts::credentials_by_email(&db.pool, email).await?;
    let verified = match &credentials {
        Some(c) => passwords::verify(password, &c.password_hash).await,
        None => {
            passwords::verify_against_nothing(password).await;
            false
        }
    };
    let account_id = credentials.as_ref().map(|c| c.account_id);
    let Some(credentials) = credentials.filter(|_| verified) else {
        tracing::info!(email, address, "login failed");
        let detail = if account_id.is_some() {
            "mot de passe incorrect"
        } else {
            "adresse inconnue"
        };
        security::record(db, refused(account_id, detail)).await;
        return Err(BackendError::invalid(WRONG_CREDENTIALS));
    };
    if !credentials.active {
        tracing::info!(
            account_id = credentials.account_id,
            "login refused: account disabled"
        );
        security::record(db, refused(account_id, "compte désactivé")).await;
        return Err(BackendError::invalid(
            "Ce compte est désactivé. Adressez-vous à l'administrateur de votre fédération.",
        ));
    }
    let mut tx = db.begin_write().await?;
    attempt.succeeded(&mut tx).await?;
    if db::second_factors::is_enabled(&mut tx, credentials.account_id).await? {
        tx.commit().await?;
        return Ok(Login::CodeNeeded {
            account_id: credentials.account_id,
        });
    }
    db::accounts::record_login(&mut tx, credentials.account_id).await?;
    let token = sessions
        .create(&mut tx, credentials.account_id, client)
        .await?;
    security::record_in(
        &mut tx,
        &SecurityEvent {
            kind: SecurityKind::Login,
            ..refused(account_id, "")
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(account_id = credentials.account_id, "login");
    Ok(Login::Session(token))
}

/// The caller changes their own password. Attempts are throttled like logins (the current
/// password is what is guessed); on success every session of the account ends, this one
/// included, and a new session is opened for this browser: returns its token for the cookie.
pub async fn change_own_password(
    db: &Db,
    sessions: &Sessions,
    me: &Identity,
    fields: ChangeOfPassword<'_>,
    client: &Client,
) -> BackendResult<String> {
    let ChangeOfPassword {
        current,
        new,
        confirmation,
    } = fields;
    if new != confirmation {
        return Err(BackendError::invalid_field(
            "confirmation",
            "La confirmation ne correspond pas au nouveau mot de passe.",
        ));
    }
    if new == current {
        return Err(BackendError::invalid_field(
            "nouveau",
            "Le nouveau mot de passe doit être différent de l'actuel.",
        ));
    }
    domain::password::check(new, &[&me.email, &me.display_name])
        .map_err(|message| BackendError::invalid_field("nouveau", message.to_string()))?;
    let refused = |detail: &str| {
        security::about(
            me,
            SecurityKind::PasswordChangeRefused,
            &client.address,
            detail,
        )
    };
    let attempt = match throttle::begin_password_change(db, me.account_id).await {
        Err(BackendError::Throttled(reason)) => {
            security::record(db, refused("trop de tentatives : attente imposée")).await;
            return Err(BackendError::Throttled(reason));
        }
        other => other?,
    };
    let stored = db::accounts::password_hash(&db.pool, me.account_id).await?;
    if !passwords::verify(current, &stored).await {
        security::record(db, refused("mot de passe actuel incorrect")).await;
        tracing::info!(
            account_id = me.account_id,
            "password change refused: wrong current password"
        );
        return Err(BackendError::invalid_field(
            "actuel",
            "Le mot de passe actuel est incorrect.",
        ));
    }
    let hash = passwords::hash(new).await;
    let mut work = db.unit_of_work(me).await?;
    db::accounts::set_password(&mut work, me.account_id, &hash, false).await?;
    db::sessions::delete_for_account(&mut work, me.account_id, None).await?;
    let token = sessions.create(&mut work, me.account_id, client).await?;
    attempt.succeeded(&mut work).await?;
    let changed = security::about(me, SecurityKind::PasswordChanged, &client.address, "");
    security::record_in(&mut work, &changed).await?;
    work.commit(AuditEvent::PasswordChanged {
        account_id: me.account_id,
        name: me.display_name.clone(),
    })
    .await?;
    Ok(token)
}

/// Ends the caller's session (« Se déconnecter »).
pub async fn logout(db: &Db, me: &Identity, client: &Client) -> BackendResult<()> {
    crate::services::sessions::end(db, &me.session).await?;
    security::record(
        db,
        security::about(me, SecurityKind::Logout, &client.address, ""),
    )
    .await;
    Ok(())
}

/// The three fields of the password form.
pub struct ChangeOfPassword<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub confirmation: &'a str,
}

pub async fn list(db: &Db, by: &Identity, search: Option<&str>) -> BackendResult<Vec<Account>> {
    by.require(Action::ManageAccounts, Target::Global)?;
    db::accounts::search(&db.pool, search).await
}

pub async fn get(db: &Db, by: &Identity, id: i64) -> BackendResult<AccountDetail> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let account = db::accounts::find(&mut *db.pool.acquire().await?, id).await?;
    Ok(AccountDetail {
        account,
        memberships: db::accounts::memberships_of(&db.pool, id).await?,
    })
}

fn parse_identity(email: &str, display_name: &str) -> BackendResult<(Email, String)> {
    let mut errors = FieldErrors::new();
    let email = Email::parse(email)
        .map_err(|message| errors.add("email", message.to_string()))
        .ok();
    let name = display_name.trim().to_string();
    if name.is_empty() {
        errors.add("display_name", "Le nom affiché est obligatoire.");
    } else if name.chars().count() > 120 {
        errors.add(
            "display_name",
            "Le nom affiché ne doit pas dépasser 120 caractères.",
        );
    }
    match email {
        Some(email) if errors.is_empty() => Ok((email, name)),
        _ => Err(errors.into()),
    }
}

/// Creates an account with a temporary password, to be changed at first login; returns both.
pub async fn create(
    db: &Db,
    by: &Identity,
    email: &str,
    display_name: &str,
) -> BackendResult<(i64, String)> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let (email, name) = parse_identity(email, display_name)?;
    let temporary = passwords::temporary();
    let hash = passwords::hash(&temporary).await;
    let mut work = db.unit_of_work(by).await?;
    let (id, event) = insert(&mut work, &email, &name, &hash, true).await?;
    work.commit(event).await?;
    Ok((id, temporary))
}

/// Inserts an account in a change and returns its event; shared with the command line.
pub async fn insert(
    work: &mut UnitOfWork,
    email: &Email,
    name: &str,
    password_hash: &str,
    must_change_password: bool,
) -> BackendResult<(i64, AuditEvent)> {
    let id = db::accounts::insert(work, email, name, password_hash, must_change_password).await?;
    Ok((
        id,
        AuditEvent::AccountCreated {
            account_id: id,
            name: name.to_string(),
            email: email.as_str().to_string(),
            temporary_password: must_change_password,
        },
    ))
}

pub async fn update(
    db: &Db,
    by: &Identity,
    id: i64,
    email: &str,
    display_name: &str,
) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let (email, name) = parse_identity(email, display_name)?;
    let mut work = db.unit_of_work(by).await?;
    work.lock_row("accounts", id).await?;
    let before = db::accounts::find(&mut work, id).await?;
    let changes = Diff::default()
        .field("email", &before.email, &email.as_str().to_string())
        .field("nom", &before.display_name, &name)
        .into_changes();
    if changes.is_empty() {
        return Ok(());
    }
    db::accounts::update_identity(&mut work, id, &email, &name).await?;
    work.commit(AuditEvent::AccountUpdated {
        account_id: id,
        name,
        changes,
    })
    .await
}

/// Disabling ends the account's sessions at once; an administrator cannot disable themself.
pub async fn set_active(db: &Db, by: &Identity, id: i64, active: bool) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    if id == by.account_id && !active {
        return Err(BackendError::invalid(
            "Vous ne pouvez pas désactiver votre propre compte.",
        ));
    }
    let mut work = db.unit_of_work(by).await?;
    work.lock_row("accounts", id).await?;
    let before = db::accounts::find(&mut work, id).await?;
    if before.active == active {
        return Ok(());
    }
    db::accounts::set_active(&mut work, id, active).await?;
    if !active {
        db::sessions::delete_for_account(&mut work, id, None).await?;
    }
    work.commit(AuditEvent::AccountActivation {
        account_id: id,
        name: before.display_name,
        active,
    })
    .await
}

/// Gives the account a new temporary password and ends its sessions; returns the password.
pub async fn reset_password(db: &Db, by: &Identity, id: i64) -> BackendResult<String> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let temporary = passwords::temporary();
    let hash = passwords::hash(&temporary).await;
    let mut work = db.unit_of_work(by).await?;
    let account = db::accounts::find(&mut work, id).await?;
    db::accounts::set_password(&mut work, id, &hash, true).await?;
    db::sessions::delete_for_account(&mut work, id, None).await?;
    work.commit(AuditEvent::PasswordReset {
        account_id: id,
        name: account.display_name,
    })
    .await?;
    Ok(temporary)
}

/// Grants a role in an organisation; the role must belong to that kind of organisation.
pub async fn add_membership(
    db: &Db,
    by: &Identity,
    account_id: i64,
    organisation_id: i64,
    role: Role,
) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let mut work = db.unit_of_work(by).await?;
    let account = db::accounts::find(&mut work, account_id).await?;
    let event = grant(&mut work, &account, organisation_id, role).await?;
    work.commit(event).await
}

/// The grant shared with the command line; returns its event.
pub async fn grant(
    work: &mut UnitOfWork,
    account: &Account,
    organisation_id: i64,
    role: Role,
) -> BackendResult<AuditEvent> {
    let organisation = match db::organisations::find(work, organisation_id).await {
        Err(BackendError::NotFound(_)) => {
            return Err(BackendError::invalid_field(
                "organisation_id",
                "L'organisation choisie n'existe pas.",
            ))
        }
        other => other?,
    };
    if role.organisation_kind() != organisation.kind {
        return Err(BackendError::invalid_field(
            "role",
            format!(
                "Le rôle « {} » s'exerce dans une organisation de type « {} », pas dans « {} ».",
                role.label(),
                role.organisation_kind().label(),
                organisation.name
            ),
        ));
    }
    db::accounts::insert_membership(work, account.id, organisation_id, role).await?;
    Ok(AuditEvent::RoleGranted {
        account_id: account.id,
        account_name: account.display_name.clone(),
        organisation_id,
        organisation_name: organisation.name,
        role,
    })
}

pub async fn remove_membership(db: &Db, by: &Identity, membership_id: i64) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let mut work = db.unit_of_work(by).await?;
    let membership = db::accounts::find_membership(&mut work, membership_id).await?;
    if membership.account_id == by.account_id && membership.role == Role::Administrateur {
        return Err(BackendError::invalid(
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur.",
        ));
    }
    db::accounts::delete_membership(&mut work, membership_id).await?;
    work.commit(AuditEvent::RoleRevoked {
        account_id: membership.account_id,
        account_name: membership.account_name,
        organisation_id: membership.organisation_id,
        organisation_name: membership.organisation_name,
        role: membership.role,
    })
    .await
}

/// `cedre admin create`: an administrator of the federation, which is created if missing.
/// A generated password must be changed at first login; one typed by the operator need not.
pub async fn create_administrator(
    db: &Db,
    email: &str,
    display_name: &str,
    password: &str,
    generated: bool,
    federation_name: &str,
) -> BackendResult<i64> {
    let (email, name) = parse_identity(email, display_name)?;
    if !generated {
        domain::password::check(password, &[email.as_str(), &name])
            .map_err(|message| BackendError::invalid_field("password", message.to_string()))?;
    }
    let hash = passwords::hash(password).await;
    let mut work = db
        .unit_of_work(Author::command_line("cedre admin create"))
        .await?;
    let federation_id = match db::organisations::federation_id(&mut work).await? {
        Some(id) => id,
        None => {
            let valid = OrganisationDraft {
                kind: OrganisationKind::Federation.code().into(),
                name: federation_name.into(),
                ..Default::default()
            }
            .validate()?;
            let (id, event) = crate::services::organisations::insert(&mut work, &valid).await?;
            work.record(&event);
            id
        }
    };
    let (id, event) = insert(&mut work, &email, &name, &hash, generated).await?;
    work.record(&event);
    let account = db::accounts::find(&mut work, id).await?;
    let event = grant(&mut work, &account, federation_id, Role::Administrateur).await?;
    work.commit(event).await?;
    Ok(id)
}

/// The active accounts holding one of `roles` in the organisation, each once, by name.
pub(crate) async fn holders_by_name(
    conn: &mut sqlx::AnyConnection,
    organisation_id: i64,
    roles: &[domain::role::Role],
) -> BackendResult<Vec<(i64, String)>> {
    let mut named = Vec::new();
    for holder in db::outbox::holders(conn, organisation_id, roles).await? {
        let account = db::accounts::find(conn, holder.account_id).await?;
        named.push((account.id, account.display_name));
    }
    named.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(named)
}
