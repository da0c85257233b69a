//! The one way data changes: open a write transaction, run the change, append its typed audit
//! event, commit. A change that never reaches [`UnitOfWork::commit`] — an early `?`, a failed
//! insert, a panic — is rolled back with everything it wrote, and commit takes the event, so no
//! use case can persist a change without its audit entry or outside its transaction.
//!
//! The events are appended to the trail at commit, chained to the entry before them
//! ([`super::audit::insert`]): on PostgreSQL that takes the chain's lock, so that concurrent
//! changes append one after the other; holding it only for the inserts and the commit keeps the
//! wait short and means no change ever waits for a row while holding it.

use super::{Db, Engine, WriteTx};
use crate::error::BackendResult;
use crate::identity::Identity;
use domain::audit::AuditEvent;
use sqlx::AnyConnection;

/// Who made a change: an account, or the command line for `cedre demo` and `cedre admin`.
#[derive(Clone, Debug)]
pub struct Author {
    pub account_id: Option<i64>,
    pub name: String,
}

impl Author {
    pub fn command_line(what: &str) -> Self {
        Self {
            account_id: None,
            name: format!("ligne de commande ({what})"),
        }
    }
}

impl From<&Identity> for Author {
    fn from(identity: &Identity) -> Self {
        Self {
            account_id: Some(identity.account_id),
            name: identity.display_name.clone(),
        }
    }
}

pub struct UnitOfWork {
    tx: WriteTx,
    engine: Engine,
    author: Author,
    events: Vec<AuditEvent>,
}

impl Db {
    /// Opens a change made by `author` (see [`Db::begin_write`] for the locking).
    pub async fn unit_of_work(&self, author: impl Into<Author>) -> BackendResult<UnitOfWork> {
        Ok(UnitOfWork {
            tx: self.begin_write().await?,
            engine: self.engine,
            author: author.into(),
            events: Vec::new(),
        })
    }
}

impl UnitOfWork {
    /// Locks a row that the change reads before writing, so that a concurrent change of the same
    /// row waits for this one instead of overwriting it. SQLite's write transaction already
    /// excludes every other writer.
    pub async fn lock_row(&mut self, table: &'static str, id: i64) -> BackendResult<()> {
        if self.engine == Engine::Postgres {
            sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"))
                .bind(id)
                .execute(&mut **self)
                .await?;
        }
        Ok(())
    }

    /// Records an event of this change, appended to the trail at commit; for a change made of
    /// several steps.
    pub fn record(&mut self, event: &AuditEvent) {
        self.events.push(event.clone());
    }

    /// Appends the change's events, this (last) one included, to the trail and commits.
    pub async fn commit(mut self, event: AuditEvent) -> BackendResult<()> {
        self.events.push(event);
        self.append_and_commit().await
    }

    /// Commits a change whose events were all recorded with [`UnitOfWork::record`]; refuses
    /// (and rolls back) a change that recorded none.
    pub async fn commit_recorded(self) -> BackendResult<()> {
        if self.events.is_empty() {
            return Err(crate::BackendError::Internal(
                "a change without an audit event was rolled back".into(),
            ));
        }
        self.append_and_commit().await
    }

    async fn append_and_commit(mut self) -> BackendResult<()> {
        super::audit::insert(&mut self.tx, self.engine, &self.author, &self.events).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

impl std::ops::Deref for UnitOfWork {
    type Target = AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for UnitOfWork {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
