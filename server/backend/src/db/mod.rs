//! Persistence. `Db` is the handle: one `AnyPool` over SQLite or PostgreSQL, chosen by the URL.
//! Each aggregate has one module here holding its queries and the decoding of its rows
//! (`db::organisations`, `db::accounts`, …); use cases live in `crate::services` and write only
//! through a [`UnitOfWork`].
//!
//! Queries are written once, in the SQL both engines understand (`$1` placeholders,
//! `RETURNING`, text timestamps); the two migration folders give the same tables.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod auditors;
pub mod audits;
pub mod certificates;
pub mod corrective;
pub mod costs;
pub mod demandes;
pub mod editions;
pub mod evidence;
pub mod logos;
pub mod manual;
pub mod organisations;
pub mod outbox;
pub mod parcours;
pub mod programme;
pub mod referentiels;
pub mod second_factors;
pub mod security;
pub mod sessions;
pub mod stored;
pub mod throttle;
mod unit_of_work;

pub use stored::{Columns, FromStored};
pub use unit_of_work::{Author, UnitOfWork};

use crate::error::BackendResult;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// What [`Db::migrate`] would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PendingMigrations {
    /// The migrations not yet applied.
    pub versions: Vec<i64>,
    /// Audit entries written before the trail was chained, still without their hashes (counted
    /// once every migration is applied).
    pub unchained_entries: i64,
}

impl PendingMigrations {
    pub fn is_empty(&self) -> bool {
        self.versions.is_empty() && self.unchained_entries == 0
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    /// SQLite has one writer at a time: this process's write transactions queue here rather
    /// than in SQLite's sleeping busy handler. Unused on PostgreSQL.
    writer: Arc<tokio::sync::Mutex<()>>,
}

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

impl Db {
    /// Opens the pool; a SQLite file and its folder are created when absent.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                format!("DATABASE_URL must start with sqlite: or postgres://, not {url:?}").into(),
            ));
        };
        let url = match engine {
            Engine::Sqlite => prepare_sqlite_url(url)?,
            Engine::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // Per-connection settings: WAL lets readers run beside the writer,
                        // FULL synchronous makes each commit durable across a power loss,
                        // recursive triggers make the rows that REPLACE deletes fire the DELETE
                        // triggers (of the append-only tables: the REPLACE is refused).
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; \
                             PRAGMA recursive_triggers = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            engine,
            writer: Arc::default(),
        })
    }

    fn migrator(&self) -> &'static Migrator {
        match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Brings the schema up to date: applies the migrations not yet applied, then gives the audit
    /// entries written before the trail was chained (migration 0004) their hashes. With nothing
    /// to do it changes nothing and needs no right beyond reading `_sqlx_migrations` and the
    /// trail, so that a role without rights on the schema may call it.
    pub async fn migrate(&self) -> BackendResult<()> {
        if !self.pending_migrations().await?.versions.is_empty() {
            self.migrator().run(&self.pool).await?;
        }
        audit::chain_earlier_entries(self).await?;
        Ok(())
    }

    /// What [`Db::migrate`] has left to do. An applied migration whose file changed since is an
    /// error, as it is for `migrate`.
    pub async fn pending_migrations(&self) -> BackendResult<PendingMigrations> {
        let table_exists = match self.engine {
            Engine::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
        };
        let applied: Vec<(i64, Vec<u8>)> = if sqlx::query_scalar::<_, i64>(table_exists)
            .fetch_one(&self.pool)
            .await?
            > 0
        {
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await?
        } else {
            Vec::new()
        };
        let mut versions = Vec::new();
        for migration in self
            .migrator()
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
        {
            match applied
                .iter()
                .find(|(version, _)| *version == migration.version)
            {
                None => versions.push(migration.version),
                Some((_, checksum)) if *checksum != *migration.checksum => {
                    return Err(
                        sqlx::migrate::MigrateError::VersionMismatch(migration.version).into(),
                    )
                }
                Some(_) => {}
            }
        }
        let unchained_entries = if versions.is_empty() {
            audit::unchained_count(&self.pool).await?
        } else {
            0
        };
        Ok(PendingMigrations {
            versions,
            unchained_entries,
        })
    }

    /// A write transaction, holding the write lock from its first statement on SQLite
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails at once with
    /// « database is locked » when another writer committed in between, whatever the busy timeout.
    /// Data changes go through [`Db::unit_of_work`]; this is for the records that are not audited
    /// (sessions, login throttling).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let queued = match self.engine {
            Engine::Sqlite => Some(self.writer.clone().lock_owned().await),
            Engine::Postgres => None,
        };
        let tx = match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx {
            tx,
            _queued: queued,
        })
    }
}

/// A write transaction and, on SQLite, this process's turn to write. Dropped without commit,
/// it rolls back.
pub struct WriteTx {
    tx: Tx<'static>,
    _queued: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// `sqlite://data/cedre.db` names a file relative to the working directory; make sure it can be created.
fn prepare_sqlite_url(url: &str) -> Result<String, sqlx::Error> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path == ":memory:" {
        return Ok("sqlite::memory:".to_string());
    }
    if !path.is_empty() {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
            }
        }
    }
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !params.iter().any(|p| p.starts_with("mode=")) {
        params.push("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{}", params.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite::memory:"
        );
        let dir = std::env::temp_dir().join("cedre-url-test");
        let url = format!("sqlite://{}/x.db?mode=ro", dir.display());
        assert_eq!(prepare_sqlite_url(&url).unwrap(), url);
        assert!(dir.exists());
    }
}
