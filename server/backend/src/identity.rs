//! Who is calling: the account behind a live session, with its memberships.
//! Holding an `Identity` proves that the session was checked and the account is active.

use crate::db::Db;
use crate::error::{BackendError, BackendResult};
use domain::organisation::{OrgRef, OrganisationKind};
use domain::policy::{Action, Actor, Target};
use domain::role::{Membership, MembershipDetail};
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct Identity {
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub must_change_password: bool,
    pub memberships: Vec<MembershipDetail>,
    pub actor: Actor,
    /// The hash of the session the request came with.
    pub session: String,
}

impl Identity {
    /// Loads an active account; `None` when it is disabled or gone.
    pub async fn load(db: &Db, account_id: i64, session: String) -> BackendResult<Option<Self>> {
        let Some(row) =
            sqlx::query("SELECT email, display_name, must_change_password FROM accounts WHERE id = $1 AND active = 1")
                .bind(account_id)
                .fetch_optional(&db.pool)
                .await?
        else {
            return Ok(None);
        };
        let memberships = memberships_of(db, account_id).await?;
        let actor = Actor {
            account_id,
            memberships: memberships
                .iter()
                .map(|m| Membership {
                    role: m.role,
                    organisation_id: m.organisation_id,
                    region_id: m.region_id,
                })
                .collect(),
        };
        Ok(Some(Self {
            account_id,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
            memberships,
            actor,
            session,
        }))
    }

    /// Refuses with `Forbidden` (logged by the caller's error mapping) unless the policy allows.
    pub fn require(&self, action: Action, target: Target) -> BackendResult<()> {
        if self.actor.may(action, target) {
            Ok(())
        } else {
            tracing::warn!(
                account = self.account_id,
                ?action,
                ?target,
                "authorization denied"
            );
            Err(BackendError::Forbidden {
                action,
                account_id: self.account_id,
            })
        }
    }

    pub fn may(&self, action: Action, target: Target) -> bool {
        self.actor.may(action, target)
    }

    pub fn may_on(&self, action: Action, org: OrgRef) -> bool {
        self.actor.may(action, Target::Organisation(org))
    }
}

/// Memberships of active organisations, in a stable order for display.
pub async fn memberships_of(db: &Db, account_id: i64) -> BackendResult<Vec<MembershipDetail>> {
    let rows = sqlx::query(
        "SELECT m.id, m.role, o.id AS organisation_id, o.name, o.kind, o.region_id \
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND o.active = 1 ORDER BY o.kind, o.name, m.role",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: OrganisationKind = parse_code(r.try_get::<String, _>("kind")?)?;
            let organisation_id: i64 = r.try_get("organisation_id")?;
            Ok(MembershipDetail {
                id: r.try_get("id")?,
                role: parse_code(r.try_get::<String, _>("role")?)?,
                organisation_id,
                organisation_name: r.try_get("name")?,
                organisation_kind: kind,
                region_id: region_of(kind, organisation_id, r.try_get("region_id")?),
            })
        })
        .collect()
}

/// A region is its own region; a SIAE has the region it belongs to; others have none.
pub fn region_of(kind: OrganisationKind, id: i64, region_id: Option<i64>) -> Option<i64> {
    match kind {
        OrganisationKind::Region => Some(id),
        OrganisationKind::Siae => region_id,
        OrganisationKind::Federation | OrganisationKind::CabinetAudit => None,
    }
}

/// Reads a code stored by this application; an unknown one means corrupted data.
pub fn parse_code<T: std::str::FromStr>(code: String) -> BackendResult<T> {
    code.parse()
        .map_err(|_| BackendError::Internal(format!("unknown code in database: {code}")))
}
