//! Who is calling: the account behind a live session, with its memberships.
//! Holding an `Identity` proves that the session was checked and the account is active.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use domain::organisation::OrgRef;
use domain::policy::{Action, Actor, Target};
use domain::role::{Membership, MembershipDetail};

#[derive(Clone, Debug)]
pub struct Identity {
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub must_change_password: bool,
    /// The account's roles require a second factor and it has none yet: it must enrol before
    /// anything else.
    pub must_enrol_second_factor: bool,
    pub memberships: Vec<MembershipDetail>,
    pub actor: Actor,
    /// The hash of the session the request came with.
    pub session: String,
}

impl Identity {
    /// Loads an active account; `None` when it is disabled or gone.
    pub async fn load(db: &Db, account_id: i64, session: String) -> BackendResult<Option<Self>> {
        let Some(account) = db::accounts::find_active(&db.pool, account_id).await? else {
            return Ok(None);
        };
        let memberships = db::accounts::memberships_of(&db.pool, account_id).await?;
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
        let required = domain::second_factor::required(memberships.iter().map(|m| m.role));
        let must_enrol_second_factor = required && {
            let mut conn = db.pool.acquire().await?;
            !db::second_factors::is_enabled(&mut conn, account_id).await?
        };
        Ok(Some(Self {
            account_id,
            email: account.email,
            display_name: account.display_name,
            must_change_password: account.must_change_password,
            must_enrol_second_factor,
            memberships,
            actor,
            session,
        }))
    }

    /// Whether the account's roles require a second factor.
    pub fn second_factor_required(&self) -> bool {
        domain::second_factor::required(self.memberships.iter().map(|m| m.role))
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
