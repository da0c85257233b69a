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
pub mod evidence;
pub mod organisations;
pub mod referentiels;
pub mod sessions;
pub mod stored;
pub mod throttle;
mod unit_of_work;

pub use stored::{Columns, FromStored};
pub use unit_of_work::{Author, UnitOfWork};

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
                        // FULL synchronous makes each commit durable across a power loss.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;",
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

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await,
        }
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
