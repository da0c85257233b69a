//! Queries of `accounts` and `memberships` (the roles an account holds in organisations).

use super::stored::{self, Columns, FromStored};
use crate::error::{BackendError, BackendResult};
use domain::account::{Account, Member};
use domain::email::Email;
use domain::organisation::OrganisationKind;
use domain::role::{MembershipDetail, Role};
use sqlx::{AnyConnection, AnyPool, Row};

const SELECT: &str =
    "SELECT id, email, display_name, active, must_change_password, last_login_at FROM accounts";

impl FromStored for Account {
    const TABLE: &'static str = "accounts";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            id: c.get("id")?,
            email: c.get("email")?,
            display_name: c.get("display_name")?,
            active: c.flag("active")?,
            must_change_password: c.flag("must_change_password")?,
            last_login_at: c.optional_timestamp("last_login_at")?,
        })
    }
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> BackendResult<Account> {
    stored::find_by_id(conn, SELECT, "id", id).await
}

/// An active account, for the session's identity.
pub async fn find_active(pool: &AnyPool, id: i64) -> BackendResult<Option<Account>> {
    sqlx::query(&format!("{SELECT} WHERE id = $1 AND active = 1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|row| Account::from_row(&row))
        .transpose()
}

pub async fn search(pool: &AnyPool, search: Option<&str>) -> BackendResult<Vec<Account>> {
    let pattern = format!("%{}%", search.unwrap_or_default().trim().to_lowercase());
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE lower(display_name) LIKE $1 OR email LIKE $1 ORDER BY display_name"
    ))
    .bind(pattern)
    .fetch_all(pool)
    .await?;
    Account::from_rows(&rows)
}

/// What login needs to check a password.
pub struct Credentials {
    pub account_id: i64,
    pub password_hash: String,
    pub active: bool,
}

pub async fn credentials_by_email(
    pool: &AnyPool,
    email: &str,
) -> BackendResult<Option<Credentials>> {
    let row = sqlx::query("SELECT id, password_hash, active FROM accounts WHERE email = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        let c = Columns::new(&r, "accounts");
        Ok(Credentials {
            account_id: c.get("id")?,
            password_hash: c.get("password_hash")?,
            active: c.flag("active")?,
        })
    })
    .transpose()
}

pub async fn password_hash(pool: &AnyPool, id: i64) -> BackendResult<String> {
    let row = sqlx::query("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    Columns::new(&row, "accounts").get("password_hash")
}

pub const EMAIL_TAKEN: &str = "Un compte utilise déjà cette adresse électronique.";

pub async fn insert(
    conn: &mut AnyConnection,
    email: &Email,
    name: &str,
    password_hash: &str,
    must_change_password: bool,
) -> BackendResult<i64> {
    let now = stored::now();
    let row = sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
    )
    .bind(email.as_str())
    .bind(name)
    .bind(password_hash)
    .bind(stored::flag(must_change_password))
    .bind(&now)
    .fetch_one(conn)
    .await
    .map_err(|e| BackendError::on_unique(e, "email", EMAIL_TAKEN))?;
    Ok(row.try_get("id")?)
}

pub async fn update_identity(
    conn: &mut AnyConnection,
    id: i64,
    email: &Email,
    name: &str,
) -> BackendResult<()> {
    sqlx::query("UPDATE accounts SET email = $1, display_name = $2, updated_at = $3 WHERE id = $4")
        .bind(email.as_str())
        .bind(name)
        .bind(stored::now())
        .bind(id)
        .execute(conn)
        .await
        .map_err(|e| BackendError::on_unique(e, "email", EMAIL_TAKEN))?;
    Ok(())
}

pub async fn set_active(conn: &mut AnyConnection, id: i64, active: bool) -> BackendResult<()> {
    stored::set_active(conn, "accounts", id, active).await
}

pub async fn set_password(
    conn: &mut AnyConnection,
    id: i64,
    password_hash: &str,
    must_change: bool,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(stored::flag(must_change))
    .bind(stored::now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record_login(conn: &mut AnyConnection, id: i64) -> BackendResult<()> {
    sqlx::query("UPDATE accounts SET last_login_at = $1 WHERE id = $2")
        .bind(stored::now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

impl FromStored for MembershipDetail {
    const TABLE: &'static str = "memberships";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        let kind: OrganisationKind = c.code("kind")?;
        let organisation_id: i64 = c.get("organisation_id")?;
        Ok(Self {
            id: c.get("id")?,
            role: c.code("role")?,
            organisation_id,
            organisation_name: c.get("name")?,
            organisation_kind: kind,
            region_id: region_of(kind, organisation_id, c.get("region_id")?),
        })
    }
}

/// A region is its own region; a SIAE has the region it belongs to; others have none.
pub fn region_of(kind: OrganisationKind, id: i64, region_id: Option<i64>) -> Option<i64> {
    match kind {
        OrganisationKind::Region => Some(id),
        OrganisationKind::Siae => region_id,
        OrganisationKind::Federation | OrganisationKind::CabinetAudit => None,
    }
}

/// Memberships of active organisations, in a stable order for display.
pub async fn memberships_of(
    pool: &AnyPool,
    account_id: i64,
) -> BackendResult<Vec<MembershipDetail>> {
    let rows = sqlx::query(
        "SELECT m.id, m.role, o.id AS organisation_id, o.name, o.kind, o.region_id \
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND o.active = 1 ORDER BY o.kind, o.name, m.role",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    MembershipDetail::from_rows(&rows)
}

impl FromStored for Member {
    const TABLE: &'static str = "memberships";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            membership_id: c.get("id")?,
            account_id: c.get("account_id")?,
            display_name: c.get("display_name")?,
            email: c.get("email")?,
            role: c.code("role")?,
            active: c.flag("active")?,
        })
    }
}

pub async fn members_of(pool: &AnyPool, organisation_id: i64) -> BackendResult<Vec<Member>> {
    let rows = sqlx::query(
        "SELECT m.id, a.id AS account_id, a.display_name, a.email, m.role, a.active \
         FROM memberships m JOIN accounts a ON a.id = m.account_id \
         WHERE m.organisation_id = $1 ORDER BY a.display_name, m.role",
    )
    .bind(organisation_id)
    .fetch_all(pool)
    .await?;
    Member::from_rows(&rows)
}

pub async fn insert_membership(
    conn: &mut AnyConnection,
    account_id: i64,
    organisation_id: i64,
    role: Role,
) -> BackendResult<()> {
    sqlx::query("INSERT INTO memberships (account_id, organisation_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(organisation_id)
        .bind(role.code())
        .bind(stored::now())
        .execute(conn)
        .await
        .map_err(|e| BackendError::on_unique(e, "role", "Ce compte a déjà ce rôle dans cette organisation."))?;
    Ok(())
}

/// A membership with the names the trail records.
pub struct MembershipRow {
    pub account_id: i64,
    pub account_name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: Role,
}

pub async fn find_membership(conn: &mut AnyConnection, id: i64) -> BackendResult<MembershipRow> {
    let row = sqlx::query(
        "SELECT m.account_id, m.organisation_id, m.role, a.display_name, o.name \
         FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::NotFound(format!("membership {id}")))?;
    let c = Columns::new(&row, "memberships");
    Ok(MembershipRow {
        account_id: c.get("account_id")?,
        account_name: c.get("display_name")?,
        organisation_id: c.get("organisation_id")?,
        organisation_name: c.get("name")?,
        role: c.code("role")?,
    })
}

pub async fn delete_membership(conn: &mut AnyConnection, id: i64) -> BackendResult<()> {
    sqlx::query("DELETE FROM memberships WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
