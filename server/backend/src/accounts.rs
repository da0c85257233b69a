//! Use cases on accounts: login, passwords, creation and edition by the administrator, memberships.

use crate::audit::{self, Author, Diff, Entry};
use crate::db::{flag, now, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::{memberships_of, parse_code, Identity};
use crate::passwords;
use crate::sessions::{self, Sessions};
use crate::throttle;
pub use domain::account::{Account, AccountDetail};
use domain::email::Email;
use domain::organisation::OrganisationKind;
use domain::policy::{Action, Target};
use domain::role::Role;
use serde_json::json;
use sqlx::{AnyConnection, Row};

pub const WRONG_CREDENTIALS: &str = "Adresse électronique ou mot de passe incorrect.";

/// Checks the credentials and opens a session; returns its token for the cookie.
pub async fn login(
    db: &Db,
    sessions: &Sessions,
    email: &str,
    password: &str,
    address: &str,
) -> BackendResult<String> {
    let account_scope = throttle::account_scope(email);
    let address_scope = throttle::address_scope(address);
    throttle::check(db, &account_scope, &address_scope).await?;
    let row = sqlx::query("SELECT id, password_hash, active FROM accounts WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?;
    let verified = match &row {
        Some(r) => passwords::verify(password, &r.try_get::<String, _>("password_hash")?),
        None => {
            passwords::verify_against_nothing(password);
            false
        }
    };
    let Some(row) = row.filter(|_| verified) else {
        throttle::record_failure(db, &account_scope, &address_scope).await?;
        tracing::info!(email, address, "login failed");
        return Err(BackendError::invalid(WRONG_CREDENTIALS));
    };
    let account_id: i64 = row.try_get("id")?;
    if row.try_get::<i64, _>("active")? == 0 {
        tracing::info!(account_id, "login refused: account disabled");
        return Err(BackendError::invalid(
            "Ce compte est désactivé. Adressez-vous à l'administrateur de votre fédération.",
        ));
    }
    throttle::clear(db, &account_scope).await?;
    sqlx::query("UPDATE accounts SET last_login_at = $1 WHERE id = $2")
        .bind(now())
        .bind(account_id)
        .execute(&db.pool)
        .await?;
    tracing::info!(account_id, "login");
    sessions.create(db, account_id).await
}

/// The caller changes their own password; their other sessions end.
pub async fn change_own_password(
    db: &Db,
    me: &Identity,
    current: &str,
    new: &str,
    confirmation: &str,
) -> BackendResult<()> {
    let row = sqlx::query("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(me.account_id)
        .fetch_one(&db.pool)
        .await?;
    if !passwords::verify(current, &row.try_get::<String, _>("password_hash")?) {
        return Err(BackendError::invalid(
            "Le mot de passe actuel est incorrect.",
        ));
    }
    if new != confirmation {
        return Err(BackendError::invalid(
            "La confirmation ne correspond pas au nouveau mot de passe.",
        ));
    }
    if new == current {
        return Err(BackendError::invalid(
            "Le nouveau mot de passe doit être différent de l'actuel.",
        ));
    }
    domain::password::check(new, &[&me.email, &me.display_name]).map_err(BackendError::invalid)?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = 0, updated_at = $2 WHERE id = $3")
        .bind(passwords::hash(new))
        .bind(now())
        .bind(me.account_id)
        .execute(&mut *tx)
        .await?;
    sessions::end_all_for_account(&mut tx, me.account_id, Some(&me.session)).await?;
    audit::record(
        &mut tx,
        &me.into(),
        Entry {
            action: "compte.mot_de_passe",
            entity_type: "compte",
            entity_id: Some(me.account_id),
            organisation_id: None,
            summary: format!("{} a changé son mot de passe", me.display_name),
            changes: json!({ "mot_de_passe": "modifié" }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const SELECT: &str =
    "SELECT id, email, display_name, active, must_change_password, last_login_at FROM accounts";

fn from_row(r: &sqlx::any::AnyRow) -> BackendResult<Account> {
    Ok(Account {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        active: r.try_get::<i64, _>("active")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        last_login_at: r.try_get("last_login_at")?,
    })
}

async fn fetch(conn: &mut AnyConnection, id: i64) -> BackendResult<Account> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("account {id}")))?;
    from_row(&row)
}

pub async fn list(db: &Db, by: &Identity, search: Option<&str>) -> BackendResult<Vec<Account>> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let pattern = format!("%{}%", search.unwrap_or_default().trim().to_lowercase());
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE lower(display_name) LIKE $1 OR email LIKE $1 ORDER BY display_name"
    ))
    .bind(pattern)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(db: &Db, by: &Identity, id: i64) -> BackendResult<AccountDetail> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let mut conn = db.pool.acquire().await?;
    let account = fetch(&mut conn, id).await?;
    drop(conn);
    Ok(AccountDetail {
        account,
        memberships: memberships_of(db, id).await?,
    })
}

fn parse_identity(email: &str, display_name: &str) -> BackendResult<(Email, String)> {
    let email = Email::parse(email).map_err(BackendError::invalid)?;
    let name = display_name.trim().to_string();
    if name.is_empty() {
        return Err(BackendError::invalid("Le nom affiché est obligatoire."));
    }
    if name.chars().count() > 120 {
        return Err(BackendError::invalid(
            "Le nom affiché ne doit pas dépasser 120 caractères.",
        ));
    }
    Ok((email, name))
}

const EMAIL_TAKEN: &str = "Un compte utilise déjà cette adresse électronique.";

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
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, &by.into(), &email, &name, &temporary, true).await?;
    tx.commit().await?;
    Ok((id, temporary))
}

/// Inserts and audits an account, in the caller's transaction; shared with the command line.
pub async fn insert(
    conn: &mut AnyConnection,
    author: &Author,
    email: &Email,
    name: &str,
    password: &str,
    must_change_password: bool,
) -> BackendResult<i64> {
    let now = now();
    let row = sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
    )
    .bind(email.as_str())
    .bind(name)
    .bind(passwords::hash(password))
    .bind(flag(must_change_password))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| BackendError::on_unique(e, "email", EMAIL_TAKEN))?;
    let id = row.try_get("id")?;
    audit::record(
        conn,
        author,
        Entry {
            action: "compte.creation",
            entity_type: "compte",
            entity_id: Some(id),
            organisation_id: None,
            summary: format!("Création du compte de {name} <{email}>"),
            changes: json!({
                "email": email.as_str(),
                "nom": name,
                "mot_de_passe": if must_change_password { "temporaire" } else { "choisi" },
            }),
        },
    )
    .await?;
    Ok(id)
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
    let mut tx = db.begin().await?;
    let before = fetch(&mut tx, id).await?;
    let diff = Diff::default()
        .field("email", &before.email, &email.as_str().to_string())
        .field("nom", &before.display_name, &name);
    if diff.is_empty() {
        return Ok(());
    }
    sqlx::query("UPDATE accounts SET email = $1, display_name = $2, updated_at = $3 WHERE id = $4")
        .bind(email.as_str())
        .bind(&name)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| BackendError::on_unique(e, "email", EMAIL_TAKEN))?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "compte.modification",
            entity_type: "compte",
            entity_id: Some(id),
            organisation_id: None,
            summary: format!("Modification du compte de {name}"),
            changes: diff.into_value(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disabling ends the account's sessions at once; an administrator cannot disable themself.
pub async fn set_active(db: &Db, by: &Identity, id: i64, active: bool) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    if id == by.account_id && !active {
        return Err(BackendError::invalid(
            "Vous ne pouvez pas désactiver votre propre compte.",
        ));
    }
    let mut tx = db.begin().await?;
    let before = fetch(&mut tx, id).await?;
    if before.active == active {
        return Ok(());
    }
    sqlx::query("UPDATE accounts SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(flag(active))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !active {
        sessions::end_all_for_account(&mut tx, id, None).await?;
    }
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: if active {
                "compte.reactivation"
            } else {
                "compte.desactivation"
            },
            entity_type: "compte",
            entity_id: Some(id),
            organisation_id: None,
            summary: format!(
                "{} du compte de {}",
                if active {
                    "Réactivation"
                } else {
                    "Désactivation"
                },
                before.display_name
            ),
            changes: Diff::default()
                .field("actif", &before.active, &active)
                .into_value(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the account a new temporary password and ends its sessions; returns the password.
pub async fn reset_password(db: &Db, by: &Identity, id: i64) -> BackendResult<String> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let temporary = passwords::temporary();
    let mut tx = db.begin().await?;
    let account = fetch(&mut tx, id).await?;
    sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = 1, updated_at = $2 WHERE id = $3")
        .bind(passwords::hash(&temporary))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sessions::end_all_for_account(&mut tx, id, None).await?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "compte.reinitialisation",
            entity_type: "compte",
            entity_id: Some(id),
            organisation_id: None,
            summary: format!(
                "Mot de passe temporaire attribué à {}",
                account.display_name
            ),
            changes: json!({ "mot_de_passe": "temporaire" }),
        },
    )
    .await?;
    tx.commit().await?;
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
    let mut tx = db.begin().await?;
    let account = fetch(&mut tx, account_id).await?;
    grant(&mut tx, &by.into(), &account, organisation_id, role).await?;
    tx.commit().await?;
    Ok(())
}

/// The grant shared with the command line.
pub async fn grant(
    conn: &mut AnyConnection,
    author: &Author,
    account: &Account,
    organisation_id: i64,
    role: Role,
) -> BackendResult<()> {
    let org = sqlx::query("SELECT kind, name FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| BackendError::invalid("L'organisation choisie n'existe pas."))?;
    let kind: OrganisationKind = parse_code(org.try_get("kind")?)?;
    let org_name: String = org.try_get("name")?;
    if role.organisation_kind() != kind {
        return Err(BackendError::invalid_field("role", format!(
            "Le rôle « {} » s'exerce dans une organisation de type « {} », pas dans « {} ».",
            role.label(),
            role.organisation_kind().label(),
            org_name
        )));
    }
    sqlx::query("INSERT INTO memberships (account_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account.id)
        .bind(organisation_id)
        .bind(role.code())
        .bind(now())
        .execute(&mut *conn)
        .await
        .map_err(|e| BackendError::on_unique(e, "role", "Ce compte a déjà ce rôle dans cette organisation."))?;
    audit::record(
        conn,
        author,
        Entry {
            action: "adhesion.ajout",
            entity_type: "compte",
            entity_id: Some(account.id),
            organisation_id: Some(organisation_id),
            summary: format!(
                "{} devient {} — {}",
                account.display_name,
                role.label(),
                org_name
            ),
            changes: json!({ "role": role.code(), "organisation": organisation_id }),
        },
    )
    .await
}

pub async fn remove_membership(db: &Db, by: &Identity, membership_id: i64) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let mut tx = db.begin().await?;
    let row = sqlx::query(
        "SELECT m.account_id, m.organisation_id, m.role, a.display_name, o.name \
         FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.id = $1",
    )
    .bind(membership_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("membership {membership_id}")))?;
    let account_id: i64 = row.try_get("account_id")?;
    let organisation_id: i64 = row.try_get("organisation_id")?;
    let role: Role = parse_code(row.try_get("role")?)?;
    if account_id == by.account_id && role == Role::Administrateur {
        return Err(BackendError::invalid(
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur.",
        ));
    }
    sqlx::query("DELETE FROM memberships WHERE id = $1")
        .bind(membership_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "adhesion.retrait",
            entity_type: "compte",
            entity_id: Some(account_id),
            organisation_id: Some(organisation_id),
            summary: format!(
                "{} n'est plus {} — {}",
                row.try_get::<String, _>("display_name")?,
                role.label(),
                row.try_get::<String, _>("name")?
            ),
            changes: json!({ "role": role.code(), "organisation": organisation_id }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
            .map_err(BackendError::invalid)?;
    }
    let author = Author::command_line("cedre admin create");
    let mut tx = db.begin().await?;
    let existing = sqlx::query("SELECT id FROM organisations WHERE kind = 'federation'")
        .fetch_optional(&mut *tx)
        .await?;
    let federation_id = match existing {
        Some(row) => row.try_get("id")?,
        None => {
            let draft = domain::organisation::OrganisationDraft {
                kind: OrganisationKind::Federation.code().into(),
                name: federation_name.into(),
                ..Default::default()
            };
            let valid = draft
                .validate()
                .map_err(BackendError::Invalid)?;
            crate::organisations::insert(&mut tx, &author, &valid).await?
        }
    };
    let id = insert(&mut tx, &author, &email, &name, password, generated).await?;
    let account = fetch(&mut tx, id).await?;
    grant(
        &mut tx,
        &author,
        &account,
        federation_id,
        Role::Administrateur,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
